/* Public API: einsum and einsum_path (docs/contractions.md).
 *
 * The subscripts are parsed here (wgP_einsum_parse, fuzzed by core/tests/fuzz_einsum.c) into
 * labels per operand axis: letters 'A'-'Z' are 0-25 and 'a'-'z' 26-51 (NumPy's implicit output
 * is in that order), and the axes an ellipsis stands for are 52 + k, right-aligned over the
 * operands as broadcasting aligns them.  Execution lowers to the engine's own operations:
 * repeated labels of one operand are diagonals (views), a label that only one operand has and
 * the output lacks is summed at once, and the operands are contracted two at a time — a batched
 * matmul when both sides keep labels of their own and share a summed one, otherwise a broadcast
 * multiply whose summed axes are one fused reduction.  The pairs come from the caller's path or
 * from a greedy choice (the pair whose result removes the most elements, as NumPy's greedy
 * path), so einsum_path reports the order einsum runs. */
#include "api.h"
#include "einsum.h"

#include <string.h>

static int label_of(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return 26 + (c - 'a');
    return -1;
}

char wgP_einsum_char(int label) {
    if (label < 26) return (char)('A' + label);
    if (label < 52) return (char)('a' + label - 26);
    return '.';
}

/* Parse one term (an operand's or the output's subscripts) of [s, e): labels and the ellipsis
 * position (-1: none).  what: the operand number, or -1 for the output. */
static int parse_term(wg_context *ctx, const char *s, const char *e, int what, int8_t *labs,
                      int *nlab, int *ell_at) {
    *nlab = 0;
    *ell_at = -1;
    for (const char *p = s; p < e; p++) {
        char c = *p;
        if (c == ' ') continue;
        if (c == '.') {
            if (e - p < 3 || p[1] != '.' || p[2] != '.' || *ell_at >= 0) {
                if (what >= 0)
                    return wgB_error(ctx, WG_ERR_VALUE,
                                     "einstein sum subscripts string contains a '.' that is not "
                                     "part of an ellipsis ('...') in operand %d", what);
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "einstein sum subscripts string contains a '.' that is not part "
                                 "of an ellipsis ('...') in the output");
            }
            *ell_at = *nlab;
            p += 2;
            continue;
        }
        int l = label_of(c);
        if (l < 0) {
            unsigned char uc = (unsigned char)c;
            if (uc >= 32 && uc < 127)
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "invalid subscript '%c' in einstein sum subscripts string, "
                                 "subscripts must be letters", c);
            return wgB_error(ctx, WG_ERR_VALUE,
                             "invalid subscript (byte %d) in einstein sum subscripts string, "
                             "subscripts must be letters", (int)uc);
        }
        if (*nlab >= WG_MAX_NDIM)
            return wgB_error(ctx, WG_ERR_VALUE,
                             "einstein sum subscripts string has more than %d subscripts in one "
                             "term", WG_MAX_NDIM);
        labs[(*nlab)++] = (int8_t)l;
    }
    return WG_OK;
}

