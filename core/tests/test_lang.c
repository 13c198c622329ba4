/* The CUDA-C front end (core/src/lang): parameter lists, CuPy's binding rules, error messages
 * with line and column, the IR of each construct, and kernels run end to end on the cpu backend
 * through the public wg_ukernel_* API against values computed here in C. */
#include "wgtest.h"
#include "lang/lang.h"
#include "dtype/dtype.h"
#include "codegen/codegen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static wg_array *f32(wg_context *ctx, int n, const float *v) {
    int64_t shape[1] = {n};
    return wg_from_data(ctx, WG_FLOAT32, 1, shape, v);
}
static wg_array *i32(wg_context *ctx, int n, const int32_t *v) {
    int64_t shape[1] = {n};
    return wg_from_data(ctx, WG_INT32, 1, shape, v);
}
static wg_array *pyf(wg_context *ctx, double x) { return wg_scalar(ctx, 0, WG_WEAK_FLOAT, 0, 0, x); }
static wg_array *pyi(wg_context *ctx, int64_t x) { return wg_scalar(ctx, 0, WG_WEAK_INT, x, 0, 0); }

static wg_ukernel *ew(wg_context *ctx, const char *in, const char *out, const char *op,
                      const char *pre) {
    wg_ukernel *k = NULL;
    int rc = wg_ukernel_elementwise(ctx, in, out, op, "k", pre, "", "", &k);
    if (rc != WG_OK) wgt_fail(__FILE__, __LINE__, "parse: %s", wg_last_error(ctx));
    return k;
}

/* Runs k on args (outputs appended by the caller when given) and reads output 0 as float32. */
static int run_f32(wg_context *ctx, wg_ukernel *k, int nargs, wg_array **args, int64_t size,
                   float *out, int n) {
    wg_array *outs[4] = {0};
    int rc = wg_ukernel_launch(ctx, k, nargs, args, size, outs);
    if (rc != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "launch: %s", wg_last_error(ctx));
        return rc;
    }
    rc = wg_read(ctx, outs[0], out, (int64_t)n * 4);
    for (int j = 0; j < 4; j++) if (outs[j]) wg_release(outs[j]);
    return rc;
}

static void release_all(wg_array **a, int n) {
    for (int i = 0; i < n; i++) if (a[i]) wg_release(a[i]);
}

/* ---- parameter lists and parse errors ---- */

WG_TEST(lang_params) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wgK_def *d = NULL;
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x, raw S y, float32 z, int32 n, bool b",
                                          "raw T out, U w", "w = x", "k", "", "", "", &d), WG_OK);
    WG_CHECK_EQ_INT(wgK_nparams(d), 7);
    WG_CHECK_EQ_INT(wgK_nin(d), 5);
    WG_CHECK_EQ_STR(wgK_param_at(d, 1)->name, "y");
    WG_CHECK_EQ_INT(wgK_param_at(d, 1)->is_raw, 1);
    WG_CHECK_EQ_INT(wgK_param_at(d, 1)->dtype, -1);
    WG_CHECK_EQ_INT(wgK_param_at(d, 1)->placeholder, 'S');
    WG_CHECK_EQ_INT(wgK_param_at(d, 2)->dtype, WG_FLOAT32);
    WG_CHECK_EQ_INT(wgK_param_at(d, 4)->dtype, WG_BOOL);
    WG_CHECK_EQ_INT(wgK_param_at(d, 5)->is_out, 1);
    wgK_free(d);
    static const char *const bad[] = {"T x,", "T x, raw", "float x", "T i", "T x, T x", "T 3", "raw raw T x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, bad[i], "T y", "y = 1", "k", "", "", "", &d),
                        WG_ERR_COMPILE);
        WG_CHECK(d == NULL);
        wg_clear_error(ctx);
    }
    wg_context_free(ctx);
}

static void check_error(wg_context *ctx, const char *op, const char *pre, int status,
                        const char *msg) {
    wgK_def *d = NULL;
    int rc = wgK_parse_elementwise(ctx, "T x", "T y", op, "kern", pre, "", "", &d);
    if (rc == WG_OK) {
        int dt[2] = {WG_FLOAT32, WG_FLOAT32}, arr[2] = {1, 1}, raw[2] = {0, 0};
        wg_kernel_ir *k = NULL;
        wgK_map m;
        rc = wgK_lower(ctx, d, dt, arr, raw, 1, 0, &k, &m);
        wgI_free(k);
        wgK_free(d);
    }
    WG_CHECK_EQ_INT(rc, status);
    WG_CHECK_EQ_STR(wg_last_error(ctx), msg);
    wg_clear_error(ctx);
}

WG_TEST(lang_error_messages) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    check_error(ctx, "y = x +", "", WG_ERR_COMPILE, "kern:1:8: expected an expression: ``");
    check_error(ctx, "int a = 1;\n  y = x + b;", "", WG_ERR_COMPILE,
                "kern:2:11: undeclared identifier: `b`");
    check_error(ctx, "y = x;\n if (x > 0 { y = 1; }", "", WG_ERR_COMPILE,
                "kern:2:12: expected `)`: `{`");
    check_error(ctx, "y = f(x)", "__device__ float f(float a) {\n  return a + ; }",
                WG_ERR_COMPILE, "kern:2:14: expected an expression in preamble: `;`");
    check_error(ctx, "y = x % 2.0", "", WG_ERR_COMPILE, "kern:1:7: invalid operands to binary %: `%`");
    check_error(ctx, "y = x; /* open", "", WG_ERR_COMPILE, "kern:1:8: unterminated comment: `/*`");
    check_error(ctx, "y = x @ 1", "", WG_ERR_COMPILE, "kern:1:7: unexpected character: `@`");
    check_error(ctx, "switch (x) { }", "", WG_ERR_NOTIMPL, "kern:1:1: statement is not supported: `switch`");
    check_error(ctx, "y = cyl_bessel_i0(x)", "", WG_ERR_NOTIMPL,
                "kern:1:5: unknown function: `cyl_bessel_i0`");
    check_error(ctx, "y = g(x)", "", WG_ERR_NOTIMPL, "kern:1:5: unknown function: `g`");
    check_error(ctx, "y = f(x)", "__device__ float f(float a) { return f(a); }", WG_ERR_COMPILE,
                "kern:1:38: function calls nested too deeply (recursion?) in preamble: `f`");
    /* deep nesting is refused, not recursed into */
    char deep[4000];
    int n = 0;
    n += snprintf(deep + n, sizeof deep - (size_t)n, "y = ");
    for (int i = 0; i < 1500; i++) deep[n++] = '(';
    deep[n++] = 'x';
    deep[n] = 0;
    wgK_def *d = NULL;
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x", "T y", deep, "k", "", "", "", &d), WG_ERR_COMPILE);
    wg_clear_error(ctx);
    wg_context_free(ctx);
}

/* ---- binding ---- */

