#!/usr/bin/env bash
# bench/h100/s16_sort16.sh — session 16, branch sort16 (issue 10: sort and argsort >= 0.5x CuPy;
# docs/sorting.md "Session 16").  Run from the checkout root (carry .carry .gl .cch): main's engine
# .cch/libwgpy_old.so (with main's python/ and js/src/ under .cch/base), this branch's
# .cch/libwgpy_new.so; CuPy in the same call.  Must end in under 150 s on the H100.
# New in this branch (variants switched by variables the engine reads at every launch, so one
# process alternates them call by call: bench/h100/sort16_bench.py):
#   - the count launches (wg_radix_count8_*) and the keys + all-digit counts (wg_radix_histu_*)
#     issue a point's 16 loads together before counting (the loops waited for each load: 16
#     dependent round trips to memory), and sum the counters' copies rotated (no 16-way bank
#     conflict), the keys' kernel with 8192 counters (8 copies of each, not 4) where the device
#     has 32 KiB of workgroup memory; 'cnt0' (WGPY_RADIX_COUNT=0) runs the loops (main's
#     kernels), 'cnt1' (=1) the new kernels with 4096 counters in the keys' kernel;
#   - WGPY_DAWN_TOGGLES (Node host): Dawn's workgroup-memory zeroing ('noinit':
#     disable_workgroup_init) and bounds clamps ('norob': disable_robustness) off, in a process
#     of their own: what they cost the radix kernels (a measurement; never a default).
#  A. CuPy float32 / int32 sort and argsort at 2^20 and 2^24 (best wall of 10, and the median GPU
#     time by CUDA events);
#  B. GPU ms a call per dispatch (WGPY_GPU_TIMING=ids) at 2^24: new, cnt0 and cnt1 interleaved
#     call by call; old (main) in a process of its own;
#  C. wall per call at 2^20 and 2^24, new and cnt0 interleaved, checked against NumPy (sort bit
#     for bit, stable argsort index for index); old;
#  B2. float32 at 2^24 again: new, cnt0 and both with tiles of 2048 interleaved; noinit, norob;
#  D. the ratios: CuPy's ms / ours (GPU med of B, wall min of C). Confirms the change: new's count
#     dispatches (shape nb*256+256, 3 a sort) well below cnt0's (~0.135 ms each in session 15),
#     the keys dispatch (nb*256+512) below cnt0's ~0.2, every check ok.
# S16_LOCAL=1: here (SwiftShader, no device setup, no CuPy), 65536 elements, float32 only.
set -uo pipefail
R=$(pwd)
if [ -z "${S16_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
  BIG=16777216; SMALL=1048576; DT=float32,int32; RG=5; RW=6; T=40; STOP=128
else
  BIG=65536; SMALL=20000; DT=float32; RG=1; RW=1; T=900; STOP=100000
fi
BASE=${BASE_DIR:-$R/.cch/base}
OLDPY=$R/python; OLDROOT=$R
if [ -d "$BASE/python" ]; then
  OLDPY=$BASE/python
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
fi
NEW=.cch/libwgpy_new.so; [ -e $NEW ] || NEW=build/native/libwgpy.so
OLDLIB=${S16_OLD_LIB:-$R/.cch/libwgpy_old.so}  # S16_OLD_LIB (and BASE_DIR): an old engine to try it here
echo "(old: $OLDLIB, python $OLDPY, js of $OLDROOT; new: $NEW)"
L=/tmp/s16; rm -rf $L; mkdir -p $L
B="python3 $R/bench/h100/sort16_bench.py"
AB='new;cnt0:WGPY_RADIX_COUNT=0'
AB3="$AB;cnt1:WGPY_RADIX_COUNT=1"
run() {  # VARIANT CMD...
  local v=$1; shift
  if [ $SECONDS -gt $STOP ]; then echo "(skipped: $SECONDS s)"; return; fi
  case $v in
  old) [ -e "$OLDLIB" ] || { echo "(no $OLDLIB)"; return; }
       WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$OLDLIB" WGPY_BACKEND=webgpu timeout $T "$@" ;;
  new) WGPY_ROOT=$R PYTHONPATH="$R/python" WGPY_LIBRARY="$R/$NEW" WGPY_BACKEND=webgpu timeout $T "$@" ;;
  noinit) WGPY_DAWN_TOGGLES=disable_workgroup_init run new "$@" ;;
  norob) WGPY_DAWN_TOGGLES=disable_robustness run new "$@" ;;
  esac
}
if [ -z "${S16_LOCAL:-}" ]; then
  echo "== A. CuPy (after a 1.5 s warm-up: the GPU idles at 345 MHz)"
  timeout 20 python3 -c "