int wgP_einsum_parse(wg_context *ctx, const char *subs, int n, const int *ndims,
                     wgP_einsum_spec *sp) {
    memset(sp, 0, sizeof *sp);
    if (!subs) return wgB_error(ctx, WG_ERR_VALUE, "einsum: no subscripts string");
    if (n < 1) return wgB_error(ctx, WG_ERR_VALUE, "No input operands");
    if (n > WG_EINSUM_MAX_OPS)
        return wgB_error(ctx, WG_ERR_VALUE, "einsum: too many operands (at most %d)",
                         WG_EINSUM_MAX_OPS);
    size_t len = strlen(subs);
    const char *arrow = strstr(subs, "->");
    const char *in_end = arrow ? arrow : subs + len;
    /* a '-' or '>' anywhere but the one arrow */
    for (const char *p = subs; p < subs + len; p++) {
        if ((*p == '-' || *p == '>') && !(arrow && (p == arrow || p == arrow + 1)))
            return wgB_error(ctx, WG_ERR_VALUE,
                             "einstein sum subscript string does not contain proper '->' output "
                             "specified");
    }
    /* the operands' terms */
    int k = 0;
    const char *s = subs;
    int8_t labs[WG_MAX_NDIM];
    int ell_at[WG_EINSUM_MAX_OPS], nlet[WG_EINSUM_MAX_OPS];
    int8_t letters[WG_EINSUM_MAX_OPS][WG_MAX_NDIM];
    for (;;) {
        const char *e = s;
        while (e < in_end && *e != ',') e++;
        if (k >= n)
            return wgB_error(ctx, WG_ERR_VALUE,
                             "fewer operands provided to einstein sum function than specified "
                             "in the subscripts string");
        int nl, ea;
        int st = parse_term(ctx, s, e, k, labs, &nl, &ea);
        if (st != WG_OK) return st;
        memcpy(letters[k], labs, (size_t)nl);
        nlet[k] = nl;
        ell_at[k] = ea;
        int nd = ndims[k];
        if (nl > nd || (nd > WG_MAX_NDIM))
            return wgB_error(ctx, WG_ERR_VALUE,
                             "einstein sum subscripts string contains too many subscripts for "
                             "operand %d", k);
        if (ea < 0 && nl < nd)
            return wgB_error(ctx, WG_ERR_VALUE,
                             "operand has more dimensions than subscripts given in einstein sum, "
                             "but no '...' ellipsis provided to broadcast the extra dimensions.");
        k++;
        if (e >= in_end) break;
        s = e + 1;
    }
    if (k < n)
        return wgB_error(ctx, WG_ERR_VALUE,
                         "more operands provided to einstein sum function than specified in the "
                         "subscripts string");
    sp->n = n;
    int max_ell = 0;
    for (int i = 0; i < n; i++) {
        int ne = ndims[i] - nlet[i];
        if (ne > max_ell) max_ell = ne;
    }
    sp->nell = max_ell;
    for (int i = 0; i < n; i++) {
        int ne = ndims[i] - nlet[i], d = 0;
        for (int j = 0; j < nlet[i]; j++) {
            if (j == ell_at[i])
                for (int t = 0; t < ne; t++) sp->lab[i][d++] = (int8_t)(52 + max_ell - ne + t);
            sp->lab[i][d++] = letters[i][j];
        }
        if (ell_at[i] == nlet[i])
            for (int t = 0; t < ne; t++) sp->lab[i][d++] = (int8_t)(52 + max_ell - ne + t);
        sp->nd[i] = d;
    }
    /* how often each label appears */
    int count[WG_EINSUM_NLABELS] = {0};
    for (int i = 0; i < n; i++)
        for (int d = 0; d < sp->nd[i]; d++) count[sp->lab[i][d]]++;
    if (arrow) {
        int nl, ea;
        int st = parse_term(ctx, arrow + 2, subs + len, -1, labs, &nl, &ea);
        if (st != WG_OK) return st;
        int seen[WG_EINSUM_NLABELS] = {0};
        for (int j = 0; j < nl; j++) {
            int l = labs[j];
            if (seen[l])
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "einstein sum subscripts string includes output subscript '%c' "
                                 "multiple times", wgP_einsum_char(l));
            seen[l] = 1;
            if (!count[l])
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "einstein sum subscripts string included output subscript '%c' "
                                 "which never appeared in an input", wgP_einsum_char(l));
        }
        if (ea < 0 && max_ell > 0)
            return wgB_error(ctx, WG_ERR_VALUE,
                             "output has more dimensions than subscripts given in einstein sum, "
                             "but no '...' ellipsis provided to broadcast the extra dimensions.");
        if (nl + (ea >= 0 ? max_ell : 0) > WG_MAX_NDIM)
            return wgB_error(ctx, WG_ERR_VALUE, "einsum: the output has more than %d dimensions",
                             WG_MAX_NDIM);
        int d = 0;
        for (int j = 0; j <= nl; j++) {
            if (j == ea)
                for (int t = 0; t < max_ell; t++) sp->out[d++] = (int8_t)(52 + t);
            if (j < nl) sp->out[d++] = labs[j];
        }
        sp->nout = d;
    } else {
        int d = 0;
        for (int t = 0; t < max_ell; t++) sp->out[d++] = (int8_t)(52 + t);
        for (int l = 0; l < 52; l++)
            if (count[l] == 1) {
                if (d >= WG_MAX_NDIM)
                    return wgB_error(ctx, WG_ERR_VALUE,
                                     "einsum: the output has more than %d dimensions",
                                     WG_MAX_NDIM);
                sp->out[d++] = (int8_t)l;
            }
        sp->nout = d;
    }
    return WG_OK;
}