WG_TEST(lang_bind_rules) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wgK_def *d = NULL;
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x, T s, int32 n", "T y", "y = x * s + n", "k", "",
                                          "", "", &d), WG_OK);
    int pd[4];
    int kind[4] = {WGK_ARG_ARRAY, WGK_ARG_PY_SCALAR, WGK_ARG_PY_SCALAR, WGK_ARG_ARRAY};
    int dt[4] = {WG_FLOAT32, WG_FLOAT64, WG_INT64, WG_FLOAT32};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 3, kind, dt, pd), WG_OK);
    WG_CHECK_EQ_INT(pd[0], WG_FLOAT32);
    WG_CHECK_EQ_INT(pd[1], WG_FLOAT32);  /* the Python float takes the array's T */
    WG_CHECK_EQ_INT(pd[2], WG_INT32);
    WG_CHECK_EQ_INT(pd[3], WG_FLOAT32);
    /* a numpy scalar of another dtype does not bind T either: it is cast (CuPy: only arrays
     * bind; Chainer's batch_renormalization passes a float32 scalar with float16 arrays) */
    int kind1[4] = {WGK_ARG_ARRAY, WGK_ARG_NUMPY_SCALAR, WGK_ARG_NUMPY_SCALAR, WGK_ARG_ARRAY};
    int dt1[4] = {WG_FLOAT16, WG_FLOAT32, WG_INT64, WG_FLOAT16};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 3, kind1, dt1, pd), WG_OK);
    WG_CHECK_EQ_INT(pd[1], WG_FLOAT16);
    WG_CHECK_EQ_INT(pd[2], WG_INT32);
    /* alone, a numpy scalar decides T with its own dtype */
    int kind1b[3] = {WGK_ARG_NUMPY_SCALAR, WGK_ARG_PY_SCALAR, WGK_ARG_PY_SCALAR};
    int dt1b[3] = {WG_FLOAT32, WG_FLOAT64, WG_INT64};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 3, kind1b, dt1b, pd), WG_OK);
    WG_CHECK_EQ_INT(pd[0], WG_FLOAT32);
    WG_CHECK_EQ_INT(pd[1], WG_FLOAT32);
    /* only Python scalars: they decide T */
    int kind2[3] = {WGK_ARG_PY_SCALAR, WGK_ARG_PY_SCALAR, WGK_ARG_PY_SCALAR};
    int dt2[3] = {WG_FLOAT64, WG_FLOAT64, WG_INT64};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 3, kind2, dt2, pd), WG_OK);
    WG_CHECK_EQ_INT(pd[0], WG_FLOAT64);
    /* an out array binds too, and first */
    int kind3[4] = {WGK_ARG_ARRAY, WGK_ARG_PY_SCALAR, WGK_ARG_PY_SCALAR, WGK_ARG_ARRAY};
    int dt3[4] = {WG_FLOAT16, WG_FLOAT64, WG_INT64, WG_FLOAT32};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 4, kind3, dt3, pd), WG_ERR_TYPE);
    WG_CHECK_EQ_STR(wg_last_error(ctx), "Type is mismatched. x float16 float32 T");
    wg_clear_error(ctx);
    /* a concrete parameter given an array of another dtype */
    int kind4[3] = {WGK_ARG_ARRAY, WGK_ARG_ARRAY, WGK_ARG_ARRAY};
    int dt4[3] = {WG_FLOAT32, WG_FLOAT32, WG_INT64};
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 3, kind4, dt4, pd), WG_ERR_TYPE);
    WG_CHECK_EQ_STR(wg_last_error(ctx), "Type is mismatched. n int64 int32");
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 2, kind4, dt4, pd), WG_ERR_TYPE);
    WG_CHECK_EQ_STR(wg_last_error(ctx), "Wrong number of arguments for k");
    wg_clear_error(ctx);
    wgK_free(d);
    /* an output placeholder nothing decides */
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x", "U y", "y = x", "k", "", "", "", &d), WG_OK);
    WG_CHECK_EQ_INT(wgK_bind(ctx, d, 1, kind4, dt4, pd), WG_ERR_TYPE);
    wg_clear_error(ctx);
    wgK_free(d);
    wg_context_free(ctx);
}

/* ---- IR shape of lowered kernels ---- */

static wg_kernel_ir *lower1(wg_context *ctx, const char *in, const char *out, const char *op,
                            const int *dts, const int *arr, wgK_map *m) {
    wgK_def *d = NULL;
    if (wgK_parse_elementwise(ctx, in, out, op, "k", "", "", "", &d) != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "parse: %s", wg_last_error(ctx));
        wg_clear_error(ctx);
        return NULL;
    }
    int raw[WGK_MAX_PARAMS] = {0};
    for (int i = 0; i < wgK_nparams(d); i++) raw[i] = wgK_param_at(d, i)->is_raw ? 1 : 0;
    wg_kernel_ir *k = NULL;
    if (wgK_lower(ctx, d, dts, arr, raw, 1, 0, &k, m) != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "lower: %s", wg_last_error(ctx));
        wg_clear_error(ctx);
        k = NULL;
    }
    wgK_free(d);
    return k;
}

WG_TEST(lang_ir_straight_line_and_inout) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int dts[5] = {WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32, WG_FLOAT32};
    int arr[5] = {1, 0, 0, 1, 1};
    wgK_map m;
    wg_kernel_ir *k = lower1(ctx, "T grad, T lr, T momentum", "T param, T v",
                             "v *= momentum; v -= lr * grad; param += v;", dts, arr, &m);
    WG_CHECK(k != NULL);
    if (k) {
        for (int i = 0; i < k->ninst; i++)  /* only GET/SET: the api replays it as a fusable DAG */
            WG_CHECK(k->inst[i].op <= WG_OP_SET);
        WG_CHECK_EQ_INT(k->noutputs, 2);
        WG_CHECK_EQ_INT(k->ninputs, 3);   /* grad, and param and v read before written */
        WG_CHECK_EQ_INT(m.in_param[1], 3);
        WG_CHECK_EQ_INT(m.in_param[2], 4);
        WG_CHECK_EQ_INT(m.out_param[0], 3);
        WG_CHECK_EQ_INT(k->nparams, 2);
        WG_CHECK_EQ_INT(m.p[0].what, WGK_P_SCALAR);
        wgI_free(k);
    }
    /* written first: no extra input; a literal is a constant parameter */
    int arr2[2] = {1, 1};
    k = lower1(ctx, "T x", "T y", "y = x * 0.5", dts, arr2, &m);
    WG_CHECK(k != NULL);
    if (k) {
        WG_CHECK_EQ_INT(k->ninputs, 1);
        WG_CHECK_EQ_INT(k->nparams, 1);
        WG_CHECK_EQ_INT(m.p[0].what, WGK_P_CONST);
        WG_CHECK_EQ_INT(k->param_dtype[0], WG_FLOAT32);  /* double under the 64-bit-off policy */
        WG_CHECK_NEAR(m.p[0].value.f, 0.5, 0);
        wgI_free(k);
    }
    /* written only under a condition: the old value comes in */
    k = lower1(ctx, "T x", "T y", "if (x > 0) y = x", dts, arr2, &m);
    WG_CHECK(k != NULL);
    if (k) {
        WG_CHECK_EQ_INT(k->ninputs, 2);
        wgI_free(k);
    }
    wg_set_x64(ctx, 1);
    k = lower1(ctx, "T x", "T y", "y = x * 0.5", dts, arr2, &m);
    if (k) {
        WG_CHECK_EQ_INT(k->param_dtype[0], WG_FLOAT64);  /* C: float * double is double */
        WG_CHECK_EQ_INT(k->inst[k->ninst - 1].op, WG_OP_SET);
        WG_CHECK_EQ_INT(k->inst[k->ninst - 2].op, WG_OP_CAST);  /* double product to float32 */
        wgI_free(k);
    }
    wg_context_free(ctx);
}

/* __float_as_uint and kin: one BITCAST each (no arithmetic), spelled as each language's bit cast,
 * and bit for bit on the cpu backend (NaN payloads, -0.0, a subnormal) */
WG_TEST(lang_bit_casts) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int dts[4] = {WG_FLOAT32, WG_UINT32, WG_INT32, WG_FLOAT32};
    int arr[4] = {1, 1, 1, 1};
    wgK_map m;
    wg_kernel_ir *k = lower1(ctx, "float32 x", "uint32 u, int32 s, float32 f",
                             "u = __float_as_uint(x); s = __float_as_int(x); f = __int_as_float(s) + __uint_as_float(u)",
                             dts, arr, &m);
    WG_CHECK(k != NULL);
    if (k) {
        int nb = 0;
        for (int i = 0; i < k->ninst; i++) nb += k->inst[i].op == WG_OP_BITCAST;
        WG_CHECK_EQ_INT(nb, 4);
        char *src = NULL, *vs = NULL, *fs = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
        if (src) WG_CHECK(strstr(src, "bitcast<u32>(") && strstr(src, "bitcast<i32>(bitcast<u32>("));
        WG_CHECK_EQ_INT(wgC_glsl(ctx, k, &vs, &fs), WG_OK);
        if (fs) WG_CHECK(strstr(fs, "floatBitsToUint(") && strstr(fs, "uintBitsToFloat(uint("));
        wgB_free(src);
        wgB_free(vs);
        wgB_free(fs);
        wgI_free(k);
    }
    wg_ukernel *uk = ew(ctx, "uint32 b", "float32 x, uint32 u, int32 s",
                        "x = __uint_as_float(b); u = __float_as_uint(x); s = __float_as_int(__int_as_float((int)b))", "");
    static const uint32_t bits[6] = {0x80000000u, 0x7fc0beefu, 0xffc12345u, 0x00000001u, 0x3f800000u, 0xff800000u};
    int64_t sh[1] = {6};
    wg_array *args[1] = {wg_from_data(ctx, WG_UINT32, 1, sh, bits)}, *outs[4] = {0};
    if (uk && wg_ukernel_launch(ctx, uk, 1, args, -1, outs) == WG_OK) {
        uint32_t x[6], u[6], sv[6];
        WG_CHECK_EQ_INT(wg_read(ctx, outs[0], x, sizeof x), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, outs[1], u, sizeof u), WG_OK);
        WG_CHECK_EQ_INT(wg_read(ctx, outs[2], sv, sizeof sv), WG_OK);
        for (int i = 0; i < 6; i++) {
            if (x[i] != bits[i] || u[i] != bits[i] || sv[i] != bits[i])
                wgt_fail(__FILE__, __LINE__, "bits %08x: x %08x u %08x s %08x", (unsigned)bits[i],
                         (unsigned)x[i], (unsigned)u[i], (unsigned)sv[i]);
        }
    } else {
        wgt_fail(__FILE__, __LINE__, "launch: %s", wg_last_error(ctx));
    }
    release_all(args, 1);
    release_all(outs, 4);
    if (uk) wg_ukernel_free(uk);
    wg_context_free(ctx);
}

