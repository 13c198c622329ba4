#!/usr/bin/env bash
# bench/h100/s13_fft13.sh — task fft13 (docs/fft.md "Session 13"): fft 2^20 complex64 and rfft
# 2^22 float32, main's library (.cch/libwgpy_old.so) against the branch's (.cch/libwgpy_new.so),
# both through the branch's Python (only the .so differs), and cuFFT (CuPy) in the same call.  The
# branch: 4096-point tiles by default where the device's workgroup memory allows (the H100's 48
# KiB) with 256 threads (two radix-8 butterflies a thread a stage), the first stage fused into the
# load and the last into the store (5 barriers a pass for 2^10 points, 9 before), the swizzle
# always on, radix-8 twiddles from 3 table loads (WGPY_FFT_TW=7: all 7), rfft's unpack one point a
# thread from table twiddles (was a software sin/cos per value) and fused into the last pass
# (WGPY_FFT_RFUSE=0: separate).  Main's best is its
# WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1 (512 threads, one butterfly each).
# GPU time per dispatch shape with WGPY_GPU_TIMING=1 (K=20 calls, fastest of 3 rounds); per call
# (no timing) includes the read of the last result.  Most important first.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
run() { local lib="$1"; shift; env "$@" PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" \
            WGPY_BACKEND=webgpu timeout 40 python3 bench/h100/fft13.py 20 20 2>&1; }
echo "== 1. GPU time per call and per dispatch shape (WGPY_GPU_TIMING=1)"
echo "-- old (main, default)";                run libwgpy_old.so WGPY_GPU_TIMING=1
echo "-- old, WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1 (main's best)"; run libwgpy_old.so WGPY_GPU_TIMING=1 WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1
echo "-- new (default)";                      run libwgpy_new.so WGPY_GPU_TIMING=1
echo "-- new, WGPY_FFT_TW=7";                 run libwgpy_new.so WGPY_GPU_TIMING=1 WGPY_FFT_TW=7
echo "-- new, WGPY_FFT_RFUSE=0";              run libwgpy_new.so WGPY_GPU_TIMING=1 WGPY_FFT_RFUSE=0 | grep -A3 rfft
echo "-- cupy"; timeout 40 python3 bench/h100/fft13.py 20 20 --cupy 2>&1
echo "== 2. per call, no GPU timing (issue + sync + read of the last)"
echo "-- old best"; run libwgpy_old.so WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1 | grep -v '^  '
echo "-- new";      run libwgpy_new.so | grep -v '^  '
echo "== 3. new: the four-step's split (log2 of the column length; default 10 for both)"
for sp in 9 11; do echo "-- WGPY_FFT_SPLIT=$sp"; run libwgpy_new.so WGPY_GPU_TIMING=1 WGPY_FFT_SPLIT=$sp; done
echo "== 4. correctness on the GPU (new): max error against numpy complex128 / max |X|"
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
    timeout 40 python3 bench/h100/fft13.py 1 20 --check 2>&1
