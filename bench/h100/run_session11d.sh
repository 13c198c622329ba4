#!/usr/bin/env bash
# bench/h100/run_session11d.sh — session 11's mid-way call: each helper branch's own script
# (bench/h100/s11_NAME.sh) from a copy of that branch (.cch/br/NAME/src.tar.xz, its native
# library .cch/br/NAME/libwgpy.so as .cch/libwgpy_new.so; main's as .cch/libwgpy_old.so), in turn,
# each under a time limit (carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data).
#   [PREFIX=s12_] bash bench/h100/run_session11d.sh [SECONDS_EACH] [NAME ...]
# (PREFIX: the scripts' prefix, s11_ by default; session 12 ran its helpers' s12_NAME.sh this way)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
LIMIT=${1:-150}; shift || true
names=${*:-$(ls .cch/br)}
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
for name in $names; do
  d=/tmp/w/$name; rm -rf "$d"; mkdir -p "$d/.cch"
  tar -xJf ".cch/br/$name/src.tar.xz" -C "$d"
  for l in node_modules .carry .gl dist; do ln -s "$R/$l" "$d/$l"; done
  ln -s "$R/.cch/site" "$d/.cch/site"
  [ -d "$R/.cch/base" ] && ln -s "$R/.cch/base" "$d/.cch/base"  # main's python/js at the session's start
  cp ".cch/br/$name/libwgpy.so" "$d/.cch/libwgpy_new.so"; cp .cch/libwgpy_old.so "$d/.cch/libwgpy_old.so"
  echo "== $name ($(cat .cch/br/$name/head))"
  ( cd "$d" && timeout "$LIMIT" bash "bench/h100/${PREFIX:-s11_}$name.sh" ) > "$OUT/$name.txt" 2>&1
  echo "   rc $? ; $(wc -l < "$OUT/$name.txt") lines in $name.txt"
done
