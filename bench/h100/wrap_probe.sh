#!/usr/bin/env bash
# bench/h100/wrap_probe.sh — what the WGSL generator's safety wrappers cost on the GPU (session
# 14: a hand-written Philox normal kernel ran in 0.048 ms where the library's took 0.117):
# the same workloads with the generated WGSL as is and with each simplification of
# wrap_patch.mjs (measurement only; a copy of js/ whose executor applies it), GPU ms a call.
#   bash bench/h100/wrap_probe.sh [N]      (after . bench/h100/setup_device.sh on the device)
R=$(pwd)
for v in base P G W H PGWH base; do
  d=/tmp/wrap/$v; rm -rf "$d"; mkdir -p "$d/js"
  cp -r "$R/js/src" "$d/js/src"; ln -s "$R/node_modules" "$d/node_modules"; cp "$R/package.json" "$d/"
  cp "$R/bench/h100/wrap_patch.mjs" "$d/js/src/webgpu/wrap_patch.mjs"
  python3 - "$d/js/src/webgpu/executor.mjs" <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = "import { wrapPatch } from './wrap_patch.mjs';\n" + s
s = s.replace("    const module = dev.createShaderModule({ code });",
              "    code = wrapPatch(code, process.env.WGPY_WRAP_PATCH || '');\n"
              "    const module = dev.createShaderModule({ code });", 1)
open(p, 'w').write(s)
PY
  printf '%-5s ' "$v"
  WGPY_WRAP_PATCH=$([ "$v" = base ] || echo "$v") WGPY_ROOT="$d" WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu \
    PYTHONPATH="$R/python" WGPY_LIBRARY="${WGPY_LIBRARY:-$R/build/native/libwgpy.so}" \
    timeout 120 python3 "$R/bench/h100/wrap_work.py" "$@" 2>&1 | tail -1
done
