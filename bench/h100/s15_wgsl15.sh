#!/usr/bin/env bash
# bench/h100/s15_wgsl15.sh — task wgsl15 (docs/kernels.md "Range facts"): the WGSL generator's
# safety wrappers dropped where range facts prove them idle (plain shifts, plain workgroup
# indices, raw positions without pos_i).  GPU ms a call (timestamps) of random normal / uniform
# 16M float32, cumsum 16M, sort 2^24, fft 2^20 complex64, solve 1024, x[mask], x + 1, sum: main's
# library (.cch/libwgpy_old.so with .cch/base's python/ and js/src) against this branch's
# (.cch/libwgpy_new.so, this checkout), alternated twice, CuPy in the same call, and the
# hand-written Philox WGSL of rng14_probe.mjs.  Prints new/old and CuPy/new ratios and whether
# both libraries give the same bits.  About 2 minutes.
#   S15_LOCAL=1 bash bench/h100/s15_wgsl15.sh     a dry run here (SwiftShader, 65536, no CuPy)
set -uo pipefail
[ -n "${S15_LOCAL:-}" ] || . bench/h100/setup_device.sh
[ -z "${S15_LOCAL:-}" ] || export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
R=$(pwd); N=${S15_N:-$((16 << 20))}; [ -z "${S15_LOCAL:-}" ] || N=${S15_N:-65536}
# S15_ONLY=normal,cumsum: those workloads only (here, by default, the ones SwiftShader runs quickly)
ONLY=${S15_ONLY:-normal,uniform,cumsum,sort,fft,solve,mask,add,sum}; [ -z "${S15_LOCAL:-}" ] || ONLY=${S15_ONLY:-normal,normalwg,uniform,cumsum,add}
T=/tmp/s15_wgsl15; rm -rf $T; mkdir -p $T
BASE=${BASE_DIR:-$R/.cch/base}
OLDPY=$R/python; OLDROOT=$R
[ -d "$BASE/python" ] && OLDPY=$BASE/python
if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
echo "(old: .cch/libwgpy_old.so, python of $OLDPY, js of $OLDROOT; new: .cch/libwgpy_new.so, this checkout; N=$N)"
[ -n "${S15_LOCAL:-}" ] || nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
run() { # lib out-file
    local root=$R py=$R/python
    [ "$1" = old ] && { root=$OLDROOT; py=$OLDPY; }
    WGPY_ROOT="$root" PYTHONPATH="$py:$R/bench/h100" WGPY_LIBRARY="$R/.cch/libwgpy_$1.so" WGPY_BACKEND=webgpu \
        WGPY_GPU_TIMING=1 timeout 60 python3 bench/h100/s15_wgsl15.py $N $ONLY > "$2" 2>&1
    tail -n +1 "$2" | sed "s/^/  $1  /"
}
if [ -z "${S15_LOCAL:-}" ]; then # the GPU idles at a low clock: warm it
    timeout 20 python3 -c "
import cupy as cp, time
g = cp.random.default_rng(0); t = time.time()
while time.time() - t < 1.5: g.standard_normal(16 << 20, dtype='float32')
cp.cuda.Device().synchronize()"
fi
echo "== 1. wgpy old / new, alternated (GPU ms a call, least of 5 rounds of 10 calls; normalwg: the workgroup form forced)"
run new $T/new1; run old $T/old1; run new $T/new2; run old $T/old2
echo "== 2. CuPy (CUDA events, same sizes; normal/uniform: Generator)"
if [ -z "${S15_LOCAL:-}" ]; then timeout 40 python3 bench/h100/s15_cupy.py $N > $T/cupy 2>&1; cat $T/cupy | sed 's/^/  cupy /'
else : > $T/cupy; echo "  (skipped here)"; fi
echo "== 3. ratios: old/new (> 1: the branch is faster), CuPy/new (goal 0.8 for random), same bits"
python3 - $T <<'PY'
import re, sys
d = sys.argv[1]
def read(f):
    r = {}
    for line in open(f'{d}/{f}'):
        m = re.match(r'(\S+)\s+GPU\s+([\d.]+) ms(?:\s+bits (\S+))?', line)
        if m: r.setdefault(m[1], []).append((float(m[2]), m[3]))
    return r
old, new, cu = {}, {}, read('cupy')
for f in ('old1', 'old2'):
    for k, v in read(f).items(): old.setdefault(k, []).extend(v)
for f in ('new1', 'new2'):
    for k, v in read(f).items(): new.setdefault(k, []).extend(v)
print('  %-8s %9s %9s %7s %9s %8s  %s' % ('', 'old ms', 'new ms', 'old/new', 'cupy ms', 'cupy/new', 'bits'))
for k in new:
    o = min(t for t, _ in old.get(k, [(float('nan'), None)]))
    n = min(t for t, _ in new[k])
    c = cu.get(k, [(float('nan'), None)])[0][0]
    same = {h for _, h in old.get(k, [])} == {h for _, h in new[k]}
    print('  %-8s %9.4f %9.4f %7.2f %9.4f %8.2f  %s' % (k, o, n, o / n, c, c / n, 'same' if same else 'DIFFERENT'))
PY
if [ -z "${S15_LOCAL:-}" ]; then
    echo "== 4. hand-written WGSL of the same normals (rng14_probe.mjs; 4 scalar stores / vec4 / workgroup exchange)"
    timeout 40 node bench/h100/rng14_probe.mjs $N 2>&1 | grep -v zeros | tail -5
fi
echo "-- total $SECONDS s"
