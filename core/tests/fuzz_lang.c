/* fuzz_lang — the CUDA-C front end under hostile sources.
 *
 * Inside `make test-c` (ASan + UBSan) a deterministic mutation loop runs for about two seconds:
 * seeds are real kernel sources (Chainer's constructs), mutated by byte flips, token insertions
 * from a C dictionary, deletions, duplications and splices; each input is parsed (as operation,
 * preamble or parameter list), bound and lowered for float32/int32 at ranks 1 and 2; RawKernel
 * sources (raw_seeds: __global__ functions, __shared__ arrays of any rank, templates, atomics) are
 * parsed as modules and each __global__ function lowered for three launch configurations (cpu
 * lock step, padded workgroups, webgpu workgroups; template kernels as name<float>).  Every input
 * must give WG_OK or a clean error status with a message: never a crash, a leak, undefined
 * behaviour or unbounded time.  The test prints how many inputs it tried.
 *
 * With -DWG_FUZZ_LANG_LIBFUZZER the file is a libFuzzer target instead (input: operation text):
 *   clang-14 -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -DWG_FUZZ_LANG_LIBFUZZER \
 *       -Icore/include -Icore/src $(find core/src -name '*.c') core/tests/fuzz_lang.c -lm \
 *       -o build/fuzz_lang
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/lang.h"
#include "dtype/dtype.h"

static const char *const seeds[][3] = {
    /* in_params, out_params, operation; preamble in the 4th table below */
    {"T grad, T lr, T momentum", "T param, T v", "v *= momentum; v -= lr * grad; param += v;"},
    {"raw T in, int32 h, int32 w, int32 out_h, int32 out_w, int32 kh, int32 kw, int32 sy, int32 sx, int32 ph, int32 pw",
     "T out, S indexes",
     "int c0 = i / (out_h * out_w); int out_y = i / out_w % out_h; int out_x = i % out_w;\n"
     "int in_y_0 = max(0, out_y * sy - ph); int in_y_1 = min(h, out_y * sy + kh - ph);\n"
     "T maxval = in[in_y_0 * w]; int argmax_y = -1;\n"
     "for (int y = in_y_0; y < in_y_1; ++y) { int offset_y = w * (y + h * c0);\n"
     "  float v = in[offset_y]; if (maxval < v) { maxval = v; argmax_y = y; } }\n"
     "out = maxval; indexes = argmax_y % kh"},
    {"raw T x, S t", "raw T hist, T y",
     "int ind[] = {i, t}; y = x[ind]; if (t < 0) return; atomicAdd(&hist[t], x[ind]);"},
    {"T x, T y", "T z", "z = x > 0 ? (T)1E+37 : -(1.0/0.0) + static_cast<T>(y) * 0.5f; z += (x >= y) & (y < 2)"},
    {"T x", "T y", "COMMON(x) bool ok = split(x, lo, fr); y = ok ? s + lo * 10 + fr : -s"},
    {"raw T col, int32 d, int32 k, int32 s, int32 p", "T img",
     "T val = 0; for (int kx = 0; kx < k; ++kx) { int o = i + p - kx; if (0 > o || o >= d * s) continue;\n"
     "if (o % s != 0) continue; o /= s; val = val + col[o]; } do { val *= 2; } while (val < 1); img = val"},
    {"T x", "T y", "y = erf(x) + erfcx(x) + normcdfinv(x) + rsqrt(x) + __expf(x) + __float2int_rd(x) + round(x)"},
};

static const char *const preambles[] = {
    "template <typename T> __device__ T sigmoid(T x) { const T half = 0.5; return tanh(x * half) * half + half; }\n"
    "__device__ bool split(T x, int &lo, T &frac) {\n"
    "  if (x < 0) { lo = -1; frac = 0; return false; }\n"
    "  lo = (int)x; frac = x - lo; return true;\n}\n"
    "#define COMMON(v) T s = sigmoid(v); int lo; T fr;\n",
    "",
};

