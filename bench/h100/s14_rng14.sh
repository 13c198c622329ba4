#!/usr/bin/env bash
# bench/h100/s14_rng14.sh — task rng14 (docs/random.md "Coalesced stores", docs/scans.md): random
# 16M float32 with the lane kernels' stores coalesced through workgroup memory, and cumsum 16M.
# Old (.cch/libwgpy_old.so, main) and new (.cch/libwgpy_new.so) through this checkout's Python;
# the mid-way call (20:38 UTC, on an H200) also compared store forms by a temporary switch, since
# removed (docs/random.md "Coalesced stores": 256-point workgroups adopted); CuPy's
# RandomState (cuRAND Philox), Generator and cumsum in the same call.  GPU warmed first (it idles
# at 345 MHz).  ~2.5 minutes (sections past 200 s are skipped).
set -uo pipefail
# S14_LOCAL=1 S14_N=65536: a dry run on this machine (SwiftShader, no setup, no CuPy)
[ -n "${S14_LOCAL:-}" ] || . bench/h100/setup_device.sh
[ -z "${S14_LOCAL:-}" ] || export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
R=$(pwd); N=${S14_N:-$((16 << 20))}
clk() { nvidia-smi --query-gpu=clocks.sm --format=csv,noheader | tr -d '\n'; }
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
# main's library lacks wg_set_random_path, which this branch's Python binds: the old runs take a
# copy of this package without that one binding (the rest is this branch's Python)
OLDPY=/tmp/s14_rng14_oldpy; rm -rf $OLDPY; mkdir -p $OLDPY; cp -r "$R/python/wgpy" $OLDPY/
sed -i "/'wg_set_random_path'/d" $OLDPY/wgpy/_lib.py
remote() {
    local lib="$1" py="$R/python"; shift
    [ "$lib" = libwgpy_old.so ] && py=$OLDPY
    WGPY_ROOT="$R" PYTHONPATH="$py:$R/.cch/site:$R/bench/h100" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"
}
warm() { timeout 20 python3 -c "
import cupy as cp, time
g = cp.random.default_rng(0); t = time.time()
while time.time() - t < 1.5: g.standard_normal(16 << 20, dtype='float32')
cp.cuda.Device().synchronize()"; }
warm; echo "== 1. random 16M per call (K=20 back to back, one sync and read; GPU = timestamps); SM clock $(clk)"
for cfg in old:- new:- old:- new:-; do
    lib=${cfg%%:*}; v=${cfg#*:}
    echo "-- $lib $v"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 40 python3 bench/h100/gpu_split.py 20 random $N 2>&1 | tail -3
done
echo "-- cupy (SM clock $(clk))"
timeout 40 python3 bench/h100/random_cupy.py 20 2>&1 | tail -6
echo "== 2. user-kernel variants, lanes through workgroup memory, 16M (GPU ms a dispatch, K=20)"
warm; WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 60 python3 bench/h100/rng14_variants.py $N 20 2>&1 | tail -10
echo "== 2b. hand-written WGSL (rng14_probe.mjs): 4 scalar stores / one vec4 / workgroup exchange, normals and zeros"
timeout 40 node bench/h100/rng14_probe.mjs $N 2>&1 | tail -9
echo "== 3. cumsum 16M: per call (gpu_split), differential (scan_bench)"
for v in old new; do
    echo "-- $v"
    WGPY_GPU_TIMING=1 remote libwgpy_$v.so timeout 30 python3 bench/h100/gpu_split.py 20 cumsum $N 2>&1 | tail -1
    SCAN_N=$N remote libwgpy_$v.so timeout 30 python3 bench/h100/scan_bench.py 2>&1 | grep cumsum_16M | sed "s/^wgpy/$v/"
done
timeout 30 python3 bench/h100/scan_bench.py --cupy 2>&1 | grep cumsum_16M
echo "== 4. new, scan block settings (0 auto, +200 fused prefix: 2 launches): wall, GPU, GPU ms per dispatch [shape]"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 60 python3 bench/h100/scan_blocks.py $N 0 204 208 2 8 2>&1 | grep -v "nonzero\|segscan"
echo "-- SM clock at the end: $(clk); total $SECONDS s"
