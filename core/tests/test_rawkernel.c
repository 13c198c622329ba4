/* RawKernel / RawModule: the CUDA-C front end for `__global__` functions (core/src/lang/def.c,
 * parse.c, lower.c) and its launch (api/ukernel.c): parsing a module, the parameter layout,
 * errors with kernel:line:col, and kernels run on the cpu backend. */
#include "wgtest.h"
#include "wgpy.h"
#include "lang/lang.h"

#include <string.h>

static wg_array *i32(wg_context *ctx, int n, const int32_t *v) {
    int64_t shape[1] = {n};
    return wg_from_data(ctx, WG_INT32, 1, shape, v);
}

static wg_ukernel *get(wg_context *ctx, const char *code, const char *name) {
    wg_rawmodule *m = NULL;
    wg_ukernel *k = NULL;
    if (wg_rawmodule_new(ctx, code, name, &m) != WG_OK) {
        wgt_fail(__FILE__, __LINE__, "module: %s", wg_last_error(ctx));
        return NULL;
    }
    if (wg_rawmodule_get_function(ctx, m, name, &k) != WG_OK)
        wgt_fail(__FILE__, __LINE__, "get_function: %s", wg_last_error(ctx));
    wg_rawmodule_free(m);
    return k;
}

static const char *const MODULE =
    "#include <cuda_runtime.h>\n"
    "#define NT 4\n"
    "__device__ int twice(int v) { return 2 * v; }\n"
    "extern \"C\" {\n"
    "__global__ void fill(int* y, const int* __restrict__ x, int a) {\n"
    "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
    "    y[i] = twice(x[i]) + a;\n"
    "}\n"
    "__global__ void rev(int* y) {\n"
    "    __shared__ int s[2][NT];\n"
    "    int t = threadIdx.x;\n"
    "    s[blockIdx.x & 1][t] = y[blockIdx.x * NT + t];\n"
    "    __syncthreads();\n"
    "    y[blockIdx.x * NT + t] = s[blockIdx.x & 1][NT - 1 - t];\n"
    "}\n"
    "}\n"
    "template <typename T> __global__ void tk(T* y) { y[threadIdx.x] = (T)3 / (T)2; }\n";

WG_TEST(raw_module_functions_and_params) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_rawmodule *m = NULL;
    WG_CHECK_EQ_INT(wg_rawmodule_new(ctx, MODULE, "module", &m), WG_OK);
    WG_CHECK_EQ_INT(wg_rawmodule_nfunctions(m), 3);
    WG_CHECK(!strcmp(wg_rawmodule_function(m, 0), "fill"));
    WG_CHECK(!strcmp(wg_rawmodule_function(m, 1), "rev"));
    WG_CHECK(!strcmp(wg_rawmodule_function(m, 2), "tk"));
    WG_CHECK(wg_rawmodule_function(m, 3) == NULL);
    wg_ukernel *k = NULL;
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "nope", &k), WG_ERR_VALUE);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "fill", &k), WG_OK);
    /* the def: ins (x, a), the 8 geometry parameters, then the outs (y) */
    WG_CHECK_EQ_INT(wg_ukernel_nparams(k), 11);
    WG_CHECK_EQ_INT(wg_ukernel_nin(k), 10);
    int32_t info[4];
    WG_CHECK(!strcmp(wg_ukernel_param(k, 0, info), "x") && info[1] == 1 && info[0] == 0);
    WG_CHECK(!strcmp(wg_ukernel_param(k, 1, info), "a") && info[1] == 0 && info[2] == WG_INT32);
    WG_CHECK(!strcmp(wg_ukernel_param(k, 2, info), "__wg_P") && info[2] == WG_UINT32);
    WG_CHECK(!strcmp(wg_ukernel_param(k, 10, info), "y") && info[0] == 1 && info[1] == 1);
    int64_t ri[5];
    WG_CHECK_EQ_INT(wg_rawkernel_info(k, ri), WG_OK);
    WG_CHECK(ri[0] == 3 && ri[1] == 0 && ri[2] == 0 && ri[3] == 0);
    wg_ukernel_free(k);
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "rev", &k), WG_OK);
    WG_CHECK_EQ_INT(wg_rawkernel_info(k, ri), WG_OK);
    WG_CHECK(ri[0] == 1 && ri[1] == 32 && ri[2] == 1 && ri[3] == 1 && ri[4] == 0);
    wg_ukernel_free(k);
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "tk", &k), WG_ERR_NOTIMPL);
    WG_CHECK(strstr(wg_last_error(ctx), "name expression") != NULL);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "tk<int>", &k), WG_OK);
    wg_ukernel_free(k);
    wg_rawmodule_free(m);
    wg_context_free(ctx);
}

