#!/usr/bin/env bash
# bench/h100/run_session10b.sh — where the host's and the GPU's time go per call (gpu_split.py), the
# fixed-shape loops before/after the counted form, and the training step's baseline for this
# session (carry .carry .gl .cch dist/data).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. host and GPU time per call"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 200 python3 bench/h100/gpu_split.py 20
echo "== 2. sum and matmul, loops before/after"
for v in old new old new; do echo "-- $v"; remote "libwgpy_$v.so" timeout 60 python3 bench/h100/loop_guard_ab.py; done
echo "== 3. training: PyTorch, then Chainer on our cupy over webgpu"
python3 bench/h100/mnist_digits.py
timeout 60 python3 bench/h100/torch_training.py
PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python remote libwgpy_new.so timeout 200 python3 bench/chainer_training.py --iters 10 --batches 32,100
