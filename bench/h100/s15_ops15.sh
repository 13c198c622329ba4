#!/usr/bin/env bash
# bench/h100/s15_ops15.sh — the host cost of one operation (issue 12: Chainer's training within 2x
# PyTorch; issue 15: tiny ops), main against this branch in one call (carry .carry .gl .cch
# dist/data).  old: main's python/ (BASE_DIR, default .cch/base; its js/src if there) with
# .cch/libwgpy_old.so; new: this checkout with .cch/libwgpy_new.so.  Rounds interleaved.
#  1. bench/tiny_ops.py on the cpu backend: µs an operation (results dropped: Python, ctypes and
#     the engine's recording only), old and new twice, new/old per row;
#  2. bench/h100/step_host.py: the Chainer step's host side alone (a null executor), CNN 32/100
#     and MLP 100, old and new twice;
#  3. training ms/iteration on the GPU (bench/h100/train_ms.py --split, webgpu: Node + Dawn),
#     MLP/CNN batch 32/100, PyTorch in the same call, two rounds (old, new, PyTorch);
#  4. cProfile of new's CNN 32 step (step_host.py --prof): where the host time still goes.
# S15_LOCAL=1 runs it here (SwiftShader, no device setup, small sizes) before the device does.
set -uo pipefail
R=$(pwd); mkdir -p build
if [ -z "${S15_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  python3 bench/h100/mnist_digits.py >/dev/null 2>&1
  TN=3000; TR=5; IT=30; WARM=4; MODELS=mlp,cnn; BATCHES=32,100; HI=60
else
  TN=1000; TR=3; IT=3; WARM=1; MODELS=mlp; BATCHES=32; HI=10  # SwiftShader: a CNN step takes seconds
fi
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
# sections 1-2 time CPU time (bench/tiny_ops.py, step_host.py): the same as the wall clock on an
# idle machine, and what stays meaningful on a loaded one (here, S15_LOCAL)
export BENCH_CLOCK=process
for f in .cch/libwgpy_old.so .cch/libwgpy_new.so; do [ -e $f ] || [ ! -f $f.xz ] || xz -dk $f.xz; done
BASE=${BASE_DIR:-$R/.cch/base}
OLD=; OLDROOT=$R
if [ -d "$BASE/python" ] && [ -e .cch/libwgpy_old.so ]; then
  OLD=old
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
  echo "(old: $BASE/python, js of $OLDROOT, libwgpy_old.so)"
else
  echo "(no baseline at BASE_DIR=$BASE: new only)"
fi
LIB=.cch/libwgpy_new.so; [ -e $LIB ] || LIB=build/native/libwgpy.so
SITE=
# the lead's carry may hold these compressed (.cch/site.tar.xz holds the site's contents)
[ -d .cch/site ] || [ ! -f .cch/site.tar.xz ] || { mkdir -p .cch/site && tar -xJf .cch/site.tar.xz -C .cch/site; }
for d in "${CHAINER_SITE:-}" "$R/.cch/site" "$BASE/../site" "$R/build/chainer/site"; do
  [ -n "$d" ] && [ -d "$d/chainer" ] && { SITE=$d; break; }
done
[ -n "$SITE" ] && echo "(chainer from $SITE)" || echo "(no chainer found (.cch/site, CHAINER_SITE): sections 2-4 will fail)"
# wg V BACKEND CMD...: V old (BASE's python, old engine) or new (this checkout)
wg() {
  local v=$1 b=$2; shift 2
  if [ $v = old ]; then
    WGPY_ROOT=$OLDROOT PYTHONPATH="$BASE/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" \
      WGPY_BACKEND=$b "$@"
  else
    PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$R/$LIB" WGPY_BACKEND=$b "$@"
  fi
}
T=$(mktemp -d)
echo "== 1. tiny ops, cpu backend (bench/tiny_ops.py $TN x best of $TR; µs an op; results dropped)"
for round in 1 2; do
  for v in $OLD new; do wg $v cpu timeout 60 python3 bench/tiny_ops.py $TN $TR > $T/tiny_$v$round 2>&1; done
done
python3 - "$T" $OLD <<'EOF'
import sys, os
d = sys.argv[1]
def rows(v):
    best = {}
    for r in (1, 2):
        p = os.path.join(d, 'tiny_%s%d' % (v, r))
        for line in open(p) if os.path.exists(p) else ():
            k, _, x = line.rpartition(' ')
            try:
                best[k] = min(best.get(k, 1e9), float(x))
            except ValueError:
                print('  ' + line.rstrip())
    return best
new = rows('new')
old = rows('old') if len(sys.argv) > 2 else {}
print('  %-14s %9s %9s %9s' % ('op', 'old us', 'new us', 'new/old'))
for k, v in new.items():
    o = old.get(k)
    print('  %-14s %9s %9.3f %9s' % (k, '%.3f' % o if o else '-', v, '%.2f' % (v / o) if o else '-'))
EOF
echo "== 2. the Chainer step's host side alone (step_host.py: null executor, median and min of $HI steps)"
for round in 1 2; do
  for v in $OLD new; do
    for mb in cnn:32 cnn:100 mlp:100; do
      echo -n "-- $v: "; wg $v webgpu timeout 60 python3 bench/h100/step_host.py ${mb%:*} ${mb#*:} $HI 2>&1 | grep -E "host issue|Error" | sed 's/; a step:.*//'
    done
  done
done
echo "== 3. training ms/iteration on the GPU (train_ms.py, median of $IT after $WARM; issue = Python's recording)"
for round in 1 2; do
  for v in $OLD new; do
    echo "-- $v"; wg $v webgpu timeout 90 python3 bench/h100/train_ms.py $IT $WARM $MODELS $BATCHES --split 2>&1 | grep -E "ms/iter|Error" | sed 's/; /\n   /g'
  done
  if [ -z "${S15_LOCAL:-}" ]; then echo "-- PyTorch"; timeout 60 python3 bench/h100/torch_training.py --iters $IT 2>&1 | grep -E "^\| [mc]"; fi
done
echo "== 4. new's CNN 32 step under cProfile (step_host.py --prof)"
TOP=20 wg new webgpu timeout 60 python3 bench/h100/step_host.py cnn 32 $HI --prof 2>&1 | grep -vE "cudnn|warn|^Please|^\(see|^$"
rm -rf "$T"
