/*
 * codegen — layer 6: source code for the GPU executors, generated from wg_kernel_ir.
 *
 * WGSL (wgsl.c) and GLSL ES 3.00 (glsl.c) share the instruction-to-expression emitter (expr.c)
 * and, for statement kernels (ir.h, stmt = 1), the statement walker and per-invocation scaffolding
 * (stmt.c).
 *
 * WGSL (wgsl.c).  docs/webgpu.md is the contract with the JavaScript executor (js/src/webgpu/):
 * bindings, the argument-word layout, dispatch geometry and the storage rule.  In short:
 *   @group(0) @binding(0)          var<uniform> A: array<vec4<u32>, N>   the argument words
 *   @group(0) @binding(1 + i)      input i  (read-only storage; array<i32|u32|f32>)
 *   @group(0) @binding(1 + nin + j) output j (read_write storage)
 *   words: [0] points (threads that do work)  [1] reduced points (REDUCE) or k (MATMUL)
 *          [2] threads per grid row (workgroups in x * 64)  [3] reserved
 *          [4 .. 4+ndim) shape, then per operand (inputs, then outputs) offset and strides
 *          (REDUCE output: ndim - nred strides), then one word per parameter; REDUCE: then
 *          slices and phase.
 *   ELEMENTWISE: one thread per point, @workgroup_size(64).  REDUCE: one workgroup of 256 per
 *   (point, slice), an extra binding b_part for partials (two passes when slices > 1).  MATMUL:
 *   one workgroup of 256 per 64x64 output tile.  docs/webgpu.md has the dispatch rule.
 * Storage: 32-bit dtypes as is; bool, int8/16, uint8/16 widened to one 32-bit word per element.
 * float16 and 64-bit dtypes: WG_ERR_NOTIMPL.
 */
#ifndef WG_CODEGEN_H
#define WG_CODEGEN_H

#include "../ir/ir.h"

/* What a kernel may bind (WG_KMAX_IO allows more; codegen refuses beyond these with
 * NotImplementedError): webgpu storage buffers per shader stage (inputs + outputs, + the partials
 * of a REDUCE; maxStorageBuffersPerShaderStage is 16 on the H100 — a device with a lower limit,
 * SwiftShader 12, browsers' default 8, fails such a kernel at pipeline creation), webgl2 textures
 * sampled (inputs, + the partials of a REDUCE; MAX_TEXTURE_IMAGE_UNITS is at least 16). */
#define WGC_WGSL_MAX_STORAGE 16
#define WGC_GLSL_MAX_TEXTURES 16
#define WGC_WGSL_WORKGROUP 64   /* ELEMENTWISE: threads per workgroup, one per point */
/* ELEMENTWISE and REDUCE on a CPU adapter (wg_set_adapter_class): no main_vec4 past this many
 * instructions.  A vec4 entry point is the program four times over (a copy per lane), and
 * SwiftShader's compile time grows faster than the program: 1000 fused `x + 1` took 6.5-8.9 s to
 * compile as four 256-operation kernels with main_vec4, 0.3-0.45 s as one without.  Its lanes buy
 * nothing in a long, compute-bound program there: SwiftShader runs invocations as SIMD lanes. */
#define WGC_WGSL_CPU_VEC4_MAX 64
/* MATMUL's entry point main_reg (CPU adapters): an 8x4 output block per invocation, 64 per workgroup */
#define WGC_WGSL_MM_REG_M 8
#define WGC_WGSL_MM_REG_N 4
#define WGC_WGSL_MM_REG_WG 64
#define WGC_WGSL_MM_REG4_M 8 /* main_reg4: 8 rows x 4 columns (one vec4) per invocation */
#define WGC_WGSL_RED_PT_WG 64 /* REDUCE's entry point main_pt: one invocation per kept point */
#define WGC_WGSL_RED_WG 256     /* REDUCE: the default of the override RED_WG (threads per workgroup,
                                   one workgroup per task); the executor sets it per adapter */
/* REDUCE's main_vec4 on a GPU adapter: vec4 loads issued together a step, each thread's elements
 * folded in the same order as one a step (the same bits), for programs that only load (and cast)
 * their input: the body is emitted 4 x loads times; more loads in flight a thread.  4 with the
 * executor's 1024 slices: the H100's 64M float32 sum 0.0923 ms back to back, 0.0960 with one load
 * and 2048 slices (session 22; WGPY_RED_LOADS=1|2|4 is the A/B aid) */
#define WGC_WGSL_RED_LOADS 4
#define WGC_WGSL_RED_LOADS_MAX 4 /* and only loads and casts (wgsl.c red_loads_only) */
#define WGC_WGSL_MM_TILE 64     /* MATMUL: 64x64 output tile per workgroup of 256 threads */

/* 1 when the webgpu storage rule can hold `dtype` (no float16, no 64-bit types). */
WG_INTERNAL int wgC_wgsl_dtype_ok(int dtype);
/* 1 when the dtype is stored widened to 32 bits per element (bool, int8/16, uint8/16). */
WG_INTERNAL int wgC_wgsl_widened(int dtype);
/* Number of u32 argument words a dispatch of k needs (the layout above). */
WG_INTERNAL int wgC_wgsl_arg_words(const wg_kernel_ir *k);
/* 1 when k's WGSL also has the entry point `main_vec4` (float32 MATMUL; docs/webgpu.md). */
WG_INTERNAL int wgC_wgsl_has_vec4_matmul(const wg_kernel_ir *k);
/* WGSL for k: a NUL-terminated string (free with wgB_free) in *out.  Returns WG_OK, or
 * WG_ERR_NOTIMPL (a dtype the webgpu backend cannot hold) / WG_ERR_MEMORY / WG_ERR_INTERNAL with a
 * message in ctx. */
WG_INTERNAL int wgC_wgsl(wg_context *ctx, const wg_kernel_ir *k, char **out);

/* GLSL ES 3.00 for the webgl2 backend (docs/webgl2.md is the contract with
 * js/src/webgl2/executor.mjs): a vertex and a fragment shader (each NUL-terminated, free with
 * wgB_free) in *vs and *fs.  Same argument words (wgC_wgsl_arg_words) and storage rule as WGSL;
 * buffers are R32UI texture arrays of 32-bit words.  Returns as wgC_wgsl, messages naming webgl2. */
WG_INTERNAL int wgC_glsl(wg_context *ctx, const wg_kernel_ir *k, char **vs, char **fs);

#endif
