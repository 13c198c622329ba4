/* GLSL ES 3.00 generation for the webgl2 backend (core/src/codegen/glsl.c, docs/webgl2.md): the
 * contract's names and shapes in the text, the GLSL dialect throughout (no WGSL spelling leaks),
 * every generated shader accepted by a real GLSL ES compiler (glslangValidator, Khronos' reference
 * front end: Debian's glslang-tools), the webgl2 backend's refusals and its CREATE_KERNEL sources.
 *
 * Without glslangValidator on PATH the compile test says so and passes, unless
 * WGPY_REQUIRE_GLSLANG=1 (then it fails). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wgtest.h"
#include "base/context.h"
#include "codegen/codegen.h"

static int has(const char *s, const char *needle) { return s && strstr(s, needle) != NULL; }

static wg_kernel_ir ew(int ndim, int nin, int nout, int nparams, wg_inst *inst, int ninst) {
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = ndim;
    k.ninputs = nin;
    k.noutputs = nout;
    k.nparams = nparams;
    k.inst = inst;
    k.ninst = ninst;
    k.out_inst[0] = (uint16_t)(ninst - 1);
    return k;
}

/* ---- a representative set of kernels, each passed to fn -------------------------------------- */
static const int dts[] = {WG_BOOL, WG_INT8, WG_INT16, WG_INT32, WG_UINT8, WG_UINT16, WG_UINT32,
                          WG_FLOAT32};
#define NDT ((int)(sizeof dts / sizeof dts[0]))

typedef void (*kernel_fn)(void *user, const wg_kernel_ir *k, const char *what);

/* ops the IR gives a dtype: float math on floats only, bit operations on bool and ints only */
static int op_takes(int op, int dt) {
    int isf = dt == WG_FLOAT32;
    int float_only = (op >= WG_OP_SQRT && op <= WG_OP_ARCTANH && op != WG_OP_SQUARE &&
                      op != WG_OP_RECIPROCAL && op < WG_OP_FLOOR) ||
                     op == WG_OP_TRUE_DIVIDE || op == WG_OP_ARCTAN2 || op == WG_OP_HYPOT ||
                     op == WG_OP_COPYSIGN;
    int int_only = op == WG_OP_BITWISE_AND || op == WG_OP_BITWISE_OR || op == WG_OP_BITWISE_XOR ||
                   op == WG_OP_LEFT_SHIFT || op == WG_OP_RIGHT_SHIFT || op == WG_OP_INVERT;
    return float_only ? isf : int_only ? !isf : 1;
}

static void each_kernel(kernel_fn fn, void *user) {
    char what[96];
    /* every unary and binary op over every held dtype: out0 = op(in0[, param 0]), out1 = index */
    for (int op = 0; op < WG_OP_CAST; op++)
        for (int i = 0; i < NDT; i++) {
            int dt = dts[i], out = wgI_op_gives_bool(op) ? WG_BOOL : dt;
            if (!op_takes(op, dt)) continue;
            wg_inst inst[4] = {{WG_OP_LOAD, (uint8_t)dt, 0, {0, 0, 0}},
                               {WG_OP_PARAM, (uint8_t)dt, 0, {0, 0, 0}},
                               {WG_OP_INDEX, WG_INT64, 1, {0, 0, 0}},
                               {(uint8_t)op, (uint8_t)out, 0, {0, 1, 0}}};
            wg_kernel_ir k = ew(2, 1, 2, 1, inst, 4);
            k.input_dtype[0] = k.param_dtype[0] = (uint8_t)dt;
            k.output_dtype[0] = (uint8_t)out;
            k.output_dtype[1] = WG_INT32;
            k.out_inst[1] = 2;
            snprintf(what, sizeof what, "%s %s", wg_op_name(op), wg_dtype_name(dt));
            fn(user, &k, what);
        }
    /* every cast, and where() on it */
    for (int i = 0; i < NDT; i++)
        for (int j = 0; j < NDT; j++) {
            wg_inst inst[4] = {{WG_OP_LOAD, (uint8_t)dts[i], 0, {0, 0, 0}},
                               {WG_OP_CAST, (uint8_t)dts[j], 0, {0, 0, 0}},
                               {WG_OP_CAST, WG_BOOL, 0, {0, 0, 0}},
                               {WG_OP_WHERE, (uint8_t)dts[j], 0, {2, 1, 1}}};
            wg_kernel_ir k = ew(1, 1, 1, 0, inst, 4);
            k.input_dtype[0] = (uint8_t)dts[i];
            k.output_dtype[0] = (uint8_t)dts[j];
            snprintf(what, sizeof what, "cast %s -> %s", wg_dtype_name(dts[i]), wg_dtype_name(dts[j]));
            fn(user, &k, what);
        }
    /* every fold over every dtype, with and without kept dims; post: ACC, then a cast */
    for (int fold = WG_FOLD_SUM; fold <= WG_FOLD_ALL; fold++)
        for (int i = 0; i < NDT; i++)
            for (int kept = 0; kept < 2; kept++) {
                int dt = dts[i];
                int isarg = fold == WG_FOLD_ARGMIN || fold == WG_FOLD_ARGMAX;
                int accdt = fold == WG_FOLD_ANY || fold == WG_FOLD_ALL ? WG_BOOL : dt;
                int odt = isarg ? WG_INT32 : accdt;
                wg_inst inst[2] = {{WG_OP_LOAD, (uint8_t)dt, 0, {0, 0, 0}},
                                   {WG_OP_SQUARE, (uint8_t)dt, 0, {0, 0, 0}}};
                wg_inst post[2] = {{WG_OP_ACC, (uint8_t)(isarg ? WG_INT64 : accdt), 0, {0, 0, 0}},
                                   {WG_OP_CAST, (uint8_t)odt, 0, {0, 0, 0}}};
                wg_kernel_ir k;
                memset(&k, 0, sizeof k);
                k.kind = WG_K_REDUCE;
                k.ndim = kept ? 3 : 1;
                k.nred = 1 + kept; /* 3-d: one kept dim, two reduced */
                k.fold = fold;
                k.acc_dtype = (uint8_t)accdt;
                k.ninputs = k.noutputs = 1;
                k.input_dtype[0] = (uint8_t)dt;
                k.output_dtype[0] = (uint8_t)odt;
                k.inst = inst;
                k.ninst = 2;
                k.npost = 2;
                k.post = post;
                snprintf(what, sizeof what, "reduce fold %d %s kept %d", fold, wg_dtype_name(dt), kept);
                fn(user, &k, what);
            }
    /* matmul: int, float, bool, mixed, batched */
    static const int mm[][3] = {{WG_INT32, WG_INT32, WG_INT32}, {WG_FLOAT32, WG_FLOAT32, WG_FLOAT32},
                                {WG_BOOL, WG_BOOL, WG_BOOL}, {WG_INT8, WG_INT8, WG_INT8},
                                {WG_INT16, WG_FLOAT32, WG_FLOAT32}, {WG_UINT8, WG_BOOL, WG_UINT8}};
    for (int i = 0; i < (int)(sizeof mm / sizeof mm[0]); i++)
        for (int nd = 2; nd <= 3; nd++) {
            wg_kernel_ir m;
            memset(&m, 0, sizeof m);
            m.kind = WG_K_MATMUL;
            m.ndim = nd;
            m.ninputs = 2;
            m.noutputs = 1;
            m.input_dtype[0] = (uint8_t)mm[i][0];
            m.input_dtype[1] = (uint8_t)mm[i][1];
            m.output_dtype[0] = (uint8_t)mm[i][2];
            snprintf(what, sizeof what, "matmul %s x %s ndim %d", wg_dtype_name(mm[i][0]),
                     wg_dtype_name(mm[i][1]), nd);
            fn(user, &m, what);
        }
}

