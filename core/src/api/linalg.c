/* Public API: matmul and dot (batched, broadcast batches, 1-D operands as NumPy). */
#include "api.h"

#include <string.h>

static const char *SIG = "(n?,k),(k,m?)->(n?,m?)";

/* Split K: a matmul with few outputs and a long K -- a convolution's weight gradient, 8 x 9
 * outputs over K = N*H*W = 25088 -- gives a GPU a handful of points that each loop over all of
 * K (7.5 ms on the H100 for that one).  S partial products over K/S each instead (one batched
 * matmul of strided views of the operands, no copy) and their sum (one reduction).  S divides K,
 * leaves at least 128 of K a partial product and aims at 32768 points; float32/64 only (the
 * partials are summed in the result's dtype).  Only from K = 2048: the extra launch costs the
 * host 40-70 us on the H100, more than splitting a shorter K saves. */
static int64_t split_k(const int64_t *kshape, int nb, int64_t K, int dt) {
    if ((dt != WG_FLOAT32 && dt != WG_FLOAT64) || K < 2048) return 1;
    int64_t outs = 1;
    for (int d = 0; d < nb + 2; d++) outs *= kshape[d];
    if (outs == 0 || outs >= 8192) return 1;
    int64_t want = (32768 + outs - 1) / outs, most = K / 128;
    if (want > most) want = most;
    for (int64_t s = want; s >= 4; s--)
        if (K % s == 0) return s;
    return 1;
}

/* l's (..., rows, K) or (..., K, cols) as (..., S, rows, K/S) or (..., S, K/S, cols) */
static wg_array *split_view(wg_context *ctx, wg_array *x, const wg_layout *l, int kdim, int64_t S) {
    wg_layout v = *l;
    int n = l->ndim;
    int64_t kc = l->shape[kdim] / S;
    for (int d = n - 1; d >= n - 2; d--) {
        v.shape[d + 1] = l->shape[d];
        v.strides[d + 1] = l->strides[d];
    }
    v.ndim = n + 1;
    v.shape[n - 2] = S;
    v.strides[n - 2] = kc * l->strides[kdim];
    v.shape[kdim + 1] = kc;
    return wgA_new(ctx, x->dtype, &v, x->buf, x);
}

static wg_array *matmul_node(wg_context *ctx, wg_array *a, wg_array *b, const wg_layout *la,
                             const wg_layout *lb, int dt, int nk, const int64_t *kshape);

wg_array *wg_matmul(wg_context *ctx, wg_array *a, wg_array *b, wg_array *out) {
    wgP_drain(ctx);
    for (int i = 0; i < 2; i++) {
        wg_array *x = i ? b : a;
        if (x->lay.ndim == 0) {
            wgB_error(ctx, WG_ERR_VALUE,
                      "matmul: Input operand %d does not have enough dimensions (has 0, gufunc "
                      "core with signature %s requires 1)", i, SIG);
            return NULL;
        }
    }
    if (wgD_is_complex(a->dtype) || wgD_is_complex(b->dtype))
        return wgP_cmatmul(ctx, a, b, out, 0); /* four real products (api/complex.c) */
    int32_t dts[2] = {a->dtype, b->dtype}, weak[2] = {0, 0};
    int dt = wgD_result_type(2, dts, weak);
    if (dt < 0) {
        wgB_error(ctx, WG_ERR_TYPE, "The DType could not be promoted");
        return NULL;
    }
    dt = wgD_canonical(dt, ctx->x64);
    wg_layout la = a->lay, lb = b->lay;
    int a1 = la.ndim == 1, b1 = lb.ndim == 1;
    if (a1) { /* (K,) -> (1, K) */
        la.ndim = 2;
        la.shape[1] = la.shape[0]; la.strides[1] = la.strides[0];
        la.shape[0] = 1; la.strides[0] = 0;
    }
    if (b1) { /* (K,) -> (K, 1) */
        lb.ndim = 2;
        lb.shape[1] = 1; lb.strides[1] = 0;
    }
    int64_t K = la.shape[la.ndim - 1];
    if (lb.shape[lb.ndim - 2] != K) {
        wgB_error(ctx, WG_ERR_VALUE,
                  "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                  "signature %s (size %lld is different from %lld)",
                  SIG, (long long)lb.shape[lb.ndim - 2], (long long)K);
        return NULL;
    }
    /* broadcast the batch dims */
    wg_layout ba = la, bb = lb;
    ba.ndim -= 2;
    bb.ndim -= 2;
    const wg_layout *ls[2] = {&ba, &bb};
    int nb;
    int64_t kshape[WG_MAX_NDIM];
    if (wgL_broadcast_shapes(ctx, 2, ls, &nb, kshape) != WG_OK) return NULL;
    if (nb + 2 > WG_MAX_NDIM) {
        wgB_error(ctx, WG_ERR_VALUE, "matmul: too many dimensions");
        return NULL;
    }
    kshape[nb] = la.shape[la.ndim - 2];
    kshape[nb + 1] = lb.shape[lb.ndim - 1];
    int nk = nb + 2;
    /* the result drops the axes that 1-D operands added */
    int64_t rshape[WG_MAX_NDIM];
    int rn = 0;
    for (int d = 0; d < nb; d++) rshape[rn++] = kshape[d];
    if (!a1) rshape[rn++] = kshape[nb];
    if (!b1) rshape[rn++] = kshape[nb + 1];

    if (out) {
        wg_array *r = wg_matmul(ctx, a, b, NULL);
        if (!r) return NULL;
        char s1[128], s2[128];
        if (out->lay.ndim != rn || memcmp(out->lay.shape, rshape, sizeof(int64_t) * rn)) {
            wg_release(r);
            wgB_error(ctx, WG_ERR_VALUE,
                      "matmul: Output operand 0 has a mismatch in its core dimension (expected "
                      "shape %s, got %s)",
                      wgP_shape_str(s1, sizeof s1, rn, rshape),
                      wgP_shape_str(s2, sizeof s2, out->lay.ndim, out->lay.shape));
            return NULL;
        }
        return wgP_into_out(ctx, r, out);
    }
    if (wgP_ensure_buffer(ctx, a) != WG_OK || wgP_ensure_buffer(ctx, b) != WG_OK) return NULL;
    wg_array *full = NULL;
    int64_t S = split_k(kshape, nb, K, dt);
    if (S > 1) {
        wg_array *av = split_view(ctx, a, &la, la.ndim - 1, S);
        wg_array *bv = av ? split_view(ctx, b, &lb, lb.ndim - 2, S) : NULL;
        wg_array *part = bv ? wg_matmul(ctx, av, bv, NULL) : NULL;
        int64_t ax = nb;
        full = part ? wg_reduce(ctx, WG_REDUCE_SUM, part, 1, &ax, 0, dt, 0, NULL) : NULL;
        wg_release(av);
        wg_release(bv);
        wg_release(part);
        if (!full) return NULL;
    } else {
        full = matmul_node(ctx, a, b, &la, &lb, dt, nk, kshape);
        if (!full) return NULL;
    }
    if (rn == nk) return wgP_out(ctx, full);
    wg_layout rl;
    wgL_contiguous(&rl, rn, rshape, 'C');
    wg_array *r = wgA_new(ctx, dt, &rl, full->buf, NULL);
    wg_release(full);
    return wgP_out(ctx, r);
}

