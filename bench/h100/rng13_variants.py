"""Variants of the float32 normal kernel (docs/random.md, "Why 16M normals take ..."), timed on
the GPU as user kernels of the library's block form (one point per Philox block, four stores):
which part of the time is Philox's integer work, which Box-Muller, and what each change to the
32x32 -> 64-bit multiply (`mulhi`) or the rounds' loop saves.  Every same-bits variant is checked
bit for bit against the library's own `standard_normal` of the same state.

    WGPY_GPU_TIMING=1 WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... \
        python3 bench/h100/rng13_variants.py [N [K]]

mulhi forms: hd = Hacker's Delight's mulhu from 16-bit halves (the library's), hdk = the same with
the constant's halves as literals, flt/flt2/flt3 = the high half of the middle sum estimated in
float32 and made exact by the low word (docs/random.md, "A cheaper multiply by a constant, tried
and not adopted"; flt3 the last form).  zero = no generator (the stores and the launch alone),
raw = Philox's words, uniform = no Box-Muller, normal1 = one store per block (the lanes' sum),
2/pt = two blocks per point; r7 = Philox4x32-7 and tf = Threefry4x32 (20 or 13 rounds): other
streams, measured as options.  Session 13's first call ran them all; the closing list is shorter.
"""
import json
import sys
import time

import wgpy as wp
from wgpy import _lib

M0, M1 = 3528531795, 3449720151
W0, W1 = 2654435769, 3144134277

HD = ("__device__ unsigned int mh_hd(unsigned int a, unsigned int b) {\n"
      "  unsigned int al = a & 65535u, ah = a >> 16, bl = b & 65535u, bh = b >> 16;\n"
      "  unsigned int t = ah * bl + ((al * bl) >> 16);\n"
      "  unsigned int w = al * bh + (t & 65535u);\n"
      "  return ah * bh + (t >> 16) + (w >> 16);\n}\n")
HDK = ("__device__ unsigned int mh_hdk(unsigned int b, unsigned int ah, unsigned int al) {\n"
       "  unsigned int bl = b & 65535u, bh = b >> 16;\n"
       "  unsigned int t = ah * bl + ((al * bl) >> 16);\n"
       "  unsigned int w = al * bh + (t & 65535u);\n"
       "  return ah * bh + (t >> 16) + (w >> 16);\n}\n")
FLT = ("__device__ unsigned int mh_flt(unsigned int x, unsigned int lo, unsigned int mh, float mhs,"
       " float ml) {\n"
       "  float fa = __uint_as_float((x & 65535u) | 1258291200u) - 8388608.0f;\n"
       "  float fb = __uint_as_float((x >> 9) | 1065353216u) - 1.0f;\n"
       "  float fl = __uint_as_float((lo >> 9) | 1065353216u) - 1.0f;\n"
       "  float e = mhs * fa + (ml * fb - fl);\n"
       "  return mh * (x >> 16) + (__float_as_uint(e + 8388608.0f) - 1258291200u);\n}\n")
# flt with adds where the bits are disjoint (a shift and an add can be one instruction, NVIDIA's
# LEA.HI) and the magic's exponent bits cancelled inside the product: mh * d = -0x4b000000 mod 2^32
FLT2 = ("__device__ unsigned int mh_flt2(unsigned int x, unsigned int lo, unsigned int mh, float mhs,"
        " float ml, unsigned int d) {\n"
        "  float fa = __uint_as_float((x & 65535u) | 1258291200u) - 8388608.0f;\n"
        "  float fb = __uint_as_float((x >> 9) + 1065353216u) - 1.0f;\n"
        "  float fl = __uint_as_float((lo >> 9) + 1065353216u) - 1.0f;\n"
        "  float e = mhs * fa + (ml * fb - fl);\n"
        "  return mh * ((x >> 16) + d) + __float_as_uint(e + 8388608.0f);\n}\n")
D = {53841: 620756992, 52638: 494927872}
# flt2 with the float work folded: x / 2^32 + 1 and lo / 2^32 + 1 used as read, the ones and the
# 2^23 rounding constant in one kk = 2^23 + 1 - ml (random.c's wg_mulhi_k since session 13)
FLT3 = ("__device__ unsigned int mh_flt3(unsigned int x, unsigned int lo, unsigned int mh,"
        " unsigned int d, float mhs, float ml, float kk) {\n"
        "  float xl = __uint_as_float((x & 65535u) | 1258291200u) - 8388608.0f;\n"
        "  float e = mhs * xl + (ml * __uint_as_float((x >> 9) + 1065353216u) - "
        "__uint_as_float((lo >> 9) + 1065353216u));\n"
        "  return mh * ((x >> 16) + d) + __float_as_uint(e + kk);\n}\n")


