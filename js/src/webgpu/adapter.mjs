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
