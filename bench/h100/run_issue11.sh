#!/usr/bin/env bash
# bench/h100/run_issue11.sh — issue 11's benchmark on the H100 in one device call: wgpy over Dawn
# (webgpu backend, Pyodide on Node) and CuPy on the same GPU, then the ratios (CuPy time / wgpy
# time: goals RNG and FFT >= 0.8, solve/cholesky >= 0.3).
#   bash bench/h100/run_issue11.sh [--small]   (on the device machine, from the repository root;
#   carry .carry and .gl as for run_session.sh)
set -uo pipefail
W="$(ls .carry/dist/*.whl | head -1)"
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
echo "== issue 11, wgpy (webgpu over Dawn)"
timeout 300 scripts/wgpy --wheel "$W" --backend webgpu run bench/issue11_bench.py "$@" \
    --json build/i11-wgpy.json
echo "== issue 11, CuPy"
timeout 120 python3 bench/h100/issue11_cupy.py "$@" --json build/i11-cupy.json
python3 bench/issue11_bench.py --compare build/i11-wgpy.json build/i11-cupy.json
if [ -n "${OUT:-}" ]; then cp build/i11-wgpy.json build/i11-cupy.json "$OUT"/; fi
