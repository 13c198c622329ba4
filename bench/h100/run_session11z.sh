#!/usr/bin/env bash
# bench/h100/run_session11z.sh PART — a session's closing device figures (sessions 11-13), main after the merges
# (.cch/libwgpy_new.so; main at the session's start: .cch/libwgpy_old.so with .cch/base's python
# and js/src). Carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data.
#   A: sort, scans, gather, issue 11 (solve, cholesky, random, fft) against CuPy
#   B: training (PyTorch, Chainer on wgpy, Chainer on the real CuPy), host cost per launch
#   C: random and fft per call (issue, sync, GPU) and CuPy's random
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
# the H100 idles at ~345 MHz and ramps to ~1980 under load (session 13's mid-way call measured its
# first scripts at the low clock): two seconds of matmuls first, and the clock printed
timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), 'float32'); t = time.time()
while time.time() - t < 2: a @ a
cp.cuda.Device().synchronize()" >/dev/null 2>&1
echo "SM clock after the warm-up: $(nvidia-smi --query-gpu=clocks.sm --format=csv,noheader)"
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
if [ "${1:-A}" = A ]; then
  echo "== sort (bench/sort.py radix, best of 5) and CuPy"
  remote libwgpy_new.so timeout 60 python3 bench/sort.py --path radix --reps 5 1048576 16777216 | tee /tmp/w_sort.txt
  timeout 30 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/c_sort.txt
  python3 bench/h100/sort_ratio.py /tmp/w_sort.txt /tmp/c_sort.txt
  remote libwgpy_new.so timeout 40 python3 bench/h100/radix_check.py 16777216
  echo "== scans (differential rounds) and CuPy"
  remote libwgpy_new.so timeout 60 python3 bench/h100/scan_bench.py
  timeout 60 python3 bench/h100/scan_bench.py --cupy
  echo "== 1M gather and CuPy"
  remote libwgpy_new.so timeout 40 python3 bench/h100/gather_bench.py
  PYTHONPATH="$R/bench/h100" timeout 40 python3 bench/h100/gather_bench.py --cupy
  echo "== issue 11 (pipelined 10) and CuPy"
  for w in olv chol random fft; do
    remote libwgpy_new.so timeout 90 python3 bench/issue11_bench.py --only $w --pipelined 10 2>&1 | grep -v "^$" | tail -6
  done
  for w in olv chol random fft; do timeout 60 python3 bench/h100/issue11_cupy.py --only $w --pipelined 10 2>&1 | tail -4; done
  echo "== GPU time per dispatch shape (profile_calls.py)"
  WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 150 python3 bench/h100/profile_calls.py --top 4
  timeout 100 python3 bench/h100/profile_calls.py --cupy
elif [ "$1" = C ]; then
  echo "== random and fft per call (20 calls, one sync): issue, sync, GPU; CuPy's random"
  WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 90 python3 bench/h100/gpu_split.py 20 random
  WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 60 python3 bench/h100/gpu_split.py 20 fft
  timeout 60 python3 bench/h100/random_cupy.py 20
else
  echo "== training: PyTorch, Chainer on wgpy (webgpu), Chainer on the real CuPy"
  python3 bench/h100/mnist_digits.py
  timeout 60 python3 bench/h100/torch_training.py 2>&1 | grep "^|"
  PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python remote libwgpy_new.so timeout 200 python3 bench/chainer_training.py --iters 10 --batches 32,100 2>&1 | grep "^|"
  PYTHONPATH="$R/.cch/site" PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 120 python3 bench/chainer_training.py --iters 10 --batches 32,100 2>&1 | sed "s/wgpy cpu/real CuPy/" | grep "^|"
  echo "== host cost per launch: main at the session's start (.cch/base + libwgpy_old.so) against this"
  [ -e .cch/base/node_modules ] || ln -s "$R/node_modules" .cch/base/node_modules
  PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
    timeout 100 python3 bench/launch_cost.py --baseline .cch/base --baseline-lib .cch/libwgpy_old.so \
    --rounds 4 --repeat 1 2>&1 | tail -16
fi
