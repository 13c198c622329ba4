#!/usr/bin/env bash
# bench/h100/run_session11f.sh — a Chainer iteration on wgpy over the H100 before (.cch/base:
# main at the session's start, .cch/libwgpy_old.so) and after (this checkout, libwgpy_new.so),
# bench/h100/train_profile.py (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
python3 bench/h100/mnist_digits.py
for cfg in "cnn 32" "cnn 100" "mlp 32"; do
  set -- $cfg
  for which in old new; do
    py="$R/python"; [ $which = old ] && py="$R/.cch/base/python"
    echo "== $which"
    WGPY_GPU_TIMING=1 PYTHONPATH="$py:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_$which.so" WGPY_BACKEND=webgpu \
      PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 150 python3 bench/h100/train_profile.py --model $1 --batch $2 --iters 10 --top ${TOP:-6} 2>&1 | grep -v "Warning\|cudnn\|warnings.warn\|Please reinstall\|see https"
  done
done
