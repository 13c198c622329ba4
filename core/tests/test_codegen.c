/* WGSL generation (core/src/codegen): what a kernel's source must contain, NotImplementedError for
 * dtypes the webgpu storage rule cannot hold, and no failure for any op/dtype combination the cpu
 * executor accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgtest.h"
#include "base/context.h"
#include "codegen/codegen.h"

static wg_context *new_ctx(void) { return wg_context_new(WG_BACKEND_CPU); }

static int has(const char *s, const char *needle) { return s && strstr(s, needle) != NULL; }

/* out0 = in0 OP in1, all of dtype dt (comparisons: bool out) */
static int gen_binary(wg_context *ctx, int op, int dt, int outdt, char **src) {
    wg_inst inst[3] = {{WG_OP_LOAD, (uint8_t)dt, 0, {0, 0, 0}},
                       {WG_OP_LOAD, (uint8_t)dt, 1, {0, 0, 0}},
                       {(uint8_t)op, (uint8_t)outdt, 0, {0, 1, 0}}};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.ninputs = 2;
    k.noutputs = 1;
    k.input_dtype[0] = k.input_dtype[1] = (uint8_t)dt;
    k.output_dtype[0] = (uint8_t)outdt;
    k.out_inst[0] = 2;
    k.ninst = 3;
    k.inst = inst;
    return wgC_wgsl(ctx, &k, src);
}

static int gen_unary(wg_context *ctx, int op, int dt, int outdt, char **src) {
    wg_inst inst[2] = {{WG_OP_LOAD, (uint8_t)dt, 0, {0, 0, 0}},
                       {(uint8_t)op, (uint8_t)outdt, 0, {0, 0, 0}}};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 1;
    k.ninputs = 1;
    k.noutputs = 1;
    k.input_dtype[0] = (uint8_t)dt;
    k.output_dtype[0] = (uint8_t)outdt;
    k.out_inst[0] = 1;
    k.ninst = 2;
    k.inst = inst;
    return wgC_wgsl(ctx, &k, src);
}

WG_TEST(codegen_wgsl_add_float32) {
    wg_context *ctx = new_ctx();
    char *src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_ADD, WG_FLOAT32, WG_FLOAT32, &src), WG_OK);
    WG_CHECK(has(src, "@compute @workgroup_size(64)"));
    WG_CHECK(has(src, "var<uniform> wa: array<vec4<u32>,"));
    WG_CHECK(has(src, "@group(0) @binding(1) var<storage, read> b_in0: array<f32>;"));
    WG_CHECK(has(src, "@group(0) @binding(2) var<storage, read> b_in1: array<f32>;"));
    WG_CHECK(has(src, "@group(0) @binding(3) var<storage, read_write> b_out0: array<f32>;"));
    WG_CHECK(has(src, "let v2: f32 = (v0 + v1);"));
    WG_CHECK(has(src, "b_out0[o_out0] = v2;"));
    WG_CHECK(has(src, "if (p >= arg(0u)) { return; }"));
    /* words: 4 + ndim(2) + 2 inputs * 3 + 1 output * 3 = 15 */
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 2;
    k.ninputs = 2;
    k.noutputs = 1;
    WG_CHECK_EQ_INT(wgC_wgsl_arg_words(&k), 15);
    wgB_free(src);
    wg_context_free(ctx);
}

WG_TEST(codegen_wgsl_int_semantics) {
    wg_context *ctx = new_ctx();
    char *src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_FLOOR_DIVIDE, WG_INT8, WG_INT8, &src), WG_OK);
    WG_CHECK(has(src, "fdiv_i(v0, v1)"));
    WG_CHECK(has(src, "<< 24u) >> 24u")); /* int8 wraps after the op */
    WG_CHECK(has(src, "fn fdiv_i(x: i32, y: i32) -> i32"));
    WG_CHECK(has(src, "array<i32>")); /* int8 widened to one i32 per element */
    wgB_free(src);
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_REMAINDER, WG_UINT16, WG_UINT16, &src), WG_OK);
    WG_CHECK(has(src, "rem_u(v0, v1)"));
    WG_CHECK(has(src, "& 0xffffu"));
    wgB_free(src);
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_RIGHT_SHIFT, WG_INT16, WG_INT16, &src), WG_OK);
    WG_CHECK(has(src, "rsh_i(v0, v1, 16u)"));
    wgB_free(src);
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_LESS, WG_BOOL, WG_BOOL, &src), WG_OK);
    WG_CHECK(has(src, "(u32(v0) < u32(v1))"));
    WG_CHECK(has(src, "select(0u, 1u, v2)")); /* bool stored as a 0/1 word */
    wgB_free(src);
    wg_context_free(ctx);
}

WG_TEST(codegen_wgsl_refuses_float16_and_64bit) {
    wg_context *ctx = new_ctx();
    char *src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_ADD, WG_FLOAT16, WG_FLOAT16, &src), WG_ERR_NOTIMPL);
    WG_CHECK(src == NULL);
    WG_CHECK(has(wg_last_error(ctx), "float16"));
    WG_CHECK(has(wg_last_error(ctx), "webgpu"));
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_ADD, WG_FLOAT64, WG_FLOAT64, &src), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "64-bit"));
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_ADD, WG_INT64, WG_INT64, &src), WG_ERR_NOTIMPL);
    wg_clear_error(ctx);
    wg_context_free(ctx);
}

