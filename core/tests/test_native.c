/* The seed's native kernels (api/nkernel.c, codegen/native.c; docs/kernels.md "The seed's native
 * kernels"): the published wgpy's ElementwiseKernel / ReductionKernel with WGSL and GLSL ES 3.00
 * bodies, run through the public API on webgpu / webgl2 contexts.  The generated sources (taken
 * from the recorded CREATE_KERNEL) contain the scaffolding the body needs; the GLSL compiles and
 * links with glslangValidator; every other backend, and the other language's backend, refuse with
 * NotImplementedError naming the kernel and the backend; parameter-list errors; the IR section
 * round trip; two kernels that differ only in their text are two kernels.
 *
 * native_write_sources writes the WGSL of the kernels below to $WGPY_NATIVE_SRC_DIR for the Dawn
 * test (js/tests/test-native-wgsl.mjs). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wgtest.h"
#include "base/context.h"
#include "stream/stream.h"

static int has(const char *s, const char *needle) { return s && strstr(s, needle) != NULL; }

static const char *MANDEL_WGSL =
    "\nc = 0;\nvar x: f32 = 0.0;\nvar y: f32 = 0.0;\nfor(var k: u32 = 0u; k < 500u; k = k + 1u) {\n"
    "    var nx: f32 = x * x - y * y + real;\n    var ny: f32 = x * y * 2.0 + imag;\n    x = nx;\n"
    "    y = ny;\n    if (x * x + y * y < 4.0) {\n        c = c + 1;\n    }\n}\n    ";
static const char *MANDEL_GLSL =
    "\nc = 0;\nfloat x = 0.0;\nfloat y = 0.0;\nfor (int k = 0; k < 500; k++) {\n"
    "    float nx = x * x - y * y + real;\n    float ny = x * y * 2.0 + imag;\n    x = nx;\n"
    "    y = ny;\n    if (x * x + y * y < 4.0) {\n        c = c + 1;\n    }\n}\n    ";

/* the kernels: one per language each */
typedef struct nk_def {
    const char *name;
    int reduce;
    const char *in, *out, *body[5], *uniforms, *preamble;
} nk_def;

static const nk_def WGSL_K[] = {
    {"mandelbrot", 0, "f32 real, f32 imag", "i32 c", {0}, "", ""},
    {"raw_gather", 0, "raw T x, i32 p", "T y", {"y = x(p)"}, "", ""},
    {"rawnd_uniforms", 0, "rawnd f32 m, i32 r", "f32 y",
     {"y = twice(m(r, cmeta.col)) * cmeta.scale + f32(cmeta._ind_size) + f32(i)"}, "f32 scale, i32 col",
     "fn twice(v: f32) -> f32 { return 2.0 * v; }"},
    {"sumsq", 1, "T x", "T y", {"x * x", "a + b", "y = a", "0.0", ""}, "", ""},
    {"int_types", 0, "T x, u32 u, bool b", "T y", {"y = select(x * 3, x - T(u), b)"}, "", ""},
};
static const nk_def GLSL_K[] = {
    {"mandelbrot_500", 0, "float real, float imag", "int c", {0}, "", ""},
    {"raw_gather", 0, "raw T x, int p", "T y", {"y = x(p)"}, "", ""},
    {"rawnd_uniforms", 0, "rawnd float m, int r", "float y",
     {"y = twice(m(r, col)) * scale + float(_ind_size) + float(i)"}, "float scale, int col",
     "float twice(float v) { return 2.0 * v; }"},
    {"sumsq", 1, "T x", "T y", {"x * x", "a + b", "y = a", "0.0", ""}, "", ""},
    {"int_types", 0, "T x, uint u, bool b", "T y", {"y = b ? x - T(u) : x * 3"}, "", ""},
};
#define NK 5

