#!/usr/bin/env bash
# bench/h100/run_branches.sh — a session's device calls: each helper branch's own script
# (bench/h100/sNN_NAME.sh, the highest session number the branch has) from a copy of that branch (.cch/br/NAME/src.tar.xz; its native library
# .cch/br/NAME/libwgpy.so.xz becomes .cch/libwgpy_new.so there, main's .cch/libwgpy_old.so.xz
# .cch/libwgpy_old.so), in turn, each under a time limit.  Compressed libraries and site (Chainer's
# pure-Python packages, .cch/site.tar.xz) keep four branches within the carry's 64 MiB.
#   bash bench/h100/prep_branch.sh NAME   (each branch, here), then on the device
#   bash bench/h100/run_branches.sh SECONDS_EACH NAME...   (carry .carry/node.xz
#   .carry/webgpu.tar.xz .gl .cch dist/data)
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
LIMIT=${1:-150}; shift || true
names=${*:-$(ls .cch/br)}
[ -f .cch/libwgpy_old.so ] || xz -dc .cch/libwgpy_old.so.xz > .cch/libwgpy_old.so
[ -d .cch/site ] || [ ! -f .cch/site.tar.xz ] || { mkdir -p .cch/site && tar -xJf .cch/site.tar.xz -C .cch/site; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
for name in $names; do
  d=/tmp/w/$name; rm -rf "$d"; mkdir -p "$d/.cch"
  tar -xJf ".cch/br/$name/src.tar.xz" -C "$d"
  for l in node_modules .carry .gl dist; do ln -s "$R/$l" "$d/$l"; done
  [ -d "$R/.cch/site" ] && ln -s "$R/.cch/site" "$d/.cch/site"
  [ -d "$R/.cch/base" ] && ln -s "$R/.cch/base" "$d/.cch/base"  # main's python/js at the session's start
  xz -dc ".cch/br/$name/libwgpy.so.xz" > "$d/.cch/libwgpy_new.so"; cp .cch/libwgpy_old.so "$d/.cch/libwgpy_old.so"
  echo "== $name ($(cat .cch/br/$name/head))"
  t0=$SECONDS
  script=$(cd "$d" && ls bench/h100/s[0-9]*_"$name".sh 2>/dev/null | sort -V | tail -1)
  ( cd "$d" && timeout "$LIMIT" bash "${script:-bench/h100/s_missing_$name.sh}" ) > "$OUT/$name.txt" 2>&1
  echo "   rc $? ; $((SECONDS - t0)) s; $(wc -l < "$OUT/$name.txt") lines in $name.txt"
done
