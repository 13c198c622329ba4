#!/usr/bin/env bash
# bench/h100/s20_dev20.sh — session 20's second device call: s20_sum20.sh (the sum kernel's
# variants), then issue 12's training step against PyTorch with the drift within a process shown:
# sorts back to back (sort_rate.py) against CuPy; s20_main20.sh found each call's first round slower (CNN 32: 3.90 ms, then 2.64-3.12), so each
# process times 60 steps after 4 and prints the medians of three windows of 20 (PyTorch alike).
#   on the device: bash bench/h100/run_branches.sh 560 dev20
set -uo pipefail
R=$(pwd)
bash bench/h100/s20_sum20.sh 2>&1 | grep -v "^ - \|^$"
xz -dc "$(dirname "$(readlink -f .carry)")/.cch/br/dev20/libwgpy_fastops.so.xz" > .cch/libwgpy_fastops.so
. bench/h100/setup_device.sh
ROUNDS=${ROUNDS:-3}
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
LIB=$R/.cch/libwgpy_new.so
[ -d .cch/site ] || [ ! -f .cch/site.tar.xz ] || { mkdir -p .cch/site && tar -xJf .cch/site.tar.xz -C .cch/site; }
SITE=$R/.cch/site
warm() {
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
}
echo "== sorts back to back (sort_rate.py: 10 calls, one read after the last; best of 5), wgpy then CuPy"
warm; PYTHONPATH="$R/python" WGPY_LIBRARY="$LIB" WGPY_BACKEND=webgpu timeout 120 python3 bench/h100/sort_rate.py 10 5 2>&1 | grep "a call"
warm; timeout 60 python3 bench/h100/sort_rate.py --cupy 10 5 2>&1 | grep "a call"
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
echo "== training ms/iteration: median of 60 steps after 4 [medians of steps 5-24, 25-44, 45-64]"
for r in $(seq 1 $ROUNDS); do
  echo "-- round $r"
  warm; timeout 90 python3 bench/h100/torch_training.py --iters 60 --warm 4 --windows 3 2>&1 | grep -E "^\| [mc]"
  warm; PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$LIB" WGPY_BACKEND=webgpu \
    timeout 120 python3 bench/h100/train_ms.py 60 4 mlp,cnn 32,100 --split --windows=3 2>&1 | grep -E "ms/iter|Error" | sed 's/; /\n   /g'
done