static const char *const dict[] = {
    "(", ")", "{", "}", "[", "]", ";", ",", "=", "+=", "++", "--", "?", ":", "&&", "||", "!", "~",
    "<<", ">>", "/", "%", "&", "*", "-", ".", "#define F(a) a+a\n", "\n#define X X\n", "return ",
    "continue;", "break;", "if (x)", "else ", "for (;;)", "while (0)", "do {} while (1);", "int ",
    "T ", "const ", "unsigned ", "long long ", "double ", "float ", "bool ", "size_t ", "(T)",
    "static_cast<int>(", "reinterpret_cast<float*>(", "template <typename U> ", "__device__ ",
    "i", "_ind.size()", "x.shape()[0]", "x.size()", "1.0f", "0x7fffffff", "1e400", "1E+37", "-0.",
    "'a'", "\"s\"", "atomicAdd(&", "max(", "erfinv(", "sigmoid(", "split(", "COMMON(", "x[", "ind",
    "/*", "*/", "//", "\\\n", "#", "##", "#include <x>\n", "raw ", "S ", "y", "z",
    /* RawKernel's grammar */
    "__global__ ", "__shared__ ", "extern \"C\" ", "extern \"C\" {", "threadIdx.x", "blockIdx.y",
    "blockDim.z", "gridDim.x", "threadIdx . y", "warpSize", "__syncthreads();", "[2]", "[N][N + 1]",
    "extern __shared__ float e[];", "__shared__ int q;", "atomicExch(&", "atomicInc(&", "atomicOr(&",
    "__launch_bounds__(", "__restrict__ ", "float* ", "const int* ", "int** ", "<float>",
    "\n#if 0\n", "\n#if 1\n", "\n#endif\n", "\n#else\n", "\n#elif !defined(X)\n", "\n#ifdef N\n",
    "\n#ifndef GUARD\n", "defined", "template <typename T, int N> ", "[N]", "N",
    /* warp intrinsics (lang/warp.c) */
    "__shfl_sync(0xffffffff, ", "__shfl_down_sync(", "__shfl_up(", "__shfl_xor_sync(~0u, ",
    "__ballot_sync(", "__any_sync(", "__all(", "__activemask()", "__syncwarp();", "__popc(",
    "__ffs(", "__clz(", "__constant__ ", "__constant__ float k[3] = {1, 2, 3};\n", "= {",
};

