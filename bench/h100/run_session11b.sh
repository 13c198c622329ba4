#!/usr/bin/env bash
# bench/h100/run_session11b.sh — a sync point's cost, main's executor (.cch/base: python and
# js/src before the maps-beside-scopes change) against this checkout's, alternating, natively
# through the Node + Dawn host (carry .carry/node.xz .carry/webgpu.tar.xz .carry/pyodide.tar.xz .gl .cch).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
for round in 1 2; do
  for which in base new; do
    py="$R/python"; [ $which = base ] && py="$R/.cch/base/python"
    echo "== $which (round $round)"
    PYTHONPATH="$py:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy_new.so" WGPY_BACKEND=webgpu timeout 100 python3 bench/h100/roundtrip_split.py
  done
done
