#!/usr/bin/env bash
# bench/h100/s16_fft16.sh — task fft16 (issue 11: FFT >= 0.8 of cuFFT; docs/fft.md "Session 16").
# old: main's engine (.cch/libwgpy_old.so) through main's python/ and js/src (.cch/base; this
# checkout's if absent); new: the fft16 branch (.cch/libwgpy_new.so, this checkout's python/, js/);
# cuFFT (CuPy, CUDA events) in the same call.  GPU ms a call and per kernel (WGPY_GPU_TIMING=ids:
# the four-step's two passes apart), K=20 calls, fastest of 3 rounds, old and new interleaved
# after a warm-up (the GPU idles at 345 MHz).  Cases (bench/h100/fft15.py): fft / ifft 2^20
# complex64, rfft / irfft 2^22 float32, fft2 1024^2, rows 1024 x 1024; diagnostics: x + 1 on the
# bytes of fft 2^20 (a bandwidth floor a pass) and rows of 1024 for 64..2048 rows (how one pass's
# GPU time scales with its work: linear = throughput-bound, flat = latency/launch-bound).
# new's A/B aids (env, read by core/src/api/fft.c), each an alternative shape of the same math:
#   WGPY_FFT_ST2=1    the last stage in place, then the pairs stored a float a thread (a warp's
#                     store writes whole 32-byte sectors, not half of each; same bits), also
#                     rfft's fused unpack (points of 8 bytes in one store, not two of 4)
#   WGPY_FFT_TWPRE=1  the four-step's twiddles read before the first barrier (same bits)
#   WGPY_FFT_PD=1     the fused load keeps its crop/pad checks (session 15's kernel; same bits)
#   WGPY_FFT_TWINC=1  the four-step's twiddles by products (session 15's aid, 2.8 -> 3.8 eps)
#   WGPY_FFT_SPLIT=l1 the four-step's column length 2^l1 (fft 2^20: 9 = 8-column runs in pass 1,
#                     2-row runs in pass 2; rfft 2^22's 2^21: 11 = rows of 1024 in the last pass)
#   WGPY_FFT_RMAP=1   rfft's fused unpack stores by batch (runs of 2 points with SPLIT=11)
#   WGPY_FFT_RFUSE=0  rfft's separate unpack
#   WGPY_FFT_LGP=11   2048-point tiles of 256 threads (twice the workgroups; rows of 1024 and fft)
# Then the GPU's errors against numpy, then a summary of ratios.  Most telling first.
# Here (SwiftShader, small sizes, no CuPy): S16_LOCAL=1 bash bench/h100/s16_fft16.sh (S16_ROUNDS=1
# S16_BUDGET=0: one round of section 1, the aids skipped, then the checks and the summary;
# S16_CHECKS=0 skips the checks, which take minutes a variant on SwiftShader)
set -uo pipefail
R=$(pwd)
if [ -z "${S16_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  K=${S16_K:-20} LG=${S16_LG:-20} F= ALL=fft,ifft,rfft,irfft,fft2,batch T=40
  DIAG=copy,rows64,rows128,rows256,rows512,rows1024,rows2048 S1=9 S2=11 SR=11
  timeout 20 python3 - <<'PY' 2>&1 | tail -1
import time, cupy as cp
x = cp.ones(1 << 22, dtype=cp.complex64); t = time.time()
while time.time() - t < 1.5:
    cp.fft.fft(x)
cp.cuda.Device().synchronize(); print('warmed')
PY
  nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
else  # SwiftShader: the GPU's kernels (--gpu-like: workgroup path, 4096-point tiles), tiny sizes
  K=${S16_K:-1} LG=${S16_LG:-11} F=--gpu-like ALL=fft,rfft T=400
  DIAG=copy,rows2,rows4 S1=5 S2=7 SR=7
fi
BASE=${BASE_DIR:-$R/.cch/base} OLDROOT=$R OLDPY=$R/python
if [ -d "$BASE/python" ]; then
  OLDPY=$BASE/python
  if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
fi
echo "(old: $OLDPY, js of $OLDROOT, .cch/libwgpy_old.so; new: this checkout, .cch/libwgpy_new.so; K=$K LG=$LG)"
O=/tmp/s16_fft16; rm -rf $O; mkdir -p $O
t0=$SECONDS
# run TAG V CASES [ENV...]: V old or new; GPU timestamps per kernel; output kept in $O/TAG
run() { local tag=$1 v=$2 cases=$3; shift 3
  echo "-- $tag: $v $*"
  if [ $v = old ]; then
    env "$@" WGPY_GPU_TIMING=ids WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$R/.cch/libwgpy_old.so" \
      WGPY_BACKEND=webgpu timeout $T python3 bench/h100/fft15.py $K $LG "$cases" $F > $O/$tag 2>&1
  else
    env "$@" WGPY_GPU_TIMING=ids PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" \
      WGPY_BACKEND=webgpu timeout $T python3 bench/h100/fft15.py $K $LG "$cases" $F > $O/$tag 2>&1
  fi
  cat $O/$tag; }
# ab TAG CASES [ENV...]: a run of new, skipped once the script has used ${S16_BUDGET:-95} s (the
# lead's limit is 150 s; the summary must still print)
ab() { local tag=$1 cases=$2; shift 2
  if { [ -z "${S16_LOCAL:-}" ] || [ -n "${S16_BUDGET:-}" ]; } && [ $((SECONDS - t0)) -ge ${S16_BUDGET:-95} ]; then
    echo "-- $tag: skipped (time)"; return; fi
  run $tag new $cases "$@"; }
echo "== 1. GPU ms a call and per kernel (k<id>: the executor's kernel), old and new interleaved"
for round in $(seq ${S16_ROUNDS:-2}); do
  run old$round old $ALL
  run new$round new $ALL
done
[ -z "${S16_LOCAL:-}" ] && { echo "-- cupy"; timeout 40 python3 bench/h100/fft15.py $K $LG $ALL,$DIAG --cupy > $O/cupy 2>&1; cat $O/cupy; }
echo "(section 1: $((SECONDS - t0)) s)"
echo "== 2. new's A/B aids, then old once more, then diagnostics (new): x + 1 on fft's bytes, rows of"
echo "   1024 from 64 to 2048 rows, then the less likely aids (most telling first; skipped past the budget)"
ab st2 fft,ifft,rfft,irfft,fft2,batch WGPY_FFT_ST2=1
ab twpre fft,ifft,rfft WGPY_FFT_TWPRE=1
ab split$S1 fft WGPY_FFT_SPLIT=$S1
ab split${S1}_st2 fft WGPY_FFT_SPLIT=$S1 WGPY_FFT_ST2=1
ab rsplit rfft,irfft WGPY_FFT_SPLIT=$SR
ab rsplit_rmap rfft WGPY_FFT_SPLIT=$SR WGPY_FFT_RMAP=1
ab rsplit_rmap_st2 rfft WGPY_FFT_SPLIT=$SR WGPY_FFT_RMAP=1 WGPY_FFT_ST2=1
ab rfuse0 rfft WGPY_FFT_RFUSE=0
ab rsplit_rfuse0 rfft WGPY_FFT_SPLIT=$SR WGPY_FFT_RFUSE=0
ab new3 fft,rfft
run old3 old fft,rfft
ab diag $DIAG
ab pd1 fft,rfft WGPY_FFT_PD=1
ab split$S2 fft WGPY_FFT_SPLIT=$S2
ab twinc fft WGPY_FFT_TWINC=1
ab rsplit_rmap_twpre rfft WGPY_FFT_SPLIT=$SR WGPY_FFT_RMAP=1 WGPY_FFT_TWPRE=1
ab lgp11 batch,fft WGPY_FFT_LGP=11
echo "(sections 1-2: $((SECONDS - t0)) s)"
echo "== 3. correctness on the GPU: largest error against numpy complex128 / max |X|"
for e in "" "WGPY_FFT_ST2=1 WGPY_FFT_RMAP=1" "WGPY_FFT_TWPRE=1"; do
  [ "${S16_CHECKS:-1}" = 0 ] && { echo "(checks skipped: S16_CHECKS=0)"; break; }
  echo "-- new ${e:-(defaults)}"
  env $e PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
    timeout $((T + 20)) python3 bench/h100/fft15.py 1 $LG --check $F 2>&1 | tail -4
  [ ${PIPESTATUS[0]} = 124 ] && echo "(check timed out after $((T + 20)) s)"
  [ -n "${S16_LOCAL:-}" ] || [ $((SECONDS - t0)) -lt 110 ] || { echo "(further checks skipped: time)"; break; }
done
echo "(sections 1-3: $((SECONDS - t0)) s)"
echo "== 4. summary: GPU ms a call, the fastest of the runs named (cuFFT: CUDA events)"
python3 - "$O" <<'PY'
import os, re, sys
d = sys.argv[1]
runs = {}
for f in os.listdir(d):
    for line in open(os.path.join(d, f)):
        m = re.match(r'(\S+(?: \S+)*?)\s+per call .*?GPU(?:\(events\))? ([0-9.]+)', line)
        if m:
            runs.setdefault(f, {})[m.group(1)] = float(m.group(2))
def best(tags, case):
    v = [runs[t][case] for t in tags if t in runs and case in runs[t]]
    return min(v) if v else None
cases = []
for t in ('new1', 'new2', 'new3', 'diag', 'cupy'):
    for c in runs.get(t, {}):
        if c not in cases:
            cases.append(c)
print('%-20s %8s %8s %8s %8s %10s' % ('case', 'old', 'new', 'new/old', 'cuFFT', 'cuFFT/new'))
for c in cases:
    o, n, cu = best(('old1', 'old2', 'old3'), c), best(('new1', 'new2', 'new3', 'diag'), c), best(('cupy',), c)
    f = lambda v: '%8.4f' % v if v else '%8s' % '-'
    print('%-20s %s %s %8s %s %10s' % (c, f(o), f(n), '%.3f' % (n / o) if o and n else '-', f(cu),
                                       '%.2f' % (cu / n) if cu and n else '-'))
print('A/B aids (new, against new\'s fastest default run; < 1 = the aid is faster):')
for t in sorted(runs):
    if t.startswith(('old', 'new', 'cupy', 'diag')):
        continue
    for c, v in runs[t].items():
        n = best(('new1', 'new2', 'new3'), c)
        cu = best(('cupy',), c)
        print('  %-18s %-18s %8.4f  x%.3f%s' % (t, c, v, v / n if n else 0,
                                                 '  cuFFT/this %.2f' % (cu / v) if cu else ''))
PY
echo "(total $((SECONDS - t0)) s)"
