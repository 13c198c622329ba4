/*
 * lang internals: tokens (lex.c), the macro preprocessor (pp.c), the AST (parse.c), the kernel
 * definition (def.c) and the lowering to IR (lower.c, builtin.c).  Private to core/src/lang.
 */
#ifndef WG_LANG_INT_H
#define WG_LANG_INT_H

#include "lang.h"
#include "../dtype/dtype.h"

/* Limits that keep hostile sources bounded in time and memory. */
#define WGK_MAX_TOKENS 200000   /* after macro expansion */
#define WGK_MAX_DEPTH 200       /* nesting of expressions/statements in the parser */
#define WGK_MAX_MACRO_DEPTH 32
#define WGK_MAX_INLINE 12       /* nesting of inlined preamble functions */
#define WGK_MAX_SYMS 1024
#define WGK_MAX_FUNCS 64
#define WGK_MAX_ARRAY 16        /* elements of a local array */
#define WGK_MAX_CONST 16384     /* elements of a __constant__ array (CUDA's 64 KiB of floats) */
#define WGK_MAX_SHARED_LEN (1 << 24)  /* elements of a `__shared__` array */
#define WGK_MAX_SHARED_RANK 8
#define WGK_MAX_FUNC_PARAMS 24   /* a function's (a __global__ one's: with the 8 geometry ones, 32) */

/* Which text a token came from (for error messages). */
enum { WGK_SRC_OPERATION, WGK_SRC_PREAMBLE, WGK_SRC_LOOP_PREP, WGK_SRC_MAP, WGK_SRC_REDUCE,
       WGK_SRC_POST, WGK_SRC_IDENTITY, WGK_SRC_PARAMS, WGK_NSRC };

enum { TK_EOF, TK_IDENT, TK_INT, TK_FLOAT, TK_PUNCT, TK_STRING, TK_HASH_LINE };

typedef struct wgK_tok {
    int kind;
    int punct;            /* TK_PUNCT: P1/P2/P3 code */
    const char *text;
    int len;
    int line, col, src;
} wgK_tok;

#define P1(a) ((int)(unsigned char)(a))
#define P2(a, b) (P1(a) | P1(b) << 8)
#define P3(a, b, c) (P2(a, b) | P1(c) << 16)

typedef struct wgK_toks {
    wgK_tok *v;
    int n, cap;
} wgK_toks;

/* Shared state of one parse: the context, the kernel name (for messages), the arena. */
typedef struct wgK_arena_blk wgK_arena_blk;
typedef struct wgK_pctx {
    wg_context *ctx;
    const char *name;
    wgK_arena_blk *arena;
    size_t arena_total;
    long pushed;            /* tokens pushed by the lexer and preprocessor (a budget) */
    int failed;
    int raw;                /* a RawKernel source: #include lines are ignored */
} wgK_pctx;

WG_INTERNAL void *wgK_alloc(wgK_pctx *P, size_t n);  /* zeroed; NULL (error set) on failure */
WG_INTERNAL void wgK_arena_free(wgK_arena_blk *b);
/* "<name>:<line>:<col>: <what>[ in <src>]: `<tok text>`" */
WG_INTERNAL int wgK_err_at(wgK_pctx *P, int status, const wgK_tok *t, const char *what);
WG_INTERNAL const char *wgK_src_name(int src);

WG_INTERNAL int wgK_lex(wgK_pctx *P, const char *text, int src, wgK_toks *out);
WG_INTERNAL int wgK_toks_push(wgK_pctx *P, wgK_toks *t, const wgK_tok *tok);
WG_INTERNAL void wgK_toks_free(wgK_toks *t);

/* Macro preprocessing: consumes TK_HASH_LINE directives, expands macros. */
typedef struct wgK_macros wgK_macros;
WG_INTERNAL int wgK_pp(wgK_pctx *P, wgK_macros **m, const wgK_toks *in, wgK_toks *out);
WG_INTERNAL void wgK_macros_free(wgK_macros *m);

/* ---- AST ---- */
enum {
    /* expressions */
    N_IDENT, N_INT, N_FLOAT, N_BOOL, N_UNARY, N_BINARY, N_ASSIGN, N_PREINC, N_POSTINC,
    N_TERNARY, N_CALL, N_INDEX, N_MEMBER_CALL, N_CAST, N_ADDR, N_DEREF, N_COMMA, N_INIT_LIST,
    /* statements */
    N_BLOCK, N_EXPR_STMT, N_DECL, N_IF, N_FOR, N_WHILE, N_DO, N_BREAK, N_CONTINUE, N_RETURN,
    N_EMPTY
};

/* A type as written: a builtin C type (dtype) or a name (placeholder/template param). */
typedef struct wgK_type {
    int dtype;              /* >= 0: a C or dtype name; -1: named, resolved at lowering */
    const wgK_tok *name;    /* when dtype < 0 */
    int is_ref, is_ptr, is_const, is_void;
    int is_shared;          /* `__shared__` (a RawKernel's workgroup array) */
    int is_extern;          /* `extern __shared__ T a[]` (dynamic shared memory) */
    int ptr_depth;          /* `T**`: 2 */
} wgK_type;