/* ---- the contract's names and shapes --------------------------------------------------------- */
WG_TEST(codegen_glsl_contract) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    char *vs = NULL, *fs = NULL;
    /* out0 = in0 + in1 (float32), out1 = in0 < in1 */
    wg_inst inst[4] = {{WG_OP_LOAD, WG_FLOAT32, 0, {0, 0, 0}}, {WG_OP_LOAD, WG_FLOAT32, 1, {0, 0, 0}},
                       {WG_OP_ADD, WG_FLOAT32, 0, {0, 1, 0}}, {WG_OP_LESS, WG_BOOL, 0, {0, 1, 0}}};
    wg_kernel_ir k = ew(2, 2, 2, 0, inst, 4);
    k.input_dtype[0] = k.input_dtype[1] = k.output_dtype[0] = WG_FLOAT32;
    k.output_dtype[1] = WG_BOOL;
    k.out_inst[0] = 2;
    k.out_inst[1] = 3;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &k, &vs, &fs), WG_OK);
    const char *both[2] = {vs, fs};
    for (int i = 0; i < 2; i++) {
        WG_CHECK(both[i] && strncmp(both[i], "#version 300 es\n", 16) == 0);
        WG_CHECK(has(both[i], "precision highp float;\nprecision highp int;\n"
                              "precision highp usampler2DArray;\n"));
        /* words: 4 + ndim 2 + 2 inputs * 3 + 2 outputs * 3 = 18 -> 5 uvec4 */
        WG_CHECK(has(both[i], "uniform highp uvec4 wa[5];"));
        WG_CHECK(has(both[i], "uniform highp uint u_tw, u_th, u_vh, u_layer, u_mode, u_out, u_off, "
                              "u_npts, u_vbase;"));
        WG_CHECK(has(both[i], "uint arg(uint i) { return wa[i >> 2u][i & 3u]; }"));
    }
    /* vertex: triangle over the viewport, or a point at the output word's texel */
    WG_CHECK(has(vs, "flat out highp uint v_p;"));
    WG_CHECK(has(vs, "gl_PointSize = 1.0;"));
    WG_CHECK(has(vs, "uint p = u_vbase + id;"));
    WG_CHECK(has(vs, "uint wo = 12u + u_out * 3u;")); /* output 0's offset word, 1 + ndim each */
    WG_CHECK(has(vs, "if (e / (u_tw * u_th) != u_layer) { return; }"));
    /* fragment: inputs as textures, the word fetched and reinterpreted, the output's bits */
    WG_CHECK(has(fs, "flat in highp uint v_p;"));
    WG_CHECK(has(fs, "uniform highp usampler2DArray t_in0;"));
    WG_CHECK(has(fs, "uniform highp usampler2DArray t_in1;"));
    WG_CHECK(!has(fs, "t_part"));
    WG_CHECK(has(fs, "layout(location = 0) out highp uvec4 o_color;"));
    WG_CHECK(has(fs, "texelFetch(t, texel(uint(e)), 0).r"));
    WG_CHECK(has(fs, "uniform highp uint u_tsh;")); /* TW = TH = 2^u_tsh: shifts and masks */
    WG_CHECK(has(fs, "ivec3(int(e & (u_tw - 1u)), int((e >> u_tsh) & (u_th - 1u)), int(e >> (u_tsh + u_tsh)))"));
    WG_CHECK(has(fs, "float v0 = uintBitsToFloat(ld(t_in0, o_in0));"));
    WG_CHECK(has(fs, "float v2 = (v0 + v1);"));
    WG_CHECK(has(fs, "if (p >= u_npts) { discard; } else {")); /* discarded lanes skip the body */
    WG_CHECK(has(fs, "if (u_out == 0u) { res = floatBitsToUint(v2); }"));
    WG_CHECK(has(fs, "if (u_out == 1u) { res = (v3 ? 1u : 0u); }"));
    /* each output at its own location too, for the executor's one draw into several targets */
    WG_CHECK(has(fs, "layout(location = 1) out highp uvec4 o_m1;"));
    WG_CHECK(has(fs, "  o_m1 = uvec4((v3 ? 1u : 0u), 0u, 0u, 0u);"));
    WG_CHECK(has(fs, "o_color = uvec4(res, 0u, 0u, 0u);"));
    wgB_free(vs);
    wgB_free(fs);

    /* a reduction: the partials texture, slices and phase words, the serial fold */
    wg_inst rin[1] = {{WG_OP_LOAD, WG_FLOAT32, 0, {0, 0, 0}}};
    wg_inst post[2] = {{WG_OP_ACC, WG_INT64, 0, {0, 0, 0}}, {WG_OP_CAST, WG_INT32, 0, {0, 0, 0}}};
    wg_kernel_ir r;
    memset(&r, 0, sizeof r);
    r.kind = WG_K_REDUCE;
    r.ndim = 2;
    r.nred = 1;
    r.fold = WG_FOLD_ARGMAX;
    r.acc_dtype = WG_FLOAT32;
    r.ninputs = r.noutputs = 1;
    r.input_dtype[0] = WG_FLOAT32;
    r.output_dtype[0] = WG_INT32;
    r.inst = rin;
    r.ninst = 1;
    r.post = post;
    r.npost = 2;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &r, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "uniform highp usampler2DArray t_part;"));
    WG_CHECK(has(fs, "  ivec3 c = ivec3(int(e & pm), int((e >> u_pwsh) & (u_th - 1u)), int(e >> (u_pwsh + u_tsh)));\n"
                     "  return texelFetch(t_part, c, 0).rg;\n"));
    WG_CHECK(has(fs, "    p = ((p >> u_tsh) << u_pwsh) | (p & (u_tw - 1u));\n"));
    /* words: 4 + 2 + 3 + 2, then slices (11) and phase (12) */
    WG_CHECK(has(fs, "uint ns = arg(11u);\n  uint phase = arg(12u);"));
    WG_CHECK(has(fs, "bool better(float va, int ia, float vb, int ib) {"));
    WG_CHECK(has(fs, "for (uint r = lo; r < hi; r++) {"));
    WG_CHECK(has(fs, "if (better(ta, ti, x, int(rk))) { ta = x; ti = int(rk); }"));
    /* one reduced dim: the inputs are walked along their rows, four elements a step, when their
     * strides allow (the index loop above otherwise) */
    WG_CHECK(has(fs, "uint ld(highp usampler2DArray t, vec3 q) { return texture(t, q).r; }"));
    WG_CHECK(has(fs, "walk = walk && st_in0 >= 0 && st_in0 < int(u_tw);"));
    WG_CHECK(has(fs, "if (r + 4u <= hi && q_in0.x < lim_in0) {"));
    WG_CHECK(has(fs, "vec3 o_in0 = q_in0 + vec3(3.0 * dq_in0, 0.0, 0.0);"));
    WG_CHECK(has(fs, "o_color = uvec4(floatBitsToUint(ta), uint(ti), 0u, 0u);"));
    WG_CHECK(has(fs, "int acc = max(ti, 0);"));
    WG_CHECK(has(vs, "uint wo = 9u + u_out * 2u;")); /* the output has the kept dim's stride only */
    wgB_free(vs);
    wgB_free(fs);
    r.fold = WG_FOLD_MAX;
    r.output_dtype[0] = WG_FLOAT32;
    post[0].dtype = post[1].dtype = WG_FLOAT32;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &r, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "float comb(float a, float b) { return ((!isnan_f(a) && (isnan_f(b) || b > a)) ? b : a); }"));
    WG_CHECK(has(fs, "float ta = (-f_inf());"));
    wgB_free(vs);
    wgB_free(fs);

    /* matmul: a serial loop over K unrolled by 4, ints wrapped to the output's width */
    wg_kernel_ir m;
    memset(&m, 0, sizeof m);
    m.kind = WG_K_MATMUL;
    m.ndim = 3;
    m.ninputs = 2;
    m.noutputs = 1;
    m.input_dtype[0] = m.input_dtype[1] = m.output_dtype[0] = WG_INT8;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &m, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "while (kk + 4u <= K) {"));
    WG_CHECK(has(fs, "c = c + int(ld(t_in0, e0)) * int(ld(t_in1, e1)); e0 += k0; e1 += k1;"));
    WG_CHECK(has(fs, "o_color = uvec4(uint(((c << 24u) >> 24u)), 0u, 0u, 0u);"));
    /* the packed shape (u_mm 1, 2: four converted elements per RGBA32UI texel, A along K and B
     * along N, 2-D draws per layer; 3: blocks of 4 x 4 outputs into four render targets, a
     * guarded last step of K; 4: the output from its block) */
    WG_CHECK(has(fs, "uniform highp usampler2DArray t_pa;\nuniform highp usampler2DArray t_pb;\n"
                     "uniform highp usampler2DArray t_pc;\nuniform highp uvec4 u_mb;\n"
                     "#ifdef WG_MM\nconst uint u_mm = WG_MM;\n#else\nuniform highp uint u_mm;\n#endif\n"));
    WG_CHECK(has(fs, "layout(location = 3) out highp uvec4 o_c3;\n"));
    WG_CHECK(has(fs, "if (kc + 3u < K) { o[3] = uint(int(ld(t_in0, el))); }"));
    WG_CHECK(has(fs, "if (kc + 3u < N) { o[3] = uint(int(ld(t_in1, el))); }"));
    WG_CHECK(has(fs, "ivec4 a3 = ivec4(texture(t_pa, vec3(ax, ay3, la)));"));
    WG_CHECK(has(fs, "      if (K % 4u > 2u) {\n"
                     "      ivec4 b2 = ivec4(texture(t_pb, vec3(bx, by + 2.0 * ib.y, lb)));\n"
                     "      c0 = c0 + a0[2] * b2;\n"));
    WG_CHECK(has(fs, "o_c3 = uvec4(c3);"));
    WG_CHECK(has(fs, "c = ivec4(texelFetch(t_pc, tc, 0))[j % 4u];"));
    WG_CHECK(has(fs, "uint q = udq(p, max(N, 1u));"));
    if (getenv("WGF_DUMP")) printf("%s\n", fs);
    wgB_free(vs);
    wgB_free(fs);
    m.input_dtype[0] = m.input_dtype[1] = m.output_dtype[0] = WG_BOOL;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &m, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "c = c | (((ld(t_in0, e0) != 0u) ? 1u : 0u) & ((ld(t_in1, e1) != 0u) ? 1u : 0u));"));
    wgB_free(vs);
    wgB_free(fs);
    wg_context_free(ctx);
}

