#!/usr/bin/env bash
# bench/h100/s19_main19.sh — session 16's training-step comparison (s16_host16.sh: Chainer's MLP
# and CNN against PyTorch, old and new interleaved) for main at session 19, with its fast
# operators beside the library (.cch/br/main19/libwgpy_fastops.so.xz, put there by hand after
# prep_branch.sh main19 /work/main).
set -uo pipefail
R0=$(dirname "$(readlink -f .carry)")
xz -dc "$R0/.cch/br/main19/libwgpy_fastops.so.xz" > .cch/libwgpy_fastops.so
exec bash bench/h100/s16_host16.sh
