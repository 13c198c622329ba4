#!/usr/bin/env bash
# bench/h100/run_session11c.sh — the Node host's JavaScript profile of 500 round trips (a tiny op
# and its read) on the H100 (carry .carry/node.xz .carry/webgpu.tar.xz .carry/pyodide.tar.xz .gl .cch)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
printf '#!/bin/sh\nexec node --cpu-prof --cpu-prof-dir=/tmp/prof "$@"\n' > /tmp/nodeprof; chmod +x /tmp/nodeprof
rm -rf /tmp/prof
NODE=/tmp/nodeprof PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu timeout 100 python3 bench/h100/rt_tiny.py
sleep 1
python3 bench/h100/cpuprof_top.py /tmp/prof/*.cpuprofile 40
cp /tmp/prof/*.cpuprofile $OUT/ 2>/dev/null