/* ---- integer semantics: floor division without % or / of negative values --------------------- */
WG_TEST(codegen_glsl_int_semantics) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    char *vs = NULL, *fs = NULL;
    wg_inst inst[3] = {{WG_OP_LOAD, WG_INT16, 0, {0, 0, 0}}, {WG_OP_LOAD, WG_INT16, 1, {0, 0, 0}},
                       {WG_OP_FLOOR_DIVIDE, WG_INT16, 0, {0, 1, 0}}};
    wg_kernel_ir k = ew(1, 2, 1, 0, inst, 3);
    k.input_dtype[0] = k.input_dtype[1] = k.output_dtype[0] = WG_INT16;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &k, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "int v2 = ((fdiv_i(v0, v1) << 16u) >> 16u);"));
    WG_CHECK(has(fs, "uint mag_i(int x) { return x < 0 ? 0u - uint(x) : uint(x); }"));
    /* the only % and / in the integer helpers are on uints (ax, ay, magnitudes) */
    WG_CHECK(has(fs, "uint q = ax / ay;"));
    WG_CHECK(has(fs, "uint r = mag_i(x) % ay;"));
    const char *from = strstr(fs, "int fdiv_i("), *to = strstr(fs, "uint fdiv_u(");
    WG_CHECK(from && to && to > from);
    if (from && to && to > from) {
        char body[2048];
        snprintf(body, sizeof body, "%.*s", (int)(to - from), from);
        WG_CHECK(!has(body, "x % y") && !has(body, "x / y"));
    }
    WG_CHECK(has(fs, "  res = uint(v2);\n  o_color = uvec4(res, 0u, 0u, 0u);")); /* sign-extended */
    wgB_free(vs);
    wgB_free(fs);
    wg_context_free(ctx);
}

