"""Session 14's variants of the float32 normal kernel (docs/random.md, "Coalesced stores"), timed
on the GPU as user kernels: the block form's four lanes exchanged through workgroup memory and
stored by neighbouring points to neighbouring words (what the library's lane kernels now do),
and what is left once the stores are coalesced — the stores alone (zeros), Philox alone (raw
words), uniforms, the normal with the 16-bit-halves mulhi (hd, the library's) or the float
estimate (flt3, docs/random.md "A cheaper multiply by a constant"), two blocks a point.  Every
same-bits variant is checked against the library's `standard_normal` of the same state.

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... \\
        python3 bench/h100/rng14_variants.py [N [K [ONLY,...]]]
"""
import sys
import time

import wgpy as wp

from rng13_variants import FLT, FLT2, FLT3, HD, HDK, gpu_ms, round_src, same


def source(form, out, B, bpt):
    r = round_src(form)
    pre = HD + HDK + FLT + FLT2 + FLT3 + (
        "__device__ void ph(unsigned int c0, unsigned int c1, unsigned int c2, unsigned int c3,"
        " unsigned int k0, unsigned int k1, unsigned int &r0, unsigned int &r1, unsigned int &r2,"
        " unsigned int &r3) {\n  unsigned int h0, l0, h1, l1;\n"
        "for (int rnd = 0; rnd < 10; rnd++) {\n" + r + "}\n"
        "  r0 = c0; r1 = c1; r2 = c2; r3 = c3;\n}\n"
        "__device__ double f24(unsigned int w, double half) {\n"
        "  return ((double)(w >> 8) + half) * 5.9604644775390625e-08;\n}\n"
        "__device__ void bm(double u1, double u2, double &c, double &s) {\n"
        "  double rad = sqrt(-2.0 * log(u1)), t = 6.283185307179586 * u2;\n"
        "  c = rad * cos(t); s = rad * sin(t);\n}\n")
    if out == 'normal':
        words = ("double v0, v1, v2, v3;\n"
                 "bm(f24(r0, 0.5), f24(r1, 0.0), v0, v1); bm(f24(r2, 0.5), f24(r3, 0.0), v2, v3);\n")
    elif out == 'uniform':
        words = "double v0 = f24(r0, 0.0), v1 = f24(r1, 0.0), v2 = f24(r2, 0.0), v3 = f24(r3, 0.0);\n"
    elif out == 'zero':
        words = "float v0 = 0.0f, v1 = 0.0f, v2 = 0.0f, v3 = 0.0f;\n"
    else:
        words = ("float v0 = __uint_as_float(r0), v1 = __uint_as_float(r1), v2 = __uint_as_float(r2),"
                 " v3 = __uint_as_float(r3);\n")
    gen = "" if out == 'zero' else "ph((unsigned int)b, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n"
    L = 4 * bpt  # outputs a point
    sh = L * B + L * B // 32
    op = ("__shared__ float sh[%d];\n"
          "int t = (int)i & %d, base = ((int)i - t) * %d;\n" % (sh, B - 1, L))
    for h in range(bpt):
        op += ("{\n int b = (int)i * %d + %d; unsigned int r0 = 0u, r1 = 0u, r2 = 0u, r3 = 0u;\n%s%s"
               " int w = t * %d + %d;\n" % (bpt, h, gen, words, L, 4 * h))
        for j in range(4):
            op += " sh[w + %d + ((w + %d) >> 5)] = (float)v%d;\n" % (j, j, j)
        op += "}\n"
    op += "__syncthreads();\n"
    for s in range(L):
        op += ("{ int u = t + %d; if (base + u < n) y[base + u] = sh[u + (u >> 5)]; }\n" % (s * B))
    name = 'rng14_%s_%s_%d_%d' % (form, out, B, bpt)
    return wp.ElementwiseKernel('uint32 k0, uint32 k1, uint32 c2, uint32 c3, int32 n',
                                'raw float32 y', op, name, preamble=pre,
                                loop_prep='__wg_block(%d)' % B)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    only = sys.argv[3].split(',') if len(sys.argv) > 3 else None
    rs = wp.random.RandomState(12345)
    st = rs.get_state()[1]
    ref = wp.asnumpy(rs.standard_normal(n, dtype='float32'))
    y = wp.empty(n, dtype='float32')
    args = [int(st[0]), int(st[1]), int(st[2]), int(st[3]), n]
    configs = [('hd', 'zero', 64, 1), ('hd', 'raw', 64, 1), ('hd', 'uniform', 64, 1),
               ('hd', 'normal', 64, 1), ('flt3', 'normal', 64, 1), ('hd', 'normal', 128, 1),
               ('hd', 'normal', 256, 1), ('hd', 'normal', 64, 2), ('flt3', 'normal', 256, 1)]
    for form, out, B, bpt in configs:
        name = '%s %s wg%d%s' % (form, out, B, ' 2/pt' if bpt == 2 else '')
        if only and not any(o in name for o in only):
            continue
        ker = source(form, out, B, bpt)
        pts = (n + 4 * bpt - 1) // (4 * bpt)
        pts = (pts + B - 1) // B * B
        ker(*args, y, size=pts)
        wp.sync()
        check = ' same bits as the library: %s' % same(y, ref) if out == 'normal' else ''
        t = time.perf_counter()
        while time.perf_counter() - t < 0.5:  # hold the clock up (it idles at 345 MHz)
            for _ in range(10):
                ker(*args, y, size=pts)
            wp.sync()
        for _ in range(2):
            g0 = gpu_ms()
            t0 = time.perf_counter()
            for _ in range(k):
                ker(*args, y, size=pts)
            wp.sync()
            t1 = time.perf_counter()
            g1 = gpu_ms()
        print('%-24s GPU %7.4f ms/call  wall %7.3f ms/call%s'
              % (name, (g1 - g0) / k, (t1 - t0) * 1e3 / k, check), flush=True)


if __name__ == '__main__':
    main()