static const char *const raw_seeds[] = {
    "extern \"C\" __global__ void vadd(const float* x, const float* y, float* z, int n) {\n"
    "  int i = blockDim.x * blockIdx.x + threadIdx.x;\n  if (i < n) z[i] = x[i] + y[i];\n}\n",
    "#define N 16\n#define TILE (N)\nextern \"C\" __global__ void tr(const float* in, float* out, int r, int c) {\n"
    "  __shared__ float tile[TILE][TILE + 1];\n  int x = blockIdx.x * TILE + threadIdx.x, y = blockIdx.y * TILE + threadIdx.y;\n"
    "  if (x < c && y < r) tile[threadIdx.y][threadIdx.x] = in[y * c + x];\n  __syncthreads();\n"
    "  out[x * r + y] = tile[threadIdx.x][threadIdx.y];\n}\n",
    "__device__ float sq(float v) { return v * v; }\nextern \"C\" {\n"
    "__global__ void h(const int* v, int* h, float* f, unsigned int* u, int n) {\n"
    "  __shared__ int local[16]; __shared__ int seen; extern __shared__ float dyn[];\n"
    "  int t = threadIdx.x, i = blockIdx.x * blockDim.x + t;\n  if (t < 16) local[t] = 0; if (t == 0) seen = 1;\n"
    "  dyn[t] = sq(t); __syncthreads();\n  if (i < n) atomicAdd(&local[v[i] & 15], seen);\n"
    "  atomicExch(&h[0], 3); atomicInc(&u[0], 9u); atomicMax(&f[0], dyn[t]);\n  __syncthreads();\n"
    "  if (t < 16) atomicAdd(&h[t], local[t]);\n}\n}\n",
    "#ifndef GUARD\n#define GUARD\n#if 0\nnot C {\n#elif defined(GUARD)\n#define K 2\n#else\n#define K 3\n#endif\n"
    "extern \"C\" __global__ void g(int* y) {\n#ifdef K\n  y[threadIdx.x] = K;\n#endif\n}\n#endif\n",
    "template <typename T, int B> __global__ void tb(const T* x, T* y) {\n"
    "  __shared__ T s[B][B / 2 + 1]; s[threadIdx.x % B][0] = x[threadIdx.x]; __syncthreads();\n"
    "  y[threadIdx.x] = s[B - 1][B / 2] + (T)B;\n}\n",
    "#include <cuda_fp16.h>\ntemplate <typename T> __global__ void __launch_bounds__(64) ax(const T* __restrict__ x, T* y, T a, int n) {\n"
    "  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {\n"
    "    __shared__ T s[2][2][4]; s[threadIdx.z][threadIdx.y & 1][threadIdx.x & 3] = x[i];\n"
    "    y[i] = a * s[threadIdx.z & 1][1][0] + (T)warpSize; if (y[i] > 0) return; }\n}\n",
    "__device__ float ws(float v) {\n  for (int o = warpSize / 2; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);\n"
    "  return v;\n}\nextern \"C\" __global__ void w(const float* x, float* y, unsigned int* b, int n) {\n"
    "  int t = threadIdx.x; float v = ws(t < n ? x[t] : 0.0f);\n  double d = __shfl_sync(0xffffffff, (double)v, 3, 8);\n"
    "  int k = __shfl_xor_sync(__activemask(), t, 1) + __shfl_up_sync(0xffffffff, t, 2, 16) + __shfl(t, 0);\n"
    "  unsigned int m = __ballot_sync(0xffffffff, v > 0) ^ __any_sync(0xffffffff, k) ^ __all_sync(0xffffffff, t);\n"
    "  __syncwarp(); b[t] = m + __popc(m) + __ffs(k) + __clz(t);\n  if (t == 0) y[blockIdx.x] = v + (float)d;\n}\n",
    "#define M 4\n__constant__ float c[M] = {1.0f, -2, 3e-1f, (float)4};\nstatic __constant__ int o[] = {0, 1, -1};\n"
    "__constant__ double s = 2.5;\n__device__ __constant__ unsigned int p[8] = {7};\n"
    "__device__ float h(float x) { return x * c[(int)x & 3] + s; }\n"
    "extern \"C\" __global__ void k(const float* x, float* y, int n) {\n"
    "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) y[i] = h(x[i]) + o[i % 3] + p[i & 7];\n}\n",
};

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (uint32_t)(rng % n) : 0;
}

#define BUF 4096

static void mutate(char *buf, const char *src) {
    size_t n = strlen(src);
    if (n >= BUF) n = BUF - 1;
    memcpy(buf, src, n);
    buf[n] = 0;
    int rounds = 1 + (int)rnd(4);
    for (int r = 0; r < rounds; r++) {
        n = strlen(buf);
        size_t at = rnd((uint32_t)n + 1);
        switch (rnd(5)) {
        case 0:  /* byte flip */
            if (n) buf[rnd((uint32_t)n)] = (char)(1 + rnd(126));
            break;
        case 1: {  /* dictionary token */
            const char *t = dict[rnd(sizeof dict / sizeof dict[0])];
            size_t tl = strlen(t);
            if (n + tl < BUF) {
                memmove(buf + at + tl, buf + at, n - at + 1);
                memcpy(buf + at, t, tl);
            }
            break;
        }
        case 2: {  /* delete a range */
            size_t len = rnd(16) + 1;
            if (at + len > n) len = n - at;
            memmove(buf + at, buf + at + len, n - at - len + 1);
            break;
        }
        case 3: {  /* duplicate a range (deep nesting, long inputs) */
            size_t len = rnd(24) + 1;
            if (at + len > n) len = n - at;
            int times = 1 + (int)rnd(40);
            for (int t = 0; t < times && n + len < BUF; t++) {
                memmove(buf + at + len, buf + at, n - at + 1);
                n += len;
            }
            break;
        }
        default: {  /* splice the tail of another seed */
            const char *o = seeds[rnd(sizeof seeds / sizeof seeds[0])][2];
            size_t ol = strlen(o), from = rnd((uint32_t)ol + 1);
            if (at + (ol - from) < BUF) {
                memcpy(buf + at, o + from, ol - from);
                buf[at + ol - from] = 0;
            }
            break;
        }
        }
    }
}