WG_TEST(codegen_wgsl_reduce_and_matmul) {
    wg_context *ctx = new_ctx();
    char *src = NULL;
    /* argmax over the last dim of a float32 (kept, reduced) space; post: ACC(int64) -> int32 */
    wg_inst inst[1] = {{WG_OP_LOAD, WG_FLOAT32, 0, {0, 0, 0}}};
    wg_inst post[2] = {{WG_OP_ACC, WG_INT64, 0, {0, 0, 0}}, {WG_OP_CAST, WG_INT32, 0, {0, 0, 0}}};
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_REDUCE;
    k.ndim = 2;
    k.nred = 1;
    k.fold = WG_FOLD_ARGMAX;
    k.acc_dtype = WG_FLOAT32;
    k.ninputs = 1;
    k.noutputs = 1;
    k.input_dtype[0] = WG_FLOAT32;
    k.output_dtype[0] = WG_INT32;
    k.ninst = 1;
    k.inst = inst;
    k.npost = 2;
    k.post = post;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    /* a workgroup per (point, slice): strided loop, shared-memory tree, partials for pass 2 */
    /* the workgroup size is the override RED_WG (256 unless the executor sets it per adapter) */
    WG_CHECK(has(src, "override RED_WG: u32 = 256u;"));
    WG_CHECK(has(src, "@compute @workgroup_size(RED_WG)"));
    WG_CHECK(has(src, "var<storage, read_write> b_part: array<u32>;"));
    WG_CHECK(has(src, "var<workgroup> sh_i: array<i32, RED_WG>;"));
    /* the serial loops count to a literal (Tint proves them finite: no guard) and break */
    WG_CHECK(has(src, "for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) {\n"
                      "      let r = lo + lid + it * RED_WG;\n      if (r >= hi) { break; }\n"));
    WG_CHECK(has(src, "for (var st: u32 = RED_WG / 2u; st > 0u; st = st >> 1u)"));
    WG_CHECK(has(src, "if (isnan_f(va)) { return isnan_f(vb) && ib < ia; }")); /* NaN wins */
    WG_CHECK(has(src, "return vb == va && ib < ia;"));                         /* first wins */
    WG_CHECK(has(src, "if (better(ta, ti, x, i32(r))) { ta = x; ti = i32(r); }"));
    WG_CHECK(has(src, "workgroupBarrier();"));
    WG_CHECK(has(src, "b_part[2u * g + 1u] = bitcast<u32>(sh_i[0u]);"));
    /* main_pt (CPU adapters, short reductions): one invocation per point, in index order, no tree */
    WG_CHECK(has(src, "fn main_pt(@builtin(global_invocation_id) gid: vec3<u32>)"));
    WG_CHECK(has(src, "  for (var r: u32 = 0u; r < 4294967295u; r = r + 1u) {\n    if (r >= nr) { break; }\n"));
    WG_CHECK(has(src, "    if (better(ta, ti, x, i32(r))) { ta = x; ti = i32(r); }"));
    WG_CHECK(has(src, "  let acc: i32 = max(ti, 0);"));
    /* 4 + ndim + input (1 + 2) + output (1 + 1) + slices, phase */
    WG_CHECK_EQ_INT(wgC_wgsl_arg_words(&k), 4 + 2 + 3 + 2 + 2);
    wgB_free(src);
    /* sum of int8 in int8: wraps in the combine; any: bool accumulator */
    k.fold = WG_FOLD_SUM;
    k.acc_dtype = WG_INT8;
    k.input_dtype[0] = WG_INT8;
    inst[0].dtype = WG_INT8;
    post[0].dtype = WG_INT8;
    post[1].dtype = WG_INT8;
    k.output_dtype[0] = WG_INT8;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(has(src, "fn comb(a: i32, b: i32) -> i32 { return (((a + b) << 24u) >> 24u); }"));
    WG_CHECK(has(src, "sh_v[lid] = comb(sh_v[lid], sh_v[lid + st]);"));
    wgB_free(src);
    k.fold = WG_FOLD_MAX;
    k.acc_dtype = WG_FLOAT32;
    k.input_dtype[0] = WG_FLOAT32;
    inst[0].dtype = WG_FLOAT32;
    post[0].dtype = WG_FLOAT32;
    post[1].dtype = WG_FLOAT32;
    k.output_dtype[0] = WG_FLOAT32;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(has(src, "select(a, b, !isnan_f(a) && (isnan_f(b) || b > a))")); /* NaN propagates */
    WG_CHECK(has(src, "var ta: f32 = (-f_inf());"));
    /* the wide loop folds all four lanes into one accumulator on a GPU... */
    WG_CHECK(has(src, "fn main_vec4("));
    WG_CHECK(!has(src, "ta1"));
    wgB_free(src);
    /* with 4 loads a step (WGPY_RED_LOADS): the four vec4 loads together, then their folds in
     * index order, then a tail of single steps — each thread's elements in the same order */
    ctx->red_loads = 4;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(has(src, "      if (r + 3u * st4 >= hi) { break; }\n"
                      "      let q0_in0 = b_in0v[u32(base_in0 + i32(r)) / 4u];\n"
                      "      let q1_in0 = b_in0v[u32(base_in0 + i32(r + 1u * st4)) / 4u];\n"));
    WG_CHECK(has(src, "      let q3_in0 = b_in0v[u32(base_in0 + i32(r + 3u * st4)) / 4u];\n      {\n"));
    WG_CHECK(has(src, "      r = r + 4u * st4;\n    }\n    for (var it: u32 = 0u; it < 3u; it = it + 1u) {\n"
                      "      if (r >= hi) { break; }\n"));
    {   /* the 4 lanes of 4 loads in the loop, of one in the tail */
        int n = 0;
        for (const char *q = src; (q = strstr(q, "ta = comb(ta, x);")) != NULL; q++) n++;
        WG_CHECK_EQ_INT(n, 16 + 4 + 2); /* + main's and main_pt's loops */
    }
    wgB_free(src);
    /* not on a CPU adapter (its lanes keep one load a step) */
    wg_set_adapter_class(ctx, 1);
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(!has(src, "st4"));
    wg_set_adapter_class(ctx, 0);
    wgB_free(src);
    ctx->red_loads = 1; /* WGPY_RED_LOADS=1: one load a step */
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(!has(src, "st4") && has(src, "      let r = lo + lid * 4u + it * 4u * RED_WG;\n"));
    wgB_free(src);
    ctx->red_loads = 0;
    /* ...and into one per lane on a CPU adapter (long serial segments), combined after the loop */
    wg_set_adapter_class(ctx, 1);
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &k, &src), WG_OK);
    WG_CHECK(has(src, "    var ta1 = ta;\n    var ta2 = ta;\n    var ta3 = ta;\n"));
    WG_CHECK(has(src, "        ta3 = comb(ta3, x);\n"));
    WG_CHECK(has(src, "    ta = comb(comb(ta, ta1), comb(ta2, ta3));\n  } else {"));
    wg_set_adapter_class(ctx, 0);
    wgB_free(src);
    /* a scalar parameter of the per-element program (x * p) is read once before each loop (main,
     * main_pt, main_vec4), not per element or lane; the post program keeps its own */
    {
        wg_inst pi[3] = {{WG_OP_LOAD, WG_FLOAT32, 0, {0, 0, 0}}, {WG_OP_PARAM, WG_FLOAT32, 0, {0, 0, 0}},
                         {WG_OP_MULTIPLY, WG_FLOAT32, 0, {0, 1, 0}}};
        wg_kernel_ir kp = k;
        kp.inst = pi;
        kp.ninst = 3;
        kp.out_inst[0] = 2;
        kp.fold = WG_FOLD_SUM;
        kp.nparams = 1;
        kp.param_dtype[0] = WG_FLOAT32;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, &kp, &src), WG_OK);
        const char *decl = "let v1: f32 = bitcast<f32>(arg(", *p = src;
        int n = 0, before = 1;
        for (const char *q; (q = strstr(p, decl)) != NULL; p = q + 1) {
            n++;
            /* each declaration comes before the next loop of its entry point */
            const char *loop = strstr(q, "for (var ");
            const char *use = strstr(q, "(v0 * v1)");
            if (!loop || !use || loop > use) before = 0;
        }
        WG_CHECK_EQ_INT(n, 3);
        WG_CHECK(before);
        WG_CHECK(has(src, "    let v1: f32 = bitcast<f32>(arg(")); /* main: inside `if (phase == 0u)` */
        WG_CHECK(has(src, "  let v1: f32 = bitcast<f32>(arg(")); /* main_pt */
        /* a program that computes (not only loads) keeps one load a step (wgsl.c red_loads_only) */
        WG_CHECK(!has(src, "st4"));
        wgB_free(src);
    }
    wg_kernel_ir m;
    memset(&m, 0, sizeof m);
    m.kind = WG_K_MATMUL;
    m.ndim = 3;
    m.ninputs = 2;
    m.noutputs = 1;
    m.input_dtype[0] = WG_INT16;
    m.input_dtype[1] = WG_FLOAT32;
    m.output_dtype[0] = WG_FLOAT32;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &m, &src), WG_OK);
    /* 64x64 tiles, K tiles of 16 in workgroup memory, 4x4 outputs per thread */
    WG_CHECK(has(src, "var<workgroup> sa: array<f32, 1040>;"));
    WG_CHECK(has(src, "for (var k0: u32 = 0u; k0 < K; k0 = k0 + 16u)"));
    WG_CHECK(has(src, "c15 = c15 + a3 * b3;"));
    WG_CHECK(has(src, "f32(b_in0["));
    WG_CHECK(has(src, "if (m0 + ty + 48u < M && n0 + tx + 48u < N)"));
    /* main_reg (CPU adapters): an 8x4 block per invocation by strides, no workgroup memory */
    WG_CHECK(has(src, "fn main_reg(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32)"));
    WG_CHECK(has(src, "  let ra7 = oa + i32(min(m0 + 7u, M - 1u)) * oa_r;"));
    WG_CHECK(has(src, "    c7_3 = c7_3 + a7 * b3;"));
    WG_CHECK(has(src, "  if (m0 + 7u < M && n0 + 3u < N) {"));
    wgB_free(src);
    /* float32: main_reg4 (vec4 loads of A along k, of B and C along n) on a CPU adapter only; a
     * GPU's WGSL keeps the vec4 tiles alone */
    m.input_dtype[0] = WG_FLOAT32;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &m, &src), WG_OK);
    WG_CHECK(has(src, "fn main_vec4("));
    WG_CHECK(!has(src, "fn main_reg4("));
    wgB_free(src);
    wg_set_adapter_class(ctx, 1);
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &m, &src), WG_OK);
    WG_CHECK(has(src, "fn main_reg4(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32)"));
    WG_CHECK(has(src, "  let ra7 = (oa + min(m0 + 7u, M - 1u) * oa_r) / 4u;"));
    WG_CHECK(has(src, "    let b3 = b_in1v[kb + 3u * rs];\n"));
    /* in main_reg's order: k ascending per output */
    WG_CHECK(has(src, "    c7 = c7 + a7.x * b0;\n    c7 = c7 + a7.y * b1;\n    c7 = c7 + a7.z * b2;\n    c7 = c7 + a7.w * b3;\n"));
    WG_CHECK(has(src, "  if (m0 + 7u < M) { b_out0v[(oc + (m0 + 7u) * oc_r + n0) / 4u] = c7; }"));
    /* A transposed (m stride 1): a block's 8 rows as two vec4 per k; B transposed (k stride 1):
     * four columns of 4 steps of k, transposed in registers */
    WG_CHECK(has(src, "fn main_reg4a("));
    WG_CHECK(has(src, "    let av0 = b_in0v[ka];\n    let av1 = b_in0v[ka + 1u];\n"));
    WG_CHECK(has(src, "    c7 = c7 + av1.w * b;\n"));
    WG_CHECK(has(src, "fn main_reg4b("));
    WG_CHECK(has(src, "  let rb3 = (ob + (n0 + 3u) * ob_c) / 4u;\n"));
    WG_CHECK(has(src, "    let b2 = vec4<f32>(q0.z, q1.z, q2.z, q3.z);\n"));
    wg_set_adapter_class(ctx, 0);
    wgB_free(src);
    /* bool matmul: OR of ANDs on 0/1 words */
    m.input_dtype[0] = m.input_dtype[1] = m.output_dtype[0] = WG_BOOL;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &m, &src), WG_OK);
    WG_CHECK(has(src, "c0 = c0 | (a0 & b0);"));
    WG_CHECK(has(src, "c0_0 = c0_0 | (a0 & b0);"));
    wgB_free(src);
    wg_context_free(ctx);
}

/* every unary and binary op over every dtype webgpu holds: generation succeeds (or reports an
 * error, never crashes); the ops whose dtypes the IR allows must succeed */
WG_TEST(codegen_wgsl_all_ops_all_dtypes) {
    wg_context *ctx = new_ctx();
    static const int dts[] = {WG_BOOL, WG_INT8, WG_INT16, WG_INT32, WG_UINT8, WG_UINT16,
                              WG_UINT32, WG_FLOAT32};
    int ndt = (int)(sizeof dts / sizeof dts[0]);
    for (int op = 0; op < WG_OP_CAST; op++) {
        for (int i = 0; i < ndt; i++) {
            int dt = dts[i];
            char *src = NULL;
            int out = dt;
            switch (op) {
            case WG_OP_EQUAL: case WG_OP_NOT_EQUAL: case WG_OP_LESS: case WG_OP_LESS_EQUAL:
            case WG_OP_GREATER: case WG_OP_GREATER_EQUAL: case WG_OP_LOGICAL_AND:
            case WG_OP_LOGICAL_OR: case WG_OP_LOGICAL_XOR: case WG_OP_LOGICAL_NOT:
            case WG_OP_ISNAN: case WG_OP_ISINF: case WG_OP_ISFINITE:
                out = WG_BOOL;
                break;
            default: break;
            }
            int rc = wg_op_arity(op) == 1 ? gen_unary(ctx, op, dt, out, &src)
                                          : gen_binary(ctx, op, dt, out, &src);
            int float_only = (op >= WG_OP_SQRT && op <= WG_OP_ARCTANH && op != WG_OP_SQUARE &&
                              op != WG_OP_RECIPROCAL && op < WG_OP_FLOOR) ||
                             op == WG_OP_TRUE_DIVIDE || op == WG_OP_ARCTAN2 ||
                             op == WG_OP_HYPOT || op == WG_OP_COPYSIGN;
            if (!float_only || dt == WG_FLOAT32) {
                if (rc != WG_OK)
                    wgt_fail(__FILE__, __LINE__, "op %s dtype %s: %s", wg_op_name(op),
                             wg_dtype_name(dt), wg_last_error(ctx));
                WG_CHECK(src != NULL && has(src, "fn main("));
            }
            wg_clear_error(ctx);
            wgB_free(src);
        }
    }
    /* every cast between held dtypes */
    for (int i = 0; i < ndt; i++)
        for (int j = 0; j < ndt; j++) {
            char *src = NULL;
            WG_CHECK_EQ_INT(gen_unary(ctx, WG_OP_CAST, dts[i], dts[j], &src), WG_OK);
            wgB_free(src);
        }
    wg_context_free(ctx);
}