int wgP_einsum_sizes(wg_context *ctx, const wgP_einsum_spec *sp, const int64_t *const *shapes,
                     int64_t *size) {
    for (int l = 0; l < WG_EINSUM_NLABELS; l++) size[l] = -1;
    for (int i = 0; i < sp->n; i++) {
        for (int d = 0; d < sp->nd[i]; d++) {
            int l = sp->lab[i][d];
            int64_t s = shapes[i][d];
            for (int e = 0; e < d; e++)
                if (sp->lab[i][e] == l && shapes[i][e] != s)
                    return wgB_error(ctx, WG_ERR_VALUE,
                                     "dimensions in operand %d for collapsing index '%c' don't "
                                     "match (%lld != %lld)", i, wgP_einsum_char(l),
                                     (long long)shapes[i][e], (long long)s);
            if (size[l] < 0 || size[l] == 1) size[l] = s;
            else if (s != 1 && s != size[l]) {
                if (l < 52)
                    return wgB_error(ctx, WG_ERR_VALUE,
                                     "operands could not be broadcast together: subscript '%c' "
                                     "has sizes %lld and %lld", wgP_einsum_char(l),
                                     (long long)size[l], (long long)s);
                return wgB_error(ctx, WG_ERR_VALUE,
                                 "operands could not be broadcast together: an ellipsis "
                                 "dimension has sizes %lld and %lld", (long long)size[l],
                                 (long long)s);
            }
        }
    }
    return WG_OK;
}

/* ---- paths ------------------------------------------------------------------------------- */
/* The greedy order: repeatedly contract the pair whose result removes the most elements
 * (size(result) - size(a) - size(b) smallest), ties broken by the smaller cost (the product of
 * all their labels' sizes), pairs that share a label before outer products; the result goes to
 * the end of the list, as in NumPy's paths. */
int wgP_einsum_greedy(const wgP_einsum_spec *sp, const int64_t *size, int32_t *path) {
    int m = sp->n;
    int8_t labs[2 * WG_EINSUM_MAX_OPS][WG_EINSUM_NLABELS];
    int nl[2 * WG_EINSUM_MAX_OPS];
    int in_out[WG_EINSUM_NLABELS] = {0};
    for (int j = 0; j < sp->nout; j++) in_out[sp->out[j]] = 1;
    for (int i = 0; i < m; i++) {
        /* distinct labels of operand i */
        nl[i] = 0;
        for (int d = 0; d < sp->nd[i]; d++) {
            int l = sp->lab[i][d], dup = 0;
            for (int e = 0; e < nl[i]; e++) dup |= labs[i][e] == l;
            if (!dup) labs[i][nl[i]++] = (int8_t)l;
        }
    }
    int nsteps = 0;
    while (m > 1) {
        int bi = 0, bj = 1, bshare = -1;
        double bkey = 0, bcost = 0;
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++) {
                int cnt[WG_EINSUM_NLABELS] = {0};
                for (int o = 0; o < m; o++)
                    if (o != i && o != j)
                        for (int e = 0; e < nl[o]; e++) cnt[labs[o][e]] = 1;
                double si = 1, sj = 1, sr = 1, cost = 1;
                int share = 0;
                int inj[WG_EINSUM_NLABELS] = {0};
                for (int e = 0; e < nl[j]; e++) inj[labs[j][e]] = 1, sj *= (double)size[labs[j][e]];
                for (int e = 0; e < nl[i]; e++) {
                    int l = labs[i][e];
                    si *= (double)size[l];
                    if (inj[l]) share = 1;
                }
                int inu[WG_EINSUM_NLABELS] = {0};
                for (int e = 0; e < nl[i]; e++) inu[labs[i][e]] = 1;
                for (int e = 0; e < nl[j]; e++) inu[labs[j][e]] = 1;
                for (int l = 0; l < WG_EINSUM_NLABELS; l++)
                    if (inu[l]) {
                        cost *= (double)size[l];
                        if (in_out[l] || cnt[l]) sr *= (double)size[l];
                    }
                double key = sr - si - sj;
                int better = bshare < 0 || share > bshare ||
                             (share == bshare && (key < bkey || (key == bkey && cost < bcost)));
                if (better) bi = i, bj = j, bshare = share, bkey = key, bcost = cost;
            }
        path[2 * nsteps] = bi;
        path[2 * nsteps + 1] = bj;
        nsteps++;
        /* the result's labels */
        int cnt[WG_EINSUM_NLABELS] = {0};
        for (int o = 0; o < m; o++)
            if (o != bi && o != bj)
                for (int e = 0; e < nl[o]; e++) cnt[labs[o][e]] = 1;
        int8_t r[WG_EINSUM_NLABELS];
        int nr = 0, inu[WG_EINSUM_NLABELS] = {0};
        for (int e = 0; e < nl[bi]; e++) inu[labs[bi][e]] = 1;
        for (int e = 0; e < nl[bj]; e++) inu[labs[bj][e]] = 1;
        for (int l = 0; l < WG_EINSUM_NLABELS; l++)
            if (inu[l] && (in_out[l] || cnt[l])) r[nr++] = (int8_t)l;
        /* remove bi and bj (bj > bi), append the result */
        int w = 0;
        for (int o = 0; o < m; o++) {
            if (o == bi || o == bj) continue;
            if (w != o) {
                memcpy(labs[w], labs[o], (size_t)nl[o]);
                nl[w] = nl[o];
            }
            w++;
        }
        memcpy(labs[w], r, (size_t)nr);
        nl[w] = nr;
        m = w + 1;
    }
    return nsteps;
}

