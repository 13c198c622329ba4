/*
 * Tests of the cpu executor (exec/cpu*.c), the scalar conversions (dtype/half.c, dtype/value.c)
 * and ir.c.  Kernels are built by hand (wg_kernel_ir + wg_kernel_args over buffers whose host
 * points at test arrays).  Expected values were computed with NumPy 2.4.6; the NumPy expression
 * is in the comment next to each.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wgtest.h"
#include "../src/base/context.h"
#include "../src/exec/cpu_internal.h"
#include "../src/array/array.h"

/* ---- helpers --------------------------------------------------------------------------------- */
static wg_context *tctx(void) {
    static wg_context ctx;
    memset(&ctx, 0, sizeof ctx);
    return &ctx;
}

#define INS(op, dt, arg, s0, s1, s2) \
    ((wg_inst){(uint8_t)(op), (uint8_t)(dt), (uint16_t)(arg), {(uint16_t)(s0), (uint16_t)(s1), (uint16_t)(s2)}})
#define LOAD(dt, slot) INS(WG_OP_LOAD, dt, slot, 0, 0, 0)
#define PARAM(dt, slot) INS(WG_OP_PARAM, dt, slot, 0, 0, 0)
#define UN(op, dt, a) INS(WG_OP_##op, dt, 0, a, 0, 0)
#define BIN(op, dt, a, b) INS(WG_OP_##op, dt, 0, a, b, 0)

static void setbuf(wg_buffer *b, void *p, int64_t nbytes) {
    memset(b, 0, sizeof *b);
    b->host = p;
    b->nbytes = nbytes;
    b->allocated = 1;
}

/* A 1-D elementwise kernel over n points: inputs contiguous (or with strides[j]), one output
 * (contiguous) storing the last instruction. */
typedef struct {
    wg_kernel_ir k;
    wg_kernel_args a;
    wg_buffer bufs[WG_KMAX_IO * 2];
} kern;

static void ew_setup(kern *t, int nin, const int *idt, void *const *in, const int64_t *strides,
                     int64_t n, const wg_inst *prog, int ninst, int odt, void *out) {
    memset(t, 0, sizeof *t);
    t->k.kind = WG_K_ELEMENTWISE;
    t->k.ndim = 1;
    t->k.ninputs = nin;
    t->k.noutputs = 1;
    t->k.output_dtype[0] = (uint8_t)odt;
    t->k.inst = (wg_inst *)prog;
    t->k.ninst = ninst;
    t->k.out_inst[0] = (uint16_t)(ninst - 1);
    t->a.shape[0] = n;
    for (int j = 0; j < nin; j++) {
        int64_t s = strides ? strides[j] : 1;
        int64_t span = s == 0 ? 1 : n * (s < 0 ? -s : s);
        t->k.input_dtype[j] = (uint8_t)idt[j];
        setbuf(&t->bufs[j], in[j], span * wgD_itemsize(idt[j]));
        t->a.in[j].buf = &t->bufs[j];
        t->a.in[j].strides[0] = s;
        t->a.in[j].offset = s < 0 ? (n - 1) * -s : 0;
    }
    setbuf(&t->bufs[WG_KMAX_IO], out, n * wgD_itemsize(odt));
    t->a.out[0].buf = &t->bufs[WG_KMAX_IO];
    t->a.out[0].strides[0] = 1;
}

/* one input, one op: out = op(in) (dt -> rdt) */
static int run_un(wg_context *c, int op, int dt, int rdt, void *in, int64_t n, void *out) {
    wg_inst p[2] = {LOAD(dt, 0), INS(op, rdt, 0, 0, 0, 0)};
    int idt[1] = {dt};
    void *ins[1] = {in};
    kern t;
    ew_setup(&t, 1, idt, ins, NULL, n, p, 2, rdt, out);
    return wgX_cpu_run(c, &t.k, &t.a);
}

/* out = a op b, both of dt, result rdt */
static int run_bin(wg_context *c, int op, int dt, int rdt, void *a, void *b, int64_t n, void *out) {
    wg_inst p[3] = {LOAD(dt, 0), LOAD(dt, 1), INS(op, rdt, 0, 0, 1, 0)};
    int idt[2] = {dt, dt};
    void *ins[2] = {a, b};
    kern t;
    ew_setup(&t, 2, idt, ins, NULL, n, p, 3, rdt, out);
    return wgX_cpu_run(c, &t.k, &t.a);
}

static int same_f64(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    return a == b && signbit(a) == signbit(b);
}

static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

/* ---- scalar conversions ---------------------------------------------------------------------- */
WG_TEST(cpu_half_conversions) {
    /* hex(np.float16(v).view(np.uint16)) */
    WG_CHECK_EQ_INT(wgD_float_to_half(65504.0f), 0x7bff);
    WG_CHECK_EQ_INT(wgD_float_to_half(65519.0f), 0x7bff);
    WG_CHECK_EQ_INT(wgD_float_to_half(65520.0f), 0x7c00);       /* rounds to inf */
    WG_CHECK_EQ_INT(wgD_float_to_half(0x1p-24f), 0x0001);       /* smallest subnormal */
    WG_CHECK_EQ_INT(wgD_float_to_half(0x1p-25f), 0x0000);       /* tie: to even (0) */
    WG_CHECK_EQ_INT(wgD_float_to_half(3 * 0x1p-25f), 0x0002);   /* tie: to even (2) */
    WG_CHECK_EQ_INT(wgD_float_to_half(0.1f), 0x2e66);
    WG_CHECK_EQ_INT(wgD_float_to_half(-0.0f), 0x8000);
    WG_CHECK_EQ_INT(wgD_float_to_half(1e-8f), 0x0000);
    WG_CHECK_EQ_INT(wgD_float_to_half(0x1p-14f), 0x0400);
    WG_CHECK_EQ_INT(wgD_float_to_half(INFINITY), 0x7c00);
    WG_CHECK_EQ_INT(wgD_float_to_half(-1e30f), 0xfc00);
    uint16_t hn = wgD_float_to_half(NAN);
    WG_CHECK((hn & 0x7c00) == 0x7c00 && (hn & 0x03ff) != 0);
    /* np.uint16(0x0001).view(np.float16) == 2**-24; 0x3555 -> 0.333251953125; 0x7bff -> 65504 */
    WG_CHECK(wgD_half_to_float(0x0001) == 0x1p-24f);
    WG_CHECK(wgD_half_to_float(0x3555) == 0.333251953125f);
    WG_CHECK(wgD_half_to_float(0x7bff) == 65504.0f);
    WG_CHECK(isinf(wgD_half_to_float(0xfc00)) && wgD_half_to_float(0xfc00) < 0);
    WG_CHECK(isnan(wgD_half_to_float(0x7e00)));
    WG_CHECK(signbit(wgD_half_to_float(0x8000)) && wgD_half_to_float(0x8000) == 0);
    /* all halves round-trip */
    int bad = 0;
    for (uint32_t h = 0; h < 0x10000; h++) {
        if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) continue; /* NaNs */
        bad += wgD_float_to_half(wgD_half_to_float((uint16_t)h)) != h;
        bad += wgD_double_to_half((double)wgD_half_to_float((uint16_t)h)) != h;
    }
    WG_CHECK_EQ_INT(bad, 0);
    /* float64 -> float16 rounds once: hex(np.float16(np.float64(1 + 2**-11 + 2**-40)).view(np.uint16))
     * is 0x3c01, while through float32 it would be 0x3c00 */
    WG_CHECK_EQ_INT(wgD_double_to_half(1.0 + 0x1p-11 + 0x1p-40), 0x3c01);
    WG_CHECK_EQ_INT(wgD_float_to_half((float)(1.0 + 0x1p-11 + 0x1p-40)), 0x3c00);
    WG_CHECK_EQ_INT(wgD_double_to_half(65519.99), 0x7bff);
    WG_CHECK_EQ_INT(wgD_double_to_half(65520.0), 0x7c00);
    WG_CHECK_EQ_INT(wgD_double_to_half(3 * 0x1p-25), 0x0002);
    WG_CHECK_EQ_INT(wgD_double_to_half(0x1p-25 + 0x1p-60), 0x0001);
    WG_CHECK_EQ_INT(wgD_double_to_half(-1e-300), 0x8000);
}

WG_TEST(cpu_convert_scalars) {
    wg_value v, r;
    /* np.array([nan]).astype(np.int64) -> INT64_MIN */
    v.f = NAN;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_INT64).i == INT64_MIN);
    WG_CHECK_EQ_INT(wgD_convert(v, WG_FLOAT64, WG_INT32).i, INT32_MIN);
    WG_CHECK_EQ_INT(wgD_convert(v, WG_FLOAT64, WG_INT8).i, 0);
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT64).u == 9223372036854775808u);
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT32).u == 2147483648u);
    WG_CHECK(wgD_convert(v, WG_FLOAT16, WG_UINT32).u == 0); /* the half loop goes through int64 */
    WG_CHECK_EQ_INT(wgD_convert(v, WG_FLOAT64, WG_BOOL).i, 1);
    /* np.array([300.5]).astype(np.int8) -> 44; uint8 of -300.5 -> 212 */
    v.f = 300.5;
    WG_CHECK_EQ_INT(wgD_convert(v, WG_FLOAT64, WG_INT8).i, 44);
    v.f = -300.5;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT8).u == 212);
    /* np.array([-1.0]).astype(np.uint32) -> 4294967295; 5e9 -> 0; 1e10 -> int32 MIN */
    v.f = -1.0;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT32).u == 4294967295u);
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT64).u == UINT64_MAX);
    v.f = 5e9;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT32).u == 0);
    v.f = 3e9;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT32).u == 3000000000u);
    v.f = 1e10;
    WG_CHECK_EQ_INT(wgD_convert(v, WG_FLOAT64, WG_INT32).i, INT32_MIN);
    v.f = INFINITY;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT64).u == 0);
    v.f = 0x1p63;
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_UINT64).u == 9223372036854775808u);
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_INT64).i == INT64_MIN);
    /* ints: wrap; to float16 through float32: np.int64(2049).astype(np.float16) == 2048 */
    v.i = 300;
    WG_CHECK_EQ_INT(wgD_convert(v, WG_INT64, WG_INT8).i, 44);
    WG_CHECK(wgD_convert(v, WG_INT64, WG_UINT8).u == 44);
    v.i = -1;
    WG_CHECK(wgD_convert(v, WG_INT64, WG_UINT16).u == 65535);
    WG_CHECK_EQ_INT(wgD_convert(v, WG_INT64, WG_BOOL).i, 1);
    v.i = 2049;
    WG_CHECK(wgD_convert(v, WG_INT64, WG_FLOAT16).f == 2048.0);
    v.i = 2051;
    WG_CHECK(wgD_convert(v, WG_INT64, WG_FLOAT16).f == 2052.0);
    v.i = 70000;
    WG_CHECK(isinf(wgD_convert(v, WG_INT64, WG_FLOAT16).f));
    v.u = UINT64_MAX; /* np.float32(np.uint64(2**64-1)) == 1.8446744e19 */
    WG_CHECK(wgD_convert(v, WG_UINT64, WG_FLOAT32).f == 0x1p64);
    WG_CHECK_EQ_INT(wgD_convert(v, WG_UINT64, WG_INT64).i, -1);
    /* normalizing: float16 -> float16 rounds the held double; np.float16(0.1) == 0.0999755859375 */
    v.f = 0.1;
    WG_CHECK(wgD_convert(v, WG_FLOAT16, WG_FLOAT16).f == 0.0999755859375);
    WG_CHECK(wgD_convert(v, WG_FLOAT64, WG_FLOAT32).f == (double)0.1f);
    /* load / store every dtype */
    unsigned char mem[8];
    for (int dt = 0; dt <= WG_FLOAT64; dt++) { /* complex values are pairs: never one wg_value */
        v.i = 0;
        if (wgD_is_float(dt)) v.f = -2.5;
        else if (wgD_is_unsigned(dt)) v.u = 200;
        else if (dt == WG_BOOL) v.i = 1;
        else v.i = -100;
        memset(mem, 0xab, sizeof mem);
        wgD_store(dt, mem, v);
        r = wgD_load(dt, mem);
        WG_CHECK(wgD_is_float(dt) ? r.f == v.f : r.i == v.i);
        WG_CHECK(wgD_is_float(dt) || wgD_itemsize(dt) == 8 || mem[wgD_itemsize(dt)] == 0xab);
    }
    /* bool storage that is not 0/1 still loads as true; stores are 0/1 */
    mem[0] = 7;
    WG_CHECK_EQ_INT(wgD_load(WG_BOOL, mem).i, 1);
    v.i = 5;
    wgD_store(WG_BOOL, mem, v);
    WG_CHECK_EQ_INT(mem[0], 1);
}

