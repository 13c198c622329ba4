#!/usr/bin/env bash
# bench/h100/s13_peers13.sh — task peers13 (issue 15): its one change to GPU paths is that
# lowering merges equal instructions (core/src/graph/lower.c; every kernel's IR, on every
# backend).  Its other changes apply to CPU adapters only (SwiftShader).  So: matmul 4096, add and
# sum over 64M float32 and the Mandelbrot loop, main's library (.cch/libwgpy_old.so) against the
# branch's (.cch/libwgpy_new.so) through the branch's Python, alternated twice; CuPy once.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
# the GPU idles at a low clock and ramps up under load: ~1.5 s of back-to-back work first
timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
for round in 1 2; do
    for lib in old new; do
        echo "-- round $round, $lib"
        remote libwgpy_$lib.so timeout 60 python3 bench/h100/s13_peers13.py 2>&1 | tail -3
    done
done
timeout 40 python3 bench/h100/s13_peers13.py --cupy 2>&1 | tail -2