/* ---- execution ----------------------------------------------------------------------------- */
typedef struct {
    wg_array *a;
    int nd;
    int8_t lab[WG_MAX_NDIM];
} eop;

static void op_set(eop *o, wg_array *a) {
    wg_release(o->a);
    o->a = a;
}

static int find(const int8_t *labs, int n, int l) {
    for (int d = 0; d < n; d++)
        if (labs[d] == l) return d;
    return -1;
}

/* Repeated labels of one operand: the diagonal (appended last), until none repeats.  A writeable
 * view (of a writeable operand): NumPy's einsum('ii->i', a) is one, and so is the result whenever
 * one operand is only rearranged (Chainer's einsum backward writes through it). */
static int take_diagonals(wg_context *ctx, eop *o) {
    for (;;) {
        int i = -1, j = -1;
        for (int d = 0; d < o->nd && i < 0; d++)
            for (int e = d + 1; e < o->nd; e++)
                if (o->lab[d] == o->lab[e]) {
                    i = d;
                    j = e;
                    break;
                }
        if (i < 0) return WG_OK;
        wg_array *r = wg_diagonal(ctx, o->a, 0, i, j, 1);
        if (!r) return ctx->status;
        op_set(o, r);
        int8_t l = o->lab[i];
        int w = 0;
        for (int d = 0; d < o->nd; d++)
            if (d != i && d != j) o->lab[w++] = o->lab[d];
        o->lab[w++] = l;
        o->nd = w;
    }
}

/* Sum the axes of o whose labels `drop` marks (keepdims 0), in dtype dt. */
static int sum_axes(wg_context *ctx, eop *o, const int *drop, int dt) {
    int64_t axes[WG_MAX_NDIM];
    int na = 0, w = 0;
    int8_t keep[WG_MAX_NDIM];
    for (int d = 0; d < o->nd; d++) {
        if (drop[o->lab[d]]) axes[na++] = d;
        else keep[w++] = o->lab[d];
    }
    if (!na) return WG_OK;
    wg_array *r = wg_reduce(ctx, WG_REDUCE_SUM, o->a, na, axes, 0, dt, 0, NULL);
    if (!r) return ctx->status;
    op_set(o, r);
    memcpy(o->lab, keep, (size_t)w);
    o->nd = w;
    return WG_OK;
}

