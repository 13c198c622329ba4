#!/usr/bin/env bash
# bench/h100/run_session14z.sh PART — session 14's closing device figures: main after the merges
# (.cch/libwgpy_new.so) against main at the session's start (.cch/libwgpy_old.so with .cch/base's
# python and js/src), CuPy and PyTorch in the same call, through the helpers' own scripts; each
# script's output to $OUT/NAME.txt.  Carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data.
#   A: issue 15's guard rows (s13_peers13.sh), training and back-to-back sums (s14_host14.sh), LU
#      and Cholesky (s14_lu14.sh)
#   B: FFT (s14_fft14.sh), random and cumsum (s14_rng14.sh), the WGSL wrappers' cost (wrap_probe.sh)
#   C: one short call when device time runs low: training, LU/Cholesky, the wrappers, the guards
#   D: the same, the wrappers first
set -uo pipefail
. bench/h100/setup_device.sh
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
run() { local name=$1 limit=$2; shift 2; local t0=$SECONDS
  timeout "$limit" "$@" > "$OUT/$name.txt" 2>&1
  echo "$name: rc $?, $((SECONDS - t0)) s, $(wc -l < "$OUT/$name.txt") lines"; }
if [ "${1:-A}" = A ]; then
  run guards 90 bash bench/h100/s13_peers13.sh
  run host14 240 bash bench/h100/s14_host14.sh
  run lu14 150 bash bench/h100/s14_lu14.sh
elif [ "$1" = C ]; then
  run host14 165 bash bench/h100/s14_host14.sh
  run lu14 85 bash bench/h100/s14_lu14.sh
  WGPY_LIBRARY=$(pwd)/.cch/libwgpy_new.so run wrap 75 bash bench/h100/wrap_probe.sh
  run guards 70 bash bench/h100/s13_peers13.sh
elif [ "$1" = D ]; then
  WGPY_LIBRARY=$(pwd)/.cch/libwgpy_new.so run wrap 75 bash bench/h100/wrap_probe.sh
  run lu14 85 bash bench/h100/s14_lu14.sh
  run host14 165 bash bench/h100/s14_host14.sh
else
  run fft14 90 bash bench/h100/s14_fft14.sh
  run rng14 120 bash bench/h100/s14_rng14.sh
  WGPY_LIBRARY=$(pwd)/.cch/libwgpy_new.so run wrap 200 bash bench/h100/wrap_probe.sh
fi
