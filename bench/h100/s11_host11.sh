#!/usr/bin/env bash
# bench/h100/s11_host11.sh — the host cost of one array operation (issues 15 and 12), this branch
# against main in one call, natively through the Node + Dawn host (carry .carry .gl .cch):
#   .cch/libwgpy_new.so  this branch's engine      .cch/libwgpy_old.so  main's
#  1. bench/launch_cost.py: µs per operation (tiny, mul, relu, linear) and per launch (k3, mlp),
#     by layer: main's python/ + js/src (.carry/s11-base or .cch/base if there, else git archive
#     main; without any, this checkout's: then only the engine differs) with the old engine, against this
#     checkout with the new; fresh processes, interleaved;
#  2. bench/chainer_training.py (Chainer's MNIST MLP, ms/iteration) with either, and Chainer on
#     the real CuPy for reference.
# At most ~280 s (its timeouts), typically about half: the most telling first.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
export OPENBLAS_NUM_THREADS=1
BASE=/tmp/s11-base; rm -rf $BASE; mkdir -p $BASE
if [ -d .carry/s11-base/python ]; then
  cp -r .carry/s11-base/. $BASE/; echo "(baseline: .carry/s11-base with libwgpy_old.so)"
elif [ -d .cch/base/python ]; then
  cp -r .cch/base/. $BASE/; echo "(baseline: .cch/base, main at the session's start, with libwgpy_old.so)"
elif git archive main python js/src package.json 2>/dev/null | tar -x -C $BASE 2>/dev/null && [ -d $BASE/python ]; then
  echo "(baseline: main's python/ and js/src with libwgpy_old.so)"
else
  rm -rf $BASE/*; cp -r python js package.json $BASE/
  echo "(no git history: the baseline is this checkout's python/ and js/ with main's engine)"
fi
[ -d $BASE/js ] || cp -r js $BASE/   # (a baseline of python/ alone runs this checkout's host)
[ -e $BASE/package.json ] || cp package.json $BASE/
[ -e $BASE/node_modules ] || ln -s "$R/node_modules" $BASE/node_modules
echo "== 1. launch_cost.py: baseline + libwgpy_old.so, then this branch + libwgpy_new.so"
PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
  timeout 150 python3 bench/launch_cost.py --baseline $BASE --baseline-lib .cch/libwgpy_old.so \
  --rounds 4 --repeat 2 --only tiny,mul,relu,linear,k3,mlp 2>&1 | tail -22
echo "== 2. Chainer MLP, ms/iteration (median of 8 after 3)"
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
for v in new old; do
  P="$R/python"; [ $v = old ] && P=$BASE/python
  echo "-- libwgpy_$v.so, $P"
  PYTHONPATH="$P:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_$v.so" WGPY_BACKEND=webgpu \
    PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 60 python3 bench/chainer_training.py \
    --iters 8 --batches 32,100 --models mlp 2>&1 | grep "^| mlp"
done
echo "-- Chainer on the real CuPy"
PYTHONPATH="$R/.cch/site" PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python timeout 40 python3 \
  bench/chainer_training.py --iters 8 --batches 32,100 --models mlp 2>&1 | grep "^| mlp" | sed "s/wgpy cpu/real CuPy/"