typedef struct wgK_node wgK_node;
struct wgK_node {
    int kind;
    int op;                 /* punct code of the operator; N_CAST: 1 = reinterpret_cast */
    const wgK_tok *tok;     /* location and text */
    wgK_type type;          /* N_CAST, N_DECL */
    wgK_node *a, *b, *c, *d;
    wgK_node *next;         /* argument lists, statement lists, declarators */
    int64_t ival;
    double fval;
    int lit_dtype;          /* literal dtype before the 64-bit policy */
    int array_len;          /* N_DECL: -1 not an array, 0 `[]`, n (a __shared__ array: the
                             * product of its dimensions) */
    int ndims;              /* N_DECL of a __shared__ array: its rank and dimensions */
    int dims[WGK_MAX_SHARED_RANK];
    wgK_node *dim_exprs;    /* N_DECL of a __shared__ array whose dimensions name a template
                             * value parameter: the dimensions' expressions (linked by next),
                             * evaluated for the template's arguments (def.c) */
    int scratch;            /* N_DECL of a __shared__ array that an atomic updates: 1 + the
                             * index of its storage scratch (wgK_raw.scratch) */
    int h;                  /* height of the subtree (bounds the lowering's recursion) */
};

typedef struct wgK_func {
    const wgK_tok *name;
    int ntparams;
    const wgK_tok *tparams[8];  /* template <typename T, ...> */
    int tvalue_dt[8];           /* -1: a type parameter; else a value one's type (`int N`) */
    wgK_type ret;
    int is_global;              /* a RawKernel's `__global__` function */
    int is_constant;            /* no function: a module-scope `__constant__` declaration, its
                                 * N_BLOCK of N_DECLs in body (def.c: hidden raw inputs) */
    int nparams;
    wgK_type ptype[WGK_MAX_FUNC_PARAMS];
    const wgK_tok *pname[WGK_MAX_FUNC_PARAMS];
    wgK_node *body;
} wgK_func;

typedef struct wgK_parser_cfg {
    int ntypes;
    const char *types[WGK_MAX_PARAMS + 8];  /* placeholder names that are type names */
} wgK_parser_cfg;

/* Parse a statement list (the whole token list). */
WG_INTERNAL int wgK_parse_stmts(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t,
                                wgK_node **out);
/* Parse one expression (the whole token list). */
WG_INTERNAL int wgK_parse_expr(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t,
                               wgK_node **out);
/* Parse a RawKernel/RawModule source: `__device__` and `__global__` functions, `extern "C"`
 * (also `extern "C" { ... }` blocks). */
WG_INTERNAL int wgK_parse_module(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t,
                                 wgK_func *funcs, int maxf, int *nfuncs);
WG_INTERNAL int wgK_parse_type_at(wgK_pctx *P, const wgK_toks *t, int *pos, wgK_type *ty);
/* The value of an integer constant expression; names are looked up by `name` (NULL: none). */
WG_INTERNAL int wgK_const_eval(const wgK_node *n, int (*name)(void *, const wgK_tok *, int64_t *),
                               void *arg, int64_t *v);
/* Parse preamble function definitions. */
WG_INTERNAL int wgK_parse_preamble(wgK_pctx *P, const wgK_parser_cfg *cfg, const wgK_toks *t,
                                   wgK_func *funcs, int maxf, int *nfuncs);

/* C type keywords (int, float, size_t...) and NumPy names; -1 if not a builtin type. */
WG_INTERNAL int wgK_builtin_type(const char *s, int len);
WG_INTERNAL int wgK_tok_is(const wgK_tok *t, const char *s);
/* A RawKernel's geometry builtin (threadIdx.x ... gridDim.z, warpSize: 0..12), or -1. */
WG_INTERNAL int wgK_raw_builtin(const wgK_tok *t);

struct wgK_def {
    wgK_pctx P;
    int kind;
    char name[WGK_NAME_MAX];
    int nparams, nin;
    wgK_param params[WGK_MAX_PARAMS];
    wgK_toks toks[WGK_NSRC];
    wgK_macros *macros;
    wgK_node *body;          /* elementwise: loop_prep then operation; reduction: map_expr */
    wgK_node *reduce, *post, *identity;
    const wgK_tok *reduce_type;  /* NULL: the first out param's type */
    int reduce_type_dtype;       /* builtin dtype of reduce_type, or -1 */
    int nfuncs;
    wgK_func funcs[WGK_MAX_FUNCS];
    wgK_raw raw;             /* kind WGK_RAW */
    wgK_node *raw_prep, *raw_pad;      /* the thread's index in its block; padding threads end */
    wgK_node *raw_geom[13];  /* threadIdx.x ... gridDim.z, warpSize (wgK_raw_builtin) */
    const wgK_func *raw_func;    /* the __global__ function */
    int raw_tdt[8];              /* its template arguments (`name<float>`) */
    int64_t raw_tval[8];         /* (value parameters: `name<float, 128>`) */
};

/* 1 when `t` names a warp intrinsic that exchanges values through workgroup memory, 2 for
 * __syncwarp, 0 otherwise (warp.c; def.c makes such a RawKernel a workgroup kernel). */
WG_INTERNAL int wgK_is_warp_exchange(const wgK_tok *t);

#endif