def mul(form, m, x, lo):
    if form == 'hd':
        return 'mh_hd(%du, %s)' % (m, x)
    if form == 'hdk':
        return 'mh_hdk(%s, %du, %du)' % (x, m >> 16, m & 65535)
    if form == 'flt3':
        return 'mh_flt3(%s, %s, %du, %du, %.1ff / 65536.0f, %d.0f, %d.0f)' % (
            x, lo, m >> 16, D[m >> 16], m >> 16, m & 65535, 8388609 - (m & 65535))
    if form == 'flt2':
        return 'mh_flt2(%s, %s, %du, %.1ff / 65536.0f, %d.0f, %du)' % (x, lo, m >> 16, m >> 16,
                                                                      m & 65535, D[m >> 16])
    return 'mh_flt(%s, %s, %du, %.1ff / 65536.0f, %d.0f)' % (x, lo, m >> 16, m >> 16, m & 65535)


def round_src(form):
    return ('l0 = %du * c0; l1 = %du * c2; h0 = %s; h1 = %s;\n'
            'c0 = h1 ^ c1 ^ k0; c1 = l1; c2 = h0 ^ c3 ^ k1; c3 = l0;\n'
            'k0 = k0 + %du; k1 = k1 + %du;\n'
            % (M0, M1, mul(form, M0, 'c0', 'l0'), mul(form, M1, 'c2', 'l1'), W0, W1))


# Threefry4x32-20 (Random123): adds, rotations and xors only; its cost as an alternative stream
# (a cost probe; its block 0 for key 0 is Random123's known answer 9c6ca96a e17eae66 fc10ecd4 5256a7d8)
TF_ROT = ((10, 26), (11, 21), (13, 27), (23, 5), (6, 20), (17, 11), (25, 10), (18, 20))


def threefry_body(rounds):
    s = ('unsigned int ks0 = k0, ks1 = k1, ks2 = 0u, ks3 = 0u, '
         'ks4 = 466688986u ^ k0 ^ k1;\n'
         'c0 = c0 + ks0; c1 = c1 + ks1; c2 = c2 + ks2; c3 = c3 + ks3;\n')
    ks = ['ks0', 'ks1', 'ks2', 'ks3', 'ks4']

    def rot(x, r):
        return '((%s << %du) | (%s >> %du))' % (x, r, x, 32 - r)
    for rnd in range(rounds):
        ra, rb = TF_ROT[rnd % 8]
        if rnd % 2 == 0:
            s += 'c0 = c0 + c1; c1 = %s ^ c0; c2 = c2 + c3; c3 = %s ^ c2;\n' % (rot('c1', ra), rot('c3', rb))
        else:
            s += 'c0 = c0 + c3; c3 = %s ^ c0; c2 = c2 + c1; c1 = %s ^ c2;\n' % (rot('c3', ra), rot('c1', rb))
        if rnd % 4 == 3:
            j = rnd // 4 + 1
            s += ('c0 = c0 + %s; c1 = c1 + %s; c2 = c2 + %s; c3 = c3 + %s + %du;\n'
                  % (ks[j % 5], ks[(j + 1) % 5], ks[(j + 2) % 5], ks[(j + 3) % 5], j))
    return s


