#!/usr/bin/env bash
# bench/h100/prep_branch.sh NAME [WORKTREE] — put a helper branch under .cch/br/NAME for
# bench/h100/run_branches.sh: its tracked and untracked (not ignored) files as src.tar.xz, its
# native library as libwgpy.so.xz, its HEAD as head.  Run from main's checkout; WORKTREE defaults
# to /work/wt/NAME.  Refuses a library that is older than a C source of the branch or that was
# built instrumented (sanitizers, coverage): a device call times whatever library it is given, and
# an instrumented one slows every row alike (one candidate for session 15's ops15 rows).
set -euo pipefail
name=$1; wt=${2:-/work/wt/$name}; dest=$(pwd)/.cch/br/$name
lib=$wt/build/native/libwgpy.so
[ -f "$lib" ] || { echo "prep_branch: no $lib (make native there)" >&2; exit 1; }
newer=$(cd "$wt" && find core/src core/include -name '*.[ch]' -newer build/native/libwgpy.so | head -3)
[ -z "$newer" ] || { echo "prep_branch: $lib is older than $newer (make native there)" >&2; exit 1; }
if nm -D "$lib" | grep -qE '__(asan|ubsan|gcov|sanitizer|llvm_profile)'; then
  echo "prep_branch: $lib is instrumented (sanitizers or coverage): rebuild with plain make native" >&2; exit 1
fi
rm -rf "$dest"; mkdir -p "$dest"
git -C "$wt" rev-parse --short HEAD > "$dest/head"
(cd "$wt" && git ls-files -z --cached --others --exclude-standard | grep -zv '^dist/' | tar --null -T - -cJf "$dest/src.tar.xz")
xz -T2 -c "$lib" > "$dest/libwgpy.so.xz"
du -sh "$dest"