/* ---- no WGSL spelling in any GLSL, and generation never fails for a kernel the IR allows ------ */
typedef struct {
    wg_context *ctx;
    int n;
    const char *dir;    /* write the shaders here (NULL: don't) */
    char *list;         /* the file names written, space-separated */
    size_t len, cap;
} walk;

static void add_name(walk *w, const char *name) {
    size_t n = strlen(name);
    if (w->len + n + 2 > w->cap) {
        w->cap = (w->cap + n + 2) * 2;
        w->list = realloc(w->list, w->cap);
    }
    memcpy(w->list + w->len, name, n);
    w->len += n;
    w->list[w->len++] = ' ';
    w->list[w->len] = 0;
}

static void check_kernel(void *user, const wg_kernel_ir *k, const char *what) {
    walk *w = user;
    char *vs = NULL, *fs = NULL;
    int rc = wgC_glsl(w->ctx, k, &vs, &fs);
    if (rc != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "%s: %s", what, wg_last_error(w->ctx));
        wg_clear_error(w->ctx);
        return;
    }
    static const char *const wgsl_only[] = {"select(", "bitcast<", "let ", "fn ", "var ", ": i32",
                                            ": u32", ": f32", " i32(", " u32(", " f32(", "vec2<",
                                            "loop {", "atan2(", "round("};
    const char *src[2] = {vs, fs};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sizeof wgsl_only / sizeof wgsl_only[0]; i++)
            if (has(src[s], wgsl_only[i]))
                wgt_fail(__FILE__, __LINE__, "%s: WGSL '%s' in the GLSL", what, wgsl_only[i]);
    if (w->dir) {
        for (int s = 0; s < 2; s++) {
            char path[256];
            snprintf(path, sizeof path, "%s/k%d.%s", w->dir, w->n, s ? "frag" : "vert");
            FILE *f = fopen(path, "w");
            if (!f) {
                wgt_fail(__FILE__, __LINE__, "cannot write %s", path);
                continue;
            }
            fputs(src[s], f);
            fclose(f);
            add_name(w, path);
        }
        /* MATMUL's product as the executor compiles it on a context with 8 draw buffers (8-row
         * blocks: WG_MR defined after #version, with the draw kind) */
        const char *nl = k->kind == WG_K_MATMUL ? strchr(fs, '\n') : NULL;
        if (nl) {
            char path[256];
            snprintf(path, sizeof path, "%s/k%dr8.frag", w->dir, w->n);
            FILE *f = fopen(path, "w");
            if (f) {
                fprintf(f, "%.*s#define WG_MM 3u\n#define WG_MR 8\n%s", (int)(nl - fs + 1), fs, nl + 1);
                fclose(f);
                add_name(w, path);
            } else {
                wgt_fail(__FILE__, __LINE__, "cannot write %s", path);
            }
            /* the output's draw as the executor compiles it for one matrix below 2^24 points */
            snprintf(path, sizeof path, "%s/k%dout.frag", w->dir, w->n);
            f = fopen(path, "w");
            if (f) {
                fprintf(f, "%.*s#define WG_MM 4u\n#define WG_MR 8\n#define WG_MODE 0\n#define WG_UDQ24 1\n"
                        "#define WG_MM1B 1\n%s", (int)(nl - fs + 1), fs, nl + 1);
                fclose(f);
                add_name(w, path);
            } else {
                wgt_fail(__FILE__, __LINE__, "cannot write %s", path);
            }
        }
        /* an ELEMENTWISE kernel's addressing variants (glsl.c gen_elementwise): input i as kind
         * (i + v) % 3 in a contiguous draw, and every input offset + point in a scatter draw */
        nl = has(fs, "#ifndef WG_IN0") ? strchr(fs, '\n') : NULL;
        for (int v = 0; nl && v < 4; v++) {
            char path[256];
            snprintf(path, sizeof path, "%s/k%dv%d.frag", w->dir, w->n, v);
            FILE *f = fopen(path, "w");
            if (!f) {
                wgt_fail(__FILE__, __LINE__, "cannot write %s", path);
                break;
            }
            fprintf(f, "%.*s#define WG_MODE %d\n", (int)(nl - fs + 1), fs, v == 3);
            for (int i = 0; i < k->ninputs; i++) fprintf(f, "#define WG_IN%d %d\n", i, v == 3 ? 1 : (i + v) % 3);
            fputs(nl + 1, f);
            fclose(f);
            add_name(w, path);
        }
    }
    w->n++;
    wgB_free(vs);
    wgB_free(fs);
}

