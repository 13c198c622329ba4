/* warp — CUDA's warp intrinsics and bit intrinsics, lowered to IR ops (docs/kernels.md, "Warp
 * intrinsics").
 *
 * CUDA's warps are 32 consecutive threads of a block (by the linear thread index).  wgpy keeps
 * those semantics whatever the adapter's subgroup size is (SwiftShader's is 4): a lane's value
 * goes through a workgroup array of the block's thread count (one per dtype exchanged, hidden,
 * created at the first use) between two barriers:
 *
 *   W[t] = v; BARRIER; r = W[t - lane + src]; BARRIER   (workgroup-memory barriers)
 *
 * which is exact when every thread of the block reaches the call (the requirement of
 * __syncthreads(); the shuffle's mask argument is evaluated and otherwise ignored).  A source
 * lane past the block's end (a partial last warp) reads 0.  __ballot_sync ORs the lanes' bits
 * with five xor shuffles; __any_sync / __all_sync test the ballot; __activemask() is the mask
 * of the warp's existing lanes (computed, no exchange); __syncwarp() is a barrier.
 * __popc, __ffs and __clz are expressions on 32-bit words (no statements: they also work in
 * ElementwiseKernel and ReductionKernel).
 */
#include <stdio.h>
#include <string.h>

#include "lower_int.h"

enum { W_SHFL = 1, W_UP, W_DOWN, W_XOR, W_BALLOT, W_ANY, W_ALL, W_ACTIVEMASK, W_SYNCWARP,
       W_POPC, W_FFS, W_CLZ };

static const struct { const char *name; int kind, mask, nmin, nmax; } warp_fns[] = {
    /* name, kind, has a mask argument first, arguments (min, max) */
    {"__shfl_sync", W_SHFL, 1, 3, 4}, {"__shfl_up_sync", W_UP, 1, 3, 4},
    {"__shfl_down_sync", W_DOWN, 1, 3, 4}, {"__shfl_xor_sync", W_XOR, 1, 3, 4},
    {"__shfl", W_SHFL, 0, 2, 3}, {"__shfl_up", W_UP, 0, 2, 3},          /* before CUDA 9 */
    {"__shfl_down", W_DOWN, 0, 2, 3}, {"__shfl_xor", W_XOR, 0, 2, 3},
    {"__ballot_sync", W_BALLOT, 1, 2, 2}, {"__any_sync", W_ANY, 1, 2, 2},
    {"__all_sync", W_ALL, 1, 2, 2}, {"__ballot", W_BALLOT, 0, 1, 1}, {"__any", W_ANY, 0, 1, 1},
    {"__all", W_ALL, 0, 1, 1}, {"__activemask", W_ACTIVEMASK, 0, 0, 0},
    {"__syncwarp", W_SYNCWARP, 0, 0, 1}, {"__popc", W_POPC, 0, 1, 1}, {"__ffs", W_FFS, 0, 1, 1},
    {"__clz", W_CLZ, 0, 1, 1}, {NULL, 0, 0, 0, 0}};

static int find(const wgK_tok *t) {
    for (int i = 0; warp_fns[i].name; i++)
        if (wgK_tok_is(t, warp_fns[i].name)) return i;
    return -1;
}

int wgK_is_warp_exchange(const wgK_tok *t) {
    int i = find(t);
    if (i < 0) return 0;
    int k = warp_fns[i].kind;
    return k == W_SYNCWARP ? 2 : k <= W_ALL ? 1 : 0;
}

static wgK_val named(wgK_lw *L, const char *name) {
    wgK_tok t = {TK_IDENT, 0, name, (int)strlen(name), 0, 0, 0};
    wgK_node n;
    memset(&n, 0, sizeof n);
    n.kind = N_IDENT;
    n.tok = &t;
    return wgK_rv(L, &n);
}

static wgK_val U(wgK_lw *L, int64_t v) { return wgK_const(L, WG_UINT32, (double)v, v); }
static wgK_val I(wgK_lw *L, int64_t v) { return wgK_const(L, WG_INT32, (double)v, v); }