static int make(wg_context *ctx, int lang, const nk_def *d, wg_nkernel **k) {
    const char *body0 = d->body[0] ? d->body[0] : (lang == WG_LANG_WGSL ? MANDEL_WGSL : MANDEL_GLSL);
    if (d->reduce)
        return wg_nkernel_reduction(ctx, lang, d->in, d->out, d->body[0], d->body[1], d->body[2], d->body[3],
                                    d->name, d->body[4], d->uniforms, d->preamble, k);
    return wg_nkernel_elementwise(ctx, lang, d->in, d->out, body0, d->name, d->uniforms, d->preamble, k);
}

/* runs kernel i of a language on ctx with small arrays; returns the status */
static int run_one(wg_context *ctx, int lang, int i, wg_array **res) {
    const nk_def *d = lang == WG_LANG_WGSL ? &WGSL_K[i] : &GLSL_K[i];
    wg_nkernel *k = NULL;
    int st = make(ctx, lang, d, &k);
    if (st) return st;
    float f[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    int32_t n[4] = {3, 0, 2, 1};
    int8_t b8[4] = {1, -2, 3, 100};
    uint8_t u8[4] = {1, 2, 3, 4};
    uint8_t bo[4] = {1, 0, 1, 0};
    int64_t s34[2] = {3, 4}, s4[1] = {4};
    wg_array *a[3] = {NULL, NULL, NULL};
    int na = 0;
    double uni[2] = {0.5, 2};
    switch (i) {
    case 0: { int64_t s1[2] = {1, 4}, s2[2] = {3, 1};
        a[0] = wg_from_data(ctx, WG_FLOAT32, 2, s1, f);
        a[1] = wg_from_data(ctx, WG_FLOAT32, 2, s2, f + 4);
        na = 2; break; }
    case 1: a[0] = wg_from_data(ctx, WG_FLOAT32, 2, s34, f); a[1] = wg_from_data(ctx, WG_INT32, 1, s4, n); na = 2; break;
    case 2: a[0] = wg_from_data(ctx, WG_FLOAT32, 2, s34, f); a[1] = wg_from_data(ctx, WG_INT32, 1, s4, n); na = 2; break;
    case 3: a[0] = wg_from_data(ctx, WG_FLOAT32, 2, s34, f); na = 1; break;
    default:
        a[0] = wg_from_data(ctx, WG_INT8, 1, s4, b8);
        a[1] = wg_from_data(ctx, WG_UINT8, 1, s4, u8);
        a[2] = wg_from_data(ctx, WG_BOOL, 1, s4, bo);
        na = 3; break;
    }
    int64_t ax[1] = {1};
    *res = NULL;
    if (d->reduce) st = wg_nkernel_reduce(ctx, k, na, a, NULL, 1, ax, 0, res);
    else st = wg_nkernel_launch(ctx, k, na, a, i == 2 ? uni : NULL, res);
    for (int q = 0; q < na; q++) wg_release(a[q]);
    wg_nkernel_free(k);
    return st;
}

/* the text of source `target` in the pending stream (a copy), or NULL */
static char *source_of(wg_context *ctx, const char *target) {
    int64_t n = 0;
    const uint8_t *p = wg_stream_data(ctx, &n);
    size_t tl = strlen(target);
    for (int64_t i = 8; p && i + (int64_t)tl <= n; i++) {
        uint32_t a, b;
        memcpy(&a, p + i - 8, 4);
        memcpy(&b, p + i - 4, 4);
        if (a == tl && !memcmp(p + i, target, tl) && i + (int64_t)tl + b <= n) {
            char *s = malloc(b + 1);
            memcpy(s, p + i + tl, b);
            s[b] = 0;
            return s;
        }
    }
    return NULL;
}

static char *gen(int lang, int i, const char *target) {
    wg_context *ctx = wg_context_new(lang == WG_LANG_WGSL ? WG_BACKEND_WEBGPU : WG_BACKEND_WEBGL2);
    wg_array *r = NULL;
    int st = run_one(ctx, lang, i, &r);
    if (st) wgt_fail(__FILE__, __LINE__, "kernel %d: %s", i, wg_last_error(ctx));
    char *s = st ? NULL : source_of(ctx, target);
    wg_release(r);
    wg_context_free(ctx);
    return s;
}

WG_TEST(native_wgsl_text) {
    char *m = gen(WG_LANG_WGSL, 0, "wgsl");
    WG_CHECK(has(m, "fn main(@builtin(global_invocation_id)"));
    WG_CHECK(has(m, "var real: f32 = b_in0["));
    WG_CHECK(has(m, "var imag: f32 = b_in1["));
    WG_CHECK(has(m, "var c: i32 = 0;"));
    WG_CHECK(has(m, "var i: i32 = i32(_wg_p);"));
    WG_CHECK(has(m, "for(var k: u32 = 0u; k < 500u; k = k + 1u)"));
    WG_CHECK(has(m, "b_out0[_wg_w] = c;"));
    WG_CHECK(has(m, "struct CMeta {\n  _ind_size: i32,\n}"));
    free(m);
    char *r = gen(WG_LANG_WGSL, 1, "wgsl");
    WG_CHECK(has(r, "alias T = f32;"));
    WG_CHECK(has(r, "fn x(_wg_e: i32) -> T {"));
    WG_CHECK(has(r, "arrayLength(&b_in0)"));
    WG_CHECK(has(r, "var p: i32 = b_in1["));
    free(r);
    char *u = gen(WG_LANG_WGSL, 2, "wgsl");
    WG_CHECK(has(u, "  scale: f32,\n  col: i32,\n"));
    WG_CHECK(has(u, "fn m(idx0: i32, idx1: i32) -> f32 {"));
    WG_CHECK(has(u, "fn twice(v: f32) -> f32"));
    WG_CHECK(has(u, "cmeta = CMeta("));
    free(u);
    char *s = gen(WG_LANG_WGSL, 3, "wgsl");
    WG_CHECK(has(s, "var a: f32 = f32(0.0);"));
    WG_CHECK(has(s, "for (var _wg_red0: i32 = 0;"));
    WG_CHECK(has(s, "b = (x * x);"));
    WG_CHECK(has(s, "a = (a + b);"));
    WG_CHECK(has(s, "_in_ind_size: i32,\n  _out_ind_size: i32,"));
    free(s);
    char *t = gen(WG_LANG_WGSL, 4, "wgsl");
    WG_CHECK(has(t, "alias T = i32;"));
    WG_CHECK(has(t, "var b: bool = (b_in2["));
    WG_CHECK(has(t, "<< 24") || has(t, "<< 24u")); /* stored wrapped to int8 */
    free(t);
}

WG_TEST(native_glsl_text) {
    char *m = gen(WG_LANG_GLSL, 0, "glsl-es-300-fs");
    WG_CHECK(has(m, "#version 300 es"));
    WG_CHECK(has(m, "float real = uintBitsToFloat(ld(t_in0, "));
    WG_CHECK(has(m, "int c = 0;"));
    WG_CHECK(has(m, "int i = int(_wg_p);"));
    WG_CHECK(has(m, "for (int k = 0; k < 500; k++)"));
    WG_CHECK(has(m, "o_color = uvec4(uint(c), 0u, 0u, 0u);"));
    WG_CHECK(has(m, "int _ind_size = 0;"));
    free(m);
    char *r = gen(WG_LANG_GLSL, 1, "glsl-es-300-fs");
    WG_CHECK(has(r, "#define T float"));
    WG_CHECK(has(r, "T x(int _wg_e) {"));
    WG_CHECK(has(r, "u_inlen[0]"));
    free(r);
    char *u = gen(WG_LANG_GLSL, 2, "glsl-es-300-fs");
    WG_CHECK(has(u, "float scale = 0.0;"));
    WG_CHECK(has(u, "float m(int idx0, int idx1) {"));
    free(u);
}

static int run_quiet(const char *cmd) {
    char full[1024];
    snprintf(full, sizeof full, "%s > /dev/null 2>&1", cmd);
    return system(full);
}

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

/* every GLSL kernel compiles and links (glslangValidator) */
WG_TEST(native_glsl_compiles) {
    if (run_quiet("glslangValidator -v") != 0) {
        const char *req = getenv("WGPY_REQUIRE_GLSLANG");
        if (req && strcmp(req, "1") == 0) wgt_fail(__FILE__, __LINE__, "glslangValidator not found");
        else fprintf(stderr, "native_glsl_compiles: SKIPPED, glslangValidator not found\n");
        return;
    }
    char dir[] = "/tmp/wgpy-native-XXXXXX";
    if (!mkdtemp(dir)) {
        wgt_fail(__FILE__, __LINE__, "mkdtemp");
        return;
    }
    int bad = 0;
    for (int i = 0; i < NK; i++) {
        char *vs = gen(WG_LANG_GLSL, i, "glsl-es-300-vs"), *fs = gen(WG_LANG_GLSL, i, "glsl-es-300-fs");
        WG_CHECK(vs && fs);
        if (!vs || !fs) { free(vs); free(fs); continue; }
        char name[16], cmd[512];
        snprintf(name, sizeof name, "k%d", i);
        write_file(dir, name, "vert", vs);
        write_file(dir, name, "frag", fs);
        snprintf(cmd, sizeof cmd, "glslangValidator -l %s/k%d.vert %s/k%d.frag", dir, i, dir, i);
        if (run_quiet(cmd) != 0) {
            bad = 1;
            wgt_fail(__FILE__, __LINE__, "%s: glslangValidator rejects it (in %s: %s)", GLSL_K[i].name, dir, cmd);
        }
        free(vs);
        free(fs);
    }
    if (!bad) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        run_quiet(cmd);
    }
}

