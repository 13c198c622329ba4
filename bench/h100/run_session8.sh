#!/usr/bin/env bash
# bench/h100/run_session8.sh — session 8's device figures in one call (carry .carry .gl .cch dist/data):
#  1. the Mandelbrot ElementwiseKernel (issue 9): literals as shader constants (wgpy), as argument
#     words (wgpy-words, the generator before), and CuPy, alternating;
#  2. random normal and the FFTs against CuPy (issue 11), and the FFT's two paths (per-pass
#     launches against the workgroup passes);
#  (and sort: radix and tiles against CuPy, issue 10);
#  3. the training iteration (issue 12): PyTorch on CUDA against Chainer on our cupy over webgpu.
# Each step has its own time limit so that one slow step cannot eat the others.
set -uo pipefail
W="$(ls .carry/dist/*.whl | head -1)"
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
echo "== 1. Mandelbrot kernel 1024^2 x500"
for i in 1 2; do
    timeout 60 scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy "build/k-wgpy-$i.json"
    timeout 60 scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy-words "build/k-words-$i.json"
    timeout 40 python3 bench/h100/kernel_bench.py cupy "build/k-cupy-$i.json"
done
python3 - <<'PY'
import glob, json, statistics
def med(p):
    r = [json.load(open(f)) for f in sorted(glob.glob(p))]
    return (statistics.median(x['seconds'] for x in r), {x['count_sum'] for x in r}) if r else (None, set())
(w, cw), (o, co), (c, cc) = med('build/k-wgpy-*.json'), med('build/k-words-*.json'), med('build/k-cupy-*.json')
if w and o and c:
    print('Mandelbrot: wgpy (constants) %.3f ms, wgpy (words) %.3f ms, CuPy %.3f ms; CuPy/wgpy %.3f '
          '(goal >= 1.0), words/constants %.3f; counts %s %s %s' % (w*1e3, o*1e3, c*1e3, c/w, o/w, cw, co, cc))
PY
echo "== sort (radix, tiles, auto) against CuPy (issue 10: goal >= 0.5)"
timeout 150 scripts/wgpy --wheel "$W" --backend webgpu run bench/sort.py --path radix,tiles \
    1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
echo "== 2. random and FFT, wgpy (webgpu over Dawn)"
timeout 90 scripts/wgpy --wheel "$W" --backend webgpu run bench/issue11_bench.py --only random --json build/r-wgpy.json
timeout 60 python3 bench/issue11_bench.py --cupy --only random --json build/r-cupy.json
python3 bench/issue11_bench.py --compare build/r-wgpy.json build/r-cupy.json
timeout 120 scripts/wgpy --wheel "$W" --backend webgpu run bench/fft_bench.py --path both
timeout 60 python3 bench/fft_bench.py --cupy
echo "== 3. training: PyTorch (CUDA)"
timeout 60 python3 bench/h100/torch_training.py
echo "== 3. training: Chainer on our cupy, webgpu (Node + Dawn)"
python3 bench/h100/mnist_digits.py
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 200 python3 bench/chainer_training.py --iters 10