def source(form, rounds, unroll, out, bpt=1):
    r = round_src(form)
    if form == 'tf':
        body = threefry_body(rounds)
    else:
        body = r * rounds if unroll else 'for (int rnd = 0; rnd < %d; rnd++) {\n%s}\n' % (rounds, r)
    pre = HD + HDK + FLT + FLT2 + FLT3 + (
        "__device__ void ph(unsigned int c0, unsigned int c1, unsigned int c2, unsigned int c3,"
        " unsigned int k0, unsigned int k1, unsigned int &r0, unsigned int &r1, unsigned int &r2,"
        " unsigned int &r3) {\n  unsigned int h0, l0, h1, l1;\n" + body +
        "  r0 = c0; r1 = c1; r2 = c2; r3 = c3;\n}\n"
        "__device__ double f24(unsigned int w, double half) {\n"
        "  return ((double)(w >> 8) + half) * 5.9604644775390625e-08;\n}\n"
        "__device__ void bm(double u1, double u2, double &c, double &s) {\n"
        "  double rad = sqrt(-2.0 * log(u1)), t = 6.283185307179586 * u2;\n"
        "  c = rad * cos(t); s = rad * sin(t);\n}\n")
    if out in ('normal', 'normal1'):
        words = ("double v0, v1, v2, v3;\n"
                 "bm(f24(r0, 0.5), f24(r1, 0.0), v0, v1); bm(f24(r2, 0.5), f24(r3, 0.0), v2, v3);\n")
    elif out == 'uniform':
        words = "double v0 = f24(r0, 0.0), v1 = f24(r1, 0.0), v2 = f24(r2, 0.0), v3 = f24(r3, 0.0);\n"
    elif out == 'zero':  # no generator: the stores and the launch alone
        words = "float v0 = 0.0f, v1 = 0.0f, v2 = 0.0f, v3 = 0.0f;\n"
    else:  # raw words as float bits
        words = ("float v0 = __uint_as_float(r0), v1 = __uint_as_float(r1), v2 = __uint_as_float(r2),"
                 " v3 = __uint_as_float(r3);\n")
    one = ("unsigned int r0, r1, r2, r3;\n"
           "ph((unsigned int)b, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n" + words +
           "y[e] = (float)v0;\n"
           "if (e + 1 < n) y[e + 1] = (float)v1;\n"
           "if (e + 2 < n) y[e + 2] = (float)v2;\n"
           "if (e + 3 < n) y[e + 3] = (float)v3;\n")
    if out == 'normal1':  # one store per block (the sum), to see the four stores' cost
        pass
        one = ("unsigned int r0, r1, r2, r3;\n"
               "ph((unsigned int)b, 0u, c2, c3, k0, k1, r0, r1, r2, r3);\n" + words +
               "y[(int)i] = (float)(v0 + v1 + v2 + v3);\n")
    if bpt == 1:
        op = "int b = (int)i, e = b << 2;\n{\n" + one + "}\n"
    else:  # two blocks per point (blocks 2i and 2i + 1: the same outputs)
        op = ("for (int h = 0; h < 2; h++) {\n int b = ((int)i << 1) + h, e = b << 2;\n"
              " if (e < n) {\n" + one + "}\n}\n")
    return wp.ElementwiseKernel('uint32 k0, uint32 k1, uint32 c2, uint32 c3, int32 n',
                                'raw float32 y', op, 'rng13_%s_%d_%d_%s_%d' % (form, rounds, unroll, out, bpt),
                                preamble=pre)


def same(a, b):
    import numpy as np
    b = b if isinstance(b, np.ndarray) else wp.asnumpy(b)
    return bool(np.array_equal(wp.asnumpy(a).view(np.uint32), b.view(np.uint32)))


def gpu_ms():
    ex = getattr(_lib, '_executor', None)
    if ex is None:
        return 0.0
    s = ex.stats()
    s = json.loads(s) if isinstance(s, (str, bytes)) else s
    return sum((s.get('gpuMs') or {}).values())


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seed = 12345
    rs = wp.random.RandomState(seed)
    st = rs.get_state()[1]  # key low, key high, call low, call high
    ref = wp.asnumpy(rs.standard_normal(n, dtype='float32'))
    y = wp.empty(n, dtype='float32')
    args = [int(st[0]), int(st[1]), int(st[2]), int(st[3]), n]
    configs = [('hd', 10, 0, 'normal', 1), ('flt3', 10, 0, 'normal', 1), ('hd', 10, 0, 'zero', 1),
               ('hd', 10, 0, 'uniform', 1), ('hd', 10, 0, 'raw', 1), ('hd', 10, 1, 'normal', 1),
               ('hd', 10, 0, 'normal1', 1), ('hd', 10, 0, 'normal', 2), ('hd', 7, 0, 'normal', 1),
               ('tf', 20, 1, 'normal', 1), ('tf', 13, 1, 'normal', 1), ('hd', 10, 0, 'normal', 1)]
    only = sys.argv[3].split(',') if len(sys.argv) > 3 else None
    base_raw = None
    for form, rounds, unroll, out, bpt in configs:
        name = '%s r%d %s %s%s' % (form, rounds, 'unrolled' if unroll else 'loop', out,
                                   ' 2/pt' if bpt == 2 else '')
        if only and not any(o in name for o in only):
            continue
        ker = source(form, rounds, unroll, out, bpt)
        pts = (n + 4 * bpt - 1) // (4 * bpt)
        ker(*args, y, size=pts)
        wp.sync()
        check = ''
        if form != 'tf' and rounds == 10 and out == 'normal':
            check = ' same bits as the library: %s' % same(y, ref)
        if form != 'tf' and rounds == 10 and out == 'raw':
            if base_raw is None:
                base_raw = wp.asnumpy(y)
            else:
                check = ' same words as hd: %s' % same(y, base_raw)
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
        print('%-26s GPU %7.4f ms/call  wall %7.3f ms/call%s'
              % (name, (g1 - g0) / k, (t1 - t0) * 1e3 / k, check), flush=True)


if __name__ == '__main__':
    main()
