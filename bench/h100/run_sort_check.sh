# The radix sort on the H100 (issue 10; docs/sorting.md), one device call (carry .carry .gl .cch):
#  1. bench/sort.py (radix and tiles, checked against numpy) and CuPy's sort, with the ratio;
#  2. the keys-only question (docs/sorting.md, "Keys alone"): a values-only sort by the
#     keys-alone path as it was (WGPY_RADIX_KEYS_ONLY=1: WRONG in session 9), by the passes
#     with positions plus the key transforms' inverse in a launch of its own (=2), and by the
#     keys-alone passes storing keys plus that launch (=3): "WRONG" on 2 points at the
#     transforms' arithmetic on this GPU, on 3 (not 2) at the keys-alone scatter, on 1 alone at
#     the keys-alone last scatter (k_scatter8_kf);
#  3. GPU time per dispatch shape against the wall time (bench/h100/sort_profile.py).
# At most ~490 s (the timeouts), under the device's 600 s a command.
set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
wg() { PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu "$@"; }
wg timeout 150 python3 bench/sort.py --path radix,tiles 1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
# (session 11: the transforms are integer bit operations and keys alone is the default again;
# modes 2 and 3 are gone, =0 carries positions: bench/h100/s11_radix11.sh)
for m in 0 1; do
    echo "== WGPY_RADIX_KEYS_ONLY=$m (sort rows only matter)"
    WGPY_RADIX_KEYS_ONLY=$m wg timeout 60 python3 bench/sort.py --path radix 1048576
done
echo "== GPU time per dispatch shape"
WGPY_GPU_TIMING=1 wg timeout 120 python3 bench/h100/sort_profile.py 1048576 16777216
