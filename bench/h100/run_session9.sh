#!/usr/bin/env bash
# bench/h100/run_session9.sh — session 9's device figures in one call (carry .carry .gl .cch dist/data):
#  1. training per iteration (issue 12), PyTorch against Chainer on our cupy over webgpu, after the
#     inlined-writes fix (docs/architecture.md), batch 32 first and last;
#  2. the Mandelbrot kernel (issue 9) at 50, 500 and 2000 iterations, wgpy, CuPy, and CuPy with
#     64-thread blocks: per-iteration cost against fixed cost, and the workgroup size.
set -uo pipefail
W="$(ls .carry/dist/*.whl | head -1)"
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python3 bench/h100/mnist_digits.py
echo "== 1. training: PyTorch (CUDA)"
timeout 60 python3 bench/h100/torch_training.py
echo "== 1. training: Chainer on our cupy, webgpu (Node + Dawn), batches 32,100,32"
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 200 python3 bench/chainer_training.py --iters 10 --batches 32,100,32
echo "== 2. Mandelbrot kernel 1024^2: iterations 50, 500, 2000"
for it in 50 500 2000; do
    MANDEL_ITERS=$it timeout 60 scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy "build/m-wgpy-$it.json"
    MANDEL_ITERS=$it timeout 40 python3 bench/h100/kernel_bench.py cupy "build/m-cupy-$it.json"
    MANDEL_ITERS=$it timeout 40 python3 bench/h100/kernel_bench.py cupy-b64 "build/m-cupy64-$it.json"
done