static int clean_status(int rc) {
    return rc == WG_ERR_COMPILE || rc == WG_ERR_NOTIMPL || rc == WG_ERR_TYPE || rc == WG_ERR_MEMORY;
}

/* One input: parse, bind (placeholders float32, S int32), lower at ranks 1 and 2. */
static int one(wg_context *ctx, const char *in, const char *out, const char *op, const char *pre) {
    wgK_def *d = NULL;
    int rc = wgK_parse_elementwise(ctx, in, out, op, "f", pre, "", "", &d);
    if (rc != WG_OK) {
        int ok = clean_status(rc) && wg_last_error(ctx)[0] && d == NULL;
        wg_clear_error(ctx);
        return ok;
    }
    int np = wgK_nparams(d), pd[WGK_MAX_PARAMS], arr[WGK_MAX_PARAMS], raw[WGK_MAX_PARAMS];
    int ok = !wgB_failed(ctx);  /* a successful parse leaves no error behind */
    if (!ok) fprintf(stderr, "fuzz_lang: parse OK with an error pending: %s\n", wg_last_error(ctx));
    for (int nd = 1; nd <= 2 && ok; nd++) {
        for (int i = 0; i < np; i++) {
            const wgK_param *p = wgK_param_at(d, i);
            pd[i] = p->dtype >= 0 ? p->dtype : p->placeholder == 'S' ? WG_INT32 : WG_FLOAT32;
            arr[i] = p->is_raw || p->is_out || p->dtype < 0;
            raw[i] = p->is_raw ? nd : 0;
        }
        wg_kernel_ir *k = NULL;
        wgK_map m;
        rc = wgK_lower(ctx, d, pd, arr, raw, nd, 0, &k, &m);
        if (rc == WG_OK) ok = k != NULL && wgI_check_stmt(ctx, k, WG_ERR_INTERNAL) == WG_OK;
        else ok = clean_status(rc) && wg_last_error(ctx)[0] && k == NULL;
        if (!ok) fprintf(stderr, "fuzz_lang: rc %d %s\n--- op:\n%s\n--- pre:\n%s\n", rc, wg_last_error(ctx), op, pre);
        wgI_free(k);
        wg_clear_error(ctx);
    }
    wgK_free(d);
    return ok;
}

/* One RawKernel source: the module, then each __global__ function (a template as name<float>)
 * lowered for three launch configurations. */
static int raw_one(wg_context *ctx, const char *src) {
    wgK_def *m = NULL;
    int rc = wgK_parse_raw(ctx, src, NULL, "module", &m);
    if (rc != WG_OK) {
        int ok = clean_status(rc) && wg_last_error(ctx)[0] && m == NULL;
        if (!ok) fprintf(stderr, "fuzz_lang: raw module rc %d %s\n--- src:\n%s\n", rc, wg_last_error(ctx), src);
        wg_clear_error(ctx);
        return ok;
    }
    const wgK_raw *R = wgK_raw_info(m);
    int ok = !wgB_failed(ctx);
    for (int g = 0; g < R->nglobals && g < 4 && ok; g++) {
        char name[WGK_NAME_MAX + 16];
        for (int tmpl = 0; tmpl < 3 && ok; tmpl++) {
            snprintf(name, sizeof name, tmpl == 2 ? "%s<float, 32>" : tmpl ? "%s<float>" : "%s",
                     R->globals[g]);
            wgK_def *d = NULL;
            rc = wgK_parse_raw(ctx, src, name, name, &d);
            if (rc != WG_OK) {
                ok = (clean_status(rc) || rc == WG_ERR_VALUE) && wg_last_error(ctx)[0] && d == NULL;
                if (!ok) fprintf(stderr, "fuzz_lang: raw %s rc %d %s\n", name, rc, wg_last_error(ctx));
                wg_clear_error(ctx);
                continue;
            }
            int np = wgK_nparams(d), pd[WGK_MAX_PARAMS], arr[WGK_MAX_PARAMS], raw[WGK_MAX_PARAMS];
            for (int i = 0; i < np; i++) {
                const wgK_param *p = wgK_param_at(d, i);
                pd[i] = wgD_canonical(p->dtype, 0);
                arr[i] = p->is_raw;
                raw[i] = p->is_raw ? 1 : 0;
            }
            static const wgK_rawcfg cfgs[3] = {{0, 0, 1}, {64, 1, 8}, {48, 0, 48}};
            for (int c = 0; c < 3 && ok; c++) {
                wg_kernel_ir *k = NULL;
                wgK_map map;
                rc = wgK_lower_ex(ctx, d, pd, arr, raw, 1, 0, &cfgs[c], &k, &map);
                if (rc == WG_OK) ok = k != NULL && wgI_check_stmt(ctx, k, WG_ERR_INTERNAL) == WG_OK;
                else ok = clean_status(rc) && wg_last_error(ctx)[0] && k == NULL;
                if (!ok) fprintf(stderr, "fuzz_lang: raw lower rc %d %s\n--- src:\n%s\n", rc, wg_last_error(ctx), src);
                wgI_free(k);
                wg_clear_error(ctx);
            }
            wgK_free(d);
        }
    }
    wgK_free(m);
    return ok;
}

