#!/usr/bin/env bash
# bench/h100/run_launch_cost.sh — host time per kernel launch on the H100 (issue 15's tiny ops,
# the launch-bound work of issues 9-12), this branch against a baseline in the same call
# (carry .carry .gl .cch and .carry/baseline):
#   .cch/libwgpy.so      this checkout's native library (make native)
#   .carry/baseline      the baseline's python/ js/ package.json:
#                        git archive main python js/src package.json | tar -x -C .carry/baseline
#  1. bench/launch_cost.py natively (CPython + the Node + Dawn host): µs per launch by layer
#  2. bench/launch_replay.mjs: the executor alone on the chunks step 1 saved
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
export PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu
echo "== 1. launch_cost.py: this branch against .carry/baseline, 3 interleaved processes each"
timeout 400 python3 bench/launch_cost.py --baseline .carry/baseline --rounds 10 --repeat 3 --dump build/lc-chunks
echo "== 2. launch_replay.mjs: the executor alone"
timeout 150 node bench/launch_replay.mjs build/lc-chunks --baseline .carry/baseline --reps 300
node bench/dawn_calls.mjs 20000