/* ---- end to end on the cpu backend ---- */

WG_TEST(lang_run_momentum_sgd) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_ukernel *k = ew(ctx, "T grad, T lr, T momentum", "T param, T v",
                       "v *= momentum; v -= lr * grad; param += v;", "");
    float g[4] = {1, 2, 3, 4}, p[4] = {1, 1, 1, 1}, v[4] = {0.5f, 0.5f, 0.5f, 0.5f}, out[4];
    wg_array *args[5] = {f32(ctx, 4, g), pyf(ctx, 0.1), pyf(ctx, 0.9), f32(ctx, 4, p), f32(ctx, 4, v)};
    wg_array *outs[2] = {0};
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 5, args, -1, outs), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, args[3], out, 16), WG_OK);
    for (int i = 0; i < 4; i++) {
        float nv = 0.5f * 0.9f - 0.1f * g[i];
        WG_CHECK_NEAR(out[i], 1 + nv, 1e-6);
    }
    release_all(outs, 2);
    release_all(args, 5);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_run_c_integer_semantics) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_ukernel *k = ew(ctx, "int32 a, int32 b", "int32 q, int32 r, float32 f",
                       "q = a / b; r = a % b; f = (a > 0) - (a < 0) + a / 2 * 1.0f + (b & 1)", "");
    int32_t av[6] = {7, -7, 7, -7, 0, -1}, bv[6] = {2, 2, -2, -2, 3, 3};
    wg_array *args[2] = {i32(ctx, 6, av), i32(ctx, 6, bv)};
    wg_array *outs[3] = {0};
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 2, args, -1, outs), WG_OK);
    int32_t q[6], r[6];
    float f[6];
    WG_CHECK_EQ_INT(wg_read(ctx, outs[0], q, sizeof q), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, outs[1], r, sizeof r), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, outs[2], f, sizeof f), WG_OK);
    for (int i = 0; i < 6; i++) {
        WG_CHECK_EQ_INT(q[i], av[i] / bv[i]);
        WG_CHECK_EQ_INT(r[i], av[i] % bv[i]);
        float want = (float)((av[i] > 0) - (av[i] < 0)) + (float)(av[i] / 2) * 1.0f + (float)(bv[i] & 1);
        WG_CHECK_NEAR(f[i], want, 0);
    }
    release_all(outs, 3);
    release_all(args, 2);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_run_loops_and_gather) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* col2im-like: a loop with continue, a raw gather by a computed index, a do-while, a while */
    wg_ukernel *k = ew(ctx, "raw T x, int32 w", "T y",
                       "T acc = 0;\n"
                       "for (int j = 0; j < w; ++j) {\n"
                       "  if (j % 2 == 1) continue;\n"
                       "  acc += x[(i + j) % _ind.size()];\n"
                       "}\n"
                       "int n = 0; do { n++; if (n == 2) continue; n += 0; } while (n < 3);\n"
                       "int m = 10; while (m > 4) m -= 3;\n"
                       "y = acc + n * 100 + m * 1000", "");
    float xv[5] = {1, 2, 3, 4, 5}, out[5];
    wg_array *args[3] = {f32(ctx, 5, xv), pyi(ctx, 4), NULL};
    int64_t shape[1] = {5};
    args[2] = wg_empty(ctx, WG_FLOAT32, 1, shape);
    run_f32(ctx, k, 3, args, -1, out, 5);
    for (int i = 0; i < 5; i++) {
        float acc = xv[i % 5] + xv[(i + 2) % 5];
        WG_CHECK_NEAR(out[i], acc + 300 + 4000, 0);
    }
    release_all(args, 3);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_run_preamble_functions) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    const char *pre =
        "template <typename T> __device__ T sigmoid(T x) { const T half = 0.5; "
        "return tanh(x * half) * half + half; }\n"
        "__device__ bool split(T x, int &lo, T &frac) {\n"
        "  if (x < 0) { lo = -1; frac = 0; return false; }\n"
        "  lo = (int)x; frac = x - lo; return true;\n"
        "}\n"
        "#define COMMON(v) T s = sigmoid(v); int lo; T fr;\n";
    wg_ukernel *k = ew(ctx, "T x", "T y", "COMMON(x) bool ok = split(x, lo, fr);\n"
                                          "y = ok ? s + lo * 10 + fr : -s", pre);
    float xv[4] = {-1.5f, 0.25f, 2.75f, 0}, out[4];
    wg_array *args[1] = {f32(ctx, 4, xv)};
    run_f32(ctx, k, 1, args, -1, out, 4);
    for (int i = 0; i < 4; i++) {
        float s = tanhf(xv[i] * 0.5f) * 0.5f + 0.5f;
        float want = xv[i] < 0 ? -s : s + (float)((int)xv[i] * 10) + (xv[i] - (float)(int)xv[i]);
        WG_CHECK_NEAR(out[i], want, 1e-6);
    }
    release_all(args, 1);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_run_index_array_and_scatter) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* x[ind] on a 2-d raw array, atomicAdd into a raw output, a top-level return */
    wg_ukernel *k = ew(ctx, "raw T x, S t", "raw T hist, T y",
                       "int ind[] = {i, t};\n"
                       "y = x[ind];\n"
                       "if (t < 0) return;\n"
                       "atomicAdd(&hist[t], x[ind]);", "");
    float xv[6] = {1, 2, 3, 10, 20, 30}, out[2], hist[3];
    int32_t tv[2] = {2, 0};
    int64_t s23[2] = {2, 3}, s3[1] = {3};
    float zeros[3] = {0, 0, 0};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 2, s23, xv);
    wg_array *args[4] = {x, i32(ctx, 2, tv), wg_from_data(ctx, WG_FLOAT32, 1, s3, zeros), NULL};
    int64_t s2[1] = {2};
    args[3] = wg_empty(ctx, WG_FLOAT32, 1, s2);
    wg_array *outs[2] = {0};
    WG_CHECK_EQ_INT(wg_ukernel_launch(ctx, k, 4, args, -1, outs), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, args[3], out, 8), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, args[2], hist, 12), WG_OK);
    WG_CHECK_NEAR(out[0], 3, 0);
    WG_CHECK_NEAR(out[1], 10, 0);
    WG_CHECK_NEAR(hist[0], 10, 0);
    WG_CHECK_NEAR(hist[2], 3, 0);
    release_all(outs, 2);
    release_all(args, 4);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_run_math) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static const struct { const char *op; double (*ref)(double); double tol; } cases[] = {
        {"y = erf(x)", erf, 2e-6}, {"y = erfc(x)", erfc, 2e-6},
        {"y = round(x)", round, 0}, {"y = rsqrt(fabs(x) + 1)", NULL, 1e-6},
        {"y = normcdf(x)", NULL, 2e-6}, {"y = erfinv(x * 0.3f)", NULL, 3e-6},
        {"y = erfcx(x)", NULL, 5e-5}, {"y = __float2int_rd(x)", floor, 0},
        {"y = max(x, 0.25f) + min(1, 2)", NULL, 0}, {"y = fmod(x, 0.75)", NULL, 1e-6},
        {"y = lgamma(x + 0.1f)", NULL, 2e-5}, {"y = tgamma(x + 0.1f)", NULL, 2e-5},
    };
    float xv[8] = {-2.5f, -1.2f, -0.3f, 0.0f, 1e-3f, 0.5f, 1.7f, 3.2f}, out[8];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        wg_ukernel *k = ew(ctx, "T x", "T y", cases[c].op, "");
        if (!k) continue;
        wg_array *args[1] = {f32(ctx, 8, xv)};
        if (run_f32(ctx, k, 1, args, -1, out, 8) == WG_OK)
            for (int i = 0; i < 8; i++) {
                double x = xv[i], want;
                switch (c) {
                case 3: want = 1 / sqrt(fabs(x) + 1); break;
                case 4: want = 0.5 * erfc(-x / sqrt(2)); break;
                case 5: want = (float)(x * 0.3f); out[i] = (float)erf(out[i]); break;
                case 6: want = exp(x * x) * erfc(x); break;
                case 8: want = (float)((x > 0.25 ? (float)x : 0.25f) + 1.0f); break;
                case 9: want = fmod((float)x, 0.75f); break;
                case 10: want = lgamma((float)(x + 0.1f)); break;
                case 11: want = tgamma((float)(x + 0.1f)); break;
                default: want = cases[c].ref(x);
                }
                double tol = cases[c].tol * (fabs(want) > 1 ? fabs(want) : 1);
                if (!(fabs(out[i] - want) <= tol))
                    wgt_fail(__FILE__, __LINE__, "%s at %g: %.9g != %.9g", cases[c].op, x, out[i], want);
            }
        release_all(args, 1);
        wg_ukernel_free(k);
    }
    wg_context_free(ctx);
}

