#!/usr/bin/env bash
# bench/h100/s14_peers14.sh — task peers14 (issue 15 on SwiftShader): its changes are the webgpu
# executor's shapes for CPU adapters only (reduceShape's CPU branch, main_reg at every size where
# cpuLike); a GPU adapter's reduction and matmul shapes and the engine are unchanged.
echo "skip (peers14: CPU-adapter shapes only, no GPU-default path changed)"