/* o's axes put in the order of `order` (nord labels); a label o lacks becomes a length-1 axis. */
static int arrange(wg_context *ctx, eop *o, const int8_t *order, int nord) {
    int64_t perm[WG_MAX_NDIM] = {0};
    int np = 0;
    for (int t = 0; t < nord; t++) {
        int d = find(o->lab, o->nd, order[t]);
        if (d >= 0) perm[np++] = d;
    }
    wg_array *r = wg_transpose(ctx, o->a, np, perm);
    if (!r) return ctx->status;
    int64_t shape[WG_MAX_NDIM];
    for (int t = 0, s = 0; t < nord; t++) {
        int d = find(o->lab, o->nd, order[t]);
        shape[t] = d >= 0 ? r->lay.shape[s++] : 1;
    }
    wg_array *q = wg_reshape(ctx, r, nord, shape, 'C');
    wg_release(r);
    if (!q) return ctx->status;
    op_set(o, q);
    memcpy(o->lab, order, (size_t)nord);
    o->nd = nord;
    return WG_OK;
}

static int64_t dim_of(const eop *o, int l) {
    int d = find(o->lab, o->nd, l);
    return d >= 0 ? o->a->lay.shape[d] : 1;
}

/* Contract A and B (results into A; B released).  keep[l]: the label is needed later. */
static int contract(wg_context *ctx, eop *A, eop *B, const int *keep, int dt) {
    int8_t batch[WG_MAX_NDIM], left[WG_MAX_NDIM], right[WG_MAX_NDIM], sum[WG_MAX_NDIM];
    int nb = 0, nl = 0, nr = 0, ns = 0;
    /* a summed label of size 1 on one side only: sum the other side first */
    int pre[WG_EINSUM_NLABELS] = {0}, anypa = 0, anypb = 0, prea[WG_EINSUM_NLABELS] = {0};
    for (int d = 0; d < A->nd; d++) {
        int l = A->lab[d];
        if (keep[l] || find(B->lab, B->nd, l) < 0) continue;
        int64_t sa = A->a->lay.shape[d], sb = dim_of(B, l);
        if (sa != sb) {
            if (sa == 1) pre[l] = 1, anypb = 1; /* sum B over l, squeeze A's l */
            else prea[l] = 1, anypa = 1;
        }
    }
    if (anypa || anypb) {
        int st;
        if (anypb && (st = sum_axes(ctx, B, pre, dt)) != WG_OK) return st;
        if (anypa && (st = sum_axes(ctx, A, prea, dt)) != WG_OK) return st;
        /* the other side's length-1 axis of that label: summed too (a length-1 sum) */
        if (anypb && (st = sum_axes(ctx, A, pre, dt)) != WG_OK) return st;
        if (anypa && (st = sum_axes(ctx, B, prea, dt)) != WG_OK) return st;
    }
    for (int d = 0; d < A->nd; d++) {
        int l = A->lab[d];
        int inb = find(B->lab, B->nd, l) >= 0;
        if (inb && keep[l]) batch[nb++] = (int8_t)l;
        else if (inb) sum[ns++] = (int8_t)l;
        else left[nl++] = (int8_t)l;
    }
    for (int d = 0; d < B->nd; d++)
        if (find(A->lab, A->nd, B->lab[d]) < 0) right[nr++] = B->lab[d];
    if (nb + nl + nr + ns > WG_MAX_NDIM)
        return wgB_error(ctx, WG_ERR_VALUE, "einsum: an intermediate has more than %d dimensions",
                         WG_MAX_NDIM);
    int st;
    if (ns && nl && nr) {
        /* a batched matmul: (batch, L, K) @ (batch, K, R) */
        int8_t oa[WG_MAX_NDIM], ob[WG_MAX_NDIM];
        int na = 0, nbb = 0;
        for (int t = 0; t < nb; t++) oa[na++] = batch[t], ob[nbb++] = batch[t];
        for (int t = 0; t < nl; t++) oa[na++] = left[t];
        for (int t = 0; t < ns; t++) oa[na++] = sum[t], ob[nbb++] = sum[t];
        for (int t = 0; t < nr; t++) ob[nbb++] = right[t];
        if ((st = arrange(ctx, A, oa, na)) != WG_OK) return st;
        if ((st = arrange(ctx, B, ob, nbb)) != WG_OK) return st;
        int64_t sa[WG_MAX_NDIM], sb[WG_MAX_NDIM], L = 1, K = 1, R = 1;
        for (int t = 0; t < nb; t++) sa[t] = A->a->lay.shape[t], sb[t] = B->a->lay.shape[t];
        for (int t = 0; t < nl; t++) L *= A->a->lay.shape[nb + t];
        for (int t = 0; t < ns; t++) K *= A->a->lay.shape[nb + nl + t];
        for (int t = 0; t < nr; t++) R *= B->a->lay.shape[nb + ns + t];
        sa[nb] = L, sa[nb + 1] = K;
        sb[nb] = K, sb[nb + 1] = R;
        wg_array *ra = wg_reshape(ctx, A->a, nb + 2, sa, 'C');
        wg_array *rb = ra ? wg_reshape(ctx, B->a, nb + 2, sb, 'C') : NULL;
        wg_array *m = rb ? wg_matmul(ctx, ra, rb, NULL) : NULL;
        int64_t rs[WG_MAX_NDIM];
        int n = 0;
        for (int t = 0; t < nb; t++) {
            int64_t x = A->a->lay.shape[t], y = B->a->lay.shape[t];
            rs[n++] = x == 1 ? y : x;
        }
        for (int t = 0; t < nl; t++) rs[n++] = A->a->lay.shape[nb + t];
        for (int t = 0; t < nr; t++) rs[n++] = B->a->lay.shape[nb + ns + t];
        wg_array *r = m ? wg_reshape(ctx, m, n, rs, 'C') : NULL;
        wg_release(ra);
        wg_release(rb);
        wg_release(m);
        if (!r) return ctx->status;
        op_set(A, r);
        int w = 0;
        for (int t = 0; t < nb; t++) A->lab[w++] = batch[t];
        for (int t = 0; t < nl; t++) A->lab[w++] = left[t];
        for (int t = 0; t < nr; t++) A->lab[w++] = right[t];
        A->nd = w;
    } else {
        /* a broadcast product whose summed axes (last) are one fused reduction */
        int8_t u[WG_MAX_NDIM];
        int nu = 0;
        for (int t = 0; t < nb; t++) u[nu++] = batch[t];
        for (int t = 0; t < nl; t++) u[nu++] = left[t];
        for (int t = 0; t < nr; t++) u[nu++] = right[t];
        for (int t = 0; t < ns; t++) u[nu++] = sum[t];
        if ((st = arrange(ctx, A, u, nu)) != WG_OK) return st;
        if ((st = arrange(ctx, B, u, nu)) != WG_OK) return st;
        wg_array *p = wg_binary(ctx, WG_OP_MULTIPLY, A->a, B->a, NULL, dt);
        if (!p) return ctx->status;
        if (ns) {
            int64_t axes[WG_MAX_NDIM];
            for (int t = 0; t < ns; t++) axes[t] = nu - ns + t;
            wg_array *r = wg_reduce(ctx, WG_REDUCE_SUM, p, ns, axes, 0, dt, 0, NULL);
            wg_release(p);
            if (!r) return ctx->status;
            p = r;
        }
        op_set(A, p);
        memcpy(A->lab, u, (size_t)(nu - ns));
        A->nd = nu - ns;
    }
    op_set(B, NULL);
    B->nd = 0;
    return WG_OK;
}