WG_TEST(lang_run_reductions) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_ukernel *k = NULL;
    WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, "T x", "T y", "x * x", "a + b", "y = sqrt(a)", "0",
                                         "l2", "", "", &k), WG_OK);
    float xv[6] = {1, 2, 3, 4, 5, 6}, out[2];
    int64_t s23[2] = {2, 3};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 2, s23, xv);
    wg_array *outs[1] = {0};
    int64_t ax = 1;
    WG_CHECK_EQ_INT(wg_ukernel_reduce(ctx, k, 1, &x, 1, &ax, 0, outs), WG_OK);
    if (outs[0]) {
        WG_CHECK_EQ_INT(wg_read(ctx, outs[0], out, 8), WG_OK);
        WG_CHECK_NEAR(out[0], sqrt(14.0), 1e-5);
        WG_CHECK_NEAR(out[1], sqrt(77.0), 1e-5);
        wg_release(outs[0]);
        outs[0] = NULL;
    }
    wg_ukernel_free(k);
    /* max with a non-neutral identity, a ternary fold, _j and a raw 0-d parameter */
    WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, "T x, raw T c", "T y", "x * c[0] + _j", "a > b ? a : b",
                                         "y = a", "-5", "m", "", "", &k), WG_OK);
    wg_array *c = wg_from_data(ctx, WG_FLOAT32, 0, s23, (float[]){2.0f});
    wg_array *args[2] = {x, c};
    if (wg_ukernel_reduce(ctx, k, 2, args, -1, NULL, 0, outs) != WG_OK)
        wgt_fail(__FILE__, __LINE__, "reduce: %s", wg_last_error(ctx));
    wg_clear_error(ctx);
    if (outs[0]) {
        WG_CHECK_EQ_INT(wg_read(ctx, outs[0], out, 4), WG_OK);
        WG_CHECK_NEAR(out[0], 17, 0);  /* 6 * c[0] + _j 5 */
        wg_release(outs[0]);
        outs[0] = NULL;
    }
    wg_ukernel_free(k);
    WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, "T x", "T y", "x", "a - b", "y = a", "0", "m", "", "",
                                         &k), WG_OK);
    WG_CHECK_EQ_INT(wg_ukernel_reduce(ctx, k, 1, &x, -1, NULL, 0, outs), WG_ERR_NOTIMPL);
    wg_clear_error(ctx);
    wg_ukernel_free(k);
    wg_release(c);
    wg_release(x);
    wg_context_free(ctx);
}

/* ReductionKernels reading raw inputs (Chainer's crossent_fwd: raw log_y at _j * n + t, a 0-d raw
 * coeff in post_map_expr), adding into the output (`y += a`), and 20 array parameters; on cpu and
 * through the command stream (loopback: the IR is encoded, decoded and replayed). */
WG_TEST(lang_run_reductions_raw_inout_wide) {
    for (int be = 0; be < 2; be++) {
        wg_context *ctx = wg_context_new(be ? WG_BACKEND_LOOPBACK : WG_BACKEND_CPU);
        wg_ukernel *k = NULL;
        /* crossent_fwd, verbatim */
        WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, "S t, raw T log_y, int32 n_channel, raw T coeff, S ignore_label",
                                             "T out", "t == ignore_label ? T(0) : log_y[_j * n_channel + t]",
                                             "a + b", "out = a * -coeff[0]", "0", "crossent_fwd", "", "",
                                             &k), WG_OK);
        float ly[12] = {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12}, out[4];
        int32_t tv[4] = {2, -1, 0, 1};
        int64_t s43[2] = {4, 3}, s4[1] = {4};
        wg_array *t = wg_from_data(ctx, WG_INT32, 1, s4, tv);
        wg_array *logy = wg_from_data(ctx, WG_FLOAT32, 2, s43, ly);
        wg_array *coeff = wg_from_data(ctx, WG_FLOAT32, 0, s4, (float[]){0.5f});
        wg_array *args[5] = {t, logy, pyi(ctx, 3), coeff, pyi(ctx, -1)};
        wg_array *outs[1] = {0};
        if (wg_ukernel_reduce(ctx, k, 5, args, -1, NULL, 0, outs) != WG_OK)
            wgt_fail(__FILE__, __LINE__, "crossent_fwd: %s", wg_last_error(ctx));
        if (outs[0]) {
            WG_CHECK_EQ_INT(wg_read(ctx, outs[0], out, 4), WG_OK);
            WG_CHECK_NEAR(out[0], 0.5f * (3 + 7 + 11), 1e-6); /* rows 0, 2, 3 pick 2, 0, 1 */
            wg_release(outs[0]);
            outs[0] = NULL;
        }
        wg_ukernel_free(k);
        release_all(args, 5);
        /* y += a along axis 1 of a 2x3 */
        WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, "T x", "T y", "x * x", "a + b", "y += a", "0", "addinto",
                                             "", "", &k), WG_OK);
        int64_t s23[2] = {2, 3}, s2[1] = {2};
        wg_array *x = wg_from_data(ctx, WG_FLOAT32, 2, s23, (float[]){1, 2, 3, 4, 5, 6});
        wg_array *y = wg_from_data(ctx, WG_FLOAT32, 1, s2, (float[]){100, 200});
        wg_array *xy[2] = {x, y};
        int64_t ax = 1;
        if (wg_ukernel_reduce(ctx, k, 2, xy, 1, &ax, 0, outs) != WG_OK)
            wgt_fail(__FILE__, __LINE__, "y += a: %s", wg_last_error(ctx));
        WG_CHECK_EQ_INT(wg_read(ctx, y, out, 8), WG_OK);
        WG_CHECK_NEAR(out[0], 114, 0);
        WG_CHECK_NEAR(out[1], 277, 0);
        if (outs[0]) wg_release(outs[0]);
        outs[0] = NULL;
        wg_ukernel_free(k);
        release_all(xy, 2);
        /* 19 inputs + 1 output */
        char in[256] = "", map[256] = "";
        for (int i = 0; i < 19; i++) {
            char w[16];
            snprintf(w, sizeof w, "%sT x%d", i ? ", " : "", i);
            strcat(in, w);
            snprintf(w, sizeof w, "%sx%d", i ? " + " : "", i);
            strcat(map, w);
        }
        WG_CHECK_EQ_INT(wg_ukernel_reduction(ctx, in, "T y", map, "a + b", "y = a", "0", "sum19", "", "",
                                             &k), WG_OK);
        wg_array *xs[19];
        for (int i = 0; i < 19; i++) xs[i] = wg_from_data(ctx, WG_FLOAT32, 1, s2, (float[]){(float)i, 1});
        if (wg_ukernel_reduce(ctx, k, 19, xs, -1, NULL, 0, outs) != WG_OK)
            wgt_fail(__FILE__, __LINE__, "sum19: %s", wg_last_error(ctx));
        if (outs[0]) {
            WG_CHECK_EQ_INT(wg_read(ctx, outs[0], out, 4), WG_OK);
            WG_CHECK_NEAR(out[0], 171 + 19, 0);
            wg_release(outs[0]);
            outs[0] = NULL;
        }
        wg_ukernel_free(k);
        release_all(xs, 19);
        wg_context_free(ctx);
    }
}

/* The IR of those kernels and what the generators make of it: LOAD_AT in the program and the post
 * program, LOAD in the post program; WGSL/GLSL read raw inputs with the statement kernels' helpers,
 * have no vec4 reduce entry; more than 16 buffers or textures are refused, naming the backend. */
