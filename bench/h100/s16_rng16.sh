#!/usr/bin/env bash
# bench/h100/s16_rng16.sh — task rng16 (issue 11; docs/random.md "Session 16"): random numbers
# against CuPy.  This branch changes the float32 Box-Muller (sine and cosine of the angle from its
# integer: no range reduction, 2 polynomials instead of 4; the log a polynomial of u1's mantissa,
# the same bits on every backend), gives the workgroup form's Philox loop back the counted `for`
# that Tint leaves without its loop guard, and writes the lane kernels' multipliers' halves as
# literals.  Prints:
#   1. GPU ms a call (timestamps) of 16M standard_normal / random_sample / randint(0, 1000) int32
#      and Generator.standard_normal, main's library (.cch/libwgpy_old.so with .cch/base's python
#      and js) against this branch's (.cch/libwgpy_new.so), alternated twice
#   2. CuPy's Generator (XORWOW) and RandomState (cuRAND) in the same call
#   3. ratios: old/new, CuPy Generator/new (the goal: >= 0.8), CuPy RandomState/new, same bits?
#   4. rng16_ladder.mjs: the generated WGSL of both libraries rerun by Dawn, varied one change at a
#      time, and hand-written WGSL of the same numbers (where the rest of the gap is)
#   5. rng14_probe.mjs's hand-written normals (session 15's floor)
# About 70 s on the H100.
#   S16_LOCAL=1 bash bench/h100/s16_rng16.sh     a dry run here (SwiftShader, 65536, no CuPy)
set -uo pipefail
[ -n "${S16_LOCAL:-}" ] || . bench/h100/setup_device.sh
[ -z "${S16_LOCAL:-}" ] || export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
R=$(pwd); N=${S16_N:-$((16 << 20))}; [ -z "${S16_LOCAL:-}" ] || N=${S16_N:-65536}
NL=$N; LR=2; [ -z "${S16_LOCAL:-}" ] || { NL=4096; LR=1; }   # the ladder's size and rounds
T=/tmp/s16_rng16; rm -rf $T; mkdir -p $T
BASE=${BASE_DIR:-$R/.cch/base}
OLDPY=$R/python; OLDROOT=$R
[ -d "$BASE/python" ] && OLDPY=$BASE/python
if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
echo "(old: .cch/libwgpy_old.so, python of $OLDPY, js of $OLDROOT; new: .cch/libwgpy_new.so, this checkout; N=$N)"
[ -n "${S16_LOCAL:-}" ] || nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
run() { # lib out-file
    local root=$R py=$R/python
    [ "$1" = old ] && { root=$OLDROOT; py=$OLDPY; }
    WGPY_ROOT="$root" PYTHONPATH="$py:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_$1.so" WGPY_BACKEND=webgpu \
        WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s16_rng16.py $N > "$2" 2>&1
    sed "s/^/  $1  /" "$2"
}
if [ -z "${S16_LOCAL:-}" ]; then # the GPU idles at a low clock: warm it
    timeout 20 python3 -c "
import cupy as cp, time
g = cp.random.default_rng(0); t = time.time()
while time.time() - t < 1.5: g.standard_normal(16 << 20, dtype='float32')
cp.cuda.Device().synchronize()"
fi
echo "== 1. wgpy old / new, alternated (GPU ms a call, least of 5 rounds of 10 calls)"
run new $T/new1; run old $T/old1; run new $T/new2; run old $T/old2
echo "== 2. CuPy (CUDA events, median of 3 rounds of 10; normal/uniform/randint: Generator, _RS: RandomState)"
if [ -z "${S16_LOCAL:-}" ]; then timeout 40 python3 bench/h100/s16_cupy.py $N > $T/cupy 2>&1; sed 's/^/  cupy /' $T/cupy
else : > $T/cupy; echo "  (skipped here)"; fi
echo "== 3. ratios: old/new (> 1: the branch is faster), CuPy/new (goal >= 0.8 against the Generator); bits old vs new"
python3 - $T <<'PY'
import re, sys
d = sys.argv[1]
def read(*fs):
    r = {}
    for f in fs:
        for line in open(f'{d}/{f}'):
            m = re.match(r'(\S+)\s+GPU\s+([\d.]+) ms(?:\s+bits (\S+))?', line)
            if m: r.setdefault(m[1], []).append((float(m[2]), m[3]))
    return r
old, new, cu = read('old1', 'old2'), read('new1', 'new2'), read('cupy')
nan = [(float('nan'), None)]
print('  %-10s %8s %8s %7s %9s %8s %9s %8s  %s' % ('', 'old ms', 'new ms', 'old/new', 'cupy gen', 'gen/new', 'cupy RS', 'RS/new', 'bits'))
for k in new:
    o = min(t for t, _ in old.get(k, nan)); n = min(t for t, _ in new[k])
    c = cu.get(k.replace('gen_', ''), nan)[0][0]; rs = cu.get(k.replace('gen_', '') + '_RS', nan)[0][0]
    same = {h for _, h in old.get(k, [])} == {h for _, h in new[k]}
    note = 'same' if same else ('different (expected: the new Box-Muller)' if 'normal' in k else 'DIFFERENT')
    print('  %-10s %8.4f %8.4f %7.2f %9.4f %8.2f %9.4f %8.2f  %s' % (k, o, n, o / n, c, c / n, rs, rs / n, note))
PY
echo "== 4. the generated kernels rerun and varied (rng16_ladder.mjs; N=$NL)"
for v in new old; do  # both through this checkout's python and js (WGPY_WEBGPU_DUMP), main's or this library
    WGPY_WEBGPU_DUMP=$T/$v.jsonl WGPY_ROOT="$R" PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_$v.so" \
        WGPY_BACKEND=webgpu timeout 60 python3 bench/h100/rng16_capture.py $NL 2>&1 | tail -3
done
timeout 60 node bench/h100/rng16_ladder.mjs $T/new.jsonl $T/old.jsonl $LR 2>&1 | tail -24
if [ -z "${S16_LOCAL:-}" ] && [ $SECONDS -lt 110 ]; then
    echo "== 5. rng14_probe.mjs: hand-written normals (native sin/cos/log; 4 scalar stores / vec4 / vec4 256 a workgroup / exchange)"
    timeout 30 node bench/h100/rng14_probe.mjs $N 2>&1 | grep -v zeros | tail -5
fi
echo "-- total $SECONDS s"
