#!/usr/bin/env bash
# bench/h100/s13_rng13.sh — task rng13 (docs/random.md "The H100 says the integer work is not what
# bounds it"): where 16M float32 normals' 0.13 ms goes.  The library (.cch/libwgpy_old.so and
# _new.so, both through this checkout's Python; rounds interleaved) and CuPy (RandomState =
# cuRAND Philox, Generator) per call, then user-kernel copies of the block form
# (bench/h100/rng13_variants.py): the 16-bit-halves mulhi against the float-estimate one (same
# words), stores alone (no generator), uniforms, raw words, unrolled rounds, one store per block,
# two blocks per point, and as other streams Philox4x32-7 and Threefry4x32-20/13.  The GPU is
# warmed first and before each variant (the H100 idles at 345 MHz).  ~2 minutes.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
clk() { nvidia-smi --query-gpu=clocks.sm --format=csv,noheader | tr -d '\n'; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
warm() { timeout 20 python3 -c "
import cupy as cp, time
g = cp.random.default_rng(0); t = time.time()
while time.time() - t < 1.5: g.standard_normal(16 << 20, dtype='float32')
cp.cuda.Device().synchronize()"; }
warm; echo "== 1. random 16M float32 per call (K=20, one sync; GPU = timestamps); SM clock $(clk)"
for lib in old new old new; do
    echo "-- wgpy $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 40 python3 bench/h100/gpu_split.py 20 random 2>&1 | tail -3
done
echo "-- cupy (SM clock $(clk))"
timeout 40 python3 bench/h100/random_cupy.py 20 2>&1 | tail -4
echo "== 2. user-kernel variants of the block form, 16M (GPU ms per dispatch, K=20, each warmed 0.5 s)"
warm; WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 100 python3 bench/h100/rng13_variants.py $((16 << 20)) 20
echo "-- SM clock at the end: $(clk)"