WG_TEST(raw_run_on_cpu) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    int32_t xv[8] = {0, 1, 2, 3, 4, 5, 6, 7}, out[8];
    wg_array *x = i32(ctx, 8, xv), *y = i32(ctx, 8, xv);
    wg_array *a = wg_scalar(ctx, 0, WG_WEAK_INT, 100, 0, 0);
    const int64_t grid[3] = {2, 1, 1}, block[3] = {4, 1, 1};
    wg_ukernel *k = get(ctx, MODULE, "fill");
    wg_array *args[3] = {y, x, a};
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, block, 0, 3, args), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, out, sizeof out), WG_OK);
    for (int i = 0; i < 8; i++) WG_CHECK_EQ_INT(out[i], 2 * i + 100);
    /* errors: CUDA's limits, argument count and kinds */
    const int64_t big[3] = {2048, 1, 1}, many[3] = {64, 32, 1};
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, big, 0, 3, args), WG_ERR_VALUE);
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, many, 0, 3, args), WG_ERR_VALUE);
    WG_CHECK(strstr(wg_last_error(ctx), "2048 threads") != NULL);
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, block, 0, 2, args), WG_ERR_TYPE);
    wg_array *swapped[3] = {y, a, x};
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, block, 0, 3, swapped), WG_ERR_TYPE);
    wg_clear_error(ctx);
    wg_ukernel_free(k);
    /* a 2-D workgroup array reverses each block (lock step on cpu: BARRIER) */
    k = get(ctx, MODULE, "rev");
    wg_array *one[1] = {y};
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, block, 0, 1, one), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, out, sizeof out), WG_OK);
    for (int i = 0; i < 8; i++) WG_CHECK_EQ_INT(out[i], 2 * ((i / 4) * 4 + 3 - i % 4) + 100);
    wg_ukernel_free(k);
    /* a template kernel, T = int: C's integer division */
    k = get(ctx, MODULE, "tk<int>");
    WG_CHECK_EQ_INT(wg_rawkernel_launch(ctx, k, grid, block, 0, 1, one), WG_OK);
    WG_CHECK_EQ_INT(wg_read(ctx, y, out, sizeof out), WG_OK);
    WG_CHECK_EQ_INT(out[0], 1);
    wg_ukernel_free(k);
    wg_release(x);
    wg_release(y);
    wg_release(a);
    wg_context_free(ctx);
}

WG_TEST(raw_errors_name_kernel_line_col) {
    wg_context *ctx = wg_context_new(WG_BACKEND_CPU);
    wg_rawmodule *m = NULL;
    /* a syntax error: the kernel's name, line and column in the user's source */
    WG_CHECK_EQ_INT(wg_rawmodule_new(ctx, "extern \"C\" __global__ void bad(float* y) {\n"
                                          "    int i = threadIdx.x;\n    y[i] = (1 +;\n}", "bad", &m),
                    WG_ERR_COMPILE);
    WG_CHECK(!strncmp(wg_last_error(ctx), "bad:3:16: ", 10));
    wg_clear_error(ctx);
    /* an unbalanced extern "C" block, a pointer to pointer, a non-constant __shared__ size */
    WG_CHECK_EQ_INT(wg_rawmodule_new(ctx, "extern \"C\" {\n__global__ void f(int* y) { }\n", "m", &m),
                    WG_ERR_COMPILE);
    wg_clear_error(ctx);
    WG_CHECK_EQ_INT(wg_rawmodule_new(ctx, "__global__ void f(int** y) { }", "m", &m), WG_OK);
    wg_ukernel *k = NULL;
    WG_CHECK_EQ_INT(wg_rawmodule_get_function(ctx, m, "f", &k), WG_ERR_NOTIMPL);
    WG_CHECK(strstr(wg_last_error(ctx), "f:1:25: only scalar and pointer") != NULL);
    wg_clear_error(ctx);
    wg_rawmodule_free(m);
    WG_CHECK_EQ_INT(wg_rawmodule_new(ctx, "__global__ void g(int* y, int n) {\n"
                                          "  __shared__ int s[n];\n}", "g", &m), WG_ERR_NOTIMPL);
    WG_CHECK(strstr(wg_last_error(ctx), "g:2:20: __shared__ array length") != NULL);
    wg_clear_error(ctx);
    wg_context_free(ctx);
}
