#!/usr/bin/env bash
# bench/h100/run.sh — issue 3's H100 benchmark in one command: wgpy over Dawn (webgpu backend,
# Pyodide on Node) and CuPy on the same GPU, back to back, then the table of wgpy/CuPy ratios.
#   bash bench/h100/run.sh [WHEEL]        # on the device machine, from the repository root
# (.carry and .gl bring Node, Dawn, Pyodide and the Vulkan loader: bench/h100/setup_device.sh)
set -euo pipefail
. bench/h100/setup_device.sh
set -e
W="${1:-$(ls .carry/dist/*.whl | head -1)}"
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
REPEAT="${REPEAT:-3}"   # wgpy and CuPy alternate REPEAT times; the table takes each one's median
mkdir -p build
echo "node $(node --version); $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)"
for i in $(seq 1 "$REPEAT"); do
    scripts/wgpy --wheel "$W" --backend webgpu run bench/h100/wgpy_bench.py "build/h100-wgpy-$i.json"
    python3 bench/h100/cupy_baseline.py "build/h100-cupy-$i.json"
done
python3 bench/h100/ratios.py --wgpy build/h100-wgpy-*.json --cupy build/h100-cupy-*.json
if [ -n "${OUT:-}" ]; then cp build/h100-wgpy-*.json build/h100-cupy-*.json "$OUT"/; fi