/* the hidden workgroup array of dtype dt (the block's thread count of elements) */
static int warp_array(wgK_lw *L, const wgK_node *call, int dt) {
    wg_kernel_ir *k = L->k;
    if (L->warp_arr[dt]) return L->warp_arr[dt] - 1;
    if (L->straight || !k->wg_block) {
        wgK_fail(L, WG_ERR_NOTIMPL, call, "warp intrinsics need a RawKernel (threads in blocks)");
        return -1;
    }
    if (k->nshared >= WG_KMAX_SHARED) {
        wgK_fail(L, WG_ERR_NOTIMPL, call, "too many __shared__ arrays");
        return -1;
    }
    k->shared_dtype[k->nshared] = (uint8_t)dt;
    k->shared_len[k->nshared] = (uint32_t)k->wg_block;
    L->warp_arr[dt] = ++k->nshared;
    return k->nshared - 1;
}

/* W[tid] = v; BARRIER; r = W[idx]; BARRIER */
static wgK_val exchange_(wgK_lw *L, const wgK_node *call, wgK_val tid, wgK_val v, wgK_val idx, int mark) {
    if (!wgK_ok(tid) || !wgK_ok(v) || !wgK_ok(idx)) return (wgK_val){-1, -1};
    int a = warp_array(L, call, v.dt);
    if (a < 0) return (wgK_val){-1, -1};
    /* workgroup-memory-only barriers (arg 1, __wg_barrier()'s): a shuffle exchanges registers
     * and orders no global memory in CUDA either, so a kernel that reads its raw outputs need
     * not pay WGSL's storageBarrier() twice per shuffle (__syncwarp() keeps the full one) */
    wgK_emit(L, WG_OP_SHARED_STORE, 0, a, tid.inst, v.inst, -1);
    wgK_emit(L, WG_OP_BARRIER, 0, mark, -1, -1, -1);
    wgK_val r = {wgK_emit(L, WG_OP_SHARED_LOAD, v.dt, a, idx.inst, -1, -1), v.dt};
    wgK_emit(L, WG_OP_BARRIER, 0, mark, -1, -1, -1);
    return wgB_failed(L->ctx) ? (wgK_val){-1, -1} : r;
}

static wgK_val exchange(wgK_lw *L, const wgK_node *call, wgK_val tid, wgK_val v, wgK_val idx) {
    return exchange_(L, call, tid, v, idx, 2);
}

static wgK_val truth(wgK_lw *L, wgK_val v) {
    if (!wgK_ok(v) || v.dt == WG_BOOL) return v;
    return wgK_op2(L, WG_OP_NOT_EQUAL, v, wgK_const(L, v.dt, 0, 0));
}

/* the bits of lanes whose p holds, in the lane's warp */
static wgK_val ballot(wgK_lw *L, const wgK_node *call, wgK_val p, wgK_val tid, wgK_val lane) {
    wgK_val base = wgK_op2(L, WG_OP_SUBTRACT, tid, lane);
    wgK_val b = wgK_where(L, truth(L, p),
                          wgK_op2(L, WG_OP_LEFT_SHIFT, U(L, 1), wgK_cast(L, lane, WG_UINT32)), U(L, 0));
    /* the first exchange marked 3 (its value: the lane's own bit, nonzero iff p holds), the
     * others 4 (ir.h): a device whose subgroups are warps runs the first as subgroupBallot and
     * the others as 0, ORed in (codegen/stmt.c) */
    for (int off = 16; off >= 1 && wgK_ok(b); off /= 2) {
        wgK_val idx = wgK_op2(L, WG_OP_ADD, base, wgK_op2(L, WG_OP_BITWISE_XOR, lane, I(L, off)));
        b = wgK_op2(L, WG_OP_BITWISE_OR, b, exchange_(L, call, tid, b, idx, off == 16 ? 3 : 4));
    }
    return b;
}