/* the WGSL of the kernels above, for js/tests/test-native-wgsl.mjs */
WG_TEST(native_write_sources) {
    const char *dir = getenv("WGPY_NATIVE_SRC_DIR");
    if (!dir) return;
    for (int i = 0; i < NK; i++) {
        char *s = gen(WG_LANG_WGSL, i, "wgsl");
        WG_CHECK(s != NULL);
        if (s) write_file(dir, WGSL_K[i].name, "wgsl", s);
        free(s);
    }
}

/* a body in a language the backend does not run: NotImplementedError naming kernel and backend */
WG_TEST(native_refusals) {
    static const int backends[] = {WG_BACKEND_CPU, WG_BACKEND_LOOPBACK, WG_BACKEND_STREAM, WG_BACKEND_WEBGPU,
                                   WG_BACKEND_WEBGL2};
    static const char *names[] = {"cpu", "loopback", "stream", "webgpu", "webgl2"};
    for (int b = 0; b < 5; b++)
        for (int lang = 1; lang <= 2; lang++) {
            if ((lang == WG_LANG_WGSL && b == 3) || (lang == WG_LANG_GLSL && b == 4)) continue;
            wg_context *ctx = wg_context_new(backends[b]);
            for (int i = 0; i < NK; i++) {
                wg_array *r = NULL;
                int st = run_one(ctx, lang, i, &r);
                WG_CHECK_EQ_INT(st, WG_ERR_NOTIMPL);
                WG_CHECK(r == NULL);
                char want[64];
                snprintf(want, sizeof want, "the %s backend", names[b]);
                const char *msg = wg_last_error(ctx);
                if (!has(msg, want) || !has(msg, (lang == WG_LANG_WGSL ? WGSL_K : GLSL_K)[i].name))
                    wgt_fail(__FILE__, __LINE__, "refusal message: %s", msg);
                wg_clear_error(ctx);
            }
            wg_context_free(ctx);
        }
}