WG_TEST(codegen_glsl_all_kernels_dialect) {
    walk w = {wg_context_new(WG_BACKEND_CPU), 0, NULL, NULL, 0, 0};
    each_kernel(check_kernel, &w);
    WG_CHECK(w.n > 300);
    wg_context_free(w.ctx);
}

/* ---- a real GLSL ES 3.00 compiler accepts every shader; vertex and fragment shaders link ------ */
static int run_quiet(const char *cmd, const char *log) {
    char *full = malloc(strlen(cmd) + strlen(log) + 16);
    sprintf(full, "%s > %s 2>&1", cmd, log);
    int rc = system(full);
    free(full);
    return rc;
}

static void show_log(const char *log) {
    FILE *f = fopen(log, "r");
    char line[512];
    int n = 0;
    while (f && fgets(line, sizeof line, f) && n++ < 40) fprintf(stderr, "  %s", line);
    if (f) fclose(f);
}

WG_TEST(codegen_glsl_compiles) {
    if (run_quiet("glslangValidator -v", "/dev/null") != 0) {
        const char *req = getenv("WGPY_REQUIRE_GLSLANG");
        if (req && strcmp(req, "1") == 0)
            wgt_fail(__FILE__, __LINE__, "glslangValidator not found (apt-get install glslang-tools)");
        else
            fprintf(stderr, "codegen_glsl_compiles: SKIPPED, glslangValidator not found "
                            "(apt-get install glslang-tools)\n");
        return;
    }
    char dir[] = "/tmp/wgpy-glsl-XXXXXX", log[64], cmd[512];
    if (!mkdtemp(dir)) {
        wgt_fail(__FILE__, __LINE__, "mkdtemp failed");
        return;
    }
    snprintf(log, sizeof log, "%s/log.txt", dir);
    /* the harness can fail: a shader with a type error is rejected */
    snprintf(cmd, sizeof cmd, "%s/bad.frag", dir);
    FILE *f = fopen(cmd, "w");
    if (f) {
        fputs("#version 300 es\nprecision highp float;\nout highp vec4 c;\n"
              "void main() { int i = 1.0; c = vec4(0.0); }\n", f);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "glslangValidator %s/bad.frag", dir);
    WG_CHECK(run_quiet(cmd, log) != 0);
    int bad = 0;

    walk w = {wg_context_new(WG_BACKEND_CPU), 0, dir, NULL, 0, 0};
    each_kernel(check_kernel, &w);
    char *all = malloc(w.len + 64);
    sprintf(all, "glslangValidator %s", w.list ? w.list : "");
    if (run_quiet(all, log) != 0) {
        bad = 1;
        wgt_fail(__FILE__, __LINE__, "glslangValidator rejected generated GLSL (in %s):", dir);
        show_log(log);
    }
    /* link the vertex and fragment shaders of an elementwise kernel with two outputs, a
     * reduction and a matmul (the interface: v_p, uniforms of one precision in both) */
    static const int pairs[] = {0, 200, -1};
    for (int i = 0; i < 3; i++) {
        int id = pairs[i] < 0 ? w.n - 1 : pairs[i];
        snprintf(cmd, sizeof cmd, "glslangValidator -l %s/k%d.vert %s/k%d.frag", dir, id, dir, id);
        if (run_quiet(cmd, log) != 0) {
            bad = 1;
            wgt_fail(__FILE__, __LINE__, "kernel %d: vertex and fragment shaders do not link", id);
            show_log(log);
        }
    }
    /* clean up (kept when something failed, to look at) */
    if (!bad) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        run_quiet(cmd, "/dev/null");
    }
    free(all);
    free(w.list);
    wg_context_free(w.ctx);
}