/* ---- elementwise: integers ------------------------------------------------------------------- */
WG_TEST(cpu_int_arith_wraps) {
    wg_context *c = tctx();
    /* np.int8([127, -128, 100]) + np.int8([1, -1, 100]) -> [-128, 127, -56] */
    int8_t a8[3] = {127, -128, 100}, b8[3] = {1, -1, 100}, r8[3];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_ADD, WG_INT8, WG_INT8, a8, b8, 3, r8), 0);
    WG_CHECK(r8[0] == -128 && r8[1] == 127 && r8[2] == -56);
    /* np.uint8([0, 5]) - np.uint8([1, 10]) -> [255, 251] */
    uint8_t au[2] = {0, 5}, bu[2] = {1, 10}, ru[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_SUBTRACT, WG_UINT8, WG_UINT8, au, bu, 2, ru), 0);
    WG_CHECK(ru[0] == 255 && ru[1] == 251);
    /* np.int64([2**63-1, -2**63]) * np.int64([2, -1]) -> [-2, -2**63] */
    int64_t a64[2] = {INT64_MAX, INT64_MIN}, b64[2] = {2, -1}, r64[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_MULTIPLY, WG_INT64, WG_INT64, a64, b64, 2, r64), 0);
    WG_CHECK(r64[0] == -2 && r64[1] == INT64_MIN);
    /* bool: add is or, multiply is and, results stored as 0/1 */
    uint8_t ab[4] = {1, 1, 0, 0}, bb[4] = {1, 0, 1, 0}, rb[4];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_ADD, WG_BOOL, WG_BOOL, ab, bb, 4, rb), 0);
    WG_CHECK(rb[0] == 1 && rb[1] == 1 && rb[2] == 1 && rb[3] == 0);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_MULTIPLY, WG_BOOL, WG_BOOL, ab, bb, 4, rb), 0);
    WG_CHECK(rb[0] == 1 && rb[1] == 0 && rb[2] == 0 && rb[3] == 0);
    /* np.abs(np.int8([-128, -5])) -> [-128, 5]; np.abs(np.int64([-2**63])) -> [-2**63] */
    int8_t n8[2] = {-128, -5};
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ABSOLUTE, WG_INT8, WG_INT8, n8, 2, r8), 0);
    WG_CHECK(r8[0] == -128 && r8[1] == 5);
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ABSOLUTE, WG_INT64, WG_INT64, a64 + 1, 1, r64), 0);
    WG_CHECK(r64[0] == INT64_MIN);
    /* np.negative(np.int16([-32768])) -> [-32768]; np.negative(np.uint8([1])) -> [255] */
    int16_t n16 = -32768, r16;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_NEGATIVE, WG_INT16, WG_INT16, &n16, 1, &r16), 0);
    WG_CHECK_EQ_INT(r16, -32768);
    WG_CHECK_EQ_INT(run_un(c, WG_OP_NEGATIVE, WG_UINT8, WG_UINT8, bu, 1, ru), 0);
    WG_CHECK_EQ_INT(ru[0], 255);
    /* np.square(np.int32([65536])) -> [0] */
    int32_t s32 = 65536, rs;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_SQUARE, WG_INT32, WG_INT32, &s32, 1, &rs), 0);
    WG_CHECK_EQ_INT(rs, 0);
    /* np.sign(np.int8([-7, 0, 9])) -> [-1, 0, 1] */
    int8_t sg[3] = {-7, 0, 9};
    WG_CHECK_EQ_INT(run_un(c, WG_OP_SIGN, WG_INT8, WG_INT8, sg, 3, r8), 0);
    WG_CHECK(r8[0] == -1 && r8[1] == 0 && r8[2] == 1);
}

WG_TEST(cpu_int_floor_divide_remainder) {
    wg_context *c = tctx();
    /* a = np.int8([7,-7,7,-7,0,-128,5]); b = np.int8([2,2,-2,-2,0,-1,0])
     * a // b -> [3,-4,-4,3,0,-128,0];  a % b -> [1,1,-1,-1,0,0,0] */
    int8_t a[7] = {7, -7, 7, -7, 0, -128, 5}, b[7] = {2, 2, -2, -2, 0, -1, 0}, r[7];
    int8_t fd[7] = {3, -4, -4, 3, 0, -128, 0}, rm[7] = {1, 1, -1, -1, 0, 0, 0};
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FLOOR_DIVIDE, WG_INT8, WG_INT8, a, b, 7, r), 0);
    for (int i = 0; i < 7; i++) WG_CHECK_EQ_INT(r[i], fd[i]);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_REMAINDER, WG_INT8, WG_INT8, a, b, 7, r), 0);
    for (int i = 0; i < 7; i++) WG_CHECK_EQ_INT(r[i], rm[i]);
    /* np.int64([-2**63, -2**63, 7]) // np.int64([-1, 0, 0]) -> [-2**63, 0, 0]; % -> [0, 0, 0] */
    int64_t a64[3] = {INT64_MIN, INT64_MIN, 7}, b64[3] = {-1, 0, 0}, r64[3];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FLOOR_DIVIDE, WG_INT64, WG_INT64, a64, b64, 3, r64), 0);
    WG_CHECK(r64[0] == INT64_MIN && r64[1] == 0 && r64[2] == 0);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_REMAINDER, WG_INT64, WG_INT64, a64, b64, 3, r64), 0);
    WG_CHECK(r64[0] == 0 && r64[1] == 0 && r64[2] == 0);
    /* np.uint8([7, 200]) // np.uint8([0, 3]) -> [0, 66];  % -> [0, 2] */
    uint8_t au[2] = {7, 200}, bu[2] = {0, 3}, ru[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FLOOR_DIVIDE, WG_UINT8, WG_UINT8, au, bu, 2, ru), 0);
    WG_CHECK(ru[0] == 0 && ru[1] == 66);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_REMAINDER, WG_UINT8, WG_UINT8, au, bu, 2, ru), 0);
    WG_CHECK(ru[0] == 0 && ru[1] == 2);
}

WG_TEST(cpu_int_power) {
    wg_context *c = tctx();
    /* np.power(np.int8([2,3,-2,0,1]), np.int8([7,5,3,0,100])) -> [-128,-13,-8,1,1] */
    int8_t a[5] = {2, 3, -2, 0, 1}, b[5] = {7, 5, 3, 0, 100}, r[5];
    int8_t want[5] = {-128, -13, -8, 1, 1};
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_POWER, WG_INT8, WG_INT8, a, b, 5, r), 0);
    for (int i = 0; i < 5; i++) WG_CHECK_EQ_INT(r[i], want[i]);
    /* np.power(np.int64([2, 3]), np.int64([64, 41])) -> [0, -420491770248316829] */
    int64_t a64[2] = {2, 3}, b64[2] = {64, 41}, r64[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_POWER, WG_INT64, WG_INT64, a64, b64, 2, r64), 0);
    WG_CHECK(r64[0] == 0 && r64[1] == -420491770248316829LL);
    /* np.power(np.array([1]), np.array([-1])): ValueError (even for base 1) */
    int64_t one = 1, neg = -1;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_POWER, WG_INT64, WG_INT64, &one, &neg, 1, r64), WG_ERR_VALUE);
    WG_CHECK_EQ_STR(c->message, "Integers to negative integer powers are not allowed.");
    /* np.power(np.uint8([3]), np.uint8([200])) -> [1]  (3**200 mod 256) */
    c = tctx();
    uint8_t u3 = 3, u200 = 200, ur;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_POWER, WG_UINT8, WG_UINT8, &u3, &u200, 1, &ur), 0);
    WG_CHECK_EQ_INT(ur, 161);
    /* np.power([2.0, -8.0], [0.5, 1/3]) -> [1.4142135623730951, nan] */
    double fa[2] = {2.0, -8.0}, fb[2] = {0.5, 1.0 / 3}, fr[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_POWER, WG_FLOAT64, WG_FLOAT64, fa, fb, 2, fr), 0);
    WG_CHECK(fr[0] == 1.4142135623730951 && isnan(fr[1]));
}

WG_TEST(cpu_shifts) {
    wg_context *c = tctx();
    /* np.left_shift(np.int8([1,1,1,-1]), np.int8([7,8,-1,3])) -> [-128,0,0,-8] */
    int8_t a[4] = {1, 1, 1, -1}, b[4] = {7, 8, -1, 3}, r[4];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LEFT_SHIFT, WG_INT8, WG_INT8, a, b, 4, r), 0);
    WG_CHECK(r[0] == -128 && r[1] == 0 && r[2] == 0 && r[3] == -8);
    /* np.right_shift(np.int8([-8,-8,8,-8]), np.int8([1,8,9,-1])) -> [-4,-1,0,-1] */
    int8_t c8[4] = {-8, -8, 8, -8}, d8[4] = {1, 8, 9, -1};
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_RIGHT_SHIFT, WG_INT8, WG_INT8, c8, d8, 4, r), 0);
    WG_CHECK(r[0] == -4 && r[1] == -1 && r[2] == 0 && r[3] == -1);
    /* np.left_shift(np.int64([1,1]), [63,64]) -> [-2**63, 0];
     * np.right_shift(np.int64([-1, 2**62]), [64, 62]) -> [-1, 1] */
    int64_t x[2] = {1, 1}, s[2] = {63, 64}, r64[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LEFT_SHIFT, WG_INT64, WG_INT64, x, s, 2, r64), 0);
    WG_CHECK(r64[0] == INT64_MIN && r64[1] == 0);
    int64_t y[2] = {-1, INT64_C(1) << 62}, t[2] = {64, 62};
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_RIGHT_SHIFT, WG_INT64, WG_INT64, y, t, 2, r64), 0);
    WG_CHECK(r64[0] == -1 && r64[1] == 1);
    /* np.left_shift(np.uint8([1,1]), [7,8]) -> [128, 0]; np.right_shift(np.uint8([255,255]), [7,8]) -> [1, 0] */
    uint8_t u[2] = {1, 1}, us[2] = {7, 8}, ur[2], v[2] = {255, 255};
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LEFT_SHIFT, WG_UINT8, WG_UINT8, u, us, 2, ur), 0);
    WG_CHECK(ur[0] == 128 && ur[1] == 0);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_RIGHT_SHIFT, WG_UINT8, WG_UINT8, v, us, 2, ur), 0);
    WG_CHECK(ur[0] == 1 && ur[1] == 0);
}

