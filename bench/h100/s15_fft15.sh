#!/usr/bin/env bash
# bench/h100/s15_fft15.sh — task fft15 (issue 11: FFT >= 0.8 of cuFFT; docs/fft.md "Session 15").
# old: main's engine (.cch/libwgpy_old.so) through main's python/ and js/src (.cch/base, as
# s14_host14.sh; this checkout's if absent); new: the fft15 branch (.cch/libwgpy_new.so, this
# checkout's python/ and js/); cuFFT (CuPy) in the same call.  GPU ms a call and per kernel
# (WGPY_GPU_TIMING=ids: the four-step's two passes apart), K=20 calls, fastest of 3 rounds, old and
# new interleaved after a warm-up (the GPU idles at 345 MHz).  Cases (bench/h100/fft15.py): fft and
# ifft 2^20 complex64, rfft and irfft 2^22 float32, fft2 1024^2, batched rows (1024 x 1024: one
# pass, the radix-16 first stage; 512 x 2048: the radix-32 first stage).  new's A/B aids (env, read
# by api/fft.c): WGPY_FFT_R16=0 / WGPY_FFT_R32=0 (the radix-2 / radix-4 first stages of main),
# WGPY_FFT_RFUSE=0 (rfft's separate unpack), WGPY_FFT_LGP=11 (2048-point tiles), WGPY_FFT_NT=256
# (two butterflies a thread), WGPY_FFT_TWINC=1 (the four-step's twiddles by products, off by
# default).  Then the GPU's errors, then per-call times.  Most telling first.
# Here (SwiftShader, small sizes): S15_LOCAL=1 bash bench/h100/s15_fft15.sh
set -uo pipefail
R=$(pwd)
if [ -z "${S15_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  K=${S15_K:-20} LG=${S15_LG:-20} F= ALL=fft,rfft,irfft,fft2,ifft,batch,batch2k T=40
  timeout 20 python3 - <<'PY' 2>&1 | tail -1
import time, cupy as cp
x = cp.ones(1 << 22, dtype=cp.complex64); t = time.time()
while time.time() - t < 1.5:
    cp.fft.fft(x)
cp.cuda.Device().synchronize(); print('warmed')
PY
  nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
else  # SwiftShader: the GPU's kernels (--gpu-like: workgroup path, 4096-point tiles), tiny sizes
  K=${S15_K:-2} LG=${S15_LG:-8} F=--gpu-like ALL=fft,rfft,batch2k T=300
fi
BASE=${BASE_DIR:-$R/.cch/base} OLDROOT=$R OLDPY=$R/python
if [ -d "$BASE/python" ]; then
  OLDPY=$BASE/python
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
fi
echo "(old: $OLDPY, js of $OLDROOT, .cch/libwgpy_old.so; new: this checkout, .cch/libwgpy_new.so)"
t0=$SECONDS
# run V CASES [ENV...] [-- ARGS]: V old or new; GPU timestamps per kernel
run() { local v=$1 cases=$2; shift 2
  if [ $v = old ]; then
    env "$@" WGPY_GPU_TIMING=ids WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" \
      WGPY_BACKEND=webgpu timeout $T python3 bench/h100/fft15.py $K $LG "$cases" $F 2>&1
  else
    env "$@" WGPY_GPU_TIMING=ids PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" \
      WGPY_BACKEND=webgpu timeout $T python3 bench/h100/fft15.py $K $LG "$cases" $F 2>&1
  fi; }
echo "== 1. GPU ms a call and per kernel (k<id>: the executor's kernel), old and new interleaved"
for round in 1 2; do
  echo "-- old, round $round"; run old $ALL
  echo "-- new, round $round"; run new $ALL
done
[ -z "${S15_LOCAL:-}" ] && { echo "-- cupy"; timeout 40 python3 bench/h100/fft15.py $K $LG $ALL --cupy 2>&1; }
echo "(section 1: $((SECONDS - t0)) s)"
echo "== 2. new's A/B aids (fft, rfft, batch2k)"
echo "-- new, WGPY_FFT_R16=0 WGPY_FFT_R32=0 (main's first stages)"; run new fft,rfft,batch2k WGPY_FFT_R16=0 WGPY_FFT_R32=0
echo "-- new, WGPY_FFT_R32=0 (radix 16 only)"; run new rfft,batch2k WGPY_FFT_R32=0
echo "-- new, WGPY_FFT_RFUSE=0 (separate unpack)"; run new rfft WGPY_FFT_RFUSE=0
echo "-- new, WGPY_FFT_LGP=11 (2048-point tiles, 256 threads)"; run new fft,rfft WGPY_FFT_LGP=11
echo "-- new, WGPY_FFT_TWINC=1 (the four-step's twiddles by products)"; run new fft,rfft WGPY_FFT_TWINC=1
echo "-- new, WGPY_FFT_NT=256 (two butterflies a thread)"; run new fft,rfft WGPY_FFT_NT=256
echo "-- new again"; run new fft,rfft,batch2k
echo "(sections 1-2: $((SECONDS - t0)) s)"
echo "== 3. correctness on the GPU: largest error against numpy complex128 / max |X|"
PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
  timeout $((T + 20)) python3 bench/h100/fft15.py 1 $LG --check $F 2>&1 | tail -4
echo "(sections 1-3: $((SECONDS - t0)) s)"
[ -n "${S15_LOCAL:-}" ] || [ $((SECONDS - t0)) -lt 120 ] || { echo "(section 4 skipped: time)"; exit 0; }
echo "== 4. per call, no GPU timing (issue + sync + read of the last)"
for v in old new; do
  echo "-- $v"
  if [ $v = old ]; then
    WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" WGPY_BACKEND=webgpu \
      timeout $T python3 bench/h100/fft15.py $K $LG fft,rfft $F 2>&1
  else
    PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
      timeout $T python3 bench/h100/fft15.py $K $LG fft,rfft $F 2>&1
  fi
done
[ -z "${S15_LOCAL:-}" ] && { echo "-- cupy"; timeout 40 python3 bench/h100/fft15.py $K $LG fft,rfft --cupy 2>&1; }
echo "(total $((SECONDS - t0)) s)"
