#!/usr/bin/env bash
# bench/h100/s16_host16.sh — issue 12: Chainer's MNIST CNN step within 2x PyTorch's time.  Main at
# the session's start (old: .cch/base/python + its js/src, .cch/libwgpy_old.so) against this branch
# (new: python/, js/src, .cch/libwgpy_new.so), interleaved, two rounds, within 150 s:
#  1. the step's host side alone (bench/h100/step_host.py: a null executor, CPU time of the Python
#     process), CNN 32 / CNN 100 / MLP 100: median and min ms a step, new/old;
#  2. training ms/iteration on the GPU (bench/h100/train_ms.py --split: webgpu through the Node
#     host, run ahead on), MLP/CNN batch 32/100, PyTorch first in each round (torch_training.py),
#     then old and new; ratio to PyTorch per row.
# What confirms the branch: section 1's new/old <= ~0.67 for CNN (1.5x cheaper) and ~<= 1 for MLP;
# section 2's CNN rows <= 2.0x PyTorch in both rounds.  3. new's CNN 32 with WGPY_MAX_IN_FLIGHT=1 and
# with run ahead off (what the Node host's per-chunk cost is worth); 4. cProfile of new's CNN 32 step.
# S16_LOCAL=1 runs it here (SwiftShader, no device setup, small sizes: MLP only in section 2).
set -uo pipefail
R=$(pwd); mkdir -p build
if [ -z "${S16_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
  python3 bench/h100/mnist_digits.py >/dev/null 2>&1
  HI=60; IT=20; WARM=4; MODELS=mlp,cnn; BATCHES=32,100; S3=cnn
else
  HI=30; IT=3; WARM=1; MODELS=mlp; BATCHES=32; S3=mlp  # SwiftShader: a CNN step takes seconds
fi
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
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
[ -d .cch/site ] || [ ! -f .cch/site.tar.xz ] || { mkdir -p .cch/site && tar -xJf .cch/site.tar.xz -C .cch/site; }
for d in "${CHAINER_SITE:-}" "$R/.cch/site" "$BASE/../site" "$R/build/chainer/site"; do
  [ -n "$d" ] && [ -d "$d/chainer" ] && { SITE=$d; break; }
done
[ -n "$SITE" ] && echo "(chainer from $SITE)" || echo "(no chainer found (.cch/site, CHAINER_SITE))"
# wg V BACKEND CMD...: V old (BASE's python and js, old engine) or new (this checkout)
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
echo "== 1. the step's host side alone (step_host.py, null executor, CPU time; median / min of $HI steps, ms)"
for round in 1 2; do
  for v in $OLD new; do
    BENCH_WARM=12 BENCH_CLOCK=process wg $v webgpu timeout 40 python3 bench/h100/step_host.py cnn:32,cnn:100,mlp:100 $HI 2>&1 \
      | grep -E "host issue|Error" > $T/step_$v$round
  done
done
python3 - "$T" $OLD <<'PY'
import sys, os, re
d = sys.argv[1]
def rows(v):
    out = {}
    for r in (1, 2):
        p = os.path.join(d, 'step_%s%d' % (v, r))
        for line in open(p) if os.path.exists(p) else ():
            m = re.match(r'(\w+ \d+): host issue ([\d.]+) ms a step \(min ([\d.]+)\)', line)
            if m:
                out.setdefault(m.group(1), []).append((float(m.group(2)), float(m.group(3))))
            else:
                print('  ' + line.rstrip())
    return out
new, old = rows('new'), (rows('old') if len(sys.argv) > 2 else {})
print('  %-8s %-23s %-23s %s' % ('step', 'old median/min r1; r2', 'new median/min r1; r2', 'new/old median (min), per round'))
for k, nv in new.items():
    ov = old.get(k, [])
    f = lambda v: '; '.join('%.3f/%.3f' % x for x in v)
    rat = ', '.join('%.2f (%.2f)' % (n[0] / o[0], n[1] / o[1]) for n, o in zip(nv, ov))
    print('  %-8s %-23s %-23s %s' % (k, f(ov) or '-', f(nv), rat or '-'))
PY
echo "== 2. training ms/iteration on the GPU (train_ms.py --split, median of $IT after $WARM; issue = Python's recording, wall)"
for round in 1 2; do
  if [ -z "${S16_LOCAL:-}" ]; then
    echo "-- PyTorch (round $round)"
    timeout 40 python3 bench/h100/torch_training.py --iters $IT 2>&1 | grep -E "^\| [mc]" | tee $T/torch$round
  fi
  for v in $OLD new; do
    echo "-- $v (round $round)"
    wg $v webgpu timeout 45 python3 bench/h100/train_ms.py $IT $WARM $MODELS $BATCHES --split 2>&1 \
      | grep -E "ms/iter|Error" | sed 's/; /\n   /g' | tee $T/train_$v$round
  done
done
python3 - "$T" <<'PY'
import sys, os, re
d = sys.argv[1]
def grab(p, pat):
    out = {}
    if os.path.exists(p):
        for m in re.finditer(pat, open(p).read()):
            out[(m.group(1).lower(), int(m.group(2)))] = float(m.group(3))
    return out
print('== summary: ms/iteration (ratio to PyTorch in the same round)')
for r in (1, 2):
    tor = grab(os.path.join(d, 'torch%d' % r), r'\|\s*(mlp|cnn)\s*\|\s*(\d+)\s*\|\s*([\d.]+)')
    vs = {v: grab(os.path.join(d, 'train_%s%d' % (v, r)), r'(mlp|cnn) (\d+) ([\d.]+) \(issue') for v in ('old', 'new')}
    for k in sorted(set(vs['new']) | set(vs['old'])):
        t = tor.get(k)
        cell = lambda v: ('%.2f' % v[k] + (' (%.2fx)' % (v[k] / t) if t else '')) if k in v else '-'
        print('  round %d %s %3d: PyTorch %s  old %s  new %s' % (r, k[0], k[1], '%.2f' % t if t else '-', cell(vs['old']), cell(vs['new'])))
PY
echo "== 3. new's $S3 32 with other hand-off policies (the Node host's per-chunk cost against the overlap)"
for var in "WGPY_MAX_IN_FLIGHT=1" "WGPY_RUN_AHEAD=0"; do
  r=$(env $var PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$R/$LIB" WGPY_BACKEND=webgpu \
    timeout 25 python3 bench/h100/train_ms.py $IT $WARM $S3 32 --split 2>&1 | grep -E "ms/iter|Error" | sed 's/.*\]: //')
  echo "-- $var: ${r:-(no line: cut by its 25 s limit)}"
done
echo "== 4. new's CNN 32 step under cProfile (step_host.py --prof; the profiler inflates small calls)"
TOP=12 BENCH_CLOCK=process wg new webgpu timeout 25 python3 bench/h100/step_host.py cnn 32 $HI --prof 2>&1 | grep -vE "cudnn|warn|^Please|^\(see|^$"
rm -rf "$T"
