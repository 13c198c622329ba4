#!/usr/bin/env bash
# bench/h100/s14_peers14.sh — task peers14 (issue 15 on SwiftShader): its changes apply to CPU
# adapters only (the webgpu executor's reduceShape CPU branch and main_reg at every size where
# cpuLike; wgsl.c's per-lane accumulators where wg_set_adapter_class says CPU).  A GPU adapter's
# shapes, its WGSL and the rest of the engine are unchanged: nothing to measure on the H100.
echo "skip (peers14: CPU-adapter shapes only, no GPU-default path changed)"