WG_TEST(lang_reduction_raw_inout_codegen) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wgK_def *d = NULL;
    WG_CHECK_EQ_INT(wgK_parse_reduction(ctx, "S t, raw T log_y, int32 n_channel, raw T coeff, S ignore_label",
                                        "T out", "t == ignore_label ? T(0) : log_y[_j * n_channel + t]",
                                        "a + b", "out = a * -coeff[0]", "0", "crossent_fwd", "", "", &d),
                    WG_OK);
    int raw[6] = {0, 2, 0, 0, 0, 0};
    int pd6[6] = {WG_INT32, WG_FLOAT32, WG_INT32, WG_FLOAT32, WG_INT32, WG_FLOAT32};
    int arr6[6] = {1, 1, 0, 1, 0, 1};
    wg_kernel_ir *k = NULL;
    wgK_map m;
    WG_CHECK_EQ_INT(wgK_lower(ctx, d, pd6, arr6, raw, 1, 1, &k, &m), WG_OK);
    if (k) {
        int load_at = 0, post_load_at = 0;
        for (int i = 0; i < k->ninst; i++) load_at += k->inst[i].op == WG_OP_LOAD_AT;
        for (int i = 0; i < k->npost; i++) post_load_at += k->post[i].op == WG_OP_LOAD_AT;
        WG_CHECK_EQ_INT(load_at, 1);
        WG_CHECK_EQ_INT(post_load_at, 1);
        WG_CHECK_EQ_INT(k->ninputs, 3);
        WG_CHECK(k->input_raw[1] && k->input_raw[2] && !k->input_raw[0]);
        char *src = NULL, *vs = NULL, *fs = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
        if (src) {
            WG_CHECK(strstr(src, "fn ldr_in1(") && strstr(src, "fn ldr_in2(") && strstr(src, "fn pos_i("));
            WG_CHECK(!strstr(src, "main_vec4"));
            WG_CHECK(strstr(src, "let o_in2 = ai("));
        }
        WG_CHECK_EQ_INT(wgC_glsl(ctx, k, &vs, &fs), WG_OK);
        if (fs) WG_CHECK(strstr(fs, "ldr_in1(pos_i(o_in1") && strstr(fs, "uniform highp uint u_inlen[16];"));
        wgB_free(src);
        wgB_free(vs);
        wgB_free(fs);
        /* more than 16 storage buffers / textures: NotImplemented, naming the backend */
        k->ninputs = 17;
        for (int i = 3; i < 17; i++) k->input_dtype[i] = WG_FLOAT32, k->input_raw[i] = 0;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_ERR_NOTIMPL);
        WG_CHECK(strstr(wg_last_error(ctx), "the webgpu backend") != NULL);
        wg_clear_error(ctx);
        WG_CHECK_EQ_INT(wgC_glsl(ctx, k, &vs, &fs), WG_ERR_NOTIMPL);
        WG_CHECK(strstr(wg_last_error(ctx), "the webgl2 backend") != NULL);
        wg_clear_error(ctx);
        wgI_free(k);
        k = NULL;
    }
    wgK_free(d);
    /* y += a: the output is input 1, LOADed by the post program */
    WG_CHECK_EQ_INT(wgK_parse_reduction(ctx, "T x", "T y", "x", "a + b", "y += log(a)", "0", "lse", "", "",
                                        &d), WG_OK);
    int pd2[2] = {WG_FLOAT32, WG_FLOAT32}, arr2[2] = {1, 1}, raw2[2] = {0, 0};
    WG_CHECK_EQ_INT(wgK_lower(ctx, d, pd2, arr2, raw2, 2, 1, &k, &m), WG_OK);
    if (k) {
        WG_CHECK_EQ_INT(k->ninputs, 2);
        WG_CHECK_EQ_INT(m.in_param[1], 1);
        int post_load = 0;
        for (int i = 0; i < k->npost; i++) post_load += k->post[i].op == WG_OP_LOAD && k->post[i].arg == 1;
        WG_CHECK_EQ_INT(post_load, 1);
        char *src = NULL, *vs = NULL, *fs = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
        if (src) WG_CHECK(!strstr(src, "main_vec4") && strstr(src, "let o_in1 = ai("));
        WG_CHECK_EQ_INT(wgC_glsl(ctx, k, &vs, &fs), WG_OK);
        if (fs) WG_CHECK(strstr(fs, "int o_in1 = ai(") != NULL);
        wgB_free(src);
        wgB_free(vs);
        wgB_free(fs);
        wgI_free(k);
    }
    wgK_free(d);
    wg_context_free(ctx);
}

/* ---- the Chainer 5.4 corpus (tools/chainer_kernels.py writes build/chainer_kernels.txt) ---- */

enum { CF_KIND, CF_NAME, CF_SITE, CF_IN, CF_OUT, CF_OP, CF_PRE, CF_PREP, CF_AFTER, CF_MAP, CF_RED,
       CF_POST, CF_IDENT, CF_RTYPE, CF_N };

static int read_field(FILE *f, char **out) {
    long n;
    if (fscanf(f, "%ld", &n) != 1 || n < 0 || n > (1 << 20) || fgetc(f) != '\n') return -1;
    *out = malloc((size_t)n + 1);
    if (!*out || fread(*out, 1, (size_t)n, f) != (size_t)n) return -1;
    (*out)[n] = 0;
    return fgetc(f) == '\n' ? 0 : -1;
}

/* Placeholders that Chainer uses for index/label/pointer arrays get int32, the rest float32. */
static int corpus_dtype(const wgK_param *p) {
    if (p->dtype >= 0) return p->dtype;
    return strchr("SIPXY", p->placeholder) ? WG_INT32 : WG_FLOAT32;
}

static int corpus_lower(wg_context *ctx, char **fl, int *parsed, wg_kernel_ir **keep,
                        unsigned *scalars) {
    wgK_def *d = NULL;
    int rc = !strcmp(fl[CF_KIND], "reduction")
        ? wgK_parse_reduction(ctx, fl[CF_IN], fl[CF_OUT], fl[CF_MAP], fl[CF_RED], fl[CF_POST],
                              fl[CF_IDENT], fl[CF_NAME], fl[CF_RTYPE], fl[CF_PRE], &d)
        : wgK_parse_elementwise(ctx, fl[CF_IN], fl[CF_OUT], fl[CF_OP], fl[CF_NAME], fl[CF_PRE],
                                fl[CF_PREP], fl[CF_AFTER], &d);
    *parsed = rc == WG_OK;
    if (rc != WG_OK) return rc;
    int np = wgK_nparams(d), pd[WGK_MAX_PARAMS], arr[WGK_MAX_PARAMS], raw[WGK_MAX_PARAMS];
    for (int i = 0; i < np; i++) {
        const wgK_param *p = wgK_param_at(d, i);
        pd[i] = corpus_dtype(p);
        arr[i] = p->is_raw || p->is_out || p->dtype < 0;
    }
    /* x[ind] needs the raw array's rank: try 1..4.  A kernel that subscripts with a placeholder
     * type (hierarchical softmax's begins[t + 1], T int32 in Chainer) is tried again with every
     * placeholder int32, as its callers bind it. */
    for (int nd = 1, ints = 0; nd <= 4; nd++) {
        for (int i = 0; i < np; i++) raw[i] = wgK_param_at(d, i)->is_raw ? nd : 0;
        wg_kernel_ir *k = NULL;
        wgK_map m;
        wg_clear_error(ctx);
        rc = wgK_lower(ctx, d, pd, arr, raw, 1, wgK_kind(d) == WGK_REDUCTION ? 1 : 0, &k, &m);
        if (keep && rc == WG_OK) *keep = k;
        else wgI_free(k);
        if (rc != WG_OK && !ints && strstr(wg_last_error(ctx), "subscript is not an integer")) {
            for (int i = 0; i < np; i++)
                if (wgK_param_at(d, i)->dtype < 0) pd[i] = WG_INT32;
            ints = 1;
            nd--;
            continue;
        }
        /* a post_map_expr reading a placeholder-typed input (numerical_grad's eps): Chainer
         * passes a scalar there */
        const char *err = wg_last_error(ctx), *q = strrchr(err, '`');
        if (rc != WG_OK && strstr(err, "post_map_expr reading an array") && q) {
            const char *b = q - 1;
            while (b > err && b[-1] != '`') b--;
            int hit = -1;
            for (int i = 0; i < np && hit < 0; i++) {
                const wgK_param *pp = wgK_param_at(d, i);
                if (!pp->is_raw && !pp->is_out && arr[i] && strlen(pp->name) == (size_t)(q - b) &&
                    !strncmp(pp->name, b, (size_t)(q - b)))
                    hit = i;
            }
            if (hit >= 0) {
                arr[hit] = 0;
                if (scalars) *scalars |= 1u << hit;
                nd--;
                continue;
            }
        }
        if (rc == WG_OK || !strstr(wg_last_error(ctx), "ndim")) break;
    }
    wgK_free(d);
    return rc;
}

/* Runs a kernel on small made-up arguments: the lowered IR must be one the cpu executor takes.
 * raw arrays are 8**nd elements of small values (indices stay mostly in range; reads out of range
 * give zero), other arrays 8 elements, scalars 2. */