static wgK_val popc(wgK_lw *L, wgK_val x) {
    x = wgK_op2(L, WG_OP_SUBTRACT, x, wgK_op2(L, WG_OP_BITWISE_AND, wgK_op2(L, WG_OP_RIGHT_SHIFT, x, U(L, 1)),
                                              U(L, 0x55555555)));
    x = wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_BITWISE_AND, x, U(L, 0x33333333)),
                wgK_op2(L, WG_OP_BITWISE_AND, wgK_op2(L, WG_OP_RIGHT_SHIFT, x, U(L, 2)), U(L, 0x33333333)));
    x = wgK_op2(L, WG_OP_BITWISE_AND, wgK_op2(L, WG_OP_ADD, x, wgK_op2(L, WG_OP_RIGHT_SHIFT, x, U(L, 4))),
                U(L, 0x0f0f0f0f));
    x = wgK_op2(L, WG_OP_RIGHT_SHIFT, wgK_op2(L, WG_OP_MULTIPLY, x, U(L, 0x01010101)), U(L, 24));
    return wgK_cast(L, x, WG_INT32);
}

wgK_val wgK_warp(wgK_lw *L, const wgK_node *call, int nargs, int *handled) {
    int f = find(call->tok);
    *handled = f >= 0;
    if (f < 0) return (wgK_val){-1, -1};
    int kind = warp_fns[f].kind;
    if (nargs < warp_fns[f].nmin || nargs > warp_fns[f].nmax) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s takes %d%s argument%s", warp_fns[f].name, warp_fns[f].nmin,
                 warp_fns[f].nmax > warp_fns[f].nmin ? " or more" : "", warp_fns[f].nmin == 1 ? "" : "s");
        return wgK_fail(L, WG_ERR_COMPILE, call, msg);
    }
    wgK_val args[4];
    int k = 0;
    for (const wgK_node *a = call->b; a; a = a->next) {
        if (a->kind == N_ADDR) return wgK_fail(L, WG_ERR_NOTIMPL, a, "address-of is not supported here");
        args[k] = wgK_rv(L, a);
        if (!wgK_ok(args[k++])) return (wgK_val){-1, -1};
    }
    wgK_val *av = args + warp_fns[f].mask;  /* the arguments after the mask (evaluated, unused) */
    if (kind >= W_POPC) {
        if (wgD_is_float(av[0].dt)) return wgK_fail(L, WG_ERR_COMPILE, call, "this intrinsic takes an integer");
        wgK_val x = wgK_cast(L, av[0], WG_UINT32);
        if (kind == W_POPC) return popc(L, x);
        if (kind == W_FFS) {  /* 1 + the index of the lowest set bit; 0 for 0 */
            wgK_val lsb = wgK_op2(L, WG_OP_BITWISE_AND, x, wgK_op2(L, WG_OP_SUBTRACT, U(L, 0), x));
            wgK_val n = wgK_op2(L, WG_OP_ADD, popc(L, wgK_op2(L, WG_OP_SUBTRACT, lsb, U(L, 1))), I(L, 1));
            return wgK_where(L, wgK_op2(L, WG_OP_EQUAL, x, U(L, 0)), I(L, 0), n);
        }
        for (int s = 1; s <= 16; s *= 2)  /* __clz: smear the highest bit down, count the rest */
            x = wgK_op2(L, WG_OP_BITWISE_OR, x, wgK_op2(L, WG_OP_RIGHT_SHIFT, x, U(L, s)));
        return wgK_op2(L, WG_OP_SUBTRACT, I(L, 32), popc(L, x));
    }
    if (L->straight) return wgK_fail(L, WG_ERR_NOTIMPL, call, "a warp intrinsic in a reduction");
    if (!L->k->wg_block) {
        if (kind == W_SYNCWARP && L->raw) {
            wgK_emit(L, WG_OP_BARRIER, 0, 0, -1, -1, -1);
            return I(L, 0);
        }
        return wgK_fail(L, WG_ERR_NOTIMPL, call, "warp intrinsics need a RawKernel (threads in blocks)");
    }
    /* the thread's index in its block: a RawKernel's __wg_t; in a workgroup ElementwiseKernel
     * (a library kernel's __wg_block(B): B consecutive points a workgroup, ir.h) i % B */
    wgK_val tid = L->raw ? wgK_cast(L, named(L, "__wg_t"), WG_INT32)
                         : wgK_cast(L, wgK_op2(L, WG_OP_REMAINDER,
                                               (wgK_val){wgK_emit(L, WG_OP_LINEAR, WG_INT64, 0, -1, -1, -1), WG_INT64},
                                               wgK_const(L, WG_INT64, (double)L->k->wg_block, L->k->wg_block)),
                                    WG_INT32);
    wgK_val lane = wgK_op2(L, WG_OP_BITWISE_AND, tid, I(L, 31));
    if (!wgK_ok(lane)) return lane;
    switch (kind) {
    case W_SYNCWARP:
        wgK_emit(L, WG_OP_BARRIER, 0, 0, -1, -1, -1);
        return I(L, 0);
    case W_ACTIVEMASK: {  /* the warp's lanes that exist: all 32 but in a partial last warp */
        wgK_val nt = L->raw ? wgK_cast(L, named(L, "__wg_nt"), WG_INT32) : I(L, L->k->wg_block);
        wgK_val n = wgK_op2(L, WG_OP_SUBTRACT, nt,
                            wgK_op2(L, WG_OP_SUBTRACT, tid, lane));
        wgK_val sh = wgK_cast(L, wgK_op2(L, WG_OP_MINIMUM, n, I(L, 31)), WG_UINT32);
        return wgK_where(L, wgK_op2(L, WG_OP_GREATER_EQUAL, n, I(L, 32)), U(L, 0xffffffffu),
                         wgK_op2(L, WG_OP_SUBTRACT, wgK_op2(L, WG_OP_LEFT_SHIFT, U(L, 1), sh), U(L, 1)));
    }
    case W_BALLOT: return ballot(L, call, av[0], tid, lane);
    case W_ANY: return wgK_cast(L, wgK_op2(L, WG_OP_NOT_EQUAL, ballot(L, call, av[0], tid, lane), U(L, 0)), WG_INT32);
    case W_ALL:
        return wgK_cast(L, wgK_op2(L, WG_OP_EQUAL, ballot(L, call, wgK_op1(L, WG_OP_LOGICAL_NOT, truth(L, av[0])),
                                                          tid, lane), U(L, 0)), WG_INT32);
    default: break;
    }
    /* the shuffles: the value's dtype after C's promotions (bool, char, short: int) */
    wgK_val v = av[0];
    int dt = wgD_is_float(v.dt) ? (v.dt == WG_FLOAT16 ? WG_FLOAT32 : v.dt) : wgK_arith_type(L, v.dt, WG_INT32);
    v = wgK_cast(L, v, dt);
    wgK_val x = wgK_cast(L, av[1], WG_INT32);  /* source lane, delta or lane mask */
    wgK_val w = nargs > warp_fns[f].mask + 2 ? wgK_cast(L, av[2], WG_INT32) : I(L, 32);
    wgK_val seg = wgK_op2(L, WG_OP_BITWISE_AND, lane, wgK_op1(L, WG_OP_NEGATIVE, w));  /* lane & ~(w-1) */
    wgK_val end = wgK_op2(L, WG_OP_ADD, seg, w), s;
    if (kind == W_SHFL) {
        s = wgK_op2(L, WG_OP_ADD, seg, wgK_op2(L, WG_OP_BITWISE_AND, x, wgK_op2(L, WG_OP_SUBTRACT, w, I(L, 1))));
    } else if (kind == W_UP) {
        wgK_val t = wgK_op2(L, WG_OP_SUBTRACT, lane, x);
        s = wgK_where(L, wgK_op2(L, WG_OP_LESS, t, seg), lane, t);
    } else {
        wgK_val t = wgK_op2(L, kind == W_DOWN ? WG_OP_ADD : WG_OP_BITWISE_XOR, lane, x);
        s = wgK_where(L, wgK_op2(L, WG_OP_GREATER_EQUAL, t, end), lane, t);
    }
    wgK_val idx = wgK_op2(L, WG_OP_ADD, wgK_op2(L, WG_OP_SUBTRACT, tid, lane), s);
    return exchange(L, call, tid, v, idx);
}
