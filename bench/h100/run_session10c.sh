#!/usr/bin/env bash
# bench/h100/run_session10c.sh — session 10's closing device figures (carry .carry .gl .cch dist/data):
#  1. issue 9's figure as run_kernels.sh gives it: the Mandelbrot ElementwiseKernel in Pyodide on
#     Node over Dawn (the wheel in .carry/dist) against CuPy, rounds of 10 and 100 launches;
#  2. training (issue 12): PyTorch, Chainer on our cupy over webgpu, and Chainer on the real CuPy
#     (how much of a step is Chainer's own Python);
#  3. host against GPU per call; sort; scans; issue 11 (solve, cholesky) — after the session's
#     merges (host cost per launch, the radix sort, blocked factorizations).
set -uo pipefail
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. Mandelbrot kernel (run_kernels.sh, REPEAT=2)"
REPEAT=2 timeout 240 bash bench/h100/run_kernels.sh 2>&1 | grep -E "Mandelbrot|mandelbrot"
echo "== 1b. host cost per launch (bench/launch_cost.py: this checkout against .carry/baseline, session 10's start)"
cp .cch/libwgpy_new.so .cch/libwgpy.so
PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu \
    timeout 150 python3 bench/launch_cost.py --baseline .carry/baseline --rounds 4 --repeat 2 2>&1 | tail -30
echo "== 2. training"
python3 bench/h100/mnist_digits.py
timeout 60 python3 bench/h100/torch_training.py 2>&1 | grep "^|"
PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python remote libwgpy_new.so timeout 200 python3 bench/chainer_training.py --iters 10 --batches 32,100 2>&1 | grep "^|"
echo "-- Chainer on the real CuPy (cupy $(python3 -c 'import cupy; print(cupy.__version__)'))"
PYTHONPATH="$R/.cch/site" PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 120 python3 bench/chainer_training.py --iters 10 --batches 32,100 2>&1 | sed "s/wgpy cpu/real CuPy/" | tail -8