/* ---- the backend: refusals that name webgl2, and GLSL in CREATE_KERNEL ------------------------ */
WG_TEST(codegen_glsl_backend_refusals) {
    wg_context *ctx = wg_context_new(WG_BACKEND_WEBGL2);
    WG_CHECK(ctx != NULL);
    WG_CHECK_EQ_INT(wg_backend_id(ctx), WG_BACKEND_WEBGL2);
    WG_CHECK(strcmp(wg_backend_name(ctx), "webgl2") == 0);
    int64_t shape[1] = {4};
    uint16_t h[4] = {0, 0, 0, 0};
    wg_array *a = wg_from_data(ctx, WG_FLOAT16, 1, shape, h);
    WG_CHECK(a == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "float16 arrays are not supported on the webgl2 backend"));
    wg_clear_error(ctx);
    wg_set_x64(ctx, 1);
    int64_t l[4] = {1, 2, 3, 4};
    a = wg_from_data(ctx, WG_INT64, 1, shape, l);
    WG_CHECK(a == NULL);
    WG_CHECK_EQ_INT(wg_last_status(ctx), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "int64 arrays are not supported on the webgl2 backend"));
    wg_clear_error(ctx);
    wg_context_free(ctx);

    /* codegen: the same refusal, naming webgl2 */
    ctx = wg_context_new(WG_BACKEND_CPU);
    wg_inst inst[2] = {{WG_OP_LOAD, WG_FLOAT64, 0, {0, 0, 0}}, {WG_OP_NEGATIVE, WG_FLOAT64, 0, {0, 0, 0}}};
    wg_kernel_ir k = ew(1, 1, 1, 0, inst, 2);
    k.input_dtype[0] = k.output_dtype[0] = WG_FLOAT64;
    char *vs = NULL, *fs = NULL;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &k, &vs, &fs), WG_ERR_NOTIMPL);
    WG_CHECK(vs == NULL && fs == NULL);
    WG_CHECK(has(wg_last_error(ctx), "webgl2 backend: 64-bit dtypes are not supported by the webgl2 "
                                     "backend (float64 in an input)"));
    wg_clear_error(ctx);
    inst[0].dtype = inst[1].dtype = k.input_dtype[0] = k.output_dtype[0] = WG_FLOAT16;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, &k, &vs, &fs), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "webgl2 backend: float16"));
    wg_context_free(ctx);
}

WG_TEST(codegen_glsl_backend_stream) {
    wg_context *ctx = wg_context_new(WG_BACKEND_WEBGL2);
    int64_t shape[1] = {3};
    float x[3] = {1, 2, 3};
    int8_t b[3] = {1, -2, 3};
    wg_array *a = wg_from_data(ctx, WG_FLOAT32, 1, shape, x);
    wg_array *c = wg_from_data(ctx, WG_INT8, 1, shape, b);
    wg_array *s = wg_binary(ctx, WG_OP_ADD, a, c, NULL, -1);
    WG_CHECK(a && c && s);
    WG_CHECK_EQ_INT(wg_sync(ctx), WG_OK);
    int64_t n = 0;
    const uint8_t *p = wg_stream_data(ctx, &n);
    WG_CHECK(p != NULL && n > 16);
    if (p && n > 16) {
        WG_CHECK(p[6] == 1 && p[7] == 0); /* minor version 1: READ carries dtype and storage */
        /* int8 widened: 3 elements as 3 sign-extended words */
        static const uint8_t words[12] = {1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 3, 0, 0, 0};
        int widened = 0, vs = 0, fs = 0, ver = 0;
        for (int64_t i = 0; i + 16 <= n; i++) {
            if (memcmp(p + i, words, sizeof words) == 0) widened = 1;
            if (memcmp(p + i, "glsl-es-300-vs#version 300 es\n", 30) == 0) vs = 1;
            if (memcmp(p + i, "glsl-es-300-fs#version 300 es\n", 30) == 0) fs = 1;
            if (memcmp(p + i, "wgsl", 4) == 0) ver = 1;
        }
        WG_CHECK(widened);
        WG_CHECK(vs && fs);
        WG_CHECK(!ver);
    }
    wg_stream_consumed(ctx);
    wg_release(s);
    wg_release(c);
    wg_release(a);
    wg_context_free(ctx);
}