static int resolve_dtype(wg_context *ctx, int n, wg_array *const *ops, int dtype, int casting) {
    if (dtype < 0) {
        int32_t dts[WG_EINSUM_MAX_OPS], weak[WG_EINSUM_MAX_OPS];
        for (int i = 0; i < n; i++) dts[i] = ops[i]->dtype, weak[i] = 0;
        int dt = wgD_result_type(n, dts, weak);
        if (dt < 0) return wgB_error(ctx, WG_ERR_TYPE, "einsum: the DType could not be promoted");
        return wgD_canonical(dt, ctx->x64);
    }
    if (wgP_check_dtype(ctx, dtype) != WG_OK) return ctx->status;
    for (int i = 0; i < n; i++)
        if (!wg_can_cast(ops[i]->dtype, dtype, casting))
            return wgB_error(ctx, WG_ERR_TYPE,
                             "Cannot cast array data from dtype('%s') to dtype('%s') according "
                             "to the rule '%s'", wg_dtype_name(ops[i]->dtype),
                             wg_dtype_name(dtype),
                             casting == WG_CAST_NO ? "no" : casting == WG_CAST_EQUIV ? "equiv"
                             : casting == WG_CAST_SAFE ? "safe" : casting == WG_CAST_SAME_KIND
                             ? "same_kind" : "unsafe");
    return wgD_canonical(dtype, ctx->x64);
}

