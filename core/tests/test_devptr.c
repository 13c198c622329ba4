/* Device pointers (api/devptr.c, array/ptrreg.c; docs/cupy.md "Device pointers"): addresses,
 * their registry, a kernel loading through pointer values, cuBLAS's batched LU over pointers. */
#include "wgtest.h"
#include "wgpy.h"

#include <stddef.h>
#include <stdint.h>

WG_TEST(devptr_addresses) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int64_t shape[1] = {10};
    wg_array *a = wg_empty(ctx, WG_FLOAT32, 1, shape), *b = wg_empty(ctx, WG_INT32, 1, shape);
    uint64_t pa, ma, pb, mb;
    int64_t sa, sb;
    WG_CHECK_EQ_INT(wg_data_ptr(ctx, a, &pa, &ma, &sa), WG_OK);
    WG_CHECK_EQ_INT(wg_data_ptr(ctx, b, &pb, &mb, &sb), WG_OK);
    WG_CHECK(pa != 0 && pa == ma && sa == 40 && sb == 40);
    WG_CHECK(pb >= pa + 40 || pa >= pb + 40);       /* ranges do not overlap */
    uint64_t pa2, ma2;
    WG_CHECK_EQ_INT(wg_data_ptr(ctx, a, &pa2, &ma2, &sa), WG_OK);
    WG_CHECK(pa2 == pa);                               /* stable */
    int64_t items[4] = {WG_IDX_SLICE, 3, 10, 1};
    wg_array *v = wg_index(ctx, a, 1, items);
    WG_CHECK_EQ_INT(wg_data_ptr(ctx, v, &pa2, &ma2, &sa), WG_OK);
    WG_CHECK(pa2 == pa + 12 && ma2 == pa);
    /* a view from a pointer; another dtype is refused; past the end is refused */
    int64_t vs[1] = {4}, st[1] = {4};
    wg_array *w = wg_ptr_view(ctx, pa + 8, WG_FLOAT32, 1, vs, st);
    WG_CHECK(w != NULL && wg_shares_buffer(w, a));
    WG_CHECK(wg_ptr_view(ctx, pa, WG_INT32, 1, vs, st) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_NOTIMPL);
    vs[0] = 9;
    WG_CHECK(wg_ptr_view(ctx, pa + 8, WG_FLOAT32, 1, vs, st) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_release(w);
    wg_release(v);
    wg_release(a);                                     /* the range is given back */
    vs[0] = 1;
    WG_CHECK(wg_ptr_view(ctx, pa, WG_FLOAT32, 1, vs, st) == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_VALUE);
    wg_array *c = wg_empty(ctx, WG_FLOAT32, 1, shape);
    uint64_t pc, mc;
    WG_CHECK_EQ_INT(wg_data_ptr(ctx, c, &pc, &mc, &sa), WG_OK);
    WG_CHECK(pc == pa);                                /* first fit reuses it */
    wg_release(b);
    wg_release(c);
    wg_context_free(ctx);
}

WG_TEST(devptr_kernel_loads) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float va[4] = {1, 2, 3, 4}, vb[3] = {10, 20, 30}, r[8];
    int64_t s4[1] = {4}, s3[1] = {3}, s2[2] = {2, 4}, s21[2] = {2, 1};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 1, s4, va), *b = wg_from_data(ctx, WG_FLOAT32, 1, s3, vb);
    uint64_t p[2], m;
    int64_t sz;
    wg_data_ptr(ctx, a, &p[0], &m, &sz);
    wg_data_ptr(ctx, b, &p[1], &m, &sz);
    p[0] += 4; /* a[1:] */
    wg_array *ptrs = wg_from_data(ctx, WG_UINT64, 2, s21, p);
    wg_ukernel *k = NULL;
    WG_CHECK_EQ_INT(wg_ukernel_elementwise(ctx, "P ptr", "T y",
                                           "int c = i % 4; y = c < 3 ? reinterpret_cast<const T*>(ptr)[c] : (T)-1;",
                                           "k", "", "", "", &k), WG_OK);
    wg_array *y = wg_empty(ctx, WG_FLOAT32, 2, s2);
    wg_array *args[2] = {ptrs, y};
    wg_array *outs[1] = {NULL};
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 2, args, -1, outs), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, r, sizeof r), WG_OK);
    float want[8] = {2, 3, 4, -1, 10, 20, 30, -1};
    for (int i = 0; i < 8; i++) WG_CHECK(r[i] == want[i]);
    wg_release(outs[0]);
    wg_ukernel_free(k);
    wg_release(ptrs);
    wg_release(y);
    wg_release(a);
    wg_release(b);
    wg_context_free(ctx);
}

