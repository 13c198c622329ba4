#!/usr/bin/env bash
# bench/h100/run_cholblk.sh — the blocked LU/Cholesky (docs/linalg.md "Blocked factorizations")
# on the H100 in one device call: bench/linalg_gpu.py over Dawn (webgpu backend, Pyodide on Node;
# each workload blocked and on the per-column gathers in the same run, with launches), then the
# same workloads on CuPy (cuSOLVER), then issue 11's solve/cholesky ratios.
#   bash bench/h100/run_cholblk.sh   (on the device machine, from the repository root; carry
#   .carry and .gl as for run_session.sh)
set -uo pipefail
W="$(ls .carry/dist/*.whl | head -1)"
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
echo "== linalg, wgpy (webgpu over Dawn): blocked | gathers"
timeout 400 scripts/wgpy --wheel "$W" --backend webgpu run bench/linalg_gpu.py 2>&1 | tee build/cholblk-wgpy.txt
echo "== linalg, CuPy"
timeout 120 python3 bench/linalg_gpu.py --cupy 2>&1 | tee build/cholblk-cupy.txt
echo "== issue 11 (solve 1024^2, cholesky 2048^2)"
timeout 300 scripts/wgpy --wheel "$W" --backend webgpu run bench/issue11_bench.py --only solve \
    --json build/i11-solve-wgpy.json
timeout 300 scripts/wgpy --wheel "$W" --backend webgpu run bench/issue11_bench.py --only cholesky \
    --json build/i11-chol-wgpy.json
timeout 120 python3 bench/h100/issue11_cupy.py --json build/i11-cupy.json
python3 bench/issue11_bench.py --compare build/i11-solve-wgpy.json build/i11-cupy.json
python3 bench/issue11_bench.py --compare build/i11-chol-wgpy.json build/i11-cupy.json
if [ -n "${OUT:-}" ]; then cp build/cholblk-*.txt build/i11-*.json "$OUT"/; fi
