#!/usr/bin/env bash
# bench/h100/s14_lu14.sh — issue 11's solve/inv 1024^2 and cholesky 2048^2 before
# (.cch/libwgpy_old.so) and after (.cch/libwgpy_new.so) in one call, both through this
# checkout's Python (only the library differs), interleaved new/old/new, each process first
# warming the GPU (it idles at 345 MHz): call + read (median of 5), ten back to back (lu12_bench.py);
# CuPy's cuSOLVER on the same card; each call split at its flag read into recording and waiting
# (lu14_split.py: where the back-to-back time goes); the GPU ms per dispatch key
# (linalg_profile.py) for new and old; what a workgroup barrier costs (barrier_probe.py).  The
# mid-way call (20:20 UTC) also ran measurement-only variants of the LU panel (WGPY_LU_EXP,
# removed since: docs/linalg.md "Session 14").
# Locally (SwiftShader, small sizes): SMALL=--small bash bench/h100/s14_lu14.sh (needs .cch/*.so)
set -uo pipefail
[ -n "${SMALL:-}" ] || . bench/h100/setup_device.sh
S=${SMALL:-}
R=$(pwd)
clk() { nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null; }
clk
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
B=bench/h100/lu12_bench.py
echo "== call + read (median of 5), back to back (rounds of 10/20); warmed, interleaved"
remote libwgpy_new.so timeout 45 python3 $B $S --tag new --warm 1.5 2>&1 | grep -v "ten calls" | tail -5
remote libwgpy_old.so timeout 30 python3 $B $S --tag old --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -3
remote libwgpy_new.so timeout 30 python3 $B $S --tag new --nocheck --warm 1.5 2>&1 | grep -v "ten calls" | tail -3
[ -n "$S" ] || timeout 25 python3 $B --cupy --warm 1.5 2>&1 | tail -3
clk
echo "== ten calls split at the flag read (record = up to the read, wait = the read); counters per call"
remote libwgpy_new.so timeout 25 python3 bench/h100/lu14_split.py $S --tag new --warm 1 2>&1 | tail -6
remote libwgpy_old.so timeout 25 python3 bench/h100/lu14_split.py $S --tag old --warm 1 2>&1 | tail -6
echo "== GPU ms per dispatch key (WGPY_GPU_TIMING=1): new (cholesky's every key), old"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 25 python3 bench/h100/linalg_profile.py $S --top 12 2>&1 | grep -v "^ *0.00[0-9] ms"
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout 25 python3 bench/h100/linalg_profile.py $S --top 2 2>&1
clk
echo "== barrier probe"
remote libwgpy_new.so timeout 20 python3 bench/h100/barrier_probe.py 2>&1 | tail -2
clk