static wg_array *matmul_node(wg_context *ctx, wg_array *a, wg_array *b, const wg_layout *pla,
                             const wg_layout *plb, int dt, int nk, const int64_t *kshape) {
    wg_layout la = *pla, lb = *plb;
    wg_node *A = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_LOAD, a->buf->dtype, la.ndim, la.shape);
    wg_node *B = wgG_node_new(ctx, WG_N_ELEMENTWISE, WG_OP_LOAD, b->buf->dtype, lb.ndim, lb.shape);
    wg_node *M = wgG_node_new(ctx, WG_N_MATMUL, 0, dt, nk, kshape);
    if (!A || !B || !M) {
        wgG_node_release(ctx, A);
        wgG_node_release(ctx, B);
        wgG_node_release(ctx, M);
        return NULL;
    }
    /* loads of the operands' current contents (the versions a capture checks: graph/capture.c) */
    A->buf = a->buf; wgA_buffer_retain(a->buf); A->view = la; A->version = a->buf->version;
    B->buf = b->buf; wgA_buffer_retain(b->buf); B->view = lb; B->version = b->buf->version;
    M->src[0] = A;
    M->src[1] = B;
    return wgP_materialize(ctx, dt, nk, kshape, M);
}

wg_array *wg_dot(wg_context *ctx, wg_array *a, wg_array *b, wg_array *out) {
    if (a->lay.ndim == 0 || b->lay.ndim == 0) return wg_binary(ctx, WG_OP_MULTIPLY, a, b, out, -1);
    if (b->lay.ndim <= 2 || a->lay.ndim == 1) return wg_matmul(ctx, a, b, out);
    /* N-D dot: sum over a's last axis and b's second-to-last; the other axes form an outer
     * product: reshape to 2-D, one matmul, reshape back */
    int64_t K = a->lay.shape[a->lay.ndim - 1];
    int64_t kb = b->lay.shape[b->lay.ndim - 2];
    if (K != kb) {
        wgB_error(ctx, WG_ERR_VALUE, "shapes not aligned: %lld (dim %d) != %lld (dim %d)",
                  (long long)K, a->lay.ndim - 1, (long long)kb, b->lay.ndim - 2);
        return NULL;
    }
    /* the sizes spelled out: with K == 0, -1 would be ambiguous */
    int64_t rows = 1, cols = 1;
    for (int d = 0; d < a->lay.ndim - 1; d++) rows *= a->lay.shape[d];
    for (int d = 0; d < b->lay.ndim; d++)
        if (d != b->lay.ndim - 2) cols *= b->lay.shape[d];
    int64_t a2[2] = {rows, K}, src = b->lay.ndim - 2, dst = 0, b2[2] = {K, cols};
    wg_array *ar = wg_reshape(ctx, a, 2, a2, 'C');
    wg_array *bm = ar ? wg_moveaxis(ctx, b, 1, &src, &dst) : NULL;
    wg_array *br = bm ? wg_reshape(ctx, bm, 2, b2, 'C') : NULL;
    wg_array *m = br ? wg_matmul(ctx, ar, br, NULL) : NULL;
    wg_array *r = NULL;
    if (m) {
        int64_t shape[WG_MAX_NDIM];
        int n = 0;
        for (int d = 0; d < a->lay.ndim - 1; d++) shape[n++] = a->lay.shape[d];
        for (int d = 0; d < b->lay.ndim; d++)
            if (d != b->lay.ndim - 2) shape[n++] = b->lay.shape[d];
        if (n > WG_MAX_NDIM) wgB_error(ctx, WG_ERR_VALUE, "dot: too many dimensions");
        else r = wg_reshape(ctx, m, n, shape, 'C');
    }
    wg_release(ar);
    wg_release(bm);
    wg_release(br);
    wg_release(m);
    return wgP_into_out(ctx, r, out);
}