WG_TEST(cpu_int_reciprocal_invert_logic) {
    wg_context *c = tctx();
    /* np.reciprocal(np.int64([0,1,2,-1,-2])) -> [-2**63, 1, 0, -1, 0] */
    int64_t a[5] = {0, 1, 2, -1, -2}, r[5];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RECIPROCAL, WG_INT64, WG_INT64, a, 5, r), 0);
    WG_CHECK(r[0] == INT64_MIN && r[1] == 1 && r[2] == 0 && r[3] == -1 && r[4] == 0);
    /* np.reciprocal(np.int8([0,1,2,-1])) -> [0,1,0,-1]; int32 [0] -> [-2**31]; uint64 [0] -> [0] */
    int8_t b[4] = {0, 1, 2, -1}, rb[4];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RECIPROCAL, WG_INT8, WG_INT8, b, 4, rb), 0);
    WG_CHECK(rb[0] == 0 && rb[1] == 1 && rb[2] == 0 && rb[3] == -1);
    int32_t z32 = 0, r32;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RECIPROCAL, WG_INT32, WG_INT32, &z32, 1, &r32), 0);
    WG_CHECK_EQ_INT(r32, INT32_MIN);
    uint64_t z64 = 0, ru64;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RECIPROCAL, WG_UINT64, WG_UINT64, &z64, 1, &ru64), 0);
    WG_CHECK(ru64 == 0);
    /* np.invert([True, False]) -> [False, True]; np.invert(np.uint8([0,5])) -> [255,250];
     * np.invert(np.int8([0,-1,5])) -> [-1,0,-6] */
    uint8_t bo[2] = {1, 0}, rbo[2];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_INVERT, WG_BOOL, WG_BOOL, bo, 2, rbo), 0);
    WG_CHECK(rbo[0] == 0 && rbo[1] == 1);
    uint8_t u[2] = {0, 5}, ru[2];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_INVERT, WG_UINT8, WG_UINT8, u, 2, ru), 0);
    WG_CHECK(ru[0] == 255 && ru[1] == 250);
    int8_t i8[3] = {0, -1, 5};
    WG_CHECK_EQ_INT(run_un(c, WG_OP_INVERT, WG_INT8, WG_INT8, i8, 3, rb), 0);
    WG_CHECK(rb[0] == -1 && rb[1] == 0 && rb[2] == -6);
    /* np.logical_and(np.int32([0,3,-2]), np.int32([5,0,-1])) -> [F,F,T]; xor -> [T,T,F] */
    int32_t la[3] = {0, 3, -2}, lb[3] = {5, 0, -1};
    uint8_t lr[3];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LOGICAL_AND, WG_INT32, WG_BOOL, la, lb, 3, lr), 0);
    WG_CHECK(lr[0] == 0 && lr[1] == 0 && lr[2] == 1);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LOGICAL_XOR, WG_INT32, WG_BOOL, la, lb, 3, lr), 0);
    WG_CHECK(lr[0] == 1 && lr[1] == 1 && lr[2] == 0);
    /* unsigned comparisons: np.uint64([2**63]) > np.uint64([1]) -> True */
    uint64_t ga = UINT64_C(1) << 63, gb = 1;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_GREATER, WG_UINT64, WG_BOOL, &ga, &gb, 1, lr), 0);
    WG_CHECK_EQ_INT(lr[0], 1);
    /* np.isnan(np.int32(...)) is all False; isfinite all True */
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ISFINITE, WG_INT32, WG_BOOL, la, 3, lr), 0);
    WG_CHECK(lr[0] == 1 && lr[1] == 1 && lr[2] == 1);
}

/* ---- elementwise: floats --------------------------------------------------------------------- */
WG_TEST(cpu_float_floor_divide_remainder) {
    wg_context *c = tctx();
    double x[15] = {5, -5, 5, -5, INFINITY, -INFINITY, 5, -5, 0, -0.0, NAN, 1, 0, 1e308, 3};
    double y[15] = {3, 3, -3, -3, 3, 3, INFINITY, INFINITY, 0, 0, 1, 0, -INFINITY, 1e-308, 0.1};
    /* np.floor_divide(x, y) */
    double fd[15] = {1, -2, -2, 1, NAN, NAN, 0, -1, NAN, NAN, NAN, INFINITY, -0.0, INFINITY, 29};
    /* np.remainder(x, y) */
    double rm[15] = {2, 1, -1, -2, NAN, NAN, 5, INFINITY, NAN, NAN, NAN, NAN, -0.0,
                     3.498445546245627e-309, 0.09999999999999984};
    double r[15];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FLOOR_DIVIDE, WG_FLOAT64, WG_FLOAT64, x, y, 15, r), 0);
    for (int i = 0; i < 15; i++)
        if (!same_f64(r[i], fd[i])) wgt_fail(__FILE__, __LINE__, "fd[%d] %g != %g", i, r[i], fd[i]);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_REMAINDER, WG_FLOAT64, WG_FLOAT64, x, y, 15, r), 0);
    for (int i = 0; i < 15; i++)
        if (!same_f64(r[i], rm[i])) wgt_fail(__FILE__, __LINE__, "rm[%d] %g != %g", i, r[i], rm[i]);
    /* float32: same rules with float libm: np.float32(-5) % np.float32(3) == 1 */
    float xf[2] = {-5, 7.5f}, yf[2] = {3, -2}, rf[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_REMAINDER, WG_FLOAT32, WG_FLOAT32, xf, yf, 2, rf), 0);
    WG_CHECK(rf[0] == 1.0f && rf[1] == -0.5f);
}

WG_TEST(cpu_float_nan_semantics) {
    wg_context *c = tctx();
    double a[4] = {0.0, -0.0, NAN, 1.0}, b[4] = {-0.0, 0.0, 1.0, NAN}, r[4];
    /* np.maximum(a, b) -> [-0., 0., nan, nan]: NaN propagates; equal -> the second operand */
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_MAXIMUM, WG_FLOAT64, WG_FLOAT64, a, b, 4, r), 0);
    WG_CHECK(same_f64(r[0], -0.0) && same_f64(r[1], 0.0) && isnan(r[2]) && isnan(r[3]));
    /* np.minimum(a, b) -> [-0., 0., nan, nan] */
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_MINIMUM, WG_FLOAT64, WG_FLOAT64, a, b, 4, r), 0);
    WG_CHECK(same_f64(r[0], -0.0) && same_f64(r[1], 0.0) && isnan(r[2]) && isnan(r[3]));
    /* np.fmax(a, b) -> [0., -0., 1., 1.]: NaN ignored */
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FMAX, WG_FLOAT64, WG_FLOAT64, a, b, 4, r), 0);
    WG_CHECK(r[0] == 0 && r[1] == 0 && r[2] == 1 && r[3] == 1);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_FMIN, WG_FLOAT64, WG_FLOAT64, a, b, 4, r), 0);
    WG_CHECK(r[0] == 0 && r[1] == 0 && r[2] == 1 && r[3] == 1);
    /* float16 maximum gives the first operand on ties: np.maximum(np.float16(0), np.float16(-0.)) -> 0. */
    uint16_t ha[2] = {0x0000, 0x8000}, hb[2] = {0x8000, 0x0000}, hr[2];
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_MAXIMUM, WG_FLOAT16, WG_FLOAT16, ha, hb, 2, hr), 0);
    WG_CHECK(hr[0] == 0x0000 && hr[1] == 0x8000);
    /* np.sign([-0., 0., nan, -3., 3.]) -> [0., 0., nan, -1., 1.] */
    double s[5] = {-0.0, 0.0, NAN, -3, 3}, rs[5];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_SIGN, WG_FLOAT64, WG_FLOAT64, s, 5, rs), 0);
    WG_CHECK(same_f64(rs[0], 0.0) && same_f64(rs[1], 0.0) && isnan(rs[2]) && rs[3] == -1 && rs[4] == 1);
    /* np.rint([0.5, 1.5, 2.5, -0.5, -1.5]) -> [0., 2., 2., -0., -2.] */
    double h[5] = {0.5, 1.5, 2.5, -0.5, -1.5}, rh[5];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RINT, WG_FLOAT64, WG_FLOAT64, h, 5, rh), 0);
    WG_CHECK(rh[0] == 0 && rh[1] == 2 && rh[2] == 2 && same_f64(rh[3], -0.0) && rh[4] == -2);
    float hf[3] = {0.5f, 1.5f, 2.5f}, rhf[3];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_RINT, WG_FLOAT32, WG_FLOAT32, hf, 3, rhf), 0);
    WG_CHECK(rhf[0] == 0 && rhf[1] == 2 && rhf[2] == 2);
    /* comparisons with NaN: np.equal(nan, nan) False, np.not_equal True, np.less False */
    double n1 = NAN, n2 = NAN;
    uint8_t br;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_EQUAL, WG_FLOAT64, WG_BOOL, &n1, &n2, 1, &br), 0);
    WG_CHECK_EQ_INT(br, 0);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_NOT_EQUAL, WG_FLOAT64, WG_BOOL, &n1, &n2, 1, &br), 0);
    WG_CHECK_EQ_INT(br, 1);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LESS_EQUAL, WG_FLOAT64, WG_BOOL, &n1, &n2, 1, &br), 0);
    WG_CHECK_EQ_INT(br, 0);
    /* NaN is true: np.logical_or(nan, 0.) True, np.logical_not(nan) False */
    double zero = 0;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_LOGICAL_OR, WG_FLOAT64, WG_BOOL, &n1, &zero, 1, &br), 0);
    WG_CHECK_EQ_INT(br, 1);
    WG_CHECK_EQ_INT(run_un(c, WG_OP_LOGICAL_NOT, WG_FLOAT64, WG_BOOL, &n1, 1, &br), 0);
    WG_CHECK_EQ_INT(br, 0);
    /* np.isnan / isinf / isfinite of [1., inf, -inf, nan] */
    double v[4] = {1, INFINITY, -INFINITY, NAN};
    uint8_t m[4];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ISNAN, WG_FLOAT64, WG_BOOL, v, 4, m), 0);
    WG_CHECK(!m[0] && !m[1] && !m[2] && m[3]);
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ISINF, WG_FLOAT64, WG_BOOL, v, 4, m), 0);
    WG_CHECK(!m[0] && m[1] && m[2] && !m[3]);
    float vf[4] = {1, INFINITY, -INFINITY, NAN};
    WG_CHECK_EQ_INT(run_un(c, WG_OP_ISFINITE, WG_FLOAT32, WG_BOOL, vf, 4, m), 0);
    WG_CHECK(m[0] && !m[1] && !m[2] && !m[3]);
    /* libm (glibc's cbrt is 1 ulp off NumPy's here): np.cbrt(-27.) == -3, np.expm1(1e-10) == 1.00000000005e-10, np.log1p(-1) == -inf,
     * np.hypot(3, 4) == 5, np.copysign(1, -0.) == -1 */
    double w = -27, wr;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CBRT, WG_FLOAT64, WG_FLOAT64, &w, 1, &wr), 0);
    WG_CHECK_NEAR(wr, -3, 1e-15);
    w = 1e-10;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_EXPM1, WG_FLOAT64, WG_FLOAT64, &w, 1, &wr), 0);
    WG_CHECK(wr == 1.00000000005e-10);
    w = -1;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_LOG1P, WG_FLOAT64, WG_FLOAT64, &w, 1, &wr), 0);
    WG_CHECK(isinf(wr) && wr < 0);
    double h3 = 3, h4 = 4, mz = -0.0, o1 = 1;
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_HYPOT, WG_FLOAT64, WG_FLOAT64, &h3, &h4, 1, &wr), 0);
    WG_CHECK(wr == 5);
    WG_CHECK_EQ_INT(run_bin(c, WG_OP_COPYSIGN, WG_FLOAT64, WG_FLOAT64, &o1, &mz, 1, &wr), 0);
    WG_CHECK(wr == -1);
}