/* float == and != also compare the bit patterns (NaN excluded), so that a compiler folding
 * x == x + c to c == 0 (Mesa's GLSL compiler: Firefox's and WebKitGTK's WebGL2) cannot turn
 * inf == inf + c false (docs/browsers.md); integer compares stay plain */
WG_TEST(codegen_float_equality_compares_bits) {
    wg_context *ctx = new_ctx();
    char *src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_EQUAL, WG_FLOAT32, WG_BOOL, &src), WG_OK);
    WG_CHECK(has(src, "bitcast<u32>(") && has(src, "!isnan_f("));
    wgB_free(src);
    src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_NOT_EQUAL, WG_FLOAT32, WG_BOOL, &src), WG_OK);
    WG_CHECK(has(src, "bitcast<u32>(") && has(src, ") != bitcast<u32>("));
    wgB_free(src);
    src = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_EQUAL, WG_INT32, WG_BOOL, &src), WG_OK);
    WG_CHECK(!has(src, "!isnan_f("));
    wgB_free(src);
    wg_context_free(ctx);
}

/* ---- statement kernels (ir.h "Statement kernels"; codegen/stmt.c) ----------------------------
 * Hand-built kernels covering every statement op and nesting.  wgt_stmt_kernel is shared with
 * test_glsl.c (same binary); js/tests/test-stmt-wgsl.mjs runs their WGSL on Dawn and checks the
 * results, so the semantics written next to each kernel are what that test computes. */
typedef struct sk {
    wg_kernel_ir k;
    wg_inst in[160];
} sk;

static int add(sk *s, int op, int dt, int arg, int a, int b) {
    int i = s->k.ninst++;
    s->in[i] = (wg_inst){(uint8_t)op, (uint8_t)dt, (uint16_t)arg, {(uint16_t)a, (uint16_t)b, 0}};
    return i;
}
static int ld(sk *s, int slot) { return add(s, WG_OP_LOAD, s->k.input_dtype[slot], slot, 0, 0); }
static int par(sk *s, int slot) { return add(s, WG_OP_PARAM, s->k.param_dtype[slot], slot, 0, 0); }
static int get(sk *s, int var) { return add(s, WG_OP_GET, s->k.var_dtype[var], var, 0, 0); }
static void set(sk *s, int var, int v) { add(s, WG_OP_SET, 0, var, v, 0); }
static int bin(sk *s, int op, int a, int b) {
    int dt = wgI_op_gives_bool(op) ? WG_BOOL : s->in[a].dtype;
    return add(s, op, dt, 0, a, b);
}
static int cast(sk *s, int dt, int a) { return add(s, WG_OP_CAST, dt, 0, a, 0); }
static void mark(sk *s, int op) { add(s, op, 0, 0, 0, 0); }
static void if_(sk *s, int c) { add(s, WG_OP_IF, 0, 0, c, 0); }
/* IF c { BREAK / CONTINUE / RETURN } */
static void if_jump(sk *s, int c, int jump) {
    if_(s, c);
    mark(s, jump);
    mark(s, WG_OP_END);
}

static void sk_init(sk *s, int ndim, const char *ins, const char *outs, const char *params,
                    const char *vars) {
    /* dtypes by letter: b bool, c int8, h int16, i int32, l int64, B uint8, I uint32, f float32 */
    static const char letters[] = "bchilBIf";
    static const int dts[] = {WG_BOOL, WG_INT8, WG_INT16, WG_INT32, WG_INT64, WG_UINT8, WG_UINT32,
                              WG_FLOAT32};
#define SK_DT(ch) dts[strchr(letters, (ch)) - letters]
    memset(s, 0, sizeof *s);
    s->k.kind = WG_K_ELEMENTWISE;
    s->k.stmt = 1;
    s->k.ndim = ndim;
    s->k.inst = s->in;
    for (const char *p = ins; *p; p++) s->k.input_dtype[s->k.ninputs++] = (uint8_t)SK_DT(*p);
    for (const char *p = outs; *p; p++) {
        s->k.out_var[s->k.noutputs] = (int16_t)s->k.noutputs; /* output j <- local j by default */
        s->k.output_dtype[s->k.noutputs++] = (uint8_t)SK_DT(*p);
    }
    for (const char *p = params; *p; p++) s->k.param_dtype[s->k.nparams++] = (uint8_t)SK_DT(*p);
    for (const char *p = vars; *p; p++) s->k.var_dtype[s->k.nvars++] = (uint8_t)SK_DT(*p);
#undef SK_DT
}

static void raw_out(sk *s, int j) {
    s->k.output_raw[j] = 1;
    s->k.out_var[j] = -1;
}

/* The builders create one instruction per statement, so that instruction numbers (which the
 * text checks below name) do not depend on the order C evaluates arguments in. */

/* loop_sum: out0 = sum over t < p0 of in0 * t; p1 = 1.  LOOP with CONTINUING, IF + BREAK.
 *   v0 LOOP, v1 t = l1, v2 p0, v3 t >= p0, v4 IF, v5 BREAK, v6 END, v7 x, v8 float(t), v9 x * t,
 *   v10 l0, v11 l0 + x * t, v12 SET l0, v13 CONTINUING, v14 l1, v15 p1, v16 l1 + p1, v17 SET l1,
 *   v18 END */
static void k_loop_sum(sk *s) {
    sk_init(s, 1, "f", "f", "ii", "fi");
    mark(s, WG_OP_LOOP);
    int t = get(s, 1), n = par(s, 0);
    if_jump(s, bin(s, WG_OP_GREATER_EQUAL, t, n), WG_OP_BREAK);
    int x = ld(s, 0), tf = cast(s, WG_FLOAT32, t);
    int y = bin(s, WG_OP_MULTIPLY, x, tf), acc = get(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, acc, y));
    mark(s, WG_OP_CONTINUING);
    int t2 = get(s, 1), one = par(s, 1);
    set(s, 1, bin(s, WG_OP_ADD, t2, one));
    mark(s, WG_OP_END);
}

/* branches, ndim 2, x = in0 (int32); params p0 = 1, p1 = 7, p2 = 10, p3 = 9, p4 = 5, p5 = 37.
 *   if x < 0 { l0 = true; l1 = int8(x) } else { l2 = uint32(x) }
 *   if x == 7 { return }
 *   loop over t (l5) from 0: break when t >= 10 or t >= x; continue when t is even;
 *     return when x == 9 and t == 5; l4 += 1 (int16); l3 += float(t)
 *   l6 = uint8(x * 37); l7 = int64(x)
 * outputs: out0 bool <- l0, out1 int8 <- l1, out2 uint32 <- l2, out3 float32 <- l3,
 *          out4 int16 <- l4, out5 uint8 <- l6, out6 int32 <- l7 */
static void k_branches(sk *s) {
    sk_init(s, 2, "i", "bcIfhBi", "iiiiii", "bcIfhiBl");
    s->k.out_var[5] = 6;
    s->k.out_var[6] = 7;
    int x = ld(s, 0);                                    /* v0 */
    int z = bin(s, WG_OP_SUBTRACT, x, x);                /* v1: 0 */
    int neg = bin(s, WG_OP_LESS, x, z);                  /* v2 */
    if_(s, neg);
    set(s, 0, neg);
    set(s, 1, cast(s, WG_INT8, x));                      /* v5 */
    mark(s, WG_OP_ELSE);
    set(s, 2, cast(s, WG_UINT32, x));                    /* v8 */
    mark(s, WG_OP_END);
    int seven = par(s, 1);                               /* v11 */
    if_jump(s, bin(s, WG_OP_EQUAL, x, seven), WG_OP_RETURN); /* v12 */
    mark(s, WG_OP_LOOP);                                 /* v16 */
    int t = get(s, 5);                                   /* v17 */
    int ten = par(s, 2);
    if_jump(s, bin(s, WG_OP_GREATER_EQUAL, t, ten), WG_OP_BREAK);
    if_jump(s, bin(s, WG_OP_GREATER_EQUAL, t, x), WG_OP_BREAK);
    int one = par(s, 0);
    int odd = bin(s, WG_OP_BITWISE_AND, t, one);
    if_jump(s, bin(s, WG_OP_EQUAL, odd, z), WG_OP_CONTINUE);
    int nine = par(s, 3);
    int isx9 = bin(s, WG_OP_EQUAL, x, nine);
    int five = par(s, 4);
    int ist5 = bin(s, WG_OP_EQUAL, t, five);
    if_jump(s, bin(s, WG_OP_LOGICAL_AND, isx9, ist5), WG_OP_RETURN); /* v38 */
    int one16 = cast(s, WG_INT16, par(s, 0));            /* v42 */
    int cnt = get(s, 4);                                 /* v43 */
    set(s, 4, bin(s, WG_OP_ADD, cnt, one16));            /* v44 */
    int tf = cast(s, WG_FLOAT32, t);
    int sum = get(s, 3);
    set(s, 3, bin(s, WG_OP_ADD, sum, tf));
    mark(s, WG_OP_CONTINUING);
    int t2 = get(s, 5);
    int one2 = par(s, 0);
    set(s, 5, bin(s, WG_OP_ADD, t2, one2));
    mark(s, WG_OP_END);
    int k37 = par(s, 5);
    set(s, 6, cast(s, WG_UINT8, bin(s, WG_OP_MULTIPLY, x, k37)));
    set(s, 7, cast(s, WG_INT64, x));
}

/* gather: in0 float32 raw (the table), in1 int32 indices, in2 uint32 indices.
 *   out0 = table[in1], out1 = table[in2], out2 = table[in1 != 0] (a bool index); 0 outside */
