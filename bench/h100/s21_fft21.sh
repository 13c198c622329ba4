#!/usr/bin/env bash
# bench/h100/s21_fft21.sh — issue 11's FFT: the workgroup passes against copies of their shape.
#   1. fft21_access.mjs: copies of 2^20 complex64 through workgroup tiles of 4096/2048/1024 points
#      and 256-1024 threads, the passes' strided runs, and a plain point-a-thread copy (the floor)
#   2. the engine's fft 2^20 c64 (bench/h100/fft15.py, GPU ms of each pass by timestamps) with its
#      default tile (4096 points, 512 threads on the H100) and with WGPY_FFT_LGP=11 (2048 points),
#      its copy row (x + 1 of the same bytes), and cuFFT's (CUDA events)
#   [S21_ROUNDS=1] bash bench/h100/s21_fft21.sh      (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
xz -dc .cch/l21/main.so.xz > /tmp/lib_main.so
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
fft() { warm; env "$@" WGPY_GPU_TIMING=ids PYTHONPATH="$R/python" WGPY_LIBRARY=/tmp/lib_main.so WGPY_BACKEND=webgpu \
          timeout 60 python3 bench/h100/fft15.py 20 20 fft,copy 2>&1 | sed "s/^/  $* /"; }
echo "== 1. fft21_access.mjs"; warm; timeout 100 node bench/h100/fft21_access.mjs 2>&1
for r in $(seq ${S21_ROUNDS:-2}); do
  echo "== 2. round $r: the engine's fft 2^20 (default, then WGPY_FFT_LGP=11), cuFFT"
  fft WGPY_FFT_X=0; fft WGPY_FFT_LGP=11
  warm; timeout 40 python3 bench/h100/fft15.py 20 20 fft,copy --cupy 2>&1 | sed 's/^/  cupy /'
done
nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