WG_TEST(cpu_float16_and_float32_rounding) {
    wg_context *c = tctx();
    /* a = np.float16([0.1, 1000, 3]); b = np.float16([0.2, 0.3, 7]):
     * (a + b) - a -> [0.1998291015625, 0.5, 7.0]   (rounded to float16 after each op)
     * (a * b) / b -> [0.0999755859375, 1000.0, 3.0];  np.sqrt(a) -> [0.316162109375, 31.625, 1.732421875] */
    uint16_t a[3] = {wgD_float_to_half(0.1f), wgD_float_to_half(1000), wgD_float_to_half(3)};
    uint16_t b[3] = {wgD_float_to_half(0.2f), wgD_float_to_half(0.3f), wgD_float_to_half(7)};
    void *ins[2] = {a, b};
    int idt[2] = {WG_FLOAT16, WG_FLOAT16};
    float out[3];
    wg_inst p1[4] = {LOAD(WG_FLOAT16, 0), LOAD(WG_FLOAT16, 1), BIN(ADD, WG_FLOAT16, 0, 1),
                     BIN(SUBTRACT, WG_FLOAT16, 2, 0)};
    kern t;
    ew_setup(&t, 2, idt, ins, NULL, 3, p1, 4, WG_FLOAT32, out); /* stored to float32 */
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    WG_CHECK(out[0] == 0.1998291015625f && out[1] == 0.5f && out[2] == 7.0f);
    wg_inst p2[4] = {LOAD(WG_FLOAT16, 0), LOAD(WG_FLOAT16, 1), BIN(MULTIPLY, WG_FLOAT16, 0, 1),
                     BIN(TRUE_DIVIDE, WG_FLOAT16, 2, 1)};
    ew_setup(&t, 2, idt, ins, NULL, 3, p2, 4, WG_FLOAT32, out);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    WG_CHECK(out[0] == 0.0999755859375f && out[1] == 1000.0f && out[2] == 3.0f);
    uint16_t hr[3];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_SQRT, WG_FLOAT16, WG_FLOAT16, a, 3, hr), 0);
    WG_CHECK(wgD_half_to_float(hr[0]) == 0.316162109375f && wgD_half_to_float(hr[1]) == 31.625f &&
             wgD_half_to_float(hr[2]) == 1.732421875f);
    /* float32 chains stay float32: np.float32(1e8) + np.float32(1) - np.float32(1e8) == 0 */
    float f[2] = {1e8f, 1.0f};
    void *fins[1] = {f};
    int fdt[1] = {WG_FLOAT32};
    int64_t st[1] = {0}; /* broadcast: every point reads f[0] */
    wg_inst p3[5] = {LOAD(WG_FLOAT32, 0), PARAM(WG_FLOAT32, 0), BIN(ADD, WG_FLOAT32, 0, 1),
                     BIN(SUBTRACT, WG_FLOAT32, 2, 0), UN(CAST, WG_FLOAT64, 3)};
    double d[2];
    ew_setup(&t, 1, fdt, fins, st, 2, p3, 5, WG_FLOAT64, d);
    t.k.nparams = 1;
    t.k.param_dtype[0] = WG_FLOAT32;
    t.a.params[0].f = 1.0;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    WG_CHECK(d[0] == 0.0 && d[1] == 0.0);
    /* a float16 PARAM holds a float16 value: np.float16(0.1).astype(np.float32) == 0.099975586 */
    wg_inst p4[2] = {PARAM(WG_FLOAT16, 0), UN(CAST, WG_FLOAT32, 0)};
    ew_setup(&t, 0, NULL, NULL, NULL, 2, p4, 2, WG_FLOAT32, out);
    t.k.nparams = 1;
    t.k.param_dtype[0] = WG_FLOAT16;
    t.a.params[0].f = 0.1;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    WG_CHECK(out[0] == 0.0999755859375f && out[1] == 0.0999755859375f);
}

WG_TEST(cpu_cast_table) {
    wg_context *c = tctx();
    /* v = np.array([nan, inf, -inf, 1e10, -1e10, 300.5, -300.5, 70000, -70000, 3e9, -3e9, 5e9,
     *               1.9e19, 2e19, -1, -2.5, 2**63, -2**63, 2**64, 255.9, -0.9]); v.astype(T) */
    double v[21] = {NAN, INFINITY, -INFINITY, 1e10, -1e10, 300.5, -300.5, 70000, -70000, 3e9, -3e9,
                    5e9, 1.9e19, 2e19, -1, -2.5, 0x1p63, -0x1p63, 0x1p64, 255.9, -0.9};
    const int64_t M = INT64_MIN, m = INT32_MIN;
    const int64_t i8[21] = {0, 0, 0, 0, 0, 44, -44, 112, -112, 0, 0, 0, 0, 0, -1, -2, 0, 0, 0, -1, 0};
    const int64_t i16[21] = {0, 0, 0, 0, 0, 300, -300, 4464, -4464, 0, 0, 0, 0, 0, -1, -2, 0, 0, 0, 255, 0};
    const int64_t i32[21] = {m, m, m, m, m, 300, -300, 70000, -70000, m, m, m, m, m, -1, -2, m, m, m, 255, 0};
    const int64_t i64[21] = {M, M, M, 10000000000, -10000000000, 300, -300, 70000, -70000, 3000000000,
                             -3000000000, 5000000000, M, M, -1, -2, M, M, M, 255, 0};
    const uint64_t u8[21] = {0, 0, 0, 0, 0, 44, 212, 112, 144, 0, 0, 0, 0, 0, 255, 254, 0, 0, 0, 255, 0};
    const uint64_t u16[21] = {0, 0, 0, 0, 0, 300, 65236, 4464, 61072, 0, 0, 0, 0, 0, 65535, 65534, 0, 0,
                              0, 255, 0};
    const uint64_t H = 2147483648u;
    const uint64_t u32[21] = {H, 0, H, 0, H, 300, 4294966996u, 70000, 4294897296u, 3000000000u, H, 0, 0,
                              0, 4294967295u, 4294967294u, 0, H, 0, 255, 0};
    const uint64_t T = UINT64_C(9223372036854775808);
    const uint64_t u64[21] = {T, 0, T, 10000000000u, UINT64_C(18446744063709551616) , 300,
                              UINT64_C(18446744073709551316), 70000, UINT64_C(18446744073709481616),
                              3000000000u, UINT64_C(18446744070709551616), 5000000000u, 0, 0,
                              UINT64_C(18446744073709551615), UINT64_C(18446744073709551614), T, T,
                              0, 255, 0};
    struct { int dt; const void *want; } cases[] = {
        {WG_INT8, i8}, {WG_INT16, i16}, {WG_INT32, i32}, {WG_INT64, i64},
        {WG_UINT8, u8}, {WG_UINT16, u16}, {WG_UINT32, u32}, {WG_UINT64, u64},
    };
    for (int q = 0; q < 8; q++) {
        /* through a CAST instruction (values in the compute class, then stored) */
        int64_t out[21];
        int dt = cases[q].dt;
        wg_inst p[3] = {LOAD(WG_FLOAT64, 0), UN(CAST, dt, 0), UN(CAST, wgD_is_signed(dt) ? WG_INT64 : WG_UINT64, 1)};
        int idt[1] = {WG_FLOAT64};
        void *ins[1] = {v};
        kern t;
        ew_setup(&t, 1, idt, ins, NULL, 21, p, 3, wgD_is_signed(dt) ? WG_INT64 : WG_UINT64, out);
        WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
        for (int i = 0; i < 21; i++)
            if (memcmp(&out[i], (const int64_t *)cases[q].want + i, 8))
                wgt_fail(__FILE__, __LINE__, "cast to dtype %d of %g: got %lld", dt, v[i],
                         (long long)out[i]);
        /* and by the store's conversion (float64 value stored to an integer output) */
        unsigned char raw[21 * 8];
        wg_inst p2[1] = {LOAD(WG_FLOAT64, 0)};
        ew_setup(&t, 1, idt, ins, NULL, 21, p2, 1, dt, raw);
        WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
        for (int i = 0; i < 21; i++) {
            wg_value lv = wgD_load(dt, raw + i * wgD_itemsize(dt));
            if (memcmp(&lv, (const int64_t *)cases[q].want + i, 8))
                wgt_fail(__FILE__, __LINE__, "store to dtype %d of %g", dt, v[i]);
        }
    }
    /* np.array([nan, inf, -1], dtype=np.float16).astype(np.uint32) -> [0, 0, 4294967295] */
    uint16_t h[3] = {0x7e00, 0x7c00, 0xbc00};
    uint32_t r32[3];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CAST, WG_FLOAT16, WG_UINT32, h, 3, r32), 0);
    WG_CHECK(r32[0] == 0 && r32[1] == 0 && r32[2] == 4294967295u);
    /* to bool: np.array([nan, 0., -0., 2.]).astype(bool) -> [T, F, F, T] */
    double bv[4] = {NAN, 0.0, -0.0, 2.0};
    uint8_t br[4];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CAST, WG_FLOAT64, WG_BOOL, bv, 4, br), 0);
    WG_CHECK(br[0] == 1 && br[1] == 0 && br[2] == 0 && br[3] == 1);
    /* int -> float16: np.int64([2049, 2051, 70000]).astype(np.float16) -> [2048, 2052, inf] */
    int64_t iv[3] = {2049, 2051, 70000};
    uint16_t hv[3];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CAST, WG_INT64, WG_FLOAT16, iv, 3, hv), 0);
    WG_CHECK(hv[0] == 0x6800 && hv[1] == 0x6802 && hv[2] == 0x7c00);
    /* float64 -> float16 rounds once (0x3c01, see cpu_half_conversions) */
    double dv = 1.0 + 0x1p-11 + 0x1p-40;
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CAST, WG_FLOAT64, WG_FLOAT16, &dv, 1, hv), 0);
    WG_CHECK_EQ_INT(hv[0], 0x3c01);
    /* int64 -> int8 wraps, uint64 -> int64 reinterprets: np.int64([300, -129]).astype(np.int8) -> [44, 127] */
    int64_t wv[2] = {300, -129};
    int8_t w8[2];
    WG_CHECK_EQ_INT(run_un(c, WG_OP_CAST, WG_INT64, WG_INT8, wv, 2, w8), 0);
    WG_CHECK(w8[0] == 44 && w8[1] == 127);
}