static int corpus_run(wg_context *ctx, char **fl, int nd, int ints, unsigned scalars) {
    wg_ukernel *k = NULL;
    int red = !strcmp(fl[CF_KIND], "reduction");
    int rc = red ? wg_ukernel_reduction(ctx, fl[CF_IN], fl[CF_OUT], fl[CF_MAP], fl[CF_RED], fl[CF_POST],
                                        fl[CF_IDENT], fl[CF_NAME], fl[CF_RTYPE], fl[CF_PRE], &k)
                 : wg_ukernel_elementwise(ctx, fl[CF_IN], fl[CF_OUT], fl[CF_OP], fl[CF_NAME],
                                          fl[CF_PRE], fl[CF_PREP], fl[CF_AFTER], &k);
    if (rc != WG_OK) return rc;
    int np = wg_ukernel_nparams(k), nin = wg_ukernel_nin(k), any_array = 0, given_out = 0;
    wg_array *args[WGK_MAX_PARAMS] = {0}, *outs[WGK_MAX_PARAMS] = {0};
    static float fv[4096];
    static int32_t iv[4096];
    for (int q = 0; q < 4096; q++) fv[q] = (float)(q % 5) * 0.25f + 0.5f, iv[q] = q % 3;
    for (int i = 0; i < np && rc == WG_OK; i++) {
        int32_t info[4];
        wg_ukernel_param(k, i, info);
        /* a reduction's output: allocated in its reduced shape, or (`out += ...`) given, 0-d */
        if (red && info[0] && !strstr(fl[CF_POST], "+=")) continue;
        int dt = info[2] >= 0 ? info[2] : ints || strchr("SIPXY", (char)info[3]) ? WG_INT32 : WG_FLOAT32;
        const void *data = wgD_is_float(dt) ? (const void *)fv : (const void *)iv;
        if (dt != WG_FLOAT32 && dt != WG_INT32) dt = info[2] == WG_BOOL ? WG_BOOL : dt;
        if (red && info[0]) {
            args[i] = wg_from_data(ctx, dt, 0, NULL, data);
            given_out = 1;
        } else if (info[1]) {
            int64_t shape[4] = {8, 8, 8, 8};
            args[i] = dt == WG_FLOAT32 || dt == WG_INT32 ? wg_from_data(ctx, dt, nd, shape, data)
                                                         : wg_empty(ctx, dt, nd, shape);
        } else if ((info[0] || info[2] < 0) && !((scalars >> i) & 1)) {
            int64_t shape[1] = {8};
            args[i] = dt == WG_FLOAT32 || dt == WG_INT32 ? wg_from_data(ctx, dt, 1, shape, data)
                                                         : wg_empty(ctx, dt, 1, shape);
            any_array = 1;
        } else {
            args[i] = wgD_is_float(dt) ? pyf(ctx, 0.5) : pyi(ctx, 2);
        }
        if (!args[i]) rc = wg_last_status(ctx);
    }
    if (rc == WG_OK)
        rc = red ? wg_ukernel_reduce(ctx, k, given_out ? np : nin, args, -1, NULL, 0, outs)
                 : wg_ukernel_launch(ctx, k, np, args, any_array ? -1 : 8, outs);
    if (rc == WG_OK) rc = wg_sync(ctx);
    release_all(outs, np);
    release_all(args, np);
    wg_ukernel_free(k);
    return rc;
}

/* WGPY_CORPUS_DUMP=dir: the generated shaders go to dir/k<N>.wgsl, .vert, .frag (for tint, naga,
 * glslangValidator). */
static void corpus_dump(int n, const char *wgsl, const char *vs, const char *fs) {
    const char *dir = getenv("WGPY_CORPUS_DUMP");
    const char *srcs[3] = {wgsl, vs, fs}, *ext[3] = {"wgsl", "vert", "frag"};
    for (int q = 0; dir && q < 3; q++) {
        if (!srcs[q]) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/k%03d.%s", dir, n, ext[q]);
        FILE *f = fopen(path, "w");
        if (!f) continue;
        fputs(srcs[q], f);
        fclose(f);
    }
}

WG_TEST(lang_chainer_corpus) {
    const char *path = getenv("WGPY_CHAINER_CORPUS");
    FILE *f = fopen(path ? path : "build/chainer_kernels.txt", "rb");
    if (!f) {
        printf("lang_chainer_corpus: no corpus (run tools/chainer_kernels.py): skipped\n");
        return;
    }
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int total = 0, parsed = 0, lowered = 0, refused = 0, lowered64 = 0, not_run = 0;
    int wgsl_ok = 0, glsl_ok = 0, glsl_refused = 0;
    char line[8];
    while (fgets(line, sizeof line, f) && !strcmp(line, "K\n")) {
        char *fl[CF_N] = {0};
        int ok = 1;
        for (int i = 0; i < CF_N && ok; i++) ok = read_field(f, &fl[i]) == 0;
        if (ok) {
            int p = 0;
            wg_set_x64(ctx, 1);  /* the same with 64-bit types on (double stays double) */
            lowered64 += corpus_lower(ctx, fl, &p, NULL, NULL) == WG_OK;
            wg_clear_error(ctx);
            wg_set_x64(ctx, 0);
            wg_kernel_ir *ir = NULL;
            unsigned scalars = 0;
            int rc = corpus_lower(ctx, fl, &p, &ir, &scalars);
            total++;
            parsed += p;
            if (rc == WG_OK) {
                lowered++;
                /* the WGSL and GLSL generators take it (webgl2 refuses scatters and atomics) */
                char *src = NULL, *vs = NULL, *fs = NULL;
                if (wgC_wgsl(ctx, ir, &src) == WG_OK) wgsl_ok++;
                else printf("  no WGSL for %s: %s\n", fl[CF_NAME], wg_last_error(ctx));
                wg_clear_error(ctx);
                int g = wgC_glsl(ctx, ir, &vs, &fs);
                if (g == WG_OK) glsl_ok++;
                else if (g == WG_ERR_NOTIMPL) glsl_refused++;
                else printf("  no GLSL for %s: %s\n", fl[CF_NAME], wg_last_error(ctx));
                wg_clear_error(ctx);
                corpus_dump(total, src, vs, fs);
                wgB_free(src);
                wgB_free(vs);
                wgB_free(fs);
                wgI_free(ir);
                int nd = strstr(fl[CF_OP], "ind[") || strstr(fl[CF_OP], "ind_") ? 2 : 1;
                int rr = corpus_run(ctx, fl, nd, 0, scalars);
                if (rr != WG_OK && strstr(wg_last_error(ctx), "subscript is not an integer")) {
                    wg_clear_error(ctx);
                    rr = corpus_run(ctx, fl, nd, 1, scalars);
                }
                if (rr != WG_OK) {
                    printf("  lowered but not run %s (%s): %s\n", fl[CF_NAME], fl[CF_SITE], wg_last_error(ctx));
                    not_run++;
                }
                wg_clear_error(ctx);
            }
            else {
                refused++;
                printf("  refused %s (%s): %s\n", fl[CF_NAME], fl[CF_SITE], wg_last_error(ctx));
            }
            wg_clear_error(ctx);
        }
        for (int i = 0; i < CF_N; i++) free(fl[i]);
        if (!ok) {
            wgt_fail(__FILE__, __LINE__, "corpus file is malformed");
            break;
        }
    }
    fclose(f);
    printf("lang_chainer_corpus: %d kernels: parsed %d / lowered %d / refused %d (x64 on: lowered %d)\n",
           total, parsed, lowered, refused, lowered64);
    printf("lang_chainer_corpus: %d lowered kernels ran on cpu, %d did not\n", lowered - not_run, not_run);
    printf("lang_chainer_corpus: WGSL for %d; GLSL for %d, refused (scatter/atomics) %d\n", wgsl_ok,
           glsl_ok, glsl_refused);
    WG_CHECK_EQ_INT(lowered64, lowered);
    WG_CHECK(total > 0);
    wg_context_free(ctx);
}

/* Chainer's own im2col and max_pool_fwd texts (chainer/utils/conv.py, max_pooling_2d.py) against
 * the same loops in C. */
static const char *const IM2COL_IN = "raw T img, int32 h, int32 w, int32 out_h, int32 out_w,"
                                     "int32 kh, int32 kw, int32 sy, int32 sx, int32 ph, int32 pw,"
                                     "int32 dy, int32 dx";
static const char *const IM2COL_OP =
    "\n int c0 = i / (kh * kw * out_h * out_w);\n int ky = i / (kw * out_h * out_w) % kh;\n"
    " int kx = i / (out_h * out_w) % kw;\n int out_y = i / out_w % out_h;\n int out_x = i % out_w;\n"
    " int in_y = ky * dy + out_y * sy - ph;\n int in_x = kx * dx + out_x * sx - pw;\n"
    " if (in_y >= 0 && in_y < h && in_x >= 0 && in_x < w) {\n"
    "   col = img[in_x + w * (in_y + h * c0)];\n } else {\n   col = 0;\n }\n";
static const char *const MAXPOOL_IN = "raw T in, int32 h, int32 w, int32 out_h, int32 out_w,"
                                      "int32 kh, int32 kw, int32 sy, int32 sx, int32 ph, int32 pw";
static const char *const MAXPOOL_OP =
    "int c0 = i / (out_h * out_w); int out_y = i / out_w % out_h; int out_x = i % out_w;\n"
    "int in_y_0 = max(0, out_y * sy - ph); int in_y_1 = min(h, out_y * sy + kh - ph);\n"
    "int in_x_0 = max(0, out_x * sx - pw); int in_x_1 = min(w, out_x * sx + kw - pw);\n"
    "T maxval = in[in_x_0 + w * (in_y_0 + h * c0)]; int argmax_y = in_y_0; int argmax_x = in_x_0;\n"
    "for (int y = in_y_0; y < in_y_1; ++y) { int offset_y = w * (y + h * c0);\n"
    "  for (int x = in_x_0; x < in_x_1; ++x) { float v = in[x + offset_y];\n"
    "    if (maxval < v) { maxval = v; argmax_y = y; argmax_x = x; } } }\n"
    "out = maxval; int argmax_ky = argmax_y + ph - out_y * sy; int argmax_kx = argmax_x + pw - out_x * sx;\n"
    "indexes = argmax_kx + kw * argmax_ky;\n";

