#!/usr/bin/env bash
# bench/h100/run_kernels.sh — the kernel-language issue's H100 figure in one command: the seed's
# Mandelbrot as a CuPy ElementwiseKernel (the same CUDA-C text) on wgpy (WGSL through Dawn) and on
# CuPy (NVRTC), alternating REPEAT times; prints each one's median and the ratio (goal >= 1.0).
#   bash bench/h100/run_kernels.sh [WHEEL]     (on the device machine, from the repository root)
set -euo pipefail
. bench/h100/setup_device.sh
set -e
W="${1:-$(ls .carry/dist/*.whl | head -1)}"
REPEAT="${REPEAT:-3}"
mkdir -p build
# rounds of 10 launches (one sync and one read each: the figure of sessions 6-9) and of 100 (the
# kernel's own speed: the round's one sync and read spread over 100 launches)
for reps in 10 100; do
    for i in $(seq 1 "$REPEAT"); do
        MANDEL_REPS=$reps scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy "build/k-wgpy-$reps-$i.json"
        MANDEL_REPS=$reps python3 bench/h100/kernel_bench.py cupy "build/k-cupy-$reps-$i.json"
    done
done
python3 - <<'PY'
import glob, json, statistics
for reps in (10, 100):
    w = [json.load(open(f)) for f in sorted(glob.glob('build/k-wgpy-%d-*.json' % reps))]
    c = [json.load(open(f)) for f in sorted(glob.glob('build/k-cupy-%d-*.json' % reps))]
    mw = statistics.median(r['seconds'] for r in w)
    mc = statistics.median(r['seconds'] for r in c)
    print('Mandelbrot ElementwiseKernel 1024^2 x500, rounds of %d launches: wgpy %.3f ms, CuPy %.3f ms '
          '(medians of %d); wgpy speed / CuPy speed = %.3f (goal >= 1.0); counts: wgpy %s, CuPy %s'
          % (reps, mw * 1e3, mc * 1e3, len(w), mc / mw, sorted({r['count_sum'] for r in w}),
             sorted({r['count_sum'] for r in c})))
PY
if [ -n "${OUT:-}" ]; then cp build/k-wgpy-100-*.json build/k-cupy-100-*.json "$OUT"/; fi
