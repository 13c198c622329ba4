// adapter.mjs — what the hosts (js/src/browser/gpu-devices.js, js/src/node/webgpu-host.mjs) read
// from a WebGPU adapter before they open its device, in one place.

// The adapter's subgroup sizes [min, max] where it offers WebGPU's `subgroups` feature (the hosts
// then request it, so that the engine may run CUDA's warp intrinsics as subgroup operations where
// every subgroup is 32 lanes: wg_set_subgroups, docs/kernels.md "Warp intrinsics"), else undefined
// (not null: Pyodide's toPy makes undefined None).
export function adapterSubgroups(adapter) {
  const info = adapter.info || {};
  if (!adapter.features.has('subgroups') || !(info.subgroupMaxSize > 0)) return undefined;
  return [info.subgroupMinSize, info.subgroupMaxSize];
}

// The storage binding size the hosts request: the adapter's, at most 2^33 - 4 bytes, so that a
// binding holds fewer than 2^31 words.  The WGSL generator relies on it (core/src/codegen/expr.h
// pos_wraps): element e of a raw run at offset o is the word bitcast<u32>(o + e) in wrapping i32
// arithmetic, and a word of 2^31 or more must be past the binding's end, where the accessor's
// check (x < arrayLength) drops the access.  No adapter offers more today (Vulkan's
// maxStorageBufferRange is a u32 of bytes).
export function bindingSizeLimit(lim) {
  return Math.min(lim.maxStorageBufferBindingSize, 2 ** 33 - 4);
}