WG_TEST(lang_run_chainer_im2col_and_max_pool) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    enum { C = 2, H = 4, W = 5, K = 3, S = 2, P = 1, OH = (H + 2 * P - K) / S + 1, OW = (W + 2 * P - K) / S + 1 };
    float img[C * H * W];
    for (int q = 0; q < C * H * W; q++) img[q] = (float)((q * 7) % 11) - 5.0f;
    int64_t ishape[3] = {C, H, W}, cshape[5] = {C, K, K, OH, OW}, pshape[3] = {C, OH, OW};
    wg_ukernel *k = ew(ctx, IM2COL_IN, "T col", IM2COL_OP, "");
    wg_array *args[14] = {wg_from_data(ctx, WG_FLOAT32, 3, ishape, img), pyi(ctx, H), pyi(ctx, W),
                          pyi(ctx, OH), pyi(ctx, OW), pyi(ctx, K), pyi(ctx, K), pyi(ctx, S), pyi(ctx, S),
                          pyi(ctx, P), pyi(ctx, P), pyi(ctx, 1), pyi(ctx, 1),
                          wg_empty(ctx, WG_FLOAT32, 5, cshape)};
    static float col[C * K * K * OH * OW];
    if (k && run_f32(ctx, k, 14, args, -1, col, C * K * K * OH * OW) == WG_OK) {
        int q = 0, bad = 0;
        for (int c = 0; c < C; c++)
            for (int ky = 0; ky < K; ky++)
                for (int kx = 0; kx < K; kx++)
                    for (int oy = 0; oy < OH; oy++)
                        for (int ox = 0; ox < OW; ox++, q++) {
                            int iy = ky + oy * S - P, ix = kx + ox * S - P;
                            float want = iy >= 0 && iy < H && ix >= 0 && ix < W ? img[(c * H + iy) * W + ix] : 0;
                            bad += col[q] != want;
                        }
        WG_CHECK_EQ_INT(bad, 0);
    }
    wg_ukernel_free(k);
    wg_release(args[13]);
    k = ew(ctx, MAXPOOL_IN, "T out, S indexes", MAXPOOL_OP, "");
    wg_release(args[11]);
    wg_release(args[12]);
    args[11] = wg_empty(ctx, WG_FLOAT32, 3, pshape);
    args[12] = wg_empty(ctx, WG_INT32, 3, pshape);
    float out[C * OH * OW];
    int32_t idx[C * OH * OW];
    if (k && run_f32(ctx, k, 13, args, -1, out, C * OH * OW) == WG_OK) {
        WG_CHECK_EQ_INT(wg_read(ctx, args[12], idx, sizeof idx), WG_OK);
        int bad = 0;
        for (int c = 0; c < C; c++)
            for (int oy = 0; oy < OH; oy++)
                for (int ox = 0; ox < OW; ox++) {
                    int y0 = oy * S - P > 0 ? oy * S - P : 0, y1 = oy * S + K - P < H ? oy * S + K - P : H;
                    int x0 = ox * S - P > 0 ? ox * S - P : 0, x1 = ox * S + K - P < W ? ox * S + K - P : W;
                    float m = img[(c * H + y0) * W + x0];
                    int ay = y0, ax = x0;
                    for (int y = y0; y < y1; y++)
                        for (int x = x0; x < x1; x++)
                            if (m < img[(c * H + y) * W + x]) m = img[(c * H + y) * W + x], ay = y, ax = x;
                    int q = (c * OH + oy) * OW + ox;
                    bad += out[q] != m || idx[q] != (ax + P - ox * S) + K * (ay + P - oy * S);
                }
        WG_CHECK_EQ_INT(bad, 0);
    }
    wg_ukernel_free(k);
    release_all(args, 13);
    wg_context_free(ctx);
}

WG_TEST(lang_run_side_effects_and_void_functions) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    /* && and ?: evaluate an operand with side effects only when C would */
    wg_ukernel *k = ew(ctx, "T x", "T y",
                       "int n = 0;\n"
                       "bool a = x > 0 && (n += 1) > 0;\n"
                       "bool b = x > 1 || (n += 10) > 0;\n"
                       "T t = x > 2 ? (n += 100, x) : (n += 1000, -x);\n"
                       "bump(n);\n"
                       "y = n + a * 0.5f + b * 0.25f + t * 0", "__device__ void bump(int &v) { if (v > 1000) return; v += 5; }");
    float xv[4] = {-1, 0.5f, 1.5f, 3}, out[4];
    wg_array *args[1] = {f32(ctx, 4, xv)};
    run_f32(ctx, k, 1, args, -1, out, 4);
    for (int i = 0; i < 4; i++) {
        float x = xv[i];
        int n = 0;
        int a = x > 0 && (n += 1) > 0;
        int b = x > 1 || (n += 10) > 0;
        if (x > 2) n += 100;
        else n += 1000;
        if (!(n > 1000)) n += 5;
        WG_CHECK_NEAR(out[i], n + a * 0.5f + b * 0.25f, 0);
    }
    release_all(args, 1);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

WG_TEST(lang_macro_blowup_is_bounded) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    char pre[2048];
    int n = 0;
    for (int i = 0; i < 30; i++)
        n += snprintf(pre + n, sizeof pre - (size_t)n, "#define M%d M%d M%d M%d\n", i, i + 1, i + 1, i + 1);
    wgK_def *d = NULL;
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x", "T y", "y = M0", "k", pre, "", "", &d), WG_ERR_COMPILE);
    WG_CHECK(strstr(wg_last_error(ctx), "too long") != NULL);
    wg_clear_error(ctx);
    /* a macro that names itself stays as it is (then is an unknown name) */
    WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x", "T y", "y = X", "k", "#define X X\n", "", "", &d), WG_OK);
    wgK_free(d);
    wg_context_free(ctx);
}

WG_TEST(lang_run_return_inside_loops_of_a_function) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_ukernel *k = ew(ctx, "T x", "T y", "y = first_above(x) * 10 + first_above(x + 1)",
                       "__device__ int first_above(T a) {\n"
                       "  for (int j = 0; j < 4; j++)\n"
                       "    for (int q = 0; q < 4; q++) { if (j * 4 + q > a) return j * 4 + q; }\n"
                       "  return -1;\n}");
    float xv[4] = {-3, 2.5f, 14.5f, 20}, out[4];
    wg_array *args[1] = {f32(ctx, 4, xv)};
    run_f32(ctx, k, 1, args, -1, out, 4);
    for (int i = 0; i < 4; i++) {
        int f[2];
        for (int t = 0; t < 2; t++) {
            float a = xv[i] + (float)t;
            f[t] = -1;
            for (int v = 0; v < 16 && f[t] < 0; v++) if ((float)v > a) f[t] = v;
        }
        WG_CHECK_NEAR(out[i], f[0] * 10 + f[1], 0);
    }
    release_all(args, 1);
    wg_ukernel_free(k);
    wg_context_free(ctx);
}

/* RawKernel's __syncthreads() is BARRIER; __wg_block(B) makes a workgroup kernel (ir.h). */
WG_TEST(lang_syncthreads_and_wg_block) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int dts[2] = {WG_FLOAT32, WG_FLOAT32};
    int arr[2] = {1, 1};
    wgK_map m;
    wg_kernel_ir *k = lower1(ctx, "T x", "raw T s",
                             "__wg_block(64); s[i] = x; __syncthreads(); __wg_barrier();", dts, arr, &m);
    WG_CHECK(k != NULL);
    if (k) {
        WG_CHECK_EQ_INT(k->wg_block, 64);
        int nb = 0, wgm = 0; /* __wg_barrier(): BARRIER arg 1 (workgroup memory only) */
        for (int i = 0; i < k->ninst; i++) {
            nb += k->inst[i].op == WG_OP_BARRIER;
            wgm += k->inst[i].op == WG_OP_BARRIER && k->inst[i].arg == 1;
        }
        WG_CHECK_EQ_INT(nb, 2);
        WG_CHECK_EQ_INT(wgm, 1);
        WG_CHECK_EQ_INT(wgI_check_stmt(ctx, k, WG_ERR_INTERNAL), WG_OK);
        wgI_free(k);
    }
    static const char *const bad[] = {"__wg_block(0); s[i] = x;", "__wg_block(2000); s[i] = x;",
                                      "__wg_block(i); s[i] = x;", "__syncthreads(1); s[i] = x;"};
    for (int b = 0; b < 4; b++) {
        wgK_def *d = NULL;
        WG_CHECK_EQ_INT(wgK_parse_elementwise(ctx, "T x", "raw T s", bad[b], "k", "", "", "", &d), WG_OK);
        int raw[2] = {0, 1};
        wg_kernel_ir *kk = NULL;
        if (d) WG_CHECK_EQ_INT(wgK_lower(ctx, d, dts, arr, raw, 1, 0, &kk, &m), WG_ERR_COMPILE);
        WG_CHECK(strstr(wg_last_error(ctx), b < 3 ? "__wg_block takes" : "__syncthreads takes") != NULL);
        wg_clear_error(ctx);
        wgK_free(d);
        wgI_free(kk);
    }
    wg_context_free(ctx);
}

