#!/usr/bin/env bash
# bench/h100/run_session10.sh — session 10's device figures in one call (carry .carry .gl .cch):
#  1. the Mandelbrot kernel (issue 9), the code generator before (.cch/libwgpy_old.so: every loop
#     a WGSL `loop`, which Tint guards with an iteration counter) and after (libwgpy_new.so: the
#     counted `for` Tint proves finite; docs/kernels.md), against CuPy, 500 and 2000 iterations,
#     rounds of 10 and of 100 launches; native CPython through the Node + Dawn host;
#  2. sort (issue 10), 3. scans and masks, 4. issue 11's workloads also back to back (--pipelined).
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd); mkdir -p build
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
remote() { local lib="$1"; shift; PYTHONPATH="$R/python" WGPY_LIBRARY="$R/.cch/$lib" WGPY_BACKEND=webgpu "$@"; }
echo "== 1. Mandelbrot kernel 1024^2"
for it in 500 2000; do
  for reps in 10 100; do
    for v in old new; do
      MANDEL_REPS=$reps MANDEL_ITERS=$it remote "libwgpy_$v.so" timeout 120 python3 bench/h100/kernel_bench.py \
          wgpy "build/m-$v-$it-$reps.json" | sed "s/^wgpy/wgpy-$v reps $reps/"
    done
    MANDEL_REPS=$reps MANDEL_ITERS=$it timeout 60 python3 bench/h100/kernel_bench.py cupy "build/m-cupy-$it-$reps.json" \
        | sed "s/^cupy/cupy reps $reps/"
  done
done
echo "== 2. sort"
remote libwgpy_new.so timeout 150 python3 bench/sort.py --path radix,tiles 1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
echo "== 3. scans and masks"
remote libwgpy_new.so timeout 120 python3 bench/h100/scan_bench.py
timeout 60 python3 bench/h100/scan_bench.py --cupy
echo "== 4. issue 11, one call and a read, and back to back"
remote libwgpy_new.so timeout 200 python3 bench/issue11_bench.py --pipelined 10 --json build/i11-wgpy.json
timeout 120 python3 bench/h100/issue11_cupy.py --pipelined 10 --json build/i11-cupy.json
python3 bench/issue11_bench.py --compare build/i11-wgpy.json build/i11-cupy.json
if [ -n "${OUT:-}" ]; then cp build/i11-*.json "$OUT"/ 2>/dev/null; fi
