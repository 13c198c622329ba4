#!/usr/bin/env bash
# bench/h100/s13_rng13.sh — task rng13 (docs/random.md "Why 16M normals take ..."): the lane
# kernels' Philox with the constant multiplier's mulhi estimated in float32 (wg_mulhi_k, same
# bits; .cch/libwgpy_new.so) against main's 16-bit-halves mulhi (.cch/libwgpy_old.so), both
# through this branch's Python, then CuPy (RandomState = cuRAND Philox, Generator) in the same
# call, then user-kernel variants (bench/h100/rng13_variants.py: mulhi forms, unrolled rounds,
# Philox's cost without Box-Muller, 7 rounds as an option) with a bit check.  ~2-3 minutes.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,driver_version,clocks.sm --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. random 16M float32, per call (K=20 then one sync, 2 rounds: the 2nd printed): GPU = timestamps"
for lib in old new; do
    echo "-- wgpy $lib"
    WGPY_GPU_TIMING=1 remote libwgpy_$lib.so timeout 40 python3 bench/h100/gpu_split.py 20 random 2>&1 | tail -3
done
echo "-- cupy"
timeout 40 python3 bench/h100/random_cupy.py 20 2>&1 | tail -4
echo "== 2. same bits: new library's normals/uniforms/integers equal old's (16M, seed 5)"
for lib in old new; do
    remote libwgpy_$lib.so timeout 30 python3 - "$lib" <<'PY'
import sys, numpy as np, wgpy as wp
r = wp.random.RandomState(5); g = wp.random.default_rng(5)
a = [r.standard_normal(16 << 20, dtype='float32'), r.random_sample(16 << 20), r.randint(0, 1000, 16 << 20, dtype='int32'),
     g.standard_normal(1 << 20, dtype='float32'), r.normal(1.0, 2.0, size=(1000, 3))]
np.savez('/tmp/rng13_%s.npz' % sys.argv[1], *[wp.asnumpy(x) for x in a])
PY
done
python3 - <<'PY'
import numpy as np
o, n = np.load('/tmp/rng13_old.npz'), np.load('/tmp/rng13_new.npz')
print('identical (normal, uniform, integers, Generator normal, normal(1,2)):',
      [bool(np.array_equal(o[k].view(np.uint32), n[k].view(np.uint32))) for k in o.files])
PY
echo "== 3. user-kernel variants of the block form, 16M normals (GPU ms per dispatch, K=20)"
WGPY_GPU_TIMING=1 remote libwgpy_new.so timeout 80 python3 bench/h100/rng13_variants.py $((16 << 20)) 20