static void k_gather(sk *s) {
    sk_init(s, 1, "fiI", "fff", "", "fff");
    s->k.input_raw[0] = 1;
    int e = ld(s, 1);                                    /* v0 */
    set(s, 0, add(s, WG_OP_LOAD_AT, WG_FLOAT32, 0, e, 0)); /* v1 */
    int u = ld(s, 2);                                    /* v3 */
    set(s, 1, add(s, WG_OP_LOAD_AT, WG_FLOAT32, 0, u, 0)); /* v4 */
    int b = cast(s, WG_BOOL, e);                         /* v6 */
    set(s, 2, add(s, WG_OP_LOAD_AT, WG_FLOAT32, 0, b, 0)); /* v7 */
}

/* scatter: out0 (float32, raw)[in1] = in0; out1 (int8) <- l0 = int8(in1);
 * out2 (bool, raw)[in1] = in1 != p0 (p0 = 3) */
static void k_scatter(sk *s) {
    sk_init(s, 1, "fi", "fcb", "i", "c");
    raw_out(s, 0);
    raw_out(s, 2);
    s->k.out_var[1] = 0;
    int x = ld(s, 0), e = ld(s, 1);
    add(s, WG_OP_STORE_AT, 0, 0, e, x);
    set(s, 0, cast(s, WG_INT8, e));
    int three = par(s, 0);
    int ne = bin(s, WG_OP_NOT_EQUAL, e, three);
    add(s, WG_OP_STORE_AT, 0, 2, e, ne);
}

/* atomics: histograms of in0 (uint32 bins): out0 int32 counts, out1 uint32 counts, out2 float32
 * sums of in1; p0 = 1 (int32), p1 = 1 (uint32); out3 (int32) <- l0 = (old count >= 0) */
static void k_atomics(sk *s) {
    sk_init(s, 1, "If", "iIfi", "iI", "i");
    raw_out(s, 0);
    raw_out(s, 1);
    raw_out(s, 2);
    s->k.out_var[3] = 0;
    int b = ld(s, 0), w = ld(s, 1), one = par(s, 0);
    int o0 = add(s, WG_OP_ATOMIC_ADD, WG_INT32, 0, b, one); /* v3 */
    int oneu = par(s, 1);
    add(s, WG_OP_ATOMIC_ADD, WG_UINT32, 1, b, oneu);
    add(s, WG_OP_ATOMIC_ADD, WG_FLOAT32, 2, b, w);          /* v6 */
    int z = bin(s, WG_OP_SUBTRACT, o0, o0);
    set(s, 0, cast(s, WG_INT32, bin(s, WG_OP_GREATER_EQUAL, o0, z)));
}

/* atomics_rmw (RawKernel's atomicMax/atomicMin/atomicCAS): in0 int32 values; out0 (int32, raw)
 * [max, min] of in0; out1 (float32, raw) [max, min] of float(in0); out2 (uint32, raw) [0]:
 * CAS(0 -> LINEAR + 1); out3 (int32) <- l0 = (the CAS's old value == 0) */
static void k_atomics_rmw(sk *s) {
    sk_init(s, 1, "i", "ifIi", "iI", "i");
    raw_out(s, 0);
    raw_out(s, 1);
    raw_out(s, 2);
    s->k.out_var[3] = 0;
    int x = ld(s, 0);                                     /* v0 */
    int zero = par(s, 0);                                 /* v1 p0 = 0 */
    int pu = par(s, 1);                                   /* v2 p1 = 1u */
    int one = cast(s, WG_INT32, pu);                      /* v3 */
    add(s, WG_OP_ATOMIC_MAX, WG_INT32, 0, zero, x);
    add(s, WG_OP_ATOMIC_MIN, WG_INT32, 0, one, x);
    int f = cast(s, WG_FLOAT32, x);
    add(s, WG_OP_ATOMIC_MAX, WG_FLOAT32, 1, zero, f);
    add(s, WG_OP_ATOMIC_MIN, WG_FLOAT32, 1, one, f);
    int zu = bin(s, WG_OP_SUBTRACT, pu, pu);
    int lin = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);
    int lin1 = bin(s, WG_OP_ADD, lin, one);
    int nv = cast(s, WG_UINT32, lin1);
    int o = add(s, WG_OP_ATOMIC_CAS, WG_UINT32, 2, zero, zu);
    s->k.inst[o].src[2] = (uint16_t)nv;
    int eq = bin(s, WG_OP_EQUAL, o, zu);
    set(s, 0, cast(s, WG_INT32, eq));
}

/* outload: out0 (int32, raw): element LINEAR = 3 * itself (p0 = 3); a store past the buffer
 * (LINEAR + p1, p1 = 1000000) is dropped and a read before it (LINEAR - p1) gives 0, added */
static void k_outload(sk *s) {
    sk_init(s, 1, "", "i", "ii", "");
    raw_out(s, 0);
    int e = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);      /* v0 */
    int v = add(s, WG_OP_OUT_LOAD_AT, WG_INT32, 0, e, 0); /* v1 */
    int big = par(s, 1);
    int before = bin(s, WG_OP_SUBTRACT, e, big);
    int far = add(s, WG_OP_OUT_LOAD_AT, WG_INT32, 0, before, 0);
    int three = par(s, 0);
    int v3 = bin(s, WG_OP_ADD, bin(s, WG_OP_MULTIPLY, v, three), far);
    add(s, WG_OP_STORE_AT, 0, 0, e, v3);
    int big2 = par(s, 1);
    add(s, WG_OP_STORE_AT, 0, 0, bin(s, WG_OP_ADD, e, big2), v3);
}

/* linear, ndim 2, p0 = 100: out0 (int32) <- l0 = LINEAR * 100 + INDEX(1); out1 (int16) <- l1 =
 * int16(INDEX(0)); out2 (int32) <- l2 (int64) = LINEAR as int64 */
static void k_linear(sk *s) {
    sk_init(s, 2, "", "ihi", "i", "ihl");
    int lin = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);         /* v0 */
    int i1 = cast(s, WG_INT32, add(s, WG_OP_INDEX, WG_INT64, 1, 0, 0)); /* v1, v2 */
    int h = par(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, bin(s, WG_OP_MULTIPLY, lin, h), i1));
    set(s, 1, cast(s, WG_INT16, add(s, WG_OP_INDEX, WG_INT64, 0, 0, 0)));
    set(s, 2, add(s, WG_OP_LINEAR, WG_INT64, 0, 0, 0));          /* v10 */
}

/* nesting, x = in0 (int32), p0 = 1, p1 = 3, p2 = 100:
 *   for i (l1) in [0, x):
 *     if i is odd {
 *       for j (l2) from 0: if j >= i { break }; if j == 3 { break }; s += j; j += 1 (a loop
 *                                                                         without CONTINUING)
 *     } else { s += 100; if i > 3 { continue }; s += 1 }
 *   out0 (int32) <- l0 = s */
static void k_nesting(sk *s) {
    sk_init(s, 1, "i", "i", "iii", "iii");
    int x = ld(s, 0);
    mark(s, WG_OP_LOOP);
    int i = get(s, 1);
    if_jump(s, bin(s, WG_OP_GREATER_EQUAL, i, x), WG_OP_BREAK);
    int one = par(s, 0);
    int odd = bin(s, WG_OP_BITWISE_AND, i, one);        /* v8 */
    if_(s, cast(s, WG_BOOL, odd));                      /* v9, v10 */
    set(s, 2, bin(s, WG_OP_SUBTRACT, odd, odd));        /* v11 */
    mark(s, WG_OP_LOOP);
    int j = get(s, 2);
    int i2 = get(s, 1);
    if_jump(s, bin(s, WG_OP_GREATER_EQUAL, j, i2), WG_OP_BREAK);
    int three = par(s, 1);
    if_jump(s, bin(s, WG_OP_EQUAL, j, three), WG_OP_BREAK); /* v21 */
    int acc = get(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, acc, j));
    int one2 = par(s, 0);
    set(s, 2, bin(s, WG_OP_ADD, j, one2));
    mark(s, WG_OP_END);
    mark(s, WG_OP_ELSE);
    int hundred = par(s, 2);
    int acc2 = get(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, acc2, hundred));
    int three2 = par(s, 1);
    int i3 = get(s, 1);
    if_jump(s, bin(s, WG_OP_GREATER, i3, three2), WG_OP_CONTINUE);
    int one3 = par(s, 0);
    int acc3 = get(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, acc3, one3));
    mark(s, WG_OP_END);
    mark(s, WG_OP_CONTINUING);
    int one4 = par(s, 0);
    int i4 = get(s, 1);
    set(s, 1, bin(s, WG_OP_ADD, i4, one4));
    mark(s, WG_OP_END);
}

/* edges, x = in0 (int32), p0 = 1, p1 = 5:
 *   loop { if x < 0 { return }; l0 = x + 1; break; l0 = x * x (dead code after BREAK) }
 *   if x == 1 { } else { l1 = 5 }            (an empty branch)
 *   loop { break }                            (a loop that only leaves)
 * out0 (int32) <- l0, out1 (uint8) <- l1 */
static void k_edges(sk *s) {
    sk_init(s, 1, "i", "iB", "ii", "iB");
    int x = ld(s, 0);
    mark(s, WG_OP_LOOP);
    int z = bin(s, WG_OP_SUBTRACT, x, x);
    if_jump(s, bin(s, WG_OP_LESS, x, z), WG_OP_RETURN);
    int one = par(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, x, one));
    mark(s, WG_OP_BREAK);
    set(s, 0, bin(s, WG_OP_MULTIPLY, x, x));
    mark(s, WG_OP_END);
    int one2 = par(s, 0);
    if_(s, bin(s, WG_OP_EQUAL, x, one2));
    mark(s, WG_OP_ELSE);
    set(s, 1, cast(s, WG_UINT8, par(s, 1)));
    mark(s, WG_OP_END);
    mark(s, WG_OP_LOOP);
    mark(s, WG_OP_BREAK);
    mark(s, WG_OP_END);
}

