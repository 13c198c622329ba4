#!/usr/bin/env bash
# bench/h100/s11_host11.sh — the host cost of one array operation (issues 15 and 12), this branch
# against main in one call, natively through the Node + Dawn host (carry .carry .gl .cch):
#   .cch/libwgpy_new.so  this branch's engine      .cch/libwgpy_old.so  main's
#  1. bench/launch_cost.py: µs per operation (tiny, mul, sum, relu, linear) and per launch (k3,
#     mlp), main's python/ + js/src (git archive main; without git: this checkout's, so only the
#     engine differs) with the old engine against this checkout with the new, interleaved;
#  2. bench/chainer_training.py (Chainer's MNIST MLP, ms/iteration) with either engine, and
#     Chainer on the real CuPy for reference.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
export OPENBLAS_NUM_THREADS=1
BASE=/tmp/s11-base; rm -rf $BASE; mkdir -p $BASE
if git archive main python js/src package.json 2>/dev/null | tar -x -C $BASE 2>/dev/null && [ -d $BASE/python ]; then
  echo "(baseline: main's python/ and js/src with libwgpy_old.so)"
else
  rm -rf $BASE/*; cp -r python js package.json $BASE/
  echo "(no git history here: the baseline is this checkout's python/ and js/ with main's engine)"
fi
ln -s "$R/node_modules" $BASE/node_modules
echo "== 1. launch_cost.py, baseline $BASE + libwgpy_old.so against this branch + libwgpy_new.so"
PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
  timeout 150 python3 bench/launch_cost.py --baseline $BASE --baseline-lib .cch/libwgpy_old.so \
  --rounds 5 --repeat 2 --only tiny,mul,sum,relu,linear,k3,mlp 2>&1 | tail -18
echo "== 2. Chainer MLP, ms/iteration (median of 10 after 3)"
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
for v in old new; do
  P="$R/python"; [ $v = old ] && P=$BASE/python
  echo "-- libwgpy_$v.so, $P"
  PYTHONPATH="$P:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_$v.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 60 python3 bench/chainer_training.py \
    --iters 10 --batches 32,100 --models mlp 2>&1 | grep "^| mlp"
done
echo "-- Chainer on the real CuPy"
PYTHONPATH="$R/.cch/site" PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 60 python3 \
  bench/chainer_training.py --iters 10 --batches 32,100 --models mlp 2>&1 | grep "^| mlp" | sed "s/wgpy cpu/real CuPy/"