/* The Chainer corpus (build/chainer_kernels.txt, tools/chainer_kernels.py) as more seeds, when
 * it is there: elementwise kernels' in_params, out_params, operation, preamble. */
#define MAX_EXTRA 160
static char *extra[MAX_EXTRA][4];
static int nextra;

static char *read_len_field(FILE *f) {
    long n;
    if (fscanf(f, "%ld", &n) != 1 || n < 0 || n > (1 << 20) || fgetc(f) != '\n') return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    if (fread(s, 1, (size_t)n, f) != (size_t)n || fgetc(f) != '\n') {
        free(s);
        return NULL;
    }
    s[n] = 0;
    return s;
}

static void load_corpus(void) {
    const char *path = getenv("WGPY_CHAINER_CORPUS");
    FILE *f = fopen(path ? path : "build/chainer_kernels.txt", "rb");
    char line[8];
    while (f && nextra < MAX_EXTRA && fgets(line, sizeof line, f) && !strcmp(line, "K\n")) {
        char *fl[14] = {0};
        int ok = 1;
        for (int i = 0; i < 14 && ok; i++) ok = (fl[i] = read_len_field(f)) != NULL;
        /* fields: kind name site in out operation preamble ... (tools/chainer_kernels.py) */
        if (ok && !strcmp(fl[0], "elementwise") && strlen(fl[5]) < BUF && strlen(fl[6]) < BUF) {
            int keep[4] = {3, 4, 5, 6};
            for (int q = 0; q < 4; q++) extra[nextra][q] = fl[keep[q]], fl[keep[q]] = NULL;
            nextra++;
        }
        for (int i = 0; i < 14; i++) free(fl[i]);
        if (!ok) break;
    }
    if (f) fclose(f);
}

static void free_corpus(void) {
    for (int i = 0; i < nextra; i++)
        for (int q = 0; q < 4; q++) free(extra[i][q]);
    nextra = 0;
}

#ifdef WG_FUZZ_LANG_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *op = malloc(size + 1);
    if (!op) return 0;
    memcpy(op, data, size);
    op[size] = 0;
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    if (!one(ctx, seeds[4][0], seeds[4][1], op, preambles[0])) __builtin_trap();
    wg_context_free(ctx);
    free(op);
    return 0;
}
#else
#include "wgtest.h"