/* ---- elementwise: layouts --------------------------------------------------------------------- */
WG_TEST(cpu_strided_broadcast_two_outputs) {
    wg_context *c = tctx();
    /* a: int32 (3,4) C order; b: a row of 4 broadcast over rows (strides (0,1));
     * e: int32 column of 3 stored backwards (strides (-1,0), offset 2);
     * out0 = a + b as int32 C order; out1 = a * e as float64 in F order */
    int32_t a[12], b[4] = {10, 20, 30, 40}, e[3] = {7, 8, 9};
    for (int i = 0; i < 12; i++) a[i] = i - 5;
    int32_t o0[12];
    double o1[12];
    wg_inst p[6] = {LOAD(WG_INT32, 0), LOAD(WG_INT32, 1), LOAD(WG_INT32, 2),
                    BIN(ADD, WG_INT32, 0, 1), BIN(MULTIPLY, WG_INT32, 0, 2), UN(CAST, WG_FLOAT64, 4)};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.ninputs = 3;
    k.noutputs = 2;
    k.input_dtype[0] = k.input_dtype[1] = k.input_dtype[2] = WG_INT32;
    k.output_dtype[0] = WG_INT32;
    k.output_dtype[1] = WG_FLOAT64;
    k.out_inst[0] = 3;
    k.out_inst[1] = 5;
    k.inst = p;
    k.ninst = 6;
    wg_kernel_args args;
    memset(&args, 0, sizeof args);
    wg_buffer bufs[5];
    setbuf(&bufs[0], a, sizeof a);
    setbuf(&bufs[1], b, sizeof b);
    setbuf(&bufs[2], e, sizeof e);
    setbuf(&bufs[3], o0, sizeof o0);
    setbuf(&bufs[4], o1, sizeof o1);
    args.shape[0] = 3;
    args.shape[1] = 4;
    for (int j = 0; j < 3; j++) args.in[j].buf = &bufs[j];
    args.in[0].strides[0] = 4; args.in[0].strides[1] = 1;
    args.in[1].strides[0] = 0; args.in[1].strides[1] = 1;
    args.in[2].strides[0] = -1; args.in[2].strides[1] = 0; args.in[2].offset = 2;
    args.out[0].buf = &bufs[3]; args.out[0].strides[0] = 4; args.out[0].strides[1] = 1;
    args.out[1].buf = &bufs[4]; args.out[1].strides[0] = 1; args.out[1].strides[1] = 3;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &args), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            WG_CHECK_EQ_INT(o0[i * 4 + j], a[i * 4 + j] + b[j]);
            WG_CHECK(o1[i + 3 * j] == (double)(a[i * 4 + j] * e[2 - i]));
        }
    /* a large strided case crossing many blocks: a transposed (300 x 7) float32 view */
    enum { R = 300, C = 7 };
    static float src[R * C];
    static float dst[R * C];
    for (int i = 0; i < R * C; i++) src[i] = (float)i * 0.5f;
    wg_inst q[3] = {LOAD(WG_FLOAT32, 0), PARAM(WG_FLOAT32, 0), BIN(MULTIPLY, WG_FLOAT32, 0, 1)};
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.ninputs = 1;
    k.noutputs = 1;
    k.nparams = 1;
    k.input_dtype[0] = k.output_dtype[0] = k.param_dtype[0] = WG_FLOAT32;
    k.inst = q;
    k.ninst = 3;
    k.out_inst[0] = 2;
    memset(&args, 0, sizeof args);
    setbuf(&bufs[0], src, sizeof src);
    setbuf(&bufs[1], dst, sizeof dst);
    args.shape[0] = C;
    args.shape[1] = R;
    args.in[0].buf = &bufs[0]; args.in[0].strides[0] = 1; args.in[0].strides[1] = C; /* src.T */
    args.out[0].buf = &bufs[1]; args.out[0].strides[0] = R; args.out[0].strides[1] = 1;
    args.params[0].f = 2.0;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &args), 0);
    int bad = 0;
    for (int i = 0; i < C; i++)
        for (int j = 0; j < R; j++) bad += dst[i * R + j] != src[j * C + i] * 2.0f;
    WG_CHECK_EQ_INT(bad, 0);
    /* a 0-d kernel: one point */
    float s = 3.0f, so = 0;
    memset(&args, 0, sizeof args);
    setbuf(&bufs[0], &s, 4);
    setbuf(&bufs[1], &so, 4);
    k.ndim = 0;
    args.in[0].buf = &bufs[0];
    args.out[0].buf = &bufs[1];
    args.params[0].f = 4.0;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &args), 0);
    WG_CHECK(so == 12.0f);
}

WG_TEST(cpu_index_where_param) {
    wg_context *c = tctx();
    /* i, j = np.indices((3, 5)); np.where(j > 2, i * 10 + j, 2) with params (2, 10) */
    int64_t out[15];
    wg_inst p[8] = {
        INS(WG_OP_INDEX, WG_INT64, 0, 0, 0, 0), INS(WG_OP_INDEX, WG_INT64, 1, 0, 0, 0),
        PARAM(WG_INT64, 0), PARAM(WG_INT64, 1),
        BIN(MULTIPLY, WG_INT64, 0, 3),   /* i * 10 (param 1 = 10) */
        BIN(ADD, WG_INT64, 4, 1),        /* + j */
        BIN(GREATER, WG_BOOL, 1, 2),     /* j > 2 (param 0) */
        INS(WG_OP_WHERE, WG_INT64, 0, 6, 5, 2), /* else: param 0 */
    };
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.noutputs = 1;
    k.nparams = 2;
    k.param_dtype[0] = k.param_dtype[1] = WG_INT64;
    k.output_dtype[0] = WG_INT64;
    k.inst = p;
    k.ninst = 8;
    k.out_inst[0] = 7;
    wg_kernel_args args;
    memset(&args, 0, sizeof args);
    wg_buffer ob;
    setbuf(&ob, out, sizeof out);
    args.shape[0] = 3;
    args.shape[1] = 5;
    args.out[0].buf = &ob;
    args.out[0].strides[0] = 5;
    args.out[0].strides[1] = 1;
    args.params[0].i = 2;
    args.params[1].i = 10;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &args), 0);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 5; j++) WG_CHECK_EQ_INT(out[i * 5 + j], j > 2 ? i * 10 + j : 2);
    /* INDEX as float32 over a long axis (several blocks): np.arange(5000, dtype=np.float32) * 0.5 */
    static float f[5000];
    wg_inst q[3] = {INS(WG_OP_INDEX, WG_FLOAT32, 0, 0, 0, 0), PARAM(WG_FLOAT32, 0),
                    BIN(MULTIPLY, WG_FLOAT32, 0, 1)};
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 1;
    k.noutputs = 1;
    k.nparams = 1;
    k.param_dtype[0] = WG_FLOAT32;
    k.output_dtype[0] = WG_FLOAT32;
    k.inst = q;
    k.ninst = 3;
    k.out_inst[0] = 2;
    memset(&args, 0, sizeof args);
    setbuf(&ob, f, sizeof f);
    args.shape[0] = 5000;
    args.out[0].buf = &ob;
    args.out[0].strides[0] = 1;
    args.params[0].f = 0.5;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &args), 0);
    int bad = 0;
    for (int i = 0; i < 5000; i++) bad += f[i] != (float)i * 0.5f;
    WG_CHECK_EQ_INT(bad, 0);
}

WG_TEST(cpu_chain_of_100) {
    wg_context *c = tctx();
    /* float64: v = x; 48 times v = v * 1.0001 + 0.5; then -v (100 instructions in all) */
    enum { N = 3000, NI = 100 };
    static double x[N], out[N];
    for (int i = 0; i < N; i++) x[i] = (double)(i % 97) - 40.0;
    wg_inst p[NI];
    p[0] = LOAD(WG_FLOAT64, 0);
    p[1] = PARAM(WG_FLOAT64, 0);
    p[2] = INS(WG_OP_PARAM, WG_FLOAT64, 1, 0, 0, 0);
    int v = 0, n = 3;
    while (n + 2 <= NI - 1) {
        p[n] = BIN(MULTIPLY, WG_FLOAT64, v, 1);
        p[n + 1] = BIN(ADD, WG_FLOAT64, n, 2);
        v = n + 1;
        n += 2;
    }
    p[n] = UN(NEGATIVE, WG_FLOAT64, v);
    n++;
    WG_CHECK_EQ_INT(n, NI);
    int idt[1] = {WG_FLOAT64};
    void *ins[1] = {x};
    kern t;
    ew_setup(&t, 1, idt, ins, NULL, N, p, n, WG_FLOAT64, out);
    t.k.nparams = 2;
    t.k.param_dtype[0] = t.k.param_dtype[1] = WG_FLOAT64;
    t.a.params[0].f = 1.0001;
    t.a.params[1].f = 0.5;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int bad = 0;
    for (int i = 0; i < N; i++) {
        double w = x[i];
        for (int r = 0; r < (NI - 4) / 2; r++) w = w * 1.0001 + 0.5;
        bad += out[i] != -w;
    }
    WG_CHECK_EQ_INT(bad, 0);
    /* int32 with wrapping: 33 rounds of v = v * 3 + 7 (100 instructions) */
    static int32_t xi[N], oi[N];
    for (int i = 0; i < N; i++) xi[i] = (int32_t)((uint32_t)i * 1000003u);
    wg_inst q[NI];
    q[0] = LOAD(WG_INT32, 0);
    q[1] = PARAM(WG_INT32, 0);
    q[2] = PARAM(WG_INT32, 1);
    n = 3;
    v = 0;
    while (n + 2 <= NI - 1) {
        q[n] = BIN(MULTIPLY, WG_INT32, v, 1);
        q[n + 1] = BIN(ADD, WG_INT32, n, 2);
        v = n + 1;
        n += 2;
    }
    q[n] = UN(NEGATIVE, WG_INT32, v);
    v = n++;
    WG_CHECK_EQ_INT(n, NI);
    int idt2[1] = {WG_INT32};
    void *ins2[1] = {xi};
    ew_setup(&t, 1, idt2, ins2, NULL, N, q, n, WG_INT32, oi);
    t.k.nparams = 2;
    t.k.param_dtype[0] = t.k.param_dtype[1] = WG_INT32;
    t.a.params[0].i = 3;
    t.a.params[1].i = 7;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    bad = 0;
    for (int i = 0; i < N; i++) {
        uint32_t w = (uint32_t)xi[i];
        for (int r = 0; r < (NI - 4) / 2; r++) w = w * 3u + 7u;
        w = 0u - w;
        bad += (uint32_t)oi[i] != w;
    }
    WG_CHECK_EQ_INT(bad, 0);
}

/* ---- reductions ------------------------------------------------------------------------------ */
typedef struct {
    wg_kernel_ir k;
    wg_kernel_args a;
    wg_inst inst[4];
    wg_buffer bi, bo;
} rkern;

/* Reduce input x (dtype dt) with iteration shape (kept..., reduced...) and input strides;
 * output contiguous over the kept dims.  Program: LOAD (+ CAST to acc when cast). */
static void red_setup(rkern *r, int fold, int dt, int acc, int odt, void *x, int64_t xbytes,
                      int64_t xoff, int nkeep, int nred, const int64_t *shape,
                      const int64_t *strides, void *out, int64_t obytes, int cast) {
    memset(r, 0, sizeof *r);
    r->k.kind = WG_K_REDUCE;
    r->k.ndim = nkeep + nred;
    r->k.nred = nred;
    r->k.ninputs = 1;
    r->k.noutputs = 1;
    r->k.input_dtype[0] = (uint8_t)dt;
    r->k.output_dtype[0] = (uint8_t)odt;
    r->k.acc_dtype = (uint8_t)acc;
    r->k.fold = fold;
    r->inst[0] = LOAD(dt, 0);
    r->k.ninst = 1;
    if (cast) {
        r->inst[1] = UN(CAST, acc, 0);
        r->k.ninst = 2;
    }
    r->k.inst = r->inst;
    setbuf(&r->bi, x, xbytes);
    setbuf(&r->bo, out, obytes);
    r->a.in[0].buf = &r->bi;
    r->a.in[0].offset = xoff;
    r->a.out[0].buf = &r->bo;
    int64_t os = 1;
    for (int d = r->k.ndim - 1; d >= 0; d--) {
        r->a.shape[d] = shape[d];
        r->a.in[0].strides[d] = strides[d];
    }
    for (int d = nkeep - 1; d >= 0; d--) {
        r->a.out[0].strides[d] = os;
        os *= shape[d];
    }
}

/* x = ((np.arange(n) * 7919) % 1000 - 500).astype(np.float32) / np.float32(7) */
static void fill_x(float *x, int n) {
    for (int i = 0; i < n; i++) x[i] = (float)((i * 7919) % 1000 - 500) / 7.0f;
}

