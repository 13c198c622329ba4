set -uo pipefail
. bench/h100/setup_device.sh
R=$(pwd)
PYTHONPATH="$R/python:$R/.cch/site" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_BACKEND=webgpu timeout 150 python3 bench/sort.py --path radix,tiles 1048576 16777216 | tee /tmp/wgpy_sort.txt
timeout 40 python3 bench/h100/sort_cupy.py 1048576 16777216 | tee /tmp/cupy_sort.txt
python3 bench/h100/sort_ratio.py /tmp/wgpy_sort.txt /tmp/cupy_sort.txt
