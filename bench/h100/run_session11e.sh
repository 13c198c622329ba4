#!/usr/bin/env bash
# bench/h100/run_session11e.sh — where a Chainer iteration goes on wgpy over the H100 (issue 12):
# bench/h100/train_profile.py for the CNN and the MLP (carry .carry/node.xz .carry/webgpu.tar.xz
# .gl .cch dist/data)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
python3 bench/h100/mnist_digits.py
for cfg in "cnn 32" "cnn 100" "mlp 32"; do
  set -- $cfg
  WGPY_GPU_TIMING=1 PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 150 python3 bench/h100/train_profile.py --model $1 --batch $2 --iters 10 --top 25 2>&1 | grep -v Warning | grep -v cudnn | grep -v "warnings.warn\|Please reinstall\|see https"
done