WG_TEST(cpu_reduce_sum_float32_matches_numpy) {
    wg_context *c = tctx();
    static float x[10000];
    fill_x(x, 10000);
    float out[100];
    rkern r;
    /* x.sum() -> -714.286, bits 0xc432924e (a sequential sum would give 0xc4329235) */
    int64_t sh1[1] = {10000}, st1[1] = {1};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 0, 1, sh1, st1,
              out, 4, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(fbits(out[0]), 0xc432924e);
    /* X = x[:3700].reshape(100, 37): X.sum(0)[:3] bits 0xc59ceb6e 0xc51116dc 0x43bd4928 */
    int64_t sh2[2] = {37, 100}, st2[2] = {1, 37};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 1, 1, sh2, st2,
              out, sizeof out, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(fbits(out[0]), 0xc59ceb6e);
    WG_CHECK_EQ_INT(fbits(out[1]), 0xc51116dc);
    WG_CHECK_EQ_INT(fbits(out[2]), 0x43bd4928);
    /* X.sum(1)[:3] bits 0xc27edb70 0xc23f6dba 0xc2000001 */
    int64_t sh3[2] = {100, 37}, st3[2] = {37, 1};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 1, 1, sh3, st3,
              out, sizeof out, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(fbits(out[0]), 0xc27edb70);
    WG_CHECK_EQ_INT(fbits(out[1]), 0xc23f6dba);
    WG_CHECK_EQ_INT(fbits(out[2]), 0xc2000001);
    /* X.T.sum() (all axes of a transposed view) -> bits 0xc3244928, same as X.sum() */
    int64_t sh4[2] = {37, 100}, st4[2] = {1, 37};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 0, 2, sh4, st4,
              out, 4, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(fbits(out[0]), 0xc3244928);
    /* X3 = x[:120].reshape(4, 5, 6): X3.sum(axis=(0, 2)) bits */
    const uint32_t want[5] = {0x42bc9248, 0xc30f6db7, 0x423db6dc, 0xc33e4924, 0x430f6db7};
    int64_t sh5[3] = {5, 4, 6}, st5[3] = {6, 30, 1};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 1, 2, sh5, st5,
              out, sizeof out, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    for (int i = 0; i < 5; i++) WG_CHECK_EQ_INT(fbits(out[i]), want[i]);
    /* np.argmax(X3.transpose(1,0,2).reshape(5,-1), axis=1) -> [14 21 1 8 1] (C order over (0,2)) */
    int64_t idx[5];
    const int64_t wi[5] = {14, 21, 1, 8, 1};
    red_setup(&r, WG_FOLD_ARGMAX, WG_FLOAT32, WG_FLOAT32, WG_INT64, x, sizeof x, 0, 1, 2, sh5, st5,
              idx, sizeof idx, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    for (int i = 0; i < 5; i++) WG_CHECK_EQ_INT(idx[i], wi[i]);
    /* X3.max(axis=1)[0, :3] -> [6, 67.85714 (475/7), 56.285713 (394/7)] */
    int64_t sh6[3] = {4, 6, 5}, st6[3] = {30, 1, 6};
    red_setup(&r, WG_FOLD_MAX, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, x, sizeof x, 0, 2, 1, sh6, st6,
              out, sizeof out, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(out[0] == 6.0f && out[1] == 475.0f / 7.0f && out[2] == 394.0f / 7.0f);
}

WG_TEST(cpu_reduce_mean_post_and_ints) {
    wg_context *c = tctx();
    static float x[10000];
    fill_x(x, 10000);
    /* x.astype(np.float64).mean() -> -0.07142857360839844: LOAD, CAST float64, SUM; post ACC/PARAM */
    double m = 0;
    rkern r;
    int64_t sh[1] = {10000}, st[1] = {1};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT64, WG_FLOAT64, x, sizeof x, 0, 0, 1, sh, st, &m,
              8, 1);
    wg_inst post[3] = {INS(WG_OP_ACC, WG_FLOAT64, 0, 0, 0, 0), PARAM(WG_FLOAT64, 0),
                       BIN(TRUE_DIVIDE, WG_FLOAT64, 0, 1)};
    r.k.post = post;
    r.k.npost = 3;
    r.k.nparams = 1;
    r.k.param_dtype[0] = WG_FLOAT64;
    r.a.params[0].f = 10000.0;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(m == -0.07142857360839844);
    /* np.sum(np.int8([100,100,100]), dtype=np.int8) -> 44; with int64 acc -> 300 */
    int8_t i8[3] = {100, 100, 100};
    int8_t o8;
    int64_t o64;
    int64_t sh3[1] = {3};
    red_setup(&r, WG_FOLD_SUM, WG_INT8, WG_INT8, WG_INT8, i8, 3, 0, 0, 1, sh3, st, &o8, 1, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(o8, 44);
    red_setup(&r, WG_FOLD_SUM, WG_INT8, WG_INT64, WG_INT64, i8, 3, 0, 0, 1, sh3, st, &o64, 8, 1);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(o64, 300);
    /* np.prod(np.int64([2**32, 2**32, 3])) -> 0 (wraps); np.prod(np.int8([-3,5]), dtype=np.int8) -> -15 */
    int64_t p[3] = {INT64_C(1) << 32, INT64_C(1) << 32, 3};
    red_setup(&r, WG_FOLD_PROD, WG_INT64, WG_INT64, WG_INT64, p, sizeof p, 0, 0, 1, sh3, st, &o64, 8, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(o64, 0);
    /* sum over axis 0 of a (2000, 3) int16 array read backwards along axis 0 (strategy B):
     * np.sum(A[::-1], axis=0) with A = (np.arange(6000) % 251 - 125).reshape(2000, 3) */
    static int16_t A[6000];
    int64_t want[3] = {0, 0, 0}, got[3];
    for (int i = 0; i < 6000; i++) {
        A[i] = (int16_t)(i % 251 - 125);
        want[i % 3] += A[i];
    }
    int64_t shB[2] = {3, 2000}, stB[2] = {1, -3};
    red_setup(&r, WG_FOLD_SUM, WG_INT16, WG_INT64, WG_INT64, A, sizeof A, 5997, 1, 1, shB, stB, got,
              sizeof got, 1);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    for (int j = 0; j < 3; j++) WG_CHECK_EQ_INT(got[j], want[j]);
    /* float16 sum: np.sum(np.float16([1000, 0.1, 0.1, 0.1])) -> 1000.5 (pairwise in float) */
    uint16_t h[4] = {wgD_float_to_half(1000), wgD_float_to_half(0.1f), wgD_float_to_half(0.1f),
                     wgD_float_to_half(0.1f)};
    uint16_t ho;
    int64_t sh4[1] = {4};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16, h, sizeof h, 0, 0, 1, sh4, st, &ho,
              2, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(wgD_half_to_float(ho) == 1000.5f);
}

WG_TEST(cpu_reduce_nan_arg_any_all) {
    wg_context *c = tctx();
    rkern r;
    int64_t st[1] = {1}, sh3[1] = {3}, sh4[1] = {4};
    int64_t idx;
    /* np.argmax([1, nan, nan]) -> 1 */
    double a[3] = {1, NAN, NAN};
    red_setup(&r, WG_FOLD_ARGMAX, WG_FLOAT64, WG_FLOAT64, WG_INT64, a, sizeof a, 0, 0, 1, sh3, st,
              &idx, 8, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(idx, 1);
    /* np.argmin([3, 1, 1, nan]) -> 3;  np.argmin([3, 1, 1, 2]) -> 1 (first occurrence) */
    double b[4] = {3, 1, 1, NAN};
    red_setup(&r, WG_FOLD_ARGMIN, WG_FLOAT64, WG_FLOAT64, WG_INT64, b, sizeof b, 0, 0, 1, sh4, st,
              &idx, 8, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(idx, 3);
    b[3] = 2;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(idx, 1);
    /* np.argmax(np.int32([5, 7, 7])) -> 1 */
    int32_t ci[3] = {5, 7, 7};
    red_setup(&r, WG_FOLD_ARGMAX, WG_INT32, WG_INT32, WG_INT64, ci, sizeof ci, 0, 0, 1, sh3, st,
              &idx, 8, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(idx, 1);
    /* np.max([1, nan, 2]) -> nan; np.min(np.uint8([9, 3, 200])) -> 3 */
    double d[3] = {1, NAN, 2}, dm;
    red_setup(&r, WG_FOLD_MAX, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, d, sizeof d, 0, 0, 1, sh3, st,
              &dm, 8, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(isnan(dm));
    uint8_t u[3] = {9, 3, 200}, um;
    red_setup(&r, WG_FOLD_MIN, WG_UINT8, WG_UINT8, WG_UINT8, u, sizeof u, 0, 0, 1, sh3, st, &um, 1, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(um, 3);
    /* np.any([0., nan]) -> True; np.all([1., 0.]) -> False */
    double e[2] = {0, NAN};
    uint8_t flag = 7;
    int64_t sh2[1] = {2};
    red_setup(&r, WG_FOLD_ANY, WG_FLOAT64, WG_BOOL, WG_BOOL, e, sizeof e, 0, 0, 1, sh2, st, &flag, 1, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(flag, 1);
    e[0] = 1;
    e[1] = 0;
    red_setup(&r, WG_FOLD_ALL, WG_FLOAT64, WG_BOOL, WG_BOOL, e, sizeof e, 0, 0, 1, sh2, st, &flag, 1, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK_EQ_INT(flag, 0);
    /* argmax over axis 0 of a (4, 3) with NaN and ties, strategy B:
     * np.argmax([[1,5,nan],[2,5,1],[nan,7,nan],[0,7,3]], axis=0) -> [2, 2, 0] */
    double g[12] = {1, 5, NAN, 2, 5, 1, NAN, 7, NAN, 0, 7, 3};
    int64_t gi[3];
    int64_t shg[2] = {3, 4}, stg[2] = {1, 3};
    red_setup(&r, WG_FOLD_ARGMAX, WG_FLOAT64, WG_FLOAT64, WG_INT64, g, sizeof g, 0, 1, 1, shg, stg,
              gi, sizeof gi, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(gi[0] == 2 && gi[1] == 2 && gi[2] == 0);
}

WG_TEST(cpu_reduce_empty) {
    wg_context *c = tctx();
    rkern r;
    double x[1] = {0}, o[3] = {9, 9, 9};
    int64_t idx[3];
    /* np.zeros((3, 0)).max(axis=1): ValueError */
    int64_t sh[2] = {3, 0}, st[2] = {0, 1};
    red_setup(&r, WG_FOLD_MAX, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, x, 8, 0, 1, 1, sh, st, o, sizeof o, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), WG_ERR_VALUE);
    WG_CHECK_EQ_STR(c->message, "zero-size array to reduction operation maximum which has no identity");
    c = tctx();
    red_setup(&r, WG_FOLD_MIN, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, x, 8, 0, 1, 1, sh, st, o, sizeof o, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), WG_ERR_VALUE);
    WG_CHECK_EQ_STR(c->message, "zero-size array to reduction operation minimum which has no identity");
    c = tctx();
    red_setup(&r, WG_FOLD_ARGMIN, WG_FLOAT64, WG_FLOAT64, WG_INT64, x, 8, 0, 1, 1, sh, st, idx,
              sizeof idx, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), WG_ERR_VALUE);
    WG_CHECK_EQ_STR(c->message, "attempt to get argmin of an empty sequence");
    c = tctx();
    red_setup(&r, WG_FOLD_ARGMAX, WG_FLOAT64, WG_FLOAT64, WG_INT64, x, 8, 0, 1, 1, sh, st, idx,
              sizeof idx, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), WG_ERR_VALUE);
    WG_CHECK_EQ_STR(c->message, "attempt to get argmax of an empty sequence");
    /* identities: np.zeros((3, 0)).sum(axis=1) -> 0, prod -> 1, any -> False, all -> True */
    c = tctx();
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, x, 8, 0, 1, 1, sh, st, o, sizeof o, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(o[0] == 0 && o[1] == 0 && o[2] == 0);
    red_setup(&r, WG_FOLD_PROD, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, x, 8, 0, 1, 1, sh, st, o, sizeof o, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(o[0] == 1 && o[1] == 1 && o[2] == 1);
    uint8_t f[3] = {7, 7, 7};
    red_setup(&r, WG_FOLD_ANY, WG_FLOAT64, WG_BOOL, WG_BOOL, x, 8, 0, 1, 1, sh, st, f, 3, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(f[0] == 0 && f[1] == 0 && f[2] == 0);
    red_setup(&r, WG_FOLD_ALL, WG_FLOAT64, WG_BOOL, WG_BOOL, x, 8, 0, 1, 1, sh, st, f, 3, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(f[0] == 1 && f[1] == 1 && f[2] == 1);
    /* kept size 0: np.zeros((0, 3)).max(axis=1) -> empty result, no error */
    int64_t sh0[2] = {0, 3};
    red_setup(&r, WG_FOLD_MAX, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, x, 8, 0, 1, 1, sh0, st, o, 0, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    /* reduction over no axes (nred 0): each point folds itself: np.sum(a, axis=()) */
    double y[3] = {1.5, -2, 3}, yo[3];
    int64_t sh3[1] = {3}, st1[1] = {1};
    red_setup(&r, WG_FOLD_SUM, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, y, sizeof y, 0, 1, 0, sh3, st1, yo,
              sizeof yo, 0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &r.k, &r.a), 0);
    WG_CHECK(yo[0] == 1.5 && yo[1] == -2 && yo[2] == 3);
}

WG_TEST(cpu_reduce_index_program) {
    wg_context *c = tctx();
    /* i, j = np.indices((3, 4)); (i * 10 + j).sum(axis=1) -> [6, 46, 86] */
    int64_t out[3];
    wg_inst p[5] = {INS(WG_OP_INDEX, WG_INT64, 0, 0, 0, 0), INS(WG_OP_INDEX, WG_INT64, 1, 0, 0, 0),
                    PARAM(WG_INT64, 0), BIN(MULTIPLY, WG_INT64, 0, 2), BIN(ADD, WG_INT64, 3, 1)};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_REDUCE;
    k.ndim = 2;
    k.nred = 1;
    k.noutputs = 1;
    k.nparams = 1;
    k.param_dtype[0] = WG_INT64;
    k.output_dtype[0] = WG_INT64;
    k.acc_dtype = WG_INT64;
    k.fold = WG_FOLD_SUM;
    k.inst = p;
    k.ninst = 5;
    wg_kernel_args a;
    memset(&a, 0, sizeof a);
    wg_buffer ob;
    setbuf(&ob, out, sizeof out);
    a.shape[0] = 3;
    a.shape[1] = 4;
    a.out[0].buf = &ob;
    a.out[0].strides[0] = 1;
    a.params[0].i = 10;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &a), 0);
    WG_CHECK(out[0] == 6 && out[1] == 46 && out[2] == 86);
    /* and over axis 0 ((i*10+j).sum(axis=0) -> [30, 33, 36, 39]): iteration (j kept, i reduced),
     * INDEX 0 is j now */
    int64_t out4[4];
    wg_inst q[5] = {INS(WG_OP_INDEX, WG_INT64, 1, 0, 0, 0), INS(WG_OP_INDEX, WG_INT64, 0, 0, 0, 0),
                    PARAM(WG_INT64, 0), BIN(MULTIPLY, WG_INT64, 0, 2), BIN(ADD, WG_INT64, 3, 1)};
    k.inst = q;
    setbuf(&ob, out4, sizeof out4);
    a.shape[0] = 4;
    a.shape[1] = 3;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &k, &a), 0);
    WG_CHECK(out4[0] == 30 && out4[1] == 33 && out4[2] == 36 && out4[3] == 39);
}

/* ---- matmul ---------------------------------------------------------------------------------- */
static uint32_t lcg(uint32_t *s) {
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

/* C[b, m, n] = sum_k A[b, m, k] * B[b, k, n] with explicit strides; naive reference in double */
typedef struct {
    wg_kernel_ir k;
    wg_kernel_args a;
    wg_buffer ba, bb, bc;
} mkern;

static void mm_setup(mkern *t, int adt, int bdt, int odt, int nb, const int64_t *shape, int64_t K,
                     void *A, int64_t abytes, const int64_t *as, int64_t aoff, void *B,
                     int64_t bbytes, const int64_t *bs, int64_t boff, void *Cm, int64_t cbytes,
                     const int64_t *cs) {
    memset(t, 0, sizeof *t);
    t->k.kind = WG_K_MATMUL;
    t->k.ndim = nb + 2;
    t->k.ninputs = 2;
    t->k.noutputs = 1;
    t->k.input_dtype[0] = (uint8_t)adt;
    t->k.input_dtype[1] = (uint8_t)bdt;
    t->k.output_dtype[0] = (uint8_t)odt;
    setbuf(&t->ba, A, abytes);
    setbuf(&t->bb, B, bbytes);
    setbuf(&t->bc, Cm, cbytes);
    t->a.in[0].buf = &t->ba;
    t->a.in[0].offset = aoff;
    t->a.in[1].buf = &t->bb;
    t->a.in[1].offset = boff;
    t->a.out[0].buf = &t->bc;
    t->a.k = K;
    for (int d = 0; d < nb + 2; d++) {
        t->a.shape[d] = shape[d];
        t->a.in[0].strides[d] = as[d];
        t->a.in[1].strides[d] = bs[d];
        t->a.out[0].strides[d] = cs[d];
    }
}

WG_TEST(cpu_matmul_float32_transposed) {
    wg_context *c = tctx();
    enum { M = 37, K = 300, N = 45 };
    static float A[M * K], Bt[N * K], Cm[M * N];
    uint32_t s = 1;
    for (int i = 0; i < M * K; i++) A[i] = (float)(lcg(&s) % 2001) / 1000.0f - 1.0f;
    for (int i = 0; i < N * K; i++) Bt[i] = (float)(lcg(&s) % 2001) / 1000.0f - 1.0f;
    /* A @ Bt.T: B given as the transpose of an (N, K) array: strides (k: 1, n: K) */
    mkern t;
    int64_t shape[2] = {M, N}, as[2] = {K, 1}, bs[2] = {1, K}, cs[2] = {N, 1};
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, 0, shape, K, A, sizeof A, as, 0, Bt, sizeof Bt,
             bs, 0, Cm, sizeof Cm, cs);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    double maxerr = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double ref = 0;
            for (int p = 0; p < K; p++) ref += (double)A[i * K + p] * Bt[j * K + p];
            double e = fabs(ref - Cm[i * N + j]);
            if (e > maxerr) maxerr = e;
        }
    WG_CHECK(maxerr < 1e-3);
    /* the output written transposed (F order), A read transposed too */
    static float At[K * M], Cf[M * N];
    for (int i = 0; i < M; i++)
        for (int p = 0; p < K; p++) At[p * M + i] = A[i * K + p];
    int64_t as2[2] = {1, M}, cs2[2] = {1, M};
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, 0, shape, K, At, sizeof At, as2, 0, Bt,
             sizeof Bt, bs, 0, Cf, sizeof Cf, cs2);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int bad = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) bad += fabsf(Cf[j * M + i] - Cm[i * N + j]) > 1e-4f;
    WG_CHECK_EQ_INT(bad, 0);
}

WG_TEST(cpu_matmul_batched_broadcast) {
    wg_context *c = tctx();
    /* A: (2, 1, 5, 6) broadcast over the second batch dim; B: (3, 6, 4) broadcast over the first;
     * out (2, 3, 5, 4); float64, B read with a negative k stride */
    enum { M = 5, K = 6, N = 4 };
    static double A[2 * M * K], B[3 * K * N], Cm[2 * 3 * M * N];
    uint32_t s = 7;
    for (int i = 0; i < 2 * M * K; i++) A[i] = (double)(lcg(&s) % 201) - 100.0;
    for (int i = 0; i < 3 * K * N; i++) B[i] = (double)(lcg(&s) % 201) - 100.0;
    int64_t shape[4] = {2, 3, M, N};
    int64_t as[4] = {M * K, 0, K, 1};
    int64_t bs[4] = {0, K * N, -N, 1}; /* B[b, k, n] = Bmem[b*K*N + (K-1-k)*N + n] */
    int64_t cs[4] = {3 * M * N, M * N, N, 1};
    mkern t;
    mm_setup(&t, WG_FLOAT64, WG_FLOAT64, WG_FLOAT64, 2, shape, K, A, sizeof A, as, 0, B, sizeof B,
             bs, (K - 1) * N, Cm, sizeof Cm, cs);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int bad = 0;
    for (int b0 = 0; b0 < 2; b0++)
        for (int b1 = 0; b1 < 3; b1++)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) {
                    double ref = 0;
                    for (int p = 0; p < K; p++)
                        ref += A[b0 * M * K + i * K + p] * B[b1 * K * N + (K - 1 - p) * N + j];
                    bad += Cm[b0 * 3 * M * N + b1 * M * N + i * N + j] != ref;
                }
    WG_CHECK_EQ_INT(bad, 0);
}

WG_TEST(cpu_matmul_int_bool_thin_empty) {
    wg_context *c = tctx();
    /* int8 @ int8 -> int8 wraps like NumPy's (computed mod 2**8) */
    enum { M = 20, K = 300, N = 25 };
    static int8_t A[M * K], B[K * N], Cm[M * N];
    uint32_t s = 3;
    for (int i = 0; i < M * K; i++) A[i] = (int8_t)(lcg(&s) % 256 - 128);
    for (int i = 0; i < K * N; i++) B[i] = (int8_t)(lcg(&s) % 256 - 128);
    int64_t shape[2] = {M, N}, as[2] = {K, 1}, bs[2] = {N, 1}, cs[2] = {N, 1};
    mkern t;
    mm_setup(&t, WG_INT8, WG_INT8, WG_INT8, 0, shape, K, A, sizeof A, as, 0, B, sizeof B, bs, 0, Cm,
             sizeof Cm, cs);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int bad = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            uint32_t ref = 0;
            for (int p = 0; p < K; p++) ref += (uint32_t)(A[i * K + p] * B[p * N + j]);
            bad += Cm[i * N + j] != (int8_t)(uint8_t)ref;
        }
    WG_CHECK_EQ_INT(bad, 0);
    /* bool: an or of ands */
    static uint8_t BA[M * K], BB[K * N], BC[M * N];
    for (int i = 0; i < M * K; i++) BA[i] = lcg(&s) % 29 == 0;
    for (int i = 0; i < K * N; i++) BB[i] = lcg(&s) % 31 == 0;
    mm_setup(&t, WG_BOOL, WG_BOOL, WG_BOOL, 0, shape, K, BA, sizeof BA, as, 0, BB, sizeof BB, bs, 0,
             BC, sizeof BC, cs);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    bad = 0;
    int ones = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            int ref = 0;
            for (int p = 0; p < K; p++) ref |= BA[i * K + p] & BB[p * N + j];
            bad += BC[i * N + j] != ref;
            ones += ref;
        }
    WG_CHECK_EQ_INT(bad, 0);
    WG_CHECK(ones > 0 && ones < M * N);
    /* thin products: (M, K) @ (K, 1) and (1, K) @ (K, N), float32 inputs into a float64 output */
    static float fa[M * K], fb[K * N];
    for (int i = 0; i < M * K; i++) fa[i] = (float)(lcg(&s) % 100) * 0.25f;
    for (int i = 0; i < K * N; i++) fb[i] = (float)(lcg(&s) % 100) * 0.5f;
    double col[M], row[N];
    int64_t shc[2] = {M, 1}, csc[2] = {1, 1};
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT64, 0, shc, K, fa, sizeof fa, as, 0, fb, sizeof fb,
             bs, 3, col, sizeof col, csc);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int64_t shr[2] = {1, N}, csr[2] = {N, 1};
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT64, 0, shr, K, fa, sizeof fa, as, K, fb, sizeof fb,
             bs, 0, row, sizeof row, csr);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    bad = 0;
    for (int i = 0; i < M; i++) {
        double ref = 0;
        for (int p = 0; p < K; p++) ref += (double)fa[i * K + p] * fb[p * N + 3];
        bad += col[i] != ref; /* quarter/half multiples: exact in double */
    }
    for (int j = 0; j < N; j++) {
        double ref = 0;
        for (int p = 0; p < K; p++) ref += (double)fa[K + p] * fb[p * N + j];
        bad += row[j] != ref;
    }
    WG_CHECK_EQ_INT(bad, 0);
    /* K = 0: zeros; np.ones((2, 0)) @ np.ones((0, 3)) -> zeros((2, 3)) */
    float z[6] = {5, 5, 5, 5, 5, 5}, dummy = 1;
    int64_t sh0[2] = {2, 3}, cs0[2] = {3, 1}, zs[2] = {0, 0};
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, 0, sh0, 0, &dummy, 4, zs, 0, &dummy, 4, zs, 0,
             z, sizeof z, cs0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    for (int i = 0; i < 6; i++) WG_CHECK(z[i] == 0);
    /* float16 output: inputs converted to float16, products summed in float32, one rounding */
    uint16_t h2[4] = {wgD_float_to_half(1.5f), wgD_float_to_half(2), wgD_float_to_half(-3),
                      wgD_float_to_half(0.25f)};
    uint16_t ho[4];
    int64_t sh2[2] = {2, 2}, s2[2] = {2, 1};
    mm_setup(&t, WG_FLOAT16, WG_FLOAT16, WG_FLOAT16, 0, sh2, 2, h2, 8, s2, 0, h2, 8, s2, 0, ho, 8, s2);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    /* [[1.5, 2], [-3, .25]] @ itself -> [[-3.75, 3.5], [-5.25, -5.9375]] */
    WG_CHECK(wgD_half_to_float(ho[0]) == -3.75f && wgD_half_to_float(ho[1]) == 3.5f &&
             wgD_half_to_float(ho[2]) == -5.25f && wgD_half_to_float(ho[3]) == -5.9375f);
}

