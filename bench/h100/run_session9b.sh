#!/usr/bin/env bash
# bench/h100/run_session9b.sh — session 9's second device call (carry .carry .gl .cch dist/data):
#  1. the Mandelbrot kernel (issue 9) with and without options=('--fmad=true',) on wgpy (native
#     CPython through the Node + Dawn host) and CuPy, 500 and 2000 iterations;
#  2. sort/argsort and cumsum against CuPy (issue 10), after the radix pass changes;
#  3. training per iteration (issue 12) against PyTorch.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
W="$R/python:$R/.cch/site"
wg() { PYTHONPATH="$W" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python "$@"; }
echo "== 1. Mandelbrot kernel 1024^2"
for it in 500 2000; do
    for v in wgpy wgpy-fmad; do MANDEL_ITERS=$it wg timeout 60 python3 bench/h100/kernel_bench.py $v "build/f-$v-$it.json"; done
    for v in cupy cupy-fmad; do MANDEL_ITERS=$it timeout 40 python3 bench/h100/kernel_bench.py $v "build/f-$v-$it.json"; done
done
echo "== 2. sort and scans against CuPy"
wg timeout 150 python3 bench/sort.py --path radix,tiles 1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
wg timeout 90 python3 bench/h100/scan_bench.py 2>&1 | tail -8; timeout 40 python3 bench/h100/scan_bench.py --cupy 2>&1 | tail -8
echo "== 3. training"
python3 bench/h100/mnist_digits.py
timeout 60 python3 bench/h100/torch_training.py
wg timeout 200 python3 bench/chainer_training.py --iters 10 --batches 100,32