static int check_path(wg_context *ctx, int n, int nsteps, const int32_t *path) {
    int m = n;
    for (int s = 0; s < nsteps; s++) {
        int i = path[2 * s], j = path[2 * s + 1];
        if (i < 0 || j < 0 || i >= m || j >= m || i == j)
            return wgB_error(ctx, WG_ERR_VALUE,
                             "einsum: invalid contraction (%d, %d) at step %d of the path with "
                             "%d operands left", i, j, s, m);
        m--;
    }
    if (m != 1)
        return wgB_error(ctx, WG_ERR_VALUE,
                         "einsum: the path leaves %d operands uncontracted", m);
    return WG_OK;
}

static int prepare(wg_context *ctx, const char *subs, int n, wg_array *const *ops,
                   wgP_einsum_spec *sp, int64_t *size) {
    if (n < 1 || n > WG_EINSUM_MAX_OPS) {
        if (n < 1) return wgB_error(ctx, WG_ERR_VALUE, "No input operands");
        return wgB_error(ctx, WG_ERR_VALUE, "einsum: too many operands (at most %d)",
                         WG_EINSUM_MAX_OPS);
    }
    int nds[WG_EINSUM_MAX_OPS];
    const int64_t *shapes[WG_EINSUM_MAX_OPS];
    for (int i = 0; i < n; i++) nds[i] = ops[i]->lay.ndim, shapes[i] = ops[i]->lay.shape;
    int st = wgP_einsum_parse(ctx, subs, n, nds, sp);
    if (st != WG_OK) return st;
    return wgP_einsum_sizes(ctx, sp, shapes, size);
}

int wg_einsum_path(wg_context *ctx, const char *subs, int n, wg_array *const *ops, int32_t *path,
                   char *norm, int64_t norm_cap) {
    wgP_einsum_spec sp;
    int64_t size[WG_EINSUM_NLABELS];
    int st = prepare(ctx, subs, n, ops, &sp, size);
    if (st != WG_OK) return st;
    if (norm && norm_cap > 0) {
        /* the explicit form, ellipsis axes spelled as '.' per axis */
        int64_t w = 0;
        char buf[WG_EINSUM_MAX_OPS * (WG_MAX_NDIM + 1) + WG_MAX_NDIM + 4];
        for (int i = 0; i < n; i++) {
            if (i) buf[w++] = ',';
            for (int d = 0; d < sp.nd[i]; d++) buf[w++] = wgP_einsum_char(sp.lab[i][d]);
        }
        buf[w++] = '-';
        buf[w++] = '>';
        for (int d = 0; d < sp.nout; d++) buf[w++] = wgP_einsum_char(sp.out[d]);
        buf[w] = 0;
        int64_t c = w < norm_cap - 1 ? w : norm_cap - 1;
        memcpy(norm, buf, (size_t)c);
        norm[c] = 0;
    }
    if (!path) return WG_OK;
    return wgP_einsum_greedy(&sp, size, path);
}