WG_TEST(cpu_matmul_large_random) {
    wg_context *c = tctx();
    /* crosses every cache block (M > MC, K > KC, N > NC is not needed for correctness) */
    enum { M = 130, K = 530, N = 70 };
    static float A[M * K], B[K * N], Cm[M * N];
    uint32_t s = 11;
    for (int i = 0; i < M * K; i++) A[i] = (float)(lcg(&s) % 2001) / 1000.0f - 1.0f;
    for (int i = 0; i < K * N; i++) B[i] = (float)(lcg(&s) % 2001) / 1000.0f - 1.0f;
    int64_t shape[2] = {M, N}, as[2] = {K, 1}, bs[2] = {N, 1}, cs[2] = {N, 1};
    mkern t;
    mm_setup(&t, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, 0, shape, K, A, sizeof A, as, 0, B, sizeof B,
             bs, 0, Cm, sizeof Cm, cs);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), 0);
    int bad = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double ref = 0;
            for (int p = 0; p < K; p++) ref += (double)A[i * K + p] * B[p * N + j];
            bad += fabs(ref - Cm[i * N + j]) > 2e-3;
        }
    WG_CHECK_EQ_INT(bad, 0);
}

/* ---- backend table, ir, errors ----------------------------------------------------------------- */
WG_TEST(cpu_backend_table) {
    wg_context *c = tctx();
    const wg_backend *be = wgX_cpu_backend();
    WG_CHECK_EQ_STR(be->name, "cpu");
    wg_buffer b;
    memset(&b, 0, sizeof b);
    b.nbytes = 100;
    WG_CHECK_EQ_INT(be->buffer_alloc(c, &b), 0);
    WG_CHECK(b.host != NULL && ((uintptr_t)b.host & 63) == 0 && b.allocated);
    char src[100], dst[100];
    for (int i = 0; i < 100; i++) src[i] = (char)i;
    WG_CHECK_EQ_INT(be->buffer_write(c, &b, 0, src, 100), 0);
    WG_CHECK_EQ_INT(be->buffer_read(c, &b, 10, dst, 90), 0);
    WG_CHECK(memcmp(dst, src + 10, 90) == 0);
    WG_CHECK_EQ_INT(be->buffer_read(c, &b, 50, dst, 51), WG_ERR_INTERNAL);
    c = tctx();
    WG_CHECK_EQ_INT(be->flush(c), 0);
    /* prepare / run / release: out = in * 2 over the buffer as 25 float32 */
    float *f = b.host;
    for (int i = 0; i < 25; i++) f[i] = (float)i;
    wg_inst p[3] = {LOAD(WG_FLOAT32, 0), PARAM(WG_FLOAT32, 0), BIN(MULTIPLY, WG_FLOAT32, 0, 1)};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 1;
    k.ninputs = 1;
    k.noutputs = 1;
    k.nparams = 1;
    k.input_dtype[0] = k.output_dtype[0] = k.param_dtype[0] = WG_FLOAT32;
    k.inst = p;
    k.ninst = 3;
    k.out_inst[0] = 2;
    void *h = NULL;
    WG_CHECK_EQ_INT(be->kernel_prepare(c, &k, &h), 0);
    WG_CHECK(h != NULL);
    wg_kernel_args a;
    memset(&a, 0, sizeof a);
    a.shape[0] = 25;
    a.in[0].buf = &b;
    a.in[0].strides[0] = 1;
    a.out[0].buf = &b; /* in place */
    a.out[0].strides[0] = 1;
    a.params[0].f = 2;
    WG_CHECK_EQ_INT(be->kernel_run(c, h, NULL, &a), 0);
    WG_CHECK(f[0] == 0 && f[24] == 48);
    be->kernel_release(c, h);
    be->buffer_free(c, &b);
    WG_CHECK(b.host == NULL && !b.allocated);
}