WG_TEST(devptr_given_values) {
    /* the values a stream host's caller reads and gives (wg_set_pointer_values) are used */
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    float va[3] = {5, 6, 7}, r[2];
    int64_t s3[1] = {3}, s2[1] = {2};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 1, s3, va);
    uint64_t p, m, bogus[2] = {0x77777777ull, 0x77777777ull};
    int64_t sz;
    wg_data_ptr(ctx, a, &p, &m, &sz);
    wg_array *ptrs = wg_from_data(ctx, WG_UINT64, 1, s2, bogus); /* the device holds others */
    uint64_t vals[3] = {p, p + 8, p};
    WG_CHECK_EQ_INT(wg_set_pointer_values(ctx, 2, vals), WG_OK);
    wg_ukernel *k = NULL;
    WG_CHECK_EQ_INT(wg_ukernel_elementwise(ctx, "P q", "float32 y",
                                           "y = ((const float*)q)[0];", "k", "", "", "", &k), WG_OK);
    wg_array *outs[1] = {NULL};
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 1, &ptrs, -1, outs), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, outs[0], r, sizeof r), WG_OK);
    WG_CHECK(r[0] == 5 && r[1] == 7);
    wg_release(outs[0]);
    /* consumed: the next launch reads the array's own (bogus) values */
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 1, &ptrs, -1, outs), WG_ERR_VALUE);
    WG_CHECK_EQ_INT(wg_set_pointer_values(ctx, 3, vals), WG_OK); /* a count that does not match */
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 1, &ptrs, -1, outs), WG_ERR_VALUE);
    wg_ukernel_free(k);
    wg_release(ptrs);
    wg_release(a);
    wg_context_free(ctx);
}

WG_TEST(devptr_cublas_getrf_getri) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* column-major [[0, 2], [1, 1]] (memory 0 1 2 1): pivot row 2 first; det -2 */
    float va[4] = {0, 1, 2, 1}, inv[4];
    int32_t piv[2], info[1];
    int64_t s4[1] = {4}, s1[1] = {1}, s2[1] = {2};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 1, s4, va), *c = wg_empty(ctx, WG_FLOAT32, 1, s4);
    wg_array *p = wg_empty(ctx, WG_INT32, 1, s2), *in = wg_empty(ctx, WG_INT32, 1, s1);
    uint64_t pa, pc, pp, pi, m;
    int64_t sz;
    wg_data_ptr(ctx, a, &pa, &m, &sz);
    wg_data_ptr(ctx, c, &pc, &m, &sz);
    wg_data_ptr(ctx, p, &pp, &m, &sz);
    wg_data_ptr(ctx, in, &pi, &m, &sz);
    WG_CHECK_EQ_INT(wg_cublas_getrf_batched(ctx, WG_FLOAT32, 2, &pa, 2, pp, pi, 1), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, p, piv, sizeof piv), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, in, info, sizeof info), WG_OK);
    WG_CHECK(piv[0] == 2 && piv[1] == 2 && info[0] == 0);
    WG_CHECK_EQ_INT(wg_cublas_getri_batched(ctx, WG_FLOAT32, 2, &pa, 2, pp, &pc, 2, pi, 1), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, c, inv, sizeof inv), WG_OK);
    /* M = [[0, 2], [1, 1]], M^-1 = [[-0.5, 1], [0.5, 0]]; column-major memory -0.5 0.5 1 0 */
    WG_CHECK_NEAR(inv[0], -0.5, 1e-6);
    WG_CHECK_NEAR(inv[1], 0.5, 1e-6);
    WG_CHECK_NEAR(inv[2], 1.0, 1e-6);
    WG_CHECK_NEAR(inv[3], 0.0, 1e-6);
    WG_CHECK_EQ_INT(wg_cublas_getrf_batched(ctx, WG_FLOAT32, 2, &pa, 1, pp, pi, 1), WG_ERR_VALUE);
    wg_array *all[4] = {a, c, p, in};
    for (int i = 0; i < 4; i++) wg_release(all[i]);
    wg_context_free(ctx);
}