/* ---- statement kernels (codegen/stmt.c): the kernels of test_codegen.c --------------------------- */
int wgt_stmt_kernel(int which, void *storage, size_t size, const wg_kernel_ir **k, const char **name,
                    int *webgl2);
static _Alignas(16) unsigned char stmt_store[16384];

typedef struct {
    const wg_kernel_ir *k;
    const char *name;
    int webgl2;
} stmt_kernel;

static int n_stmt_kernels(void) {
    const wg_kernel_ir *k;
    const char *name;
    int gl;
    return wgt_stmt_kernel(-1, stmt_store, sizeof stmt_store, &k, &name, &gl);
}

/* kernel i (valid until the next call) */
static stmt_kernel stmt_k(int i) {
    stmt_kernel r = {NULL, "", 0};
    wgt_stmt_kernel(i, stmt_store, sizeof stmt_store, &r.k, &r.name, &r.webgl2);
    return r;
}

static int stmt_glsl(wg_context *ctx, int i, char **vs, char **fs) {
    stmt_kernel sk = stmt_k(i);
    int rc = wgC_glsl(ctx, sk.k, vs, fs);
    if (rc != WG_OK && sk.webgl2) {
        wgt_fail(__FILE__, __LINE__, "%s: %s", sk.name, wg_last_error(ctx));
        wg_clear_error(ctx);
    }
    return rc;
}

WG_TEST(codegen_glsl_stmt_kernels) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    char *vs = NULL, *fs = NULL;
    int ran = 0;
    for (int i = 0; i < n_stmt_kernels(); i++) {
        if (!stmt_k(i).webgl2) continue;
        ran++;
        WG_CHECK_EQ_INT(stmt_glsl(ctx, i, &vs, &fs), WG_OK);
        WG_CHECK(has(fs, "void kbody() {\n"));
        /* points past the launch never reach kbody, in any draw mode (a discarded fragment
         * may go on as a helper lane) */
        WG_CHECK(has(fs, "void main() {\n  uint p = point();\n  if (p >= u_npts) { discard; } else {\n"
                         "  pt = p;\n"));
        WG_CHECK(has(fs, "  kbody();\n  uint res = 0u;\n"));
        WG_CHECK(has(fs, "  o_color = uvec4(res, 0u, 0u, 0u);\n  }\n}\n"));
        WG_CHECK(has(vs, "uint wo = ")); /* the vertex shader of elementwise kernels, unchanged */
        WG_CHECK(!has(vs, "kbody"));
        wgB_free(vs);
        wgB_free(fs);
    }
    WG_CHECK_EQ_INT(ran, 6);
    /* loop_sum: the step first, under the first-pass flag; `continue` goes through it */
    WG_CHECK_EQ_INT(stmt_glsl(ctx, 0, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "uint pt = 0u;\nuint i0 = 0u;\nint o_in0 = 0;\nfloat ol0 = 0.0;\n"));
    WG_CHECK(has(fs, "void kbody() {\n  float l0 = 0.0;\n  int l1 = 0;\n"));
    WG_CHECK(has(fs, "  for (bool lf0 = true;; lf0 = false) {\n    if (!lf0) {\n      int v14 = l1;\n"
                     "      int v16 = (v14 + v15);\n      l1 = v16;\n    }\n"
                     "    int v1 = l1;\n"));
    WG_CHECK(has(fs, "    if (v3) {\n      break;\n    }\n"));
    WG_CHECK(has(fs, "  o_in0 = ai(5u) + ai(6u) * int(i0);\n"));
    WG_CHECK(has(fs, "  res = floatBitsToUint(ol0);\n"));
    WG_CHECK(!has(fs, "u_inlen"));
    wgB_free(vs);
    wgB_free(fs);
    /* branches: locals of every class start at zero; one draw per output (u_out) */
    WG_CHECK_EQ_INT(stmt_glsl(ctx, 1, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "bool ol0 = false;\nint ol1 = 0;\nuint ol2 = 0u;\nfloat ol3 = 0.0;\nint ol4 = 0;\n"));
    WG_CHECK(has(fs, "  uint v8 = uint(v0);\n  l2 = ((v2) ? l2 : v8);\n")); /* if-converted ELSE */
    WG_CHECK(has(fs, "  if (v12) {\n    ol0 = l0;\n"));
    WG_CHECK(has(fs, "    ol7 = l7;\n    return;\n  }\n"));
    WG_CHECK(has(fs, "      continue;\n"));
    WG_CHECK(has(fs, "  if (u_out == 0u) { res = (ol0 ? 1u : 0u); }\n"));
    WG_CHECK(has(fs, "  if (u_out == 5u) { res = ol6; }\n  if (u_out == 6u) { res = uint(ol7); }\n"));
    wgB_free(vs);
    wgB_free(fs);
    /* gather: raw input reads bounded by u_inlen (declared in both shaders) */
    WG_CHECK_EQ_INT(stmt_glsl(ctx, 2, &vs, &fs), WG_OK);
    WG_CHECK(has(vs, "uniform highp uint u_inlen[16];\n") && has(fs, "uniform highp uint u_inlen[16];\n"));
    WG_CHECK(has(fs, "uint pos_i(int o, int e, uint n) {\n"
                     "  if (e < 0) { if (e < -o) { return n; } return min(uint(o + e), n); }\n"));
    WG_CHECK(has(fs, "float ldr_in0(uint x) { if (x >= u_inlen[0]) { return 0.0; } "
                     "return uintBitsToFloat(ld(t_in0, int(x))); }\n"));
    WG_CHECK(has(fs, "  float v1 = ldr_in0(pos_i(o_in0, v0, u_inlen[0]));\n"));
    WG_CHECK(has(fs, "ldr_in0((uint(o_in0) + uint(((v6) ? 1u : 0u))))"));
    WG_CHECK(has(fs, "  o_in0 = ai(5u);\n"));
    wgB_free(vs);
    wgB_free(fs);
    /* nesting: two flags, the inner loop has no step */
    WG_CHECK_EQ_INT(stmt_glsl(ctx, 7, &vs, &fs), WG_OK);
    WG_CHECK(has(fs, "  for (bool lf1 = true;; lf1 = false) {\n    if (!lf1) {\n"));
    WG_CHECK(has(fs, "      for (bool lf13 = true;; lf13 = false) {\n        int v14 = l2;\n"));
    wgB_free(vs);
    wgB_free(fs);
    wg_context_free(ctx);
}