WG_TEST(cpu_ir_hash_clone_dump) {
    wg_context *c = tctx();
    wg_inst p[3] = {LOAD(WG_FLOAT32, 0), LOAD(WG_FLOAT32, 1), BIN(ADD, WG_FLOAT32, 0, 1)};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.ninputs = 2;
    k.noutputs = 1;
    k.input_dtype[0] = k.input_dtype[1] = k.output_dtype[0] = WG_FLOAT32;
    k.inst = p;
    k.ninst = 3;
    k.out_inst[0] = 2;
    uint64_t h = wgI_hash(&k);
    wg_kernel_ir *cl = wgI_clone(c, &k);
    WG_CHECK(cl != NULL && cl->inst != p && cl->hash == h && wgI_hash(cl) == h);
    /* unused src fields do not matter */
    cl->inst[0].src[2] = 9;
    WG_CHECK(wgI_hash(cl) == h);
    cl->inst[2].op = WG_OP_SUBTRACT;
    WG_CHECK(wgI_hash(cl) != h);
    cl->inst[2].op = WG_OP_ADD;
    cl->input_dtype[1] = WG_FLOAT64;
    WG_CHECK(wgI_hash(cl) != h);
    cl->input_dtype[1] = WG_FLOAT32;
    cl->ndim = 3;
    WG_CHECK(wgI_hash(cl) != h);
    char buf[512];
    int n = wgI_dump(cl, buf, sizeof buf);
    WG_CHECK(n > 0 && n < (int)sizeof buf);
    WG_CHECK(strstr(buf, "%2 = add float32 %0 %1") != NULL);
    WG_CHECK(strstr(buf, "out0 <- %2") != NULL);
    /* snprintf semantics: the length is reported even when the buffer is short */
    char small[8];
    WG_CHECK_EQ_INT(wgI_dump(cl, small, sizeof small), n);
    WG_CHECK(strlen(small) == 7);
    wgI_free(cl);
    wgI_free(NULL);
}

WG_TEST(cpu_errors) {
    wg_context *c = tctx();
    float x[4] = {1, 2, 3, 4}, y[4];
    int idt[1] = {WG_FLOAT32};
    void *ins[1] = {x};
    kern t;
    /* a LOAD whose dtype is not the input's */
    wg_inst bad1[2] = {LOAD(WG_FLOAT64, 0), UN(NEGATIVE, WG_FLOAT64, 0)};
    ew_setup(&t, 1, idt, ins, NULL, 4, bad1, 2, WG_FLOAT32, y);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    /* a forward reference */
    c = tctx();
    wg_inst bad2[2] = {LOAD(WG_FLOAT32, 0), UN(NEGATIVE, WG_FLOAT32, 1)};
    ew_setup(&t, 1, idt, ins, NULL, 4, bad2, 2, WG_FLOAT32, y);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    /* float math on an int class */
    c = tctx();
    int32_t xi[4] = {1, 2, 3, 4};
    int idti[1] = {WG_INT32};
    void *insi[1] = {xi};
    wg_inst bad3[2] = {LOAD(WG_INT32, 0), UN(SQRT, WG_INT32, 0)};
    ew_setup(&t, 1, idti, insi, NULL, 4, bad3, 2, WG_INT32, y);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    /* an operand reaching outside its buffer */
    c = tctx();
    wg_inst ok[1] = {LOAD(WG_FLOAT32, 0)};
    ew_setup(&t, 1, idt, ins, NULL, 4, ok, 1, WG_FLOAT32, y);
    t.a.in[0].offset = 1;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    c = tctx();
    t.a.in[0].offset = 0;
    t.a.in[0].strides[0] = -1;
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &t.k, &t.a), WG_ERR_INTERNAL);
    /* every allocation failure is reported (and nothing leaks: ASan) */
    int failures = 0;
    for (long n = 0; n < 20; n++) {
        c = tctx();
        t.a.in[0].strides[0] = 1;
        wgB_fail_after(n);
        int st = wgX_cpu_run(c, &t.k, &t.a);
        wgB_fail_after(-1);
        if (st == 0) break;
        WG_CHECK_EQ_INT(st, WG_ERR_MEMORY);
        failures++;
    }
    WG_CHECK(failures >= 2);
    WG_CHECK(y[3] == 4);
    /* reduce and matmul allocation failures */
    static float big[64 * 64];
    float out[64];
    for (long n = 0; n < 20; n++) {
        c = tctx();
        rkern r;
        int64_t sh[2] = {64, 64}, st[2] = {1, 64};
        red_setup(&r, WG_FOLD_SUM, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, big, sizeof big, 0, 1, 1, sh,
                  st, out, sizeof out, 0);
        wgB_fail_after(n);
        int s2 = wgX_cpu_run(c, &r.k, &r.a);
        wgB_fail_after(-1);
        if (s2 == 0) break;
        WG_CHECK_EQ_INT(s2, WG_ERR_MEMORY);
    }
    c = tctx();
    mkern m;
    int64_t shape[2] = {64, 64}, s64[2] = {64, 1};
    static float cm[64 * 64];
    mm_setup(&m, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, 0, shape, 64, big, sizeof big, s64, 0, big,
             sizeof big, s64, 0, cm, sizeof cm, s64);
    wgB_fail_after(0);
    WG_CHECK_EQ_INT(wgX_cpu_run(c, &m.k, &m.a), WG_ERR_MEMORY);
    wgB_fail_after(-1);
}
