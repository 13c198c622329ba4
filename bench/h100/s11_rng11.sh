#!/usr/bin/env bash
# bench/h100/s11_rng11.sh — task rng11 (docs/random.md): random numbers with every word of a
# Philox block (.cch/libwgpy_new.so) against main's one block per output (.cch/libwgpy_old.so)
# and CuPy (cuRAND) on the same GPU, then where the FFT's host time goes.  < 6 minutes.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. random, per call (20 calls then one sync): issue, sync, GPU timestamps"
for lib in old new; do
    echo "-- wgpy $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 90 python3 bench/h100/gpu_split.py 20 random
done
timeout 60 python3 bench/h100/random_cupy.py 20
echo "== 2. issue 11's random normal 16M (call + read; pipelined 10)"
for lib in old new; do
    echo "-- wgpy $lib"
    remote libwgpy_$lib.so timeout 60 python3 bench/issue11_bench.py --only random --pipelined 10
done
timeout 60 python3 bench/h100/issue11_cupy.py --only random --pipelined 10
echo "== 3. fft and a small op: host/GPU split (old, new: the kernel cache memo), then the host's profile of 200 calls"
for lib in old new; do
    echo "-- wgpy $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 60 python3 bench/h100/gpu_split.py 20 fft
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 60 python3 bench/h100/gpu_split.py 50 "x + 1"
done
remote libwgpy_new.so timeout 60 python3 - <<'PY'
import cProfile, pstats, time
import wgpy as wp
c = wp.sin(wp.arange(1 << 20, dtype='float32') * 0.01).astype('complex64')
wp.fft.fft(c); wp.sync()
pr = cProfile.Profile()
t0 = time.perf_counter()
pr.enable()
res = [wp.fft.fft(c) for _ in range(200)]
pr.disable()
t1 = time.perf_counter()
wp.sync()
t2 = time.perf_counter()
print('fft 2^20 x200 (profiled): issue %.3f ms/call, sync %.3f ms/call' % ((t1 - t0) * 5, (t2 - t1) * 5))
print('counters after:', {k: v for k, v in wp.counters().items() if v})
pstats.Stats(pr).sort_stats('tottime').print_stats(14)
PY