/* raw outputs and what writes or reads them: NotImplementedError naming the construct and webgl2 */
WG_TEST(codegen_glsl_stmt_refusals) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static const struct {
        int kernel;
        const char *says;
    } cases[] = {
        {3, "scatter store (raw output write) is not supported on the webgl2 backend: a fragment writes only "
            "its own point"},
        {4, "atomic add (raw output update) is not supported on the webgl2 backend"},
        {5, "raw output read (OUT_LOAD_AT) is not supported on the webgl2 backend"},
        {10, "__syncthreads() (a workgroup barrier) is not supported on the webgl2 backend"},
    };
    for (int c = 0; c < 4; c++) {
        char *vs = NULL, *fs = NULL;
        WG_CHECK_EQ_INT(stmt_glsl(ctx, cases[c].kernel, &vs, &fs), WG_ERR_NOTIMPL);
        WG_CHECK(vs == NULL && fs == NULL);
        if (!has(wg_last_error(ctx), cases[c].says))
            wgt_fail(__FILE__, __LINE__, "'%s' does not say '%s'", wg_last_error(ctx), cases[c].says);
        wg_clear_error(ctx);
    }
    /* a raw output that nothing writes is refused too: the draw would write it at every point */
    stmt_kernel sk = stmt_k(3);
    wg_kernel_ir *k = (wg_kernel_ir *)sk.k;
    k->ninst = 2; /* the two loads, no STORE_AT */
    k->noutputs = 1;
    char *vs = NULL, *fs = NULL;
    WG_CHECK_EQ_INT(wgC_glsl(ctx, k, &vs, &fs), WG_ERR_NOTIMPL);
    WG_CHECK(has(wg_last_error(ctx), "a raw output (written by index) is not supported on the webgl2 backend"));
    wg_clear_error(ctx);
    char *w = NULL; /* webgpu runs it */
    WG_CHECK_EQ_INT(wgC_wgsl(ctx, k, &w), WG_OK);
    wgB_free(w);
    wg_context_free(ctx);
}

/* glslangValidator accepts every statement kernel webgl2 runs; vertex and fragment shaders link */
WG_TEST(codegen_glsl_stmt_compiles) {
    if (run_quiet("glslangValidator -v", "/dev/null") != 0) {
        const char *req = getenv("WGPY_REQUIRE_GLSLANG");
        if (req && strcmp(req, "1") == 0) wgt_fail(__FILE__, __LINE__, "glslangValidator not found");
        else fprintf(stderr, "codegen_glsl_stmt_compiles: SKIPPED, glslangValidator not found\n");
        return;
    }
    char dir[] = "/tmp/wgpy-glsl-stmt-XXXXXX", log[64], cmd[512];
    if (!mkdtemp(dir)) {
        wgt_fail(__FILE__, __LINE__, "mkdtemp failed");
        return;
    }
    snprintf(log, sizeof log, "%s/log.txt", dir);
    walk w = {wg_context_new(WG_BACKEND_CPU), 0, dir, NULL, 0, 0};
    int bad = 0, n = 0;
    for (int i = 0; i < n_stmt_kernels(); i++) {
        stmt_kernel sk = stmt_k(i);
        if (!sk.webgl2) continue;
        int id = w.n;
        check_kernel(&w, sk.k, sk.name); /* writes k<id>.vert / .frag; no WGSL spelling */
        n++;
        snprintf(cmd, sizeof cmd, "glslangValidator -l %s/k%d.vert %s/k%d.frag", dir, id, dir, id);
        if (run_quiet(cmd, log) != 0) {
            bad = 1;
            wgt_fail(__FILE__, __LINE__, "%s: glslangValidator rejects it or it does not link (in %s):",
                     sk.name, dir);
            show_log(log);
        }
    }
    WG_CHECK_EQ_INT(n, 6);
    if (!bad && !getenv("KEEPDIR")) {
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        run_quiet(cmd, "/dev/null");
    }
    free(w.list);
    wg_context_free(w.ctx);
}
