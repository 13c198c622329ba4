#!/usr/bin/env bash
# bench/h100/s16_ops.sh — session 16's first device call: session 15's unexplained ops15 rows (tiny
# ops 1.5-2.2x slower on the H100 with ops15's branch, m.T included, which ops15 did not touch;
# CNN 32 5.76 -> 8.12 ms) measured again with main's library built here by `make native`:
# old = main before ops15's merge (c6940f0: .cch/base15's python/ and js/src, .cch/lib_pre15.so.xz),
# new = main at the session's start (this checkout, .cch/libwgpy_old.so.xz).  Then issue 12's
# training rows against PyTorch (bench/h100/s15_ops15.sh's sections 1-4).
#   carry .carry/node.xz .carry/webgpu.tar.xz .gl .cch dist/data
set -uo pipefail
xz -dc .cch/lib_pre15.so.xz > .cch/libwgpy_old.so
xz -dc .cch/libwgpy_old.so.xz > .cch/libwgpy_new.so
BASE_DIR=$(pwd)/.cch/base15 bash bench/h100/s15_ops15.sh
