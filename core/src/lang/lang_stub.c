/* TEMPORARY: stands in for the CUDA-C front end until the lang branch merges (then deleted). */
#include "lang.h"
int wgK_parse_elementwise(wg_context *ctx, const char *a, const char *b, const char *c, const char *d, const char *e, const char *f, const char *g, wgK_def **out) { (void)a;(void)b;(void)c;(void)d;(void)e;(void)f;(void)g; *out = NULL; return wgB_error(ctx, WG_ERR_NOTIMPL, "no front end yet"); }
int wgK_parse_reduction(wg_context *ctx, const char *a, const char *b, const char *c, const char *d, const char *e, const char *f, const char *g, const char *h, const char *i, wgK_def **out) { (void)a;(void)b;(void)c;(void)d;(void)e;(void)f;(void)g;(void)h;(void)i; *out = NULL; return wgB_error(ctx, WG_ERR_NOTIMPL, "no front end yet"); }
void wgK_free(wgK_def *d) { (void)d; }
int wgK_kind(const wgK_def *d) { (void)d; return 0; }
const char *wgK_name(const wgK_def *d) { (void)d; return ""; }
int wgK_nparams(const wgK_def *d) { (void)d; return 0; }
int wgK_nin(const wgK_def *d) { (void)d; return 0; }
const wgK_param *wgK_param_at(const wgK_def *d, int i) { (void)d; (void)i; return NULL; }
int wgK_bind(wg_context *ctx, const wgK_def *d, int n, const int *k, const int *t, int *p) { (void)d;(void)n;(void)k;(void)t;(void)p; return wgB_error(ctx, WG_ERR_NOTIMPL, "x"); }
int wgK_lower(wg_context *ctx, const wgK_def *d, const int *a, const int *b, const int *c, int e, int f, wg_kernel_ir **out, wgK_map *m) { (void)d;(void)a;(void)b;(void)c;(void)e;(void)f;(void)m; *out = NULL; return wgB_error(ctx, WG_ERR_NOTIMPL, "x"); }
