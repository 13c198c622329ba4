#!/usr/bin/env bash
# bench/h100/s20_main20.sh — session 20: main's pending H100 figures, every timed process preceded
# by the same GPU warm-up (session 19 found rows timed after an idle stretch at 345 MHz, 3x slow):
#  1. issue 12: Chainer's MLP and CNN step (batch 32 and 100) against PyTorch, ROUNDS rounds, each
#     round PyTorch then wgpy (webgpu through the Node host), ms/iteration and the ratio per round;
#  2. issue 10: float32/int32 sort and argsort at 2^24 and 2^20 with the 4096-counter histogram
#     (WGPY_RADIX_COUNT=1, main's default since session 19) against the 8192-counter form (=2),
#     interleaved in one process; CuPy's CUB sort on the same data;
#  3. issue 15's guard: back-to-back sums of 64M and 16M (sum_guard.py), wgpy then CuPy.
# main's library and fast operators come from the snapshot (.cch/libwgpy_new.so; its
# libwgpy_fastops.so beside it).   on the device: bash bench/h100/run_branches.sh 500 main20
set -uo pipefail
R=$(pwd)
[ -n "${S20_LOCAL:-}" ] || . bench/h100/setup_device.sh
[ -n "${S20_LOCAL:-}" ] || xz -dc "$(dirname "$(readlink -f .carry)")/.cch/br/main20/libwgpy_fastops.so.xz" > .cch/libwgpy_fastops.so
ROUNDS=${ROUNDS:-4}
export OPENBLAS_NUM_THREADS=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python
LIB=$R/.cch/libwgpy_new.so; [ -e "$LIB" ] || LIB=$R/build/native/libwgpy.so
SITE=
for d in "${CHAINER_SITE:-}" "$R/.cch/site" "$R/build/chainer/site"; do
  [ -n "$d" ] && [ -d "$d/chainer" ] && { SITE=$d; break; }
done
wg() { PYTHONPATH="$R/python:$SITE:$R/bench/h100" WGPY_LIBRARY="$LIB" WGPY_BACKEND=webgpu "$@"; }
warm() {  # ~1.5 s of back-to-back matmuls: the SM clock up before a timed process
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
  nvidia-smi --query-gpu=clocks.sm --format=csv,noheader | sed 's/^/   (clock after warm-up: /; s/$/)/'
}
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
python3 bench/h100/mnist_digits.py >/dev/null 2>&1
T=$(mktemp -d)
echo "== 1. training ms/iteration (median of 20 after 4), PyTorch then wgpy, $ROUNDS rounds"
for r in $(seq 1 $ROUNDS); do
  warm; timeout 60 python3 bench/h100/torch_training.py --iters 20 2>&1 | grep -E "^\| [mc]" > $T/torch$r
  warm; wg timeout 60 python3 bench/h100/train_ms.py 20 4 mlp,cnn 32,100 --split 2>&1 | grep -E "ms/iter|Error" > $T/wg$r
  cat $T/wg$r | sed 's/; /\n   /g' | head -12
done
python3 - "$T" "$ROUNDS" <<'PY'
import os, re, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
def grab(p, pat):
    out = {}
    if os.path.exists(p):
        for m in re.finditer(pat, open(p).read()):
            out[(m.group(1).lower(), int(m.group(2)))] = float(m.group(3))
    return out
rows = {}
for r in range(1, n + 1):
    t = grab(os.path.join(d, 'torch%d' % r), r'\|\s*(mlp|cnn)\s*\|\s*(\d+)\s*\|\s*([\d.]+)')
    w = grab(os.path.join(d, 'wg%d' % r), r'(mlp|cnn) (\d+) ([\d.]+) \(issue')
    for k in sorted(w):
        if k in t:
            rows.setdefault(k, []).append((t[k], w[k], w[k] / t[k]))
print('| row | PyTorch ms | wgpy ms (ratio) per round | median ratio | max |')
print('|---|---|---|---|---|')
for k in sorted(rows):
    v = rows[k]
    print('| %s %d | %.2f-%.2f | %s | **%.2f** | %.2f |' % (
        k[0].upper(), k[1], min(x[0] for x in v), max(x[0] for x in v),
        ', '.join('%.2f (%.2f)' % (x[1], x[2]) for x in v),
        statistics.median(x[2] for x in v), max(x[2] for x in v)))
PY
echo "== 2. sort at 2^24 and 2^20: 4096 counters (cnt1, default) against 8192 (cnt2), wall per call"
B="python3 bench/h100/sort16_bench.py --dtypes float32,int32"
warm; WGPY_GPU_TIMING=ids wg timeout 120 $B --reps 6 --variants "cnt1:WGPY_RADIX_COUNT=1;cnt2:WGPY_RADIX_COUNT=2" 16777216 1048576 2>&1 \
  | grep -vE '^$|^  +[a-z_0-9]+.*0\.0[0-4]' | head -60
warm; timeout 60 python3 bench/h100/sort_cupy.py --dtypes float32,int32 --events 16777216 1048576 2>&1 | tail -12
echo "== 3. issue 15's guard: sums of 64M and 16M back to back (sum_guard.py), wgpy then CuPy"
for r in 1 2; do
  warm; wg timeout 60 python3 bench/h100/sum_guard.py 6 2>&1 | tail -4
  warm; timeout 60 python3 bench/h100/sum_guard.py 6 --cupy 2>&1 | tail -4
done
rm -rf "$T"
