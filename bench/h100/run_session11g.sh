#!/usr/bin/env bash
# bench/h100/run_session11g.sh — the Node host's JavaScript profile over Chainer CNN iterations on
# the H100 (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
python3 bench/h100/mnist_digits.py
printf '#!/bin/sh\nexec node --cpu-prof --cpu-prof-interval 100 --cpu-prof-dir=/tmp/prof "$@"\n' > /tmp/nodeprof; chmod +x /tmp/nodeprof
rm -rf /tmp/prof
ITERS=40 BATCH=32 NODE=/tmp/nodeprof PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
  PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 200 python3 bench/h100/cnn_iters.py 2>&1 | grep misses | tail -3
sleep 1
python3 bench/h100/cpuprof_top.py /tmp/prof/*.cpuprofile 45
cp /tmp/prof/*.cpuprofile $OUT/ 2>/dev/null