/* Warp exchanges (lang/warp.c: four instructions, BARRIER arg 2) in a workgroup
 * ElementwiseKernel (a library kernel's form: __wg_block, the thread i % B), and their WGSL: through
 * workgroup memory, or one subgroupShuffle each where the device's subgroups are 32 lanes always
 * (wg_set_subgroups; docs/kernels.md "Warp intrinsics") and the block is whole warps; a ballot's
 * five exchanges one subgroupBallot. */
static int count_of(const char *s, const char *w) {
    int n = 0;
    for (const char *p = s ? strstr(s, w) : NULL; p; p = strstr(p + 1, w)) n++;
    return n;
}

WG_TEST(lang_warp_subgroups_wgsl) {
    int dts[2] = {WG_FLOAT32, WG_FLOAT32};
    int arr[2] = {1, 1};
    static const struct { int block, mn, mx, native; } cases[] = {
        {64, 0, 0, 0}, {64, 32, 32, 1}, {64, 4, 4, 0}, {64, 16, 32, 0}, {64, 32, 64, 0}, {48, 32, 32, 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
        if (cases[c].mx) wg_set_subgroups(ctx, cases[c].mn, cases[c].mx);
        char op[200];
        snprintf(op, sizeof op, "__wg_block(%d); s[i] = __shfl_xor_sync(0xffffffffu, x, 1) + "
                 "(float)__shfl_up_sync(~0u, (int)i, 2) + (float)__ballot_sync(~0u, x > 0.0f);",
                 cases[c].block);
        wgK_map m;
        wg_kernel_ir *k = lower1(ctx, "T x", "raw T s", op, dts, arr, &m);
        WG_CHECK(k != NULL);
        if (k) {
            int nb[5] = {0, 0, 0, 0, 0}; /* a shuffle 2 barriers of arg 2; a ballot 2 of 3, 8 of 4 */
            for (int i = 0; i < k->ninst; i++)
                if (k->inst[i].op == WG_OP_BARRIER && k->inst[i].arg < 5) nb[k->inst[i].arg]++;
            WG_CHECK_EQ_INT(nb[2], 4);
            WG_CHECK_EQ_INT(nb[3], 2);
            WG_CHECK_EQ_INT(nb[4], 8);
            char *src = NULL;
            WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
            int nat = cases[c].native;
            WG_CHECK_EQ_INT(count_of(src, "subgroupShuffle("), nat ? 2 : 0);
            WG_CHECK_EQ_INT(count_of(src, "subgroupBallot("), nat);
            WG_CHECK_EQ_INT(count_of(src, "enable subgroups;"), nat);
            WG_CHECK_EQ_INT(count_of(src, "workgroupBarrier()"), nat ? 0 : 14);
            WG_CHECK_EQ_INT(count_of(src, "var<workgroup>"), nat ? 0 : 3);
            if (nat) WG_CHECK(strstr(src, "& 31u)") != NULL);
            wgB_free(src);
            wgI_free(k);
        }
        wg_context_free(ctx);
    }
}

/* The Mandelbrot ElementwiseKernel of bench/h100/mandel_kernel_src.py (500 iterations): its
 * WGSL, written to $WGPY_MANDEL_WGSL when set (to read what the statement generator makes of a
 * hot loop; docs/kernels.md "Statement-kernel WGSL"). */
static const char MANDEL_SRC[] =
    "c = 0;\n"
    "float x = 0.0f, y = 0.0f;\n"
    "for (int k = 0; k < 500; k++) {\n"
    "    float nx = x * x - y * y + real;\n"
    "    float ny = x * y * 2.0f + imag;\n"
    "    x = nx;\n"
    "    y = ny;\n"
    "    if (x * x + y * y < 4.0f) c = c + 1;\n"
    "}\n";
/* the same with another trip count */
static const char MANDEL_SRC_400[] =
    "c = 0;\n"
    "float x = 0.0f, y = 0.0f;\n"
    "for (int k = 0; k < 400; k++) {\n"
    "    float nx = x * x - y * y + real;\n"
    "    float ny = x * y * 2.0f + imag;\n"
    "    x = nx;\n"
    "    y = ny;\n"
    "    if (x * x + y * y < 4.0f) c = c + 1;\n"
    "}\n";

/* Which loops become WGSL's counted `for` (stmt.c): the C front end's `for (int k = a; k < b;
 * k++)` with k read only inside the body and set only by the step; a runtime bound is checked
 * by a break under the type's largest value.  kbody's text is searched (the helpers have loops). */
static const char *kbody_of(const char *src) { return src ? strstr(src, "fn kbody(") : NULL; }

WG_TEST(lang_counted_loops_wgsl) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static const struct { const char *op; const char *want; } cases[] = {
        {"y = 0; for (int k = 0; k < n; k++) y += x * k;",
         "< 2147483647; ct"},
        {"y = 0; for (unsigned int k = 1; k < 9u; k++) { if (k == 4u) continue; y += x; }",
         "< u32(9u); ct"},
        /* read after the loop: the IR's loop stays */
        {"int k; y = 0; for (k = 0; k < n; k++) y += x; y += k;", "loop {"},
        /* set in the body: the IR's loop stays */
        {"y = 0; for (int k = 0; k < 10; k++) { if (x > 0) k++; y += 1; }", "loop {"},
        /* a step of 2: the IR's loop stays */
        {"y = 0; for (int k = 0; k < n; k += 2) y += x;", "loop {"},
    };
    int dts[3] = {WG_FLOAT32, WG_INT32, WG_FLOAT32};
    int arr[3] = {1, 0, 1};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        wgK_map m;
        wg_kernel_ir *k = lower1(ctx, "float32 x, int32 n", "float32 y", cases[c].op, dts, arr, &m);
        WG_CHECK(k != NULL);
        if (!k) continue;
        char *src = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
        const char *body = kbody_of(src);
        WG_CHECK(body && strstr(body, cases[c].want));
        int counted = cases[c].want[0] != 'l';
        WG_CHECK(body && (strstr(body, "for (var ct") != NULL) == counted);
        if (body && counted && cases[c].want[2] == '2')
            WG_CHECK(strstr(body, ") { break; }\n") != NULL);
        if (!body || (strstr(body, "for (var ct") != NULL) != counted) printf("%s\n", body ? body : "(none)");
        wgB_free(src);
        wgI_free(k);
    }
    wg_context_free(ctx);
}

WG_TEST(lang_mandelbrot_wgsl) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int dts[3] = {WG_FLOAT32, WG_FLOAT32, WG_INT32};
    int arr[3] = {1, 1, 1};
    wgK_map m;
    wg_kernel_ir *k = lower1(ctx, "float32 real, float32 imag", "int32 c", MANDEL_SRC, dts, arr, &m);
    WG_CHECK(k != NULL);
    if (k) {
        char *src = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &src), WG_OK);
        /* the count's `if` is if-converted: no branch but the loop's exit in the loop */
        WG_CHECK(src && strstr(src, "l0 = select(l0, v50, v46);\n"));
        WG_CHECK(src && !strstr(src, "if (v46)"));
        /* the source's literals are constants of the shader (the loop bound, 2.0f, 4.0f): the
         * compiler sees the trip count; a runtime argument word would hide it */
        WG_CHECK(src && strstr(src, "let v10: i32 = i32(500);"));
        /* the loop in the one form Tint proves finite (stmt.c, "counted loop"): no guard */
        WG_CHECK(src && strstr(src, "for (var ct8: i32 = l3; ct8 < i32(500); ct8 = ct8 + 1) {\n    l3 = ct8;\n"));
        WG_CHECK(src && strstr(src, "= f32(2.0);") && strstr(src, "= f32(4.0);"));
        /* the literals count in the kernel's identity: another bound is another kernel */
        wgK_map m2;
        wg_kernel_ir *k2 = lower1(ctx, "float32 real, float32 imag", "int32 c", MANDEL_SRC_400, dts, arr, &m2);
        WG_CHECK(k2 != NULL);
        if (k2) {
            WG_CHECK(wgI_hash(k) != wgI_hash(k2));
            wgI_free(k2);
        }
        const char *path = getenv("WGPY_MANDEL_WGSL");
        if (src && path) {
            FILE *f = fopen(path, "w");
            if (f) {
                fputs(src, f);
                fclose(f);
            }
        }
        wgB_free(src);
        wgI_free(k);
    }
    wg_context_free(ctx);
}
