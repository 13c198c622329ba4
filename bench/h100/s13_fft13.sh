#!/usr/bin/env bash
# bench/h100/s13_fft13.sh — task fft13 (docs/fft.md "Session 13"): fft 2^20 complex64 and rfft
# 2^22 float32, .cch/libwgpy_old.so (main before the session's merges) against
# .cch/libwgpy_new.so (main after them, or the fft13 branch), both through this checkout's Python
# (only the .so differs), and cuFFT (CuPy) in the same call.  The GPU idles at 345 MHz and ramps to
# 1980 under load, so the call first warms it (~1.5 s of back-to-back FFTs) and interleaves old
# and new rounds.  GPU time per dispatch shape with WGPY_GPU_TIMING=1 (K=20 calls, fastest of 3
# rounds); per call (no timing) includes the read of the last result.  Most important first.
# Mid-way call (17:05, fft13's branch; /work/h100/fft13.txt, the GPU partly at 345 MHz): GPU a
# call fft 2^20 old 0.0805 / old best (WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1) 0.0677 / new 0.0667
# ms, rfft 2^22 0.287 / 0.259 / 0.182 (0.176 with WGPY_FFT_RFUSE=0); cuFFT 0.0183 / 0.0448.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
run() { local lib="$1"; shift; env "$@" PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" \
            WGPY_BACKEND=webgpu timeout 40 python3 bench/h100/fft13.py 20 20 2>&1; }
timeout 20 python3 - <<'PY' 2>&1 | tail -1
import time, cupy as cp
x = cp.ones(1 << 22, dtype=cp.complex64); t = time.time()
while time.time() - t < 1.5:
    cp.fft.fft(x)
cp.cuda.Device().synchronize(); print('warmed')
PY
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
echo "== 1. GPU time per call and per dispatch shape (WGPY_GPU_TIMING=1), interleaved"
for round in 1 2; do
    echo "-- old, round $round";  run libwgpy_old.so WGPY_GPU_TIMING=1
    echo "-- new, round $round";  run libwgpy_new.so WGPY_GPU_TIMING=1
done
echo "-- cupy"; timeout 40 python3 bench/h100/fft13.py 20 20 --cupy 2>&1
echo "-- new, WGPY_FFT_RFUSE=0 (rfft's unpack as its own launch)"; run libwgpy_new.so WGPY_GPU_TIMING=1 WGPY_FFT_RFUSE=0 | grep -A3 rfft
echo "== 2. per call, no GPU timing (issue + sync + read of the last), interleaved"
for round in 1 2; do
    echo "-- old, round $round"; run libwgpy_old.so | grep -v '^  '
    echo "-- new, round $round"; run libwgpy_new.so | grep -v '^  '
done
echo "-- new, WGPY_FFT_RFUSE=0"; run libwgpy_new.so WGPY_FFT_RFUSE=0 | grep rfft
echo "-- cupy"; timeout 40 python3 bench/h100/fft13.py 20 20 --cupy 2>&1
echo "== 3. correctness on the GPU (new): max error against numpy complex128 / max |X|"
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
    timeout 40 python3 bench/h100/fft13.py 1 20 --check 2>&1