/* block_sum, a workgroup kernel (wg_block = 8; ir.h), in0 int32 at the point; out0 (int32, raw)
 * the workgroups' scratch (one element per point), out1 (int32, raw) one sum per workgroup;
 * p0 = 7, p1 = 3, p2 = 4, p3 = 0, p4 = 1:
 *   BARRIER (at the top, harmless); t = LINEAR & 7; out0[LINEAR] = x; BARRIER
 *   l0 = 4; loop { if l0 == 0 { break }; if t < l0 { out0[LINEAR] += out0[LINEAR + l0] };
 *                  BARRIER; continuing { l0 = l0 >> 1 } }
 *   if t == 0 { out1[LINEAR >> 3] = out0[LINEAR] }          (CUDA's shared-memory tree sum) */
static void k_block_sum(sk *s) {
    sk_init(s, 1, "i", "ii", "iiiii", "i");
    raw_out(s, 0);
    raw_out(s, 1);
    s->k.wg_block = 8;
    int lin = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);
    int x = ld(s, 0);
    mark(s, WG_OP_BARRIER);
    int t = bin(s, WG_OP_BITWISE_AND, lin, par(s, 0));
    add(s, WG_OP_STORE_AT, 0, 0, lin, x);
    mark(s, WG_OP_BARRIER);
    set(s, 0, par(s, 2));
    mark(s, WG_OP_LOOP);
    int k = get(s, 0);
    if_jump(s, bin(s, WG_OP_EQUAL, k, par(s, 3)), WG_OP_BREAK);
    if_(s, bin(s, WG_OP_LESS, t, k));
    int a = add(s, WG_OP_OUT_LOAD_AT, WG_INT32, 0, lin, 0);
    int b = add(s, WG_OP_OUT_LOAD_AT, WG_INT32, 0, bin(s, WG_OP_ADD, lin, get(s, 0)), 0);
    add(s, WG_OP_STORE_AT, 0, 0, lin, bin(s, WG_OP_ADD, a, b));
    mark(s, WG_OP_END);
    mark(s, WG_OP_BARRIER);
    mark(s, WG_OP_CONTINUING);
    int k3 = get(s, 0);
    set(s, 0, bin(s, WG_OP_RIGHT_SHIFT, k3, par(s, 4)));
    mark(s, WG_OP_END);
    if_(s, bin(s, WG_OP_EQUAL, t, par(s, 3)));
    int sum = add(s, WG_OP_OUT_LOAD_AT, WG_INT32, 0, lin, 0);
    add(s, WG_OP_STORE_AT, 0, 1, bin(s, WG_OP_RIGHT_SHIFT, lin, par(s, 1)), sum);
    mark(s, WG_OP_END);
}

/* block_sum_wg: block_sum with the tree in a workgroup array (ir.h "Workgroup arrays"): sh0
 * (int32[8]) instead of the raw scratch; in0 int32 at the point; out0 (int32, raw) one sum per
 * workgroup; p0 = 7, p1 = 3, p2 = 4, p3 = 0, p4 = 1, p5 = 9:
 *   t = LINEAR & 7; sh0[t] = x; sh0[p5] = x (outside: not written); BARRIER
 *   l0 = 4; loop { if l0 == 0 { break }; if t < l0 { sh0[t] += sh0[t + l0] }; BARRIER;
 *                  continuing { l0 = l0 >> 1 } }
 *   if t == 0 { out0[LINEAR >> 3] = sh0[0] + sh0[p5] (outside: reads 0) } */
static void k_block_sum_wg(sk *s) {
    sk_init(s, 1, "i", "i", "iiiiii", "i");
    raw_out(s, 0);
    s->k.wg_block = 8;
    s->k.nshared = 1;
    s->k.shared_dtype[0] = WG_INT32;
    s->k.shared_len[0] = 8;
    int lin = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);
    int x = ld(s, 0);
    int t = bin(s, WG_OP_BITWISE_AND, lin, par(s, 0));
    add(s, WG_OP_SHARED_STORE, 0, 0, t, x);
    add(s, WG_OP_SHARED_STORE, 0, 0, par(s, 5), x);
    mark(s, WG_OP_BARRIER);
    set(s, 0, par(s, 2));
    mark(s, WG_OP_LOOP);
    int k = get(s, 0);
    if_jump(s, bin(s, WG_OP_EQUAL, k, par(s, 3)), WG_OP_BREAK);
    if_(s, bin(s, WG_OP_LESS, t, k));
    int a = add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, t, 0);
    int b = add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, bin(s, WG_OP_ADD, t, get(s, 0)), 0);
    add(s, WG_OP_SHARED_STORE, 0, 0, t, bin(s, WG_OP_ADD, a, b));
    mark(s, WG_OP_END);
    mark(s, WG_OP_BARRIER);
    mark(s, WG_OP_CONTINUING);
    int k3 = get(s, 0);
    set(s, 0, bin(s, WG_OP_RIGHT_SHIFT, k3, par(s, 4)));
    mark(s, WG_OP_END);
    if_(s, bin(s, WG_OP_EQUAL, t, par(s, 3)));
    int sum = add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, par(s, 3), 0);
    int out = add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, par(s, 5), 0);
    add(s, WG_OP_STORE_AT, 0, 0, bin(s, WG_OP_RIGHT_SHIFT, lin, par(s, 1)), bin(s, WG_OP_ADD, sum, out));
    mark(s, WG_OP_END);
}

static const struct {
    const char *name;
    void (*build)(sk *s);
    int webgl2; /* 1: webgl2 runs it; 0: refused (a raw output) */
} stmt_kernels[] = {
    {"loop_sum", k_loop_sum, 1}, {"branches", k_branches, 1}, {"gather", k_gather, 1},
    {"scatter", k_scatter, 0},   {"atomics", k_atomics, 0},   {"outload", k_outload, 0},
    {"linear", k_linear, 1},     {"nesting", k_nesting, 1},   {"edges", k_edges, 1},
    {"atomics_rmw", k_atomics_rmw, 0}, {"block_sum", k_block_sum, 0},
    {"block_sum_wg", k_block_sum_wg, 0},
};
#define N_STMT_KERNELS ((int)(sizeof stmt_kernels / sizeof stmt_kernels[0]))

/* For test_glsl.c: kernel `which` (0 .. count-1) built into *s (an sk, see above, passed as
 * storage of WGT_STMT_KERNEL_BYTES); its name and whether webgl2 runs it.  Returns the count. */
int wgt_stmt_kernel(int which, void *storage, size_t size, const wg_kernel_ir **k, const char **name,
                    int *webgl2);
int wgt_stmt_kernel(int which, void *storage, size_t size, const wg_kernel_ir **k, const char **name,
                    int *webgl2) {
    if (which < 0 || which >= N_STMT_KERNELS || size < sizeof(sk)) return N_STMT_KERNELS;
    sk *s = storage;
    stmt_kernels[which].build(s);
    *k = &s->k;
    *name = stmt_kernels[which].name;
    *webgl2 = stmt_kernels[which].webgl2;
    return N_STMT_KERNELS;
}

/* WGPY_STMT_SRC_DIR=dir: writes each statement kernel's WGSL to dir/<name>.wgsl, and the GLSL of
 * those webgl2 runs to dir/<name>.vert and .frag, for js/tests/test-stmt-wgsl.mjs and
 * js/tests/browser/test-stmt-webgl2.mjs (which run them on the executors). */
