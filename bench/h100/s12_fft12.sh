#!/usr/bin/env bash
# bench/h100/s12_fft12.sh — task fft12 (docs/fft.md "On the H100"): FFT 2^20 complex64, rfft 2^22
# and random normal 16M per call, main's library (.cch/libwgpy_old.so) against the branch's
# (.cch/libwgpy_new.so: the workgroup kernels specialized per shape, the four-step's twiddles
# from two small tables) and CuPy, same call.
# Per call: K calls kept alive, one sync, one read, fastest of 3 rounds; GPU per dispatch shape
# with WGPY_GPU_TIMING=1.  Then variants of the new library: the four-step's split
# (WGPY_FFT_SPLIT = log2 of the column length), 4096-point tiles (WGPY_FFT_TILE, 32 KiB of
# workgroup memory), the workgroup arrays' bank swizzle (WGPY_FFT_SWIZZLE), the literals as
# argument words.  Most important first (the caller's limit may cut the tail).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
newv() { env "$@" PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
             WGPY_GPU_TIMING=1 timeout 20 python3 bench/h100/fft12_split.py 20 fft; }
echo "== 1. GPU per dispatch shape (WGPY_GPU_TIMING=1, K=20; per call figures include the timing's cost)"
for lib in old new; do
    echo "-- wgpy $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 30 python3 bench/h100/fft12_split.py 20
done
echo "== 2. per call, no GPU timing (K=20)"
for lib in old new; do
    echo "-- wgpy $lib"
    remote libwgpy_$lib.so timeout 30 python3 bench/h100/fft12_split.py 20 2>&1 | grep -v '^ '
done
timeout 30 python3 bench/h100/fft12_split.py 20 '' --cupy
echo "== 3. variants of the new library (GPU timing; default: split l1 = lg/2, i.e. 10 for 2^20 and rfft's 2^21; 2048-point tiles; no swizzle)"
for v in "WGPY_FFT_TILE=4096" "WGPY_FFT_SWIZZLE=1" "WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1" \
         "WGPY_FFT_SPLIT=9" "WGPY_FFT_SPLIT=11" "WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1 WGPY_FFT_SPLIT=9"; do
    echo "-- $v"
    newv $v
done
echo "-- literals as words (no shape constants: the twiddle tables alone)"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 20 python3 bench/h100/fft12_split.py 20 fft --words
echo "== 4. correctness on the GPU (new; 2048-point tiles, then 4096 with the swizzle): max error against numpy (complex128) / max |X|"
for t in 0 1; do
WGPY_FFT_TILE=$((2048 << t)) WGPY_FFT_SWIZZLE=$t remote libwgpy_new.so timeout 25 python3 - <<'PY'
import numpy as np, wgpy as wp
rng = np.random.default_rng(0)
for n in (1 << 20, 1 << 13, 1000):
    x = (rng.random(n) - .5 + 1j * (rng.random(n) - .5)).astype(np.complex64)
    ref = np.fft.fft(x.astype(np.complex128)); got = wp.fft.fft(wp.asarray(x)).get()
    r = (rng.random(4 * n) - .5).astype(np.float32)
    rr = np.fft.rfft(r.astype(np.float64)); gr = wp.fft.rfft(wp.asarray(r)).get()
    print('n=%d fft %.2e rfft(4n) %.2e' % (n, np.abs(got - ref).max() / np.abs(ref).max(),
                                       np.abs(gr - rr).max() / np.abs(rr).max()))
PY
done
echo "== 5. per call again (no timing): old, new, new with 4096-point tiles and the swizzle"
for lib in old new; do
    echo "-- wgpy $lib"
    remote libwgpy_$lib.so timeout 30 python3 bench/h100/fft12_split.py 20 fft 2>&1 | grep -v '^ '
done
WGPY_FFT_TILE=4096 WGPY_FFT_SWIZZLE=1 remote libwgpy_new.so timeout 30 python3 bench/h100/fft12_split.py 20 fft 2>&1 | grep -v '^ '