import cupy as cp, time
x = cp.random.random(1 << 24, dtype=cp.float32); t = time.time()
while time.time() - t < 1.5: cp.sort(x)
cp.cuda.Device().synchronize()"
  timeout 25 python3 bench/h100/sort_cupy.py --dtypes float32,int32 --events $SMALL $BIG | tee $L/cupy.txt
fi
echo "== B. GPU ms a call per dispatch at $BIG (WGPY_GPU_TIMING=ids, $RG rounds; med and min of the call, then each dispatch's median; key: shape and kernel id)"
echo "-- new, cnt0, cnt1 (interleaved)"; WGPY_GPU_TIMING=ids run new $B --reps $RG --dtypes $DT --variants "$AB3" $BIG 2>&1 | grep -v '^$' | tee $L/b_new1.txt
echo "-- old"; WGPY_GPU_TIMING=ids run old $B --reps $RG --dtypes $DT --variants old $BIG 2>&1 | grep -v '^$' | tee $L/b_old.txt
echo "== C. wall ms a call ($RW rounds; new and cnt0 checked against NumPy)"
echo "-- new, cnt0 (interleaved)"; run new $B --reps $RW --dtypes $DT --check --variants "$AB" $SMALL $BIG 2>&1 | grep -v '^$' | tee $L/c_new.txt
echo "-- old"; run old $B --reps $RW --dtypes $DT --variants old $SMALL $BIG 2>&1 | grep -v '^$' | tee $L/c_old.txt
echo "== B2. as B, float32: new and cnt0 again, with tiles of 2048 (t2048, t2048c0: half the scatter's registers, twice the counts' and row scans' tiles)"
WGPY_GPU_TIMING=ids run new $B --reps $RG --dtypes float32 --variants "$AB;t2048:WGPY_RADIX_TILE=2048;t2048c0:WGPY_RADIX_TILE=2048+WGPY_RADIX_COUNT=0" $BIG 2>&1 | grep -v '^$' | tee $L/b_new2.txt
echo "-- noinit, noinit0 (new, cnt0; Dawn's workgroup zeroing off)"; WGPY_GPU_TIMING=ids run noinit $B --reps $RG --dtypes float32 --variants "noinit;noinit0:WGPY_RADIX_COUNT=0" $BIG 2>&1 | grep -v '^$'
echo "-- norob (new; Dawn's bounds clamps off)"; WGPY_GPU_TIMING=ids run norob $B --reps $RG --dtypes float32 --ops sort --variants "norob" $BIG 2>&1 | grep -v '^$'
echo "== D. CuPy / ours (>= 0.5 is issue 10's goal; GPU: B's median, wall: C's min)"
python3 - $L <<'PY'
import glob, re, sys
L = sys.argv[1]
cupy = {}
for ln in open(L + '/cupy.txt') if glob.glob(L + '/cupy.txt') else []:
    m = re.match(r'(\d+)\s+(\w+)\s+(\w+)\s+cupy\s+([\d.]+) ms(?:\s+gpu\s+([\d.]+))?', ln)
    if m: cupy[m.group(1, 2, 3)] = (float(m.group(4)), float(m.group(5) or m.group(4)))
rows = {}
for f in sorted(glob.glob(L + '/[bc]_*.txt')):
    last = None
    for ln in open(f):
        m = re.match(r'(\d+)\s+(\w+)\s+(\w+)\s+(\w+)\s+wall min\s+([\d.]+)', ln)
        if m:
            last = m.group(1, 2, 3, 4)
            if f.split('/')[-1].startswith('c_'): rows.setdefault(last, {})['wall'] = float(m.group(5))
            continue
        m = re.match(r'\s+gpu med ([\d.]+)', ln)
        if m and last: rows.setdefault(last, {}).setdefault('gpu', []).append(float(m.group(1)))
for (n, dt, op, v), r in sorted(rows.items()):
    c = cupy.get((n, dt, op))
    g = min(r['gpu']) if r.get('gpu') else None
    s = '%-9s %-7s %-8s %-6s' % (n, dt, op, v)
    s += ('  gpu %7.3f ms' % g) if g else ' ' * 16
    s += ('  wall %7.3f ms' % r['wall']) if 'wall' in r else ' ' * 17
    if c:
        s += '  cupy %.3f (gpu %.3f)' % c
        if g: s += '  gpu ratio %.2f' % (c[1] / g)
        if 'wall' in r: s += '  wall ratio %.2f' % (c[0] / r['wall'])
    print(s)
PY
[ -z "${S16_LOCAL:-}" ] && nvidia-smi --query-gpu=clocks.sm --format=csv,noheader
echo "== done ($SECONDS s)"
