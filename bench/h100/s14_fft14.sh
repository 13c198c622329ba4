#!/usr/bin/env bash
# bench/h100/s14_fft14.sh — task fft14 (issue 11: FFT >= 0.8 of cuFFT; docs/fft.md "Session 14"):
# .cch/libwgpy_old.so (main) against .cch/libwgpy_new.so (the fft14 branch), both through this
# checkout's Python and JS (only the .so differs), and cuFFT (CuPy) in the same call.  GPU time a
# call and per kernel (WGPY_GPU_TIMING=ids: the four-step's two passes apart), K=20 calls, the
# fastest of 3 rounds, for fft 2^20 complex64, rfft and irfft 2^22, fft2 1024^2.  The GPU idles at
# 345 MHz: the call warms it first and interleaves old and new.  The new library's A/B switches
# (env, read by api/fft.c): WGPY_FFT_CHECKED=1 (session 13's range-checked loads and stores in the
# WGSL), WGPY_FFT_NT=512 (512 threads a 4096-point tile, one radix-8 butterfly a thread a stage),
# WGPY_FFT_LGP=11 (2048-point tiles), WGPY_FFT_RFUSE=0 (rfft's separate unpack).  Most important first.
set -uo pipefail
# a local check of this script (SwiftShader, small sizes): FFT14_LOCAL=1 FFT14_LG=10 FFT14_FLAGS=--gpu-like
[ -n "${FFT14_LOCAL:-}" ] || . bench/h100/setup_device.sh
R=$(pwd) K=${FFT14_K:-20} LG=${FFT14_LG:-20} F=${FFT14_FLAGS:-}
timeout 20 python3 - <<'PY' 2>&1 | tail -1
import time, cupy as cp
x = cp.ones(1 << 22, dtype=cp.complex64); t = time.time()
while time.time() - t < 1.5:
    cp.fft.fft(x)
cp.cuda.Device().synchronize(); print('warmed')
PY
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
t0=$SECONDS
gt() { local lib="$1" cases="$2"; shift 2
       env "$@" WGPY_GPU_TIMING=ids PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" \
           WGPY_BACKEND=webgpu timeout 40 python3 bench/h100/fft14.py $K $LG "$cases" $F 2>&1; }
echo "== 1. GPU ms a call and per kernel (k<id>: the executor's kernel), interleaved"
for round in 1 2; do
    echo "-- old, round $round"; gt libwgpy_old.so fft,rfft,irfft,fft2
    echo "-- new, round $round"; gt libwgpy_new.so fft,rfft,irfft,fft2
done
echo "-- cupy"; timeout 40 python3 bench/h100/fft14.py $K $LG --cupy 2>&1
echo "== 2. new's A/B switches (fft 2^20, rfft 2^22)"
echo "-- new, WGPY_FFT_CHECKED=1 (session 13's range checks)"; gt libwgpy_new.so fft,rfft WGPY_FFT_CHECKED=1
echo "-- new, WGPY_FFT_NT=512"; gt libwgpy_new.so fft,rfft,irfft WGPY_FFT_NT=512
echo "-- new, WGPY_FFT_LGP=11"; gt libwgpy_new.so fft,rfft WGPY_FFT_LGP=11
echo "-- new, WGPY_FFT_NT=512 WGPY_FFT_RFUSE=0"; gt libwgpy_new.so rfft WGPY_FFT_NT=512 WGPY_FFT_RFUSE=0
echo "-- new again"; gt libwgpy_new.so fft,rfft
echo "(section 1-2: $((SECONDS - t0)) s)"
echo "== 3. per call, no GPU timing (issue + sync + read of the last)"
for lib in old new; do
    echo "-- $lib"; env PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_$lib.so" \
        WGPY_BACKEND=webgpu timeout 40 python3 bench/h100/fft14.py $K $LG fft,rfft $F 2>&1
done
echo "-- cupy"; timeout 40 python3 bench/h100/fft14.py $K $LG fft,rfft --cupy 2>&1
echo "== 4. correctness on the GPU: max error against numpy complex128 / max |X| (fft, ifft, rfft, irfft, fft2)"
for v in "" "WGPY_FFT_NT=512"; do
    echo "-- new $v"; env $v PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" \
        WGPY_BACKEND=webgpu timeout 60 python3 bench/h100/fft14.py 1 $LG --check $F 2>&1 | tail -4
done
echo "(total $((SECONDS - t0)) s)"