static void write_file(const char *dir, const char *name, const char *ext, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    FILE *f = fopen(path, "w");
    if (!f) {
        wgt_fail(__FILE__, __LINE__, "cannot write %s", path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

WG_TEST(codegen_stmt_write_sources) {
    const char *dir = getenv("WGPY_STMT_SRC_DIR");
    if (!dir) return;
    wg_context *ctx = new_ctx();
    for (int i = 0; i < N_STMT_KERNELS; i++) {
        sk s;
        stmt_kernels[i].build(&s);
        const char *name = stmt_kernels[i].name;
        char *src = NULL, *vs = NULL, *fs = NULL;
        if (wgC_wgsl(ctx, &s.k, &src) == WG_OK) write_file(dir, name, "wgsl", src);
        else wgt_fail(__FILE__, __LINE__, "%s: %s", name, wg_last_error(ctx));
        wg_clear_error(ctx);
        if (stmt_kernels[i].webgl2) {
            if (wgC_glsl(ctx, &s.k, &vs, &fs) == WG_OK) {
                write_file(dir, name, "vert", vs);
                write_file(dir, name, "frag", fs);
            } else {
                wgt_fail(__FILE__, __LINE__, "%s: %s", name, wg_last_error(ctx));
            }
            wg_clear_error(ctx);
        }
        wgB_free(src);
        wgB_free(vs);
        wgB_free(fs);
    }
    wg_context_free(ctx);
}

static sk *built(int which) {
    static sk s;
    stmt_kernels[which].build(&s);
    return &s;
}

static char *wgsl_of(wg_context *ctx, const wg_kernel_ir *k) {
    char *src = NULL;
    if (wgC_wgsl(ctx, k, &src) != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "wgsl: %s", wg_last_error(ctx));
        wg_clear_error(ctx);
    }
    return src;
}

static int count(const char *s, const char *needle) {
    int n = 0;
    for (const char *p = s; p && (p = strstr(p, needle)); p++) n++;
    return n;
}

WG_TEST(codegen_wgsl_stmt_kernels) {
    wg_context *ctx = new_ctx();
    for (int i = 0; i < N_STMT_KERNELS; i++) { /* every kernel: kbody, one entry point */
        if (built(i)->k.wg_block) continue; /* block_sum: below */
        char *src = wgsl_of(ctx, &built(i)->k);
        WG_CHECK(has(src, "// statement kernel: "));
        WG_CHECK(has(src, "fn kbody() {\n"));
        WG_CHECK(has(src, "\n  kbody();\n"));
        WG_CHECK(has(src, "@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>) {\n"
                          "  let p = gid.x + gid.y * arg(2u);\n  if (p >= arg(0u)) { return; }\n  pt = p;\n"));
        WG_CHECK(!has(src, "main_vec4"));
        wgB_free(src);
    }
    char *src = wgsl_of(ctx, &built(0)->k); /* loop_sum */
    /* every local is kbody's own; an output's is copied at kbody's exits into its
     * per-invocation global (main stores that); the parameters are read once, at kbody's
     * entry, not on every pass of the loop */
    WG_CHECK(has(src, "var<private> ol0: f32;\n"));
    WG_CHECK(has(src, "fn kbody() {\n  var l0: f32 = 0.0;\n  var l1: i32 = 0;\n"));
    WG_CHECK(has(src, "  let v15: i32 = ai(10u);\n"));
    WG_CHECK(has(src, "  loop {\n    let v1: i32 = l1;\n"));
    WG_CHECK(has(src, "    if (v3) {\n      break;\n    }\n"));
    WG_CHECK(has(src, "    l0 = v11;\n    continuing {\n      let v14: i32 = l1;\n      let v16: i32 = (v14 + v15);\n"));
    WG_CHECK(has(src, "      l1 = v16;\n    }\n  }\n  ol0 = l0;\n}\n"));
    WG_CHECK(has(src, "  o_in0 = ai(5u) + ai(6u) * i32(i0);\n"));
    WG_CHECK(has(src, "  b_out0[o_out0] = ol0;\n"));
    WG_CHECK(!has(src, "pos_i")); /* no raw operand, no raw helpers */
    wgB_free(src);
    src = wgsl_of(ctx, &built(1)->k); /* branches */
    WG_CHECK(has(src, "var<private> ol0: bool;\n"));
    WG_CHECK(!has(src, "var<private> ol5")); /* l5 is stored by no output */
    WG_CHECK(has(src, "  var l5: i32 = 0;\n  var l6: u32 = 0u;\n  var l7: i32 = 0;\n  let v0: i32 = b_in0[o_in0];\n"));
    /* a short IF/ELSE of pure values and SETs: if-converted (stmt.c emit_if), ELSE's selects reversed */
    WG_CHECK(has(src, "  l0 = select(l0, v2, v2);\n  let v5: i32 = ((v0 << 24u) >> 24u);\n  l1 = select(l1, v5, v2);\n"
                      "  let v8: u32 = bitcast<u32>(v0);\n  l2 = select(v8, l2, v2);\n"));
    WG_CHECK(!has(src, "if (v2)"));
    WG_CHECK(has(src, "  if (v12) {\n    ol0 = l0;\n"));
    WG_CHECK(has(src, "    ol7 = l7;\n    return;\n  }\n"));
    WG_CHECK(has(src, "      continue;\n"));
    WG_CHECK(has(src, "      ol7 = l7;\n      return;\n    }\n")); /* RETURN inside the loop */
    WG_CHECK(has(src, "(((v43 + v42) << 16u) >> 16u)"));         /* the int16 local wraps */
    WG_CHECK(has(src, "i1 = rem_p % arg(5u); rem_p = rem_p / arg(5u);\n  i0 = rem_p;\n"));
    WG_CHECK(has(src, "  b_out0[o_out0] = select(0u, 1u, ol0);\n"));
    WG_CHECK(has(src, "  b_out5[o_out5] = ol6;\n  let o_out6"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(2)->k); /* gather */
    WG_CHECK(has(src, "fn pos_i(o: i32, e: i32, n: u32) -> u32 {\n"
                      "  if (e < 0) { if (e < -o) { return n; } return min(u32(o + e), n); }\n"));
    WG_CHECK(has(src, "fn ldr_in0(x: u32) -> f32 { if (x >= arrayLength(&b_in0)) { return 0.0; } "
                      "return b_in0[i32(x)]; }\n"));
    WG_CHECK(!has(src, "fn ldr_in1")); /* inputs 1 and 2 are read at the point */
    /* an int32 index: the wrapped sum (expr.h pos_wraps), the reader's check the only one */
    WG_CHECK(has(src, "  let v1: f32 = ldr_in0(bitcast<u32>(o_in0 + v0));\n"));
    WG_CHECK(has(src, "  let v4: f32 = ldr_in0(pos_u(o_in0, v3, arrayLength(&b_in0)));\n"));
    WG_CHECK(has(src, "ldr_in0((u32(o_in0) + u32(select(0u, 1u, v6))))")); /* a bool: 0 or 1 (range.h) */
    WG_CHECK(has(src, "  o_in0 = ai(5u);\n  o_in1 = ai(7u) + ai(8u) * i32(i0);\n"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(3)->k); /* scatter */
    WG_CHECK(has(src, "var<storage, read_write> b_out0: array<f32>;"));
    WG_CHECK(has(src, "fn str_out0(x: u32, v: f32) { if (x < arrayLength(&b_out0)) { b_out0[x] = v; } }\n"));
    WG_CHECK(has(src, "  str_out0(bitcast<u32>(o_out0 + v1), v0);\n"));
    WG_CHECK(has(src, "  o_out0 = ai(9u);\n  o_out2 = ai(13u);\n  kbody();\n"));
    WG_CHECK(!has(src, "b_out0[o_out0]")); /* a raw output is not stored at the point */
    WG_CHECK(has(src, "  b_out1[o_out1] = ol0;\n"));
    WG_CHECK(has(src, "fn str_out2(x: u32, v: bool) { if (x < arrayLength(&b_out2)) { b_out2[x] = select(0u, 1u, v); } }\n"));
    WG_CHECK(has(src, "fn ldr_out2(x: u32) -> bool { if (x >= arrayLength(&b_out2)) { return false; } return (b_out2[x] != 0u); }\n"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(9)->k); /* atomics_rmw: only the helpers used */
    WG_CHECK(has(src, "  return atomicMax(&b_out0[x], v);\n"));
    WG_CHECK(has(src, "  return atomicMin(&b_out0[x], v);\n"));
    WG_CHECK(has(src, "    if (!(v > bitcast<f32>(old))) { break; }\n"));
    /* every CAS loop leaves by break and its function ends in a return (naga, Firefox) */
    WG_CHECK(has(src, "    if (r.exchanged || r.old_value != cw) { ow = r.old_value; break; }\n  }\n  return ow;\n}\n"));
    WG_CHECK(!has(src, "  }\n}\nfn") && !has(src, "{ return o; }"));
    WG_CHECK(has(src, "    let r = atomicCompareExchangeWeak(&b_out2[x], cw, vw);\n"));
    WG_CHECK(!has(src, "fn cas_out0") && !has(src, "fn max_out2"));
    WG_CHECK(has(src, "  let v13: u32 = cas_out2(bitcast<u32>(o_out2 + v1), v9, v12);\n"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(10)->k); /* block_sum: a workgroup kernel, its barriers */
    WG_CHECK(has(src, "@compute @workgroup_size(8)\nfn main(@builtin(global_invocation_id) gid: vec3<u32>, "
                      "@builtin(workgroup_id) wid: vec3<u32>) {\n  let p = gid.x + gid.y * arg(2u);\n"
                      "  if ((wid.x + wid.y * (arg(2u) / 8u)) * 8u >= arg(0u)) { return; }\n"));
    WG_CHECK(!has(src, "if (p >= arg(0u))"));
    WG_CHECK_EQ_INT(count(src, "storageBarrier();\n"), 3);
    WG_CHECK_EQ_INT(count(src, "workgroupBarrier();\n"), 3);
    WG_CHECK(has(src, "    storageBarrier();\n    workgroupBarrier();\n    continuing {\n"));
    wgB_free(src);
    { /* BARRIER arg 1 (__wg_barrier()): that one orders workgroup memory only */
        sk *b = built(10);
        int first = -1;
        for (int i = 0; i < b->k.ninst; i++)
            if (b->k.inst[i].op == WG_OP_BARRIER && first < 0) {
                b->k.inst[i].arg = 1;
                first = i;
            }
        src = wgsl_of(ctx, &b->k);
        WG_CHECK_EQ_INT(count(src, "storageBarrier();\n"), 2);
        WG_CHECK_EQ_INT(count(src, "workgroupBarrier();\n"), 3);
        wgB_free(src);
    }
    src = wgsl_of(ctx, &built(11)->k); /* block_sum_wg: a workgroup array */
    WG_CHECK(has(src, "var<workgroup> wgsh0: array<i32, 8>;\n"));
    WG_CHECK(has(src, "  if (bitcast<u32>(v3) < 8u) { wgsh0[bitcast<u32>(v3)] = v1; }\n"));  /* in range only */
    WG_CHECK(has(src, "select(0, wgsh0[min(bitcast<u32>(v3), 7u)], bitcast<u32>(v3) < 8u)")); /* else 0 */
    WG_CHECK_EQ_INT(count(src, "workgroupBarrier();\n"), 2);
    /* its raw output is only written: no storage barrier (block_sum reads its output: 3) */
    WG_CHECK(!has(src, "storageBarrier"));
    WG_CHECK(!has(src, "b_out1"));  /* no buffer for the workgroup array */
    wgB_free(src);
    { /* in_range (ir.h): direct indexing, the API's clamp the only guard; bool operands keep
       * their helpers; GLSL (not robust) keeps every check */
        sk *b = built(11);  /* one static sk: each built() rebuilds it */
        b->k.in_range = 1;
        src = wgsl_of(ctx, &b->k);
        WG_CHECK(has(src, "  wgsh0[bitcast<u32>(v3)] = v1;\n") && !has(src, "< 8u) { wgsh0"));
        WG_CHECK(!has(src, "select(0, wgsh0[") && has(src, "wgsh0[bitcast<u32>(v"));
        wgB_free(src);
        (b = built(2))->k.in_range = 1;
        src = wgsl_of(ctx, &b->k);
        WG_CHECK(has(src, "  let v1: f32 = b_in0[(o_in0 + (v0))];\n"));
        WG_CHECK(has(src, "  let v4: f32 = b_in0[(o_in0 + i32(v3))];\n"));
        WG_CHECK(has(src, "ldr_in0((u32(o_in0) + u32(select(0u, 1u, v6))))"));
        wgB_free(src);
        (b = built(3))->k.in_range = 1;
        src = wgsl_of(ctx, &b->k);
        WG_CHECK(has(src, "  b_out0[(o_out0 + (v1))] = v0;\n"));
        WG_CHECK(has(src, "str_out2(bitcast<u32>(o_out2 + "));  /* a bool output: its helper */
        wgB_free(src);
    }
    src = wgsl_of(ctx, &built(4)->k); /* atomics */
    WG_CHECK(!has(src, "fn max_out") && !has(src, "fn cas_out"));
    WG_CHECK(has(src, "@binding(3) var<storage, read_write> b_out0: array<atomic<i32>>;"));
    WG_CHECK(has(src, "@binding(4) var<storage, read_write> b_out1: array<atomic<u32>>;"));
    WG_CHECK(has(src, "@binding(5) var<storage, read_write> b_out2: array<atomic<u32>>;"));
    WG_CHECK(has(src, "@binding(6) var<storage, read_write> b_out3: array<i32>;"));
    WG_CHECK(has(src, "  return atomicAdd(&b_out0[x], v);\n"));
    WG_CHECK(has(src, "  return atomicAdd(&b_out1[x], v);\n"));
    WG_CHECK(has(src, "    let r = atomicCompareExchangeWeak(&b_out2[x], old, bitcast<u32>(bitcast<f32>(old) + v));\n"
                      "    if (r.exchanged) { break; }\n    old = r.old_value;\n  }\n  return bitcast<f32>(old);\n}\n"));
    WG_CHECK(has(src, "return bitcast<f32>(atomicLoad(&b_out2[x])); }"));
    WG_CHECK(has(src, "atomicStore(&b_out2[x], bitcast<u32>(v));"));
    WG_CHECK(has(src, "  let v3: i32 = add_out0(pos_u(o_out0, v0, arrayLength(&b_out0)), v2);\n"));
    WG_CHECK(has(src, "  let v6: f32 = add_out2(pos_u(o_out2, v0, arrayLength(&b_out2)), v1);\n"));
    WG_CHECK(!has(src, "fn add_out3"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(5)->k); /* outload */
    WG_CHECK(has(src, "  let v0: i32 = i32(pt);\n  let v1: i32 = ldr_out0(bitcast<u32>(o_out0 + v0));\n"));
    WG_CHECK(has(src, "fn ldr_out0(x: u32) -> i32 { if (x >= arrayLength(&b_out0)) { return 0; } return b_out0[x]; }\n"));
    wgB_free(src);
    src = wgsl_of(ctx, &built(6)->k); /* linear */
    WG_CHECK(has(src, "  let v0: i32 = i32(pt);\n  let v1: i32 = i32(i1);\n"));
    WG_CHECK(has(src, "  let v10: i32 = i32(pt);\n  l2 = v10;\n")); /* int64 LINEAR held in 32 bits */
    wgB_free(src);
    src = wgsl_of(ctx, &built(7)->k); /* nesting: a loop without CONTINUING in an IF in a loop */
    WG_CHECK_EQ_INT(count(strstr(src, "fn kbody()"), "loop {"), 2);
    WG_CHECK_EQ_INT(count(strstr(src, "fn kbody()"), "continuing {"), 1);
    WG_CHECK(has(src, "    if (v9) {\n      let v11: i32 = (v8 - v8);\n      l2 = v11;\n      loop {\n"));
    WG_CHECK(has(src, "        if (v21) {\n          break;\n        }\n"));
    WG_CHECK(has(src, "    } else {\n"));
    wgB_free(src);
    wg_context_free(ctx);
}

/* Range facts (codegen/range.h): a workgroup kernel whose wrappers go where its values are proven
 * in range and stay where they are not.  p0 = 7, p1 = 3, p3 = 0, p4 = 8, p5 = 1 are literals
 * (param_const), p2 a runtime word.
 *   t = LINEAR & 7; sh[t] = x; sh[t + 1] = x; a = x >> 3; b = x >> p2;
 *   for (l0 = 0; l0 < 8; l0++) l1 = sh[l0];
 *   if (l1 >= 0 && l1 < 8) { out0[t] = in1[l1] + sh[l1]; }  out0[x] = sh[l1];
 *   l0 = t / 3 + x % 3 (floor division and remainder, NumPy's) */
static void k_ranges(sk *s) {
    sk_init(s, 1, "if", "f", "iiiiii", "ii");
    s->k.input_raw[1] = 1;
    raw_out(s, 0);
    s->k.wg_block = 8;
    s->k.nshared = 1;
    s->k.shared_dtype[0] = WG_INT32;
    s->k.shared_len[0] = 8;
    static const int64_t lit[6] = {7, 3, -1, 0, 8, 1};
    for (int p = 0; p < 6; p++) {
        s->k.param_const[p] = p != 2;
        s->k.param_value[p].i = lit[p];
    }
    int lin = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);             /* v0 */
    int t = bin(s, WG_OP_BITWISE_AND, lin, par(s, 0));            /* v2 */
    int x = ld(s, 0);                                              /* v3 */
    add(s, WG_OP_SHARED_STORE, 0, 0, t, x);                        /* v4: in range */
    int t1 = bin(s, WG_OP_ADD, t, par(s, 5));                      /* v6: 1 .. 8 */
    add(s, WG_OP_SHARED_STORE, 0, 0, t1, x);                       /* v7: checked */
    int a = bin(s, WG_OP_RIGHT_SHIFT, x, par(s, 1));               /* v9: x >> 3 */
    int b = bin(s, WG_OP_RIGHT_SHIFT, x, par(s, 2));               /* v11: x >> p2 */
    set(s, 1, bin(s, WG_OP_ADD, a, b));                            /* v12, v13 */
    set(s, 0, par(s, 3));                                          /* v14, v15 */
    mark(s, WG_OP_LOOP);                                           /* v16 */
    int k = get(s, 0);                                             /* v17 */
    if_jump(s, add(s, WG_OP_LOGICAL_NOT, WG_BOOL, 0, bin(s, WG_OP_LESS, k, par(s, 4)), 0), WG_OP_BREAK);
    int k2 = get(s, 0);                                            /* v24 */
    set(s, 1, add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, k2, 0));      /* v25: in range */
    mark(s, WG_OP_CONTINUING);
    int k3 = get(s, 0);
    set(s, 0, bin(s, WG_OP_ADD, k3, par(s, 5)));
    mark(s, WG_OP_END);
    int g1 = get(s, 1);                                            /* v33 */
    int lo = bin(s, WG_OP_GREATER_EQUAL, g1, par(s, 3));
    int hi = bin(s, WG_OP_LESS, g1, par(s, 4));
    if_(s, bin(s, WG_OP_LOGICAL_AND, lo, hi));                     /* v39 */
    int g2 = get(s, 1);                                            /* v40 */
    int r = add(s, WG_OP_LOAD_AT, WG_FLOAT32, 1, g2, 0);           /* v41: in range */
    int sh = cast(s, WG_FLOAT32, add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, g2, 0)); /* v42: in range */
    add(s, WG_OP_STORE_AT, 0, 0, t, bin(s, WG_OP_ADD, r, sh));     /* v45 */
    mark(s, WG_OP_END);
    int g3 = get(s, 1);                                            /* v47 */
    int sh2 = cast(s, WG_FLOAT32, add(s, WG_OP_SHARED_LOAD, WG_INT32, 0, g3, 0)); /* v48: checked */
    add(s, WG_OP_STORE_AT, 0, 0, x, sh2);                          /* v50 */
    int q = add(s, WG_OP_FLOOR_DIVIDE, WG_INT32, 0, t, 8);         /* v51: t / 3, t >= 0 */
    int m = add(s, WG_OP_REMAINDER, WG_INT32, 0, x, 8);            /* v52: x % 3, x any */
    set(s, 0, bin(s, WG_OP_ADD, q, m));
}

WG_TEST(codegen_ranges) {
    wg_context *ctx = new_ctx();
    static sk s;
    k_ranges(&s);
    WG_CHECK_EQ_INT(wgI_check_stmt(ctx, &s.k, WG_ERR_INTERNAL), WG_OK);
    char *src = wgsl_of(ctx, &s.k);
    /* t = LINEAR & 7 is in [0, 8): a plain index; t + 1 may be 8: the check stays */
    WG_CHECK(has(src, "  wgsh0[bitcast<u32>(v2)] = v3;\n"));
    WG_CHECK(has(src, "  if (bitcast<u32>(v6) < 8u) { wgsh0[bitcast<u32>(v6)] = v3; }\n"));
    /* a literal count in [0, 32): a plain shift; a runtime count keeps C's rule */
    WG_CHECK(has(src, "  let v9: i32 = (v3 >> u32(v8));\n"));
    WG_CHECK(has(src, "  let v11: i32 = rsh_i(v3, v10, 32u);\n"));
    /* the loop counter: 0 .. 7 where it is read */
    WG_CHECK(has(src, "    let v25: i32 = wgsh0[bitcast<u32>(v24)];\n"));
    /* under `if (l1 >= 0 && l1 < 8)`: a raw read without pos_i, a plain workgroup index, and the
     * store at t; outside it, the select and the wrapped sum stay */
    WG_CHECK(has(src, "ldr_in1((u32(o_in1) + u32(v40)))"));
    WG_CHECK(has(src, "wgsh0[bitcast<u32>(v40)]") && !has(src, "min(bitcast<u32>(v40)"));
    WG_CHECK(has(src, "str_out0((u32(o_out0) + u32(v2)), v44);\n"));
    WG_CHECK(has(src, "select(0, wgsh0[min(bitcast<u32>(v47), 7u)], bitcast<u32>(v47) < 8u)"));
    WG_CHECK(has(src, "str_out0(bitcast<u32>(o_out0 + v3), v49);\n"));
    /* floor division and remainder of a non-negative value by a positive one: the operators */
    WG_CHECK(has(src, "  let v51: i32 = (v2 / v8);\n  let v52: i32 = rem_i(v3, v8);\n"));
    wgB_free(src);
    /* a runtime word in place of the literal 8 bounds neither the counter nor l1 from above: the
     * workgroup checks are back; l1 >= 0 still spares the raw read its clamp */
    s.k.param_const[4] = 0;
    src = wgsl_of(ctx, &s.k);
    WG_CHECK(has(src, "select(0, wgsh0[min(bitcast<u32>(v24), 7u)], bitcast<u32>(v24) < 8u)"));
    WG_CHECK(has(src, "select(0, wgsh0[min(bitcast<u32>(v40), 7u)], bitcast<u32>(v40) < 8u)"));
    WG_CHECK(has(src, "ldr_in1((u32(o_in1) + u32(v40)))"));
    WG_CHECK(has(src, "  wgsh0[bitcast<u32>(v2)] = v3;\n"));
    wgB_free(src);
    wg_context_free(ctx);
}

/* contract = 1: float32 a * b + c, c - a * b, a * b - c as fma() in WGSL; never in GLSL ES 3.00
 * (no fma there) nor without the flag */
WG_TEST(codegen_wgsl_contract) {
    wg_context *ctx = new_ctx();
    sk s;
    sk_init(&s, 1, "ff", "f", "", "f");
    int a = ld(&s, 0), b = ld(&s, 1);
    int m = bin(&s, WG_OP_MULTIPLY, a, b);
    int x = bin(&s, WG_OP_ADD, m, b);
    int y = bin(&s, WG_OP_SUBTRACT, x, m);
    set(&s, 0, bin(&s, WG_OP_SUBTRACT, m, y));
    char *src = wgsl_of(ctx, &s.k);
    WG_CHECK(!has(src, "fma("));
    wgB_free(src);
    s.k.contract = 1;
    src = wgsl_of(ctx, &s.k);
    WG_CHECK(has(src, "= fma(v0, v1, v1);\n"));   /* m + b */
    WG_CHECK(has(src, "= fma(-v0, v1, v3);\n"));  /* x - m */
    WG_CHECK(has(src, "= fma(v0, v1, -v4);\n"));  /* m - y */
    WG_CHECK(has(src, "  let v2: f32 = (v0 * v1);\n")); /* the product stays for other uses */
    wgB_free(src);
    char *vs = NULL, *fs = NULL;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &s.k, &vs, &fs), WG_OK);
    WG_CHECK(fs && !has(fs, "fma("));
    wgB_free(vs);
    wgB_free(fs);
    wg_context_free(ctx);
}

/* stmt = 1 with a straight-line program, and stmt = 0 unchanged by the statement machinery */
WG_TEST(codegen_wgsl_stmt_straight_line) {
    wg_context *ctx = new_ctx();
    sk s;
    sk_init(&s, 1, "f", "f", "", "f");
    int a = ld(&s, 0), b = ld(&s, 0);
    set(&s, 0, bin(&s, WG_OP_MULTIPLY, a, b));
    char *src = wgsl_of(ctx, &s.k);
    WG_CHECK(has(src, "fn kbody() {\n  var l0: f32 = 0.0;\n  let v0: f32 = b_in0[o_in0];\n  let v1: f32 = b_in0[o_in0];\n"
                      "  let v2: f32 = (v0 * v1);\n  l0 = v2;\n  ol0 = l0;\n}\n"));
    wgB_free(src);
    s.k.nvars = 0; /* no locals: ... and an output without a local or a raw flag is malformed */
    s.k.ninst = 2;
    s.k.out_var[0] = -1;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &s.k, &src), WG_ERR_INTERNAL);
    WG_CHECK(has(wg_last_error(ctx), "an output is raw exactly when it has no local"));
    wg_clear_error(ctx);
    char *plain = NULL;
    WG_CHECK_EQ_INT(gen_binary(ctx, WG_OP_ADD, WG_FLOAT32, WG_FLOAT32, &plain), WG_OK);
    WG_CHECK(!has(plain, "kbody") && !has(plain, "var<private>") && has(plain, "fn main_vec4("));
    wgB_free(plain);
    wg_context_free(ctx);
}