WG_TEST(fuzz_lang_mutations) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static char op[BUF], pre[BUF], params[BUF];
    int tried = 0, failures = 0;
    const char *secs = getenv("WGPY_FUZZ_SECONDS");  /* longer runs by hand */
    clock_t end = clock() + (secs ? atoi(secs) : 2) * CLOCKS_PER_SEC;
    size_t nseeds = sizeof seeds / sizeof seeds[0];
    load_corpus();
    while ((clock() < end || tried < 200) && failures < 5) {
        if (nextra && rnd(2)) {  /* a Chainer kernel, mutated */
            char **e = extra[rnd((uint32_t)nextra)];
            mutate(op, e[2]);
            if (rnd(8) == 0) mutate(pre, e[3]);
            else snprintf(pre, sizeof pre, "%s", e[3]);
            if (!one(ctx, e[0], e[1], op, pre)) failures++;
            tried++;
            continue;
        }
        size_t s = rnd((uint32_t)nseeds);
        const char *p0 = s == 4 ? preambles[0] : preambles[1];
        int what = (int)rnd(10);
        mutate(op, seeds[s][2]);
        if (what == 0) mutate(pre, preambles[0]);
        else snprintf(pre, sizeof pre, "%s", p0);
        if (what == 1) mutate(params, seeds[s][0]);
        else snprintf(params, sizeof params, "%s", seeds[s][0]);
        if (!one(ctx, params, seeds[s][1], what <= 1 ? seeds[s][2] : op, pre)) failures++;
        tried++;
    }
    /* the seeds themselves lower */
    for (size_t s = 0; s < nseeds; s++) {
        wgK_def *d = NULL;
        if (wgK_parse_elementwise(ctx, seeds[s][0], seeds[s][1], seeds[s][2], "seed",
                                  s == 4 ? preambles[0] : "", "", "", &d) != WG_OK)
            wgt_fail(__FILE__, __LINE__, "seed %zu: %s", s, wg_last_error(ctx));
        wgK_free(d);
        wg_clear_error(ctx);
    }
    printf("fuzz_lang: %d inputs tried (%d Chainer kernels among the seeds), %d failures\n", tried,
           nextra, failures);
    free_corpus();
    WG_CHECK_EQ_INT(failures, 0);
    wg_context_free(ctx);
}

WG_TEST(fuzz_lang_raw_mutations) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    static char src[BUF];
    int tried = 0, failures = 0;
    const char *secs = getenv("WGPY_FUZZ_SECONDS");
    clock_t end = clock() + (secs ? atoi(secs) : 1) * CLOCKS_PER_SEC;
    size_t nseeds = sizeof raw_seeds / sizeof raw_seeds[0];
    while ((clock() < end || tried < 200) && failures < 5) {
        mutate(src, raw_seeds[rnd((uint32_t)nseeds)]);
        if (!raw_one(ctx, src)) failures++;
        tried++;
    }
    /* the seeds themselves lower (the template one as ax<float>) */
    for (size_t s = 0; s < nseeds; s++) {
        wgK_def *m = NULL;
        if (wgK_parse_raw(ctx, raw_seeds[s], NULL, "module", &m) != WG_OK)
            wgt_fail(__FILE__, __LINE__, "raw seed %zu: %s", s, wg_last_error(ctx));
        WG_CHECK(m && wgK_raw_info(m)->nglobals == 1);
        wgK_free(m);
        WG_CHECK(raw_one(ctx, raw_seeds[s]));
    }
    printf("fuzz_lang: %d RawKernel sources tried, %d failures\n", tried, failures);
    WG_CHECK_EQ_INT(failures, 0);
    wg_context_free(ctx);
}

/* Every allocation of a parse + lower fails once: a clean MemoryError, no leak. */
WG_TEST(lang_allocation_faults) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int n, done = 0;
    for (n = 0; n < 400 && !done; n++) {
        wgB_fail_after(n);
        wgK_def *d = NULL;
        int rc = wgK_parse_elementwise(ctx, seeds[4][0], seeds[4][1], seeds[4][2], "f",
                                       preambles[0], "", "", &d);
        if (rc == WG_OK) {
            int pd[2] = {WG_FLOAT32, WG_FLOAT32}, arr[2] = {1, 1}, raw[2] = {0, 0};
            wg_kernel_ir *k = NULL;
            wgK_map m;
            rc = wgK_lower(ctx, d, pd, arr, raw, 1, 0, &k, &m);
            if (rc == WG_OK) done = 1;
            wgI_free(k);
        }
        wgK_free(d);
        if (rc != WG_OK && rc != WG_ERR_MEMORY)
            wgt_fail(__FILE__, __LINE__, "allocation %d: rc %d %s", n, rc, wg_last_error(ctx));
        wg_clear_error(ctx);
    }
    wgB_fail_after(-1);
    WG_CHECK(done);
    wg_context_free(ctx);
}
#endif