WG_TEST(native_param_errors) {
    wg_context *ctx = wg_context_new(WG_BACKEND_WEBGPU);
    wg_nkernel *k = NULL;
    WG_CHECK_EQ_INT(wg_nkernel_elementwise(ctx, WG_LANG_WGSL, "float x", "f32 y", "y = x", "e", "", "", &k),
                    WG_ERR_VALUE);
    WG_CHECK(has(wg_last_error(ctx), "in_params"));
    WG_CHECK_EQ_INT(wg_nkernel_elementwise(ctx, WG_LANG_WGSL, "f32 x", "f32 y, f32 z", "y = x", "e", "", "", &k),
                    WG_ERR_VALUE);
    WG_CHECK_EQ_INT(wg_nkernel_elementwise(ctx, WG_LANG_GLSL, "float x", "float y", "y = x", "e", "bool u", "",
                                           &k), WG_ERR_VALUE);
    WG_CHECK_EQ_INT(wg_nkernel_elementwise(ctx, WG_LANG_WGSL, "raw f32 _wgx", "f32 y", "y = 1.0", "e", "", "",
                                           &k), WG_ERR_VALUE);
    WG_CHECK(k == NULL);
    /* a type parameter nothing binds */
    WG_CHECK_EQ_INT(wg_nkernel_elementwise(ctx, WG_LANG_WGSL, "f32 x", "T y", "y = x", "unbound", "", "", &k),
                    WG_OK);
    float f[2] = {1, 2};
    int64_t s2[1] = {2};
    wg_array *x = wg_from_data(ctx, WG_FLOAT32, 1, s2, f), *r = NULL;
    WG_CHECK_EQ_INT(wg_nkernel_launch(ctx, k, 1, &x, NULL, &r), WG_ERR_TYPE);
    WG_CHECK_EQ_INT(wg_nkernel_launch(ctx, k, 0, &x, NULL, &r), WG_ERR_TYPE); /* wrong count */
    wg_release(x);
    wg_nkernel_free(k);
    wg_context_free(ctx);
}

