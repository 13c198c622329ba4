#!/usr/bin/env bash
# bench/h100/s15_ci15.sh — ci15 changed one engine kernel: api/lapack.c's diag_flag (the singular
# / not-positive-definite flag of solve, inv and cholesky) is a plain loop again instead of 8
# loads unrolled per step (the unrolled GLSL took ANGLE + SwiftShader 750-1,070 s to compile on
# webgl2: docs/testing.md, session 15).  On a GPU adapter the blocked path flags with
# lapack_blocked.c's diag_flag256 instead, so the H100's solve/inv/cholesky should not move;
# only the per-column 'gathers' path (webgl2's, wgpy.linalg._set_linalg_path) runs diag_flag
# there.  This checks both: main's engine (.cch/libwgpy_old.so) against this branch's
# (.cch/libwgpy_new.so), same Python, interleaved new/old/new, CuPy's cuSOLVER in the same run.
# Locally (SwiftShader, small sizes, no CuPy): S15_LOCAL=1 bash bench/h100/s15_ci15.sh
set -uo pipefail
if [ -z "${S15_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  S="" M=1
else
  S="--small" M=${S15_TMUL:-10}  # SwiftShader on 2 shared cores: every limit M times longer
fi
to() { local s="$1"; shift; timeout $((s * M)) "$@"; }
R=$(pwd)
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
clk() { nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null || true; }
clk
B=bench/h100/lu12_bench.py
echo "== solve/inv 1024^2, cholesky 2048^2 (auto path: diag_flag256 on a GPU): call + read, median of 5; new/old/new"
remote libwgpy_new.so to 35 python3 $B $S --tag new --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -4
remote libwgpy_old.so to 25 python3 $B $S --tag old --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -4
remote libwgpy_new.so to 25 python3 $B $S --tag new --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -4
[ -n "$S" ] || to 20 python3 $B --cupy --warm 1.5 2>&1 | tail -4
clk
echo "== bench/linalg_gpu.py: blocked and 'gathers' path (the one that runs diag_flag), new then old"
remote libwgpy_new.so to 20 python3 bench/linalg_gpu.py --small 2>&1 | tail -12
remote libwgpy_old.so to 20 python3 bench/linalg_gpu.py --small 2>&1 | tail -12
clk