/* Malformed statement programs: WG_ERR_INTERNAL naming the instruction, from both generators
 * (one analysis); float16 locals and atomics on other dtypes: NotImplementedError. */
typedef void (*mutate_fn)(sk *s);
static void m_unclosed(sk *s) { s->k.ninst--; }                      /* loop_sum without END */
static void m_else_outside(sk *s) { s->in[0].op = WG_OP_ELSE; }      /* loop_sum: LOOP -> ELSE */
static void m_end_extra(sk *s) { mark(s, WG_OP_END); }
static void m_break_outside(sk *s) { mark(s, WG_OP_BREAK); }
static void m_scope(sk *s) { set(s, 0, 9); }                         /* v9 is in the loop body */
static void m_body_in_step(sk *s) { s->in[s->k.ninst - 2].src[0] = 11; } /* step's SET <- v11 */
static void m_return_in_step(sk *s) { s->in[s->k.ninst - 2].op = WG_OP_RETURN; }
static void m_break_in_step(sk *s) { s->in[s->k.ninst - 2].op = WG_OP_BREAK; }
static void m_two_continuing(sk *s) {
    s->k.ninst--;
    mark(s, WG_OP_CONTINUING);
    mark(s, WG_OP_END);
}
static void m_operand_stmt(sk *s) { s->in[8].src[0] = 5; } /* float(t) <- BREAK */
static void m_load_raw(sk *s) { s->k.input_raw[0] = 1; }
static void m_load_at_plain(sk *s) { s->k.input_raw[0] = 0; }          /* gather */
static void m_store_plain(sk *s) { s->k.output_raw[0] = 0; s->k.out_var[0] = 0; } /* scatter */
static void m_out_var_range(sk *s) { s->k.out_var[0] = 5; }
static void m_reduce(sk *s) { s->k.kind = WG_K_REDUCE; }
static void m_float_index(sk *s) { s->in[3].dtype = WG_FLOAT32; s->k.input_dtype[2] = WG_FLOAT32; } /* u */
static void m_deep(sk *s) {
    sk_init(s, 1, "", "i", "", "i");
    int c = add(s, WG_OP_LINEAR, WG_INT32, 0, 0, 0);
    int b = bin(s, WG_OP_EQUAL, c, c);
    for (int d = 0; d <= WG_KMAX_DEPTH; d++) if_(s, b);
    for (int d = 0; d <= WG_KMAX_DEPTH; d++) mark(s, WG_OP_END);
}