/* the IR section carries the native fields; kernels differing only in their text are two kernels */
WG_TEST(native_ir_roundtrip) {
    wg_context *ctx = wg_context_new(WG_BACKEND_WEBGPU);
    wg_kernel_ir k;
    memset(&k, 0, sizeof k);
    static char text[] = "name\0x\0f32\0y\0T\0s\0f32\0y = x * cmeta.s\0";
    k.kind = WG_K_ELEMENTWISE;
    k.ndim = 1;
    k.ninputs = 1;
    k.noutputs = 1;
    k.nparams = 3;
    k.param_dtype[0] = k.param_dtype[1] = WG_INT32;
    k.param_dtype[2] = WG_FLOAT32;
    k.input_dtype[0] = k.output_dtype[0] = WG_FLOAT32;
    k.native = WG_NATIVE_WGSL;
    k.native_nuni = 1;
    k.native_kind[0] = WG_NATIVE_RAW;
    k.native_ndim[0] = 1;
    k.native_text = text;
    k.native_len = sizeof text;
    wgS_bytes b;
    memset(&b, 0, sizeof b);
    wgS_ir_encode(ctx, &b, &k);
    WG_CHECK(!b.oom && b.len % 8 == 0);
    wg_kernel_ir *d = wgS_ir_decode(ctx, b.p, b.len);
    WG_CHECK(d != NULL);
    if (d) {
        WG_CHECK_EQ_INT(d->native, WG_NATIVE_WGSL);
        WG_CHECK_EQ_INT(d->native_nuni, 1);
        WG_CHECK_EQ_INT(d->native_kind[0], WG_NATIVE_RAW);
        WG_CHECK_EQ_INT(d->native_len, sizeof text);
        WG_CHECK(wgI_hash(d) == wgI_hash(&k));
        WG_CHECK(wgI_native_equal(d, &k));
        WG_CHECK_EQ_STR(wgI_native_field(d, 7), "y = x * cmeta.s");
        WG_CHECK_EQ_STR(wgI_native_field(d, 9), "");
        wgS_ir_free(d);
    }
    wg_kernel_ir k2 = k;
    static char text2[] = "name\0x\0f32\0y\0T\0s\0f32\0y = x / cmeta.s\0";
    k2.native_text = text2;
    WG_CHECK(wgI_hash(&k2) != wgI_hash(&k));
    WG_CHECK(!wgI_native_equal(&k2, &k));
    wg_kernel_ir *c = wgI_clone(ctx, &k);
    WG_CHECK(c && c->native_text != text && wgI_native_equal(c, &k));
    wgI_free(c);
    /* a truncated text is rejected */
    b.p[b.len - 8] = 'x';
    wgS_bytes_free(&b);
    wg_context_free(ctx);
}
