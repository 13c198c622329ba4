#!/usr/bin/env bash
# bench/h100/run_session10e.sh — why the Mandelbrot kernel is slower per launch in Pyodide than
# natively (run_session10c.sh: 0.6-0.9 ms against 0.19-0.29): the session's start wheel
# (.carry/base/*.whl) against this one (.carry/dist), and the native path, each with GPU
# timestamps per launch (kernel_gpu_time.py) and kernel_bench.py's rounds of 100.
set -uo pipefail
. bench/h100/setup_device.sh
export WGPY_NODE_FLAGS=--experimental-wasm-stack-switching
R=$(pwd); mkdir -p build
# the session's start: its wheel, its scripts/ and js/src (.carry/baseline), sharing node_modules
[ -e .carry/baseline/node_modules ] || ln -s "$R/node_modules" .carry/baseline/node_modules
NEW="$(ls .carry/dist/*.whl | head -1)"; OLD="$(ls .carry/base/*.whl | head -1)"
for round in 1 2; do
  for v in old new; do
    W=$NEW; S=scripts/wgpy
    [ $v = old ] && W=$OLD && S=.carry/baseline/scripts/wgpy
    echo "-- wheel $v ($S)"
    WGPY_GPU_TIMING=1 timeout 90 $S --wheel "$W" --backend webgpu run bench/h100/kernel_gpu_time.py
    MANDEL_REPS=100 timeout 90 $S --wheel "$W" --backend webgpu run bench/h100/kernel_bench.py wgpy build/x.json
  done
  echo "-- native new"
  WGPY_GPU_TIMING=1 PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu \
      timeout 90 python3 bench/h100/kernel_gpu_time.py
done