WG_TEST(codegen_stmt_malformed) {
    static const struct {
        int base;
        mutate_fn m;
        const char *says;
    } cases[] = {
        {0, m_unclosed, "a block is not closed"},
        {0, m_else_outside, "ELSE outside an IF"},
        {0, m_end_extra, "END without a block"},
        {2, m_break_outside, "BREAK or CONTINUE outside a LOOP"},
        {0, m_scope, "operand used outside its block"},
        {0, m_body_in_step, "operand used outside its block"},
        {0, m_return_in_step, "RETURN in a loop's CONTINUING part"},
        {0, m_break_in_step, "BREAK or CONTINUE in a loop's CONTINUING part"},
        {0, m_two_continuing, "CONTINUING outside a LOOP"},
        {0, m_operand_stmt, "operand is a statement"},
        {0, m_load_raw, "LOAD of a raw or missing input"},
        {2, m_load_at_plain, "LOAD_AT of an input that is not raw"},
        {3, m_store_plain, "raw access to an output that is not raw"},
        {0, m_out_var_range, "output local out of range"},
        {0, m_reduce, "a statement kernel must be ELEMENTWISE"},
        {2, m_float_index, "a raw element index must be an integer"},
        {0, m_deep, "blocks nested too deep"},
    };
    wg_context *ctx = new_ctx();
    for (int c = 0; c < (int)(sizeof cases / sizeof cases[0]); c++) {
        sk *s = built(cases[c].base);
        cases[c].m(s);
        char *src = NULL, *vs = NULL, *fs = NULL;
        WG_CHECK_EQ_INT(wgC_wgsl(ctx, &s->k, &src), WG_ERR_INTERNAL);
        if (!has(wg_last_error(ctx), cases[c].says) || !has(wg_last_error(ctx), "webgpu codegen"))
            wgt_fail(__FILE__, __LINE__, "case %d: '%s' does not say '%s'", c, wg_last_error(ctx), cases[c].says);
        wg_clear_error(ctx);
        int rc = wgC_glsl(ctx, &s->k, &vs, &fs);
        /* webgl2 refuses a raw output before looking further */
        if (rc != WG_ERR_INTERNAL || !has(wg_last_error(ctx), cases[c].says))
            WG_CHECK(cases[c].base == 3 && rc == WG_ERR_NOTIMPL);
        WG_CHECK(src == NULL && vs == NULL && fs == NULL);
        wg_clear_error(ctx);
    }
    /* what webgpu cannot hold: a float16 local, an atomic add on an int8 output */
    sk *s = built(0);
    s->k.var_dtype[0] = WG_FLOAT16;
    char *src = NULL;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &s->k, &src), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "float16") && has(wg_last_error(ctx), "a local"));
    wg_clear_error(ctx);
    s = built(4);
    s->k.output_dtype[0] = WG_INT8;
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, &s->k, &src), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "atomic add on a int8 output is not supported on the webgpu backend"));
    wg_clear_error(ctx);
    WG_CHECK(src == NULL);
    wg_context_free(ctx);
}

/* edges: code after a jump is left out; an empty program stores zero locals */
WG_TEST(codegen_wgsl_stmt_edges) {
    wg_context *ctx = new_ctx();
    char *src = wgsl_of(ctx, &built(8)->k);
    WG_CHECK(has(src, "    l0 = v8;\n    break;\n  }\n")); /* l0 = x * x after the BREAK: gone */
    WG_CHECK(!has(src, "(v0 * v0)"));
    WG_CHECK(has(src, "  l1 = select(v19, l1, v15);\n")); /* an empty THEN: if-converted */
    WG_CHECK(has(src, "  loop {\n    break;\n  }\n"));
    wgB_free(src);
    sk s;
    sk_init(&s, 2, "", "fb", "", "fb");
    src = wgsl_of(ctx, &s.k);
    WG_CHECK(has(src, "fn kbody() {\n  var l0: f32 = 0.0;\n  var l1: bool = false;\n  ol0 = l0;\n  ol1 = l1;\n}\n"));
    WG_CHECK(has(src, "  b_out1[o_out1] = select(0u, 1u, ol1);\n"));
    wgB_free(src);
    char *vs = NULL, *fs = NULL;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &s.k, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "void kbody() {\n  float l0 = 0.0;\n  bool l1 = false;\n  ol0 = l0;\n  ol1 = l1;\n}\n"));
    wgB_free(vs);
    wgB_free(fs);
    wg_context_free(ctx);
}