wg_array *wg_einsum(wg_context *ctx, const char *subs, int n, wg_array *const *ops, int nsteps,
                    const int32_t *path, int dtype, int casting, wg_array *out) {
    wgP_einsum_spec sp;
    int64_t size[WG_EINSUM_NLABELS];
    if (prepare(ctx, subs, n, ops, &sp, size) != WG_OK) return NULL;
    int rdt = resolve_dtype(ctx, n, ops, dtype, casting);
    if (rdt < 0) return NULL;
    /* float16 sums of products accumulate in float32, rounded once at the end (NumPy's einsum) */
    int dt = rdt == WG_FLOAT16 ? WG_FLOAT32 : rdt;
    if (n == 1) { /* one operand nothing is summed in: a view in its own dtype (NumPy's) */
        int summed = 0;
        for (int d = 0; d < sp.nd[0]; d++)
            if (find(sp.out, sp.nout, sp.lab[0][d]) < 0) summed = 1;
        if (!summed) dt = rdt;
    }
    int32_t gpath[2 * WG_EINSUM_MAX_OPS];
    if (nsteps < 0) {
        nsteps = wgP_einsum_greedy(&sp, size, gpath);
        path = gpath;
    } else if (check_path(ctx, n, nsteps, path) != WG_OK) return NULL;
    eop o[WG_EINSUM_MAX_OPS];
    memset(o, 0, sizeof o);
    int st = WG_OK, m = n;
    for (int i = 0; i < n && st == WG_OK; i++) {
        o[i].a = wg_astype(ctx, ops[i], dt, WG_CAST_UNSAFE, 0);
        if (!o[i].a) {
            st = ctx->status;
            break;
        }
        o[i].nd = sp.nd[i];
        memcpy(o[i].lab, sp.lab[i], (size_t)sp.nd[i]);
        st = take_diagonals(ctx, &o[i]);
    }
    int in_out[WG_EINSUM_NLABELS] = {0};
    for (int j = 0; j < sp.nout; j++) in_out[sp.out[j]] = 1;
    /* labels only one operand has and the output lacks: summed at once */
    for (int i = 0; i < n && st == WG_OK && n > 1; i++) {
        int drop[WG_EINSUM_NLABELS] = {0};
        for (int d = 0; d < o[i].nd; d++) {
            int l = o[i].lab[d], other = 0;
            for (int k = 0; k < n; k++)
                if (k != i && find(o[k].lab, o[k].nd, l) >= 0) other = 1;
            if (!other && !in_out[l]) drop[l] = 1;
        }
        st = sum_axes(ctx, &o[i], drop, dt);
    }
    for (int s = 0; s < nsteps && st == WG_OK; s++) {
        int i = path[2 * s], j = path[2 * s + 1];
        if (i > j) {
            int t = i;
            i = j;
            j = t;
        }
        int keep[WG_EINSUM_NLABELS];
        memcpy(keep, in_out, sizeof keep);
        for (int k = 0; k < m; k++)
            if (k != i && k != j)
                for (int d = 0; d < o[k].nd; d++) keep[o[k].lab[d]] = 1;
        st = contract(ctx, &o[i], &o[j], keep, dt);
        if (st != WG_OK) break;
        eop r = o[i];
        int w = 0;
        for (int k = 0; k < m; k++)
            if (k != i && k != j) o[w++] = o[k];
        o[w] = r;
        for (int k = w + 1; k < m; k++) memset(&o[k], 0, sizeof o[k]);
        m = w + 1;
    }
    wg_array *res = NULL;
    if (st == WG_OK) {
        int drop[WG_EINSUM_NLABELS] = {0};
        for (int d = 0; d < o[0].nd; d++)
            if (!in_out[o[0].lab[d]]) drop[o[0].lab[d]] = 1;
        st = sum_axes(ctx, &o[0], drop, dt);
    }
    if (st == WG_OK) st = arrange(ctx, &o[0], sp.out, sp.nout);
    if (st == WG_OK) {
        /* a length-1 axis of a label that is longer elsewhere: broadcast to the output's shape */
        int64_t shape[WG_MAX_NDIM];
        int bc = 0;
        for (int d = 0; d < sp.nout; d++) {
            shape[d] = size[sp.out[d]];
            bc |= shape[d] != o[0].a->lay.shape[d];
        }
        if (bc) {
            wg_array *r = wg_broadcast_to(ctx, o[0].a, sp.nout, shape);
            if (r) op_set(&o[0], r);
            else st = ctx->status;
        }
    }
    if (st == WG_OK) {
        res = dt == rdt ? o[0].a : wg_astype(ctx, o[0].a, rdt, WG_CAST_UNSAFE, 1);
        if (dt == rdt) o[0].a = NULL;
    }
    for (int k = 0; k < n; k++) wg_release(o[k].a);
    if (!res) return NULL;
    if (out) {
        char s1[128], s2[128];
        if (out->lay.ndim != res->lay.ndim ||
            memcmp(out->lay.shape, res->lay.shape, sizeof(int64_t) * (size_t)res->lay.ndim)) {
            wgB_error(ctx, WG_ERR_VALUE, "einsum: the output has shape %s, the result %s",
                      wgP_shape_str(s1, sizeof s1, out->lay.ndim, out->lay.shape),
                      wgP_shape_str(s2, sizeof s2, res->lay.ndim, res->lay.shape));
            wg_release(res);
            return NULL;
        }
        st = wg_assign(ctx, out, res);
        wg_release(res);
        if (st != WG_OK) return NULL;
        wg_retain(out);
        return wgP_out(ctx, out);
    }
    return wgP_out(ctx, res);
}
