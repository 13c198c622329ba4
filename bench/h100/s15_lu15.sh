#!/usr/bin/env bash
# bench/h100/s15_lu15.sh — issue 11 (solve and cholesky >= 0.3 of cuSOLVER), session 15: main's
# library (.cch/libwgpy_old.so) against this branch's (.cch/libwgpy_new.so) in one call, both
# through this checkout's Python (lu15 changes no Python; only the library differs), CuPy's
# cuSOLVER in the same call.  Each process warms the GPU first (it idles at 345 MHz).
#  1. bench/h100/lu15_bench.py: solve and inv 1024^2, cholesky 2048^2, inv 64 x 32^2 (call + read,
#     median of 5; ten back to back), svd 512^2 (call + read): new, old, then without svd
#     new with WGPY_LU_TLOAD=1 (the LU panel loaded and stored through workgroup memory,
#     coalesced: lu_tpanel), new again, new with WGPY_LU_CHECKED=1 (every access range-checked
#     again: what the kernels' in-range promise is worth on its own), CuPy;
#  2. GPU ms per dispatch key (WGPY_GPU_TIMING=1, linalg_profile.py): new, new TLOAD, new
#     checked, old;
#  3. ten calls split at the flag read (lu14_split.py): new, old;
#  4. accuracy: random matrices whose pivots swap rows (lu15_bench.py --check), new and new TLOAD.
# S15_LOCAL=1 runs it here (SwiftShader, 70^2 (--tiny), the GPU's kernels forced in
# lu15_bench.py) to check it before the device does (needs .cch/libwgpy_old.so and
# .cch/libwgpy_new.so).
set -uo pipefail
R=$(pwd)
if [ -z "${S15_LOCAL:-}" ]; then
  . bench/h100/setup_device.sh
  S=; G=; T=30; W=1.5
else
  S=--tiny; G=--gpu; T=600; W=0
fi
clk() { nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null; }
clk
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
B=bench/h100/lu15_bench.py
echo "== call + read (median of 5) and ten back to back; svd call + read (median of 3); interleaved"
remote libwgpy_new.so timeout $T python3 $B $S $G --tag new --warm $W 2>&1 | tail -5
remote libwgpy_old.so timeout $T python3 $B $S $G --tag old --warm $W 2>&1 | tail -5
WGPY_LU_TLOAD=1 remote libwgpy_new.so timeout $T python3 $B $S $G --tag new-tld --warm $W --nosvd 2>&1 | tail -4
remote libwgpy_new.so timeout $T python3 $B $S $G --tag new --warm $W --nosvd 2>&1 | tail -4
WGPY_LU_CHECKED=1 remote libwgpy_new.so timeout $T python3 $B $S $G --tag new-chk --warm $W --nosvd 2>&1 | tail -4
[ -n "$S" ] || timeout 30 python3 $B --cupy --warm $W 2>&1 | tail -5
clk
echo "== GPU ms per dispatch key (WGPY_GPU_TIMING=1): new, new TLOAD, new checked, old"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout $T python3 bench/h100/linalg_profile.py $S --top 6 2>&1 | grep -v "^ *0.00[0-9] ms"
WGPY_LU_TLOAD=1 WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout $T python3 bench/h100/linalg_profile.py $S --top 3 2>&1 | grep -v "^ *0.00[0-9] ms"
WGPY_LU_CHECKED=1 WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout $T python3 bench/h100/linalg_profile.py $S --top 3 2>&1 | grep -v "^ *0.00[0-9] ms"
WGPY_GPU_TIMING=1 remote libwgpy_old.so timeout $T python3 bench/h100/linalg_profile.py $S --top 3 2>&1 | grep -v "^ *0.00[0-9] ms"
clk
echo "== ten calls split at the flag read (record = up to the read, wait = the read)"
remote libwgpy_new.so timeout $T python3 bench/h100/lu14_split.py $S --tag new --warm 1 2>&1 | tail -6
remote libwgpy_old.so timeout $T python3 bench/h100/lu14_split.py $S --tag old --warm 1 2>&1 | tail -6
echo "== accuracy (new): random matrices whose pivots swap rows, against numpy in float64"
remote libwgpy_new.so timeout $T python3 $B $S $G --tag new --check 2>&1 | grep check
WGPY_LU_TLOAD=1 remote libwgpy_new.so timeout $T python3 $B $S $G --tag new-tld --check 2>&1 | grep check
clk
