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
for i in $(seq 1 "$REPEAT"); do
    scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy "build/k-wgpy-$i.json"
    python3 bench/h100/kernel_bench.py cupy "build/k-cupy-$i.json"
done
python3 - <<'PY'
import glob, json, statistics
w = [json.load(open(f)) for f in sorted(glob.glob('build/k-wgpy-*.json'))]
c = [json.load(open(f)) for f in sorted(glob.glob('build/k-cupy-*.json'))]
mw = statistics.median(r['seconds'] for r in w)
mc = statistics.median(r['seconds'] for r in c)
same = {r['count_sum'] for r in w} == {r['count_sum'] for r in c}
print('Mandelbrot ElementwiseKernel 1024^2 x500: wgpy %.3f ms, CuPy %.3f ms (medians of %d); '
      'wgpy speed / CuPy speed = %.3f (goal >= 1.0); counts equal: %s'
      % (mw * 1e3, mc * 1e3, len(w), mc / mw, same))
PY
if [ -n "${OUT:-}" ]; then cp build/k-wgpy-*.json build/k-cupy-*.json "$OUT"/; fi
