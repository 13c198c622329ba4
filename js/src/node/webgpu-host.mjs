// webgpu-host.mjs — a WebGPU device in Node.js through Dawn (npm `webgpu`, the dawn.node addon).
//
//   const { device, adapterInfo } = await createDawnDevice();
//
// On machines without a GPU, Vulkan is pointed at Chromium's SwiftShader ICD when
// VK_ICD_FILENAMES is unset, no system Vulkan driver is installed and the ICD file exists (see
// shared PLATFORM.md), and also when the system's drivers give Dawn no adapter.  The object returned by create() must stay referenced for the device's
// life (the process crashes otherwise): it is kept in this module.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { adapterSubgroups, bindingSizeLimit } from '../webgpu/adapter.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

let keepAlive = null; // the create() object: must outlive the device

function chooseIcd() {
  if (process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES) return;
  const hasSystemIcd = SYSTEM_ICD_DIRS.some((d) => {
    try { return fs.readdirSync(d).some((f) => f.endsWith('.json')); } catch { return false; }
  });
  if (!hasSystemIcd && fs.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

// timing: also ask for 'timestamp-query' with full-resolution timestamps (the executor's
// opts.timing; WGPY_GPU_TIMING=1 in the runner) — a profiling aid, off by default.
export async function createDawnDevice({ timing = false } = {}) {
  const userIcd = !!(process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES);
  chooseIcd();
  const require = createRequire(path.join(ROOT, 'package.json'));
  let mod;
  try {
    mod = require('webgpu');
  } catch (e) {
    throw new Error(`the npm package 'webgpu' (Dawn for Node) is not installed (scripts/setup.sh npm): ${e.message}`);
  }
  const flags = timing ? ['backend=vulkan', 'disable-dawn-features=timestamp_quantization'] : ['backend=vulkan'];
  // WGPY_DAWN_TOGGLES=a,b: Dawn device toggles turned on (e.g. disable_workgroup_init,
  // disable_robustness), a measuring aid: what Dawn's zeroing of workgroup memory or its
  // bounds clamps cost a kernel (bench/h100/s16_sort16.sh).  Never a default: a browser keeps both.
  if (process.env.WGPY_DAWN_TOGGLES) flags.push(`enable-dawn-features=${process.env.WGPY_DAWN_TOGGLES}`);
  let gpu = mod.create(flags);
  keepAlive = gpu;
  let adapter = await gpu.requestAdapter();
  // A system driver Dawn rejects (e.g. Debian's Mesa lavapipe, installed for Firefox's WebGPU:
  // "Vulkan shaderUniform*ArrayDynamicIndexing required") leaves no adapter: then SwiftShader,
  // if it is there and the user did not choose a driver (the loader reads the variable anew for
  // each instance).
  if (!adapter && !userIcd && fs.existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    gpu = mod.create(flags);
    keepAlive = gpu;
    adapter = await gpu.requestAdapter();
  }
  if (!adapter) {
    throw new Error('no WebGPU adapter from Dawn (is a Vulkan driver installed? libvulkan1, and ' +
      `VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES || '(unset)'})`);
  }
  const lim = adapter.limits;
  const requiredLimits = {
    maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
    maxStorageBufferBindingSize: bindingSizeLimit(lim),  // < 2^31 words (adapter.mjs)
    maxBufferSize: lim.maxBufferSize,
    // workgroup kernels (RawKernel blocks of up to 1024 threads; docs/webgpu.md)
    maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,  // __shared__ arrays
  };
  const requiredFeatures = timing && adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const sg = adapterSubgroups(adapter);
  if (sg) requiredFeatures.push('subgroups');
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  device.addEventListener?.('uncapturederror', (ev) => {
    process.stderr.write(`wgpy webgpu: uncaptured error: ${ev.error?.message}\n`);
  });
  const info = adapter.info || {};
  return {
    gpu,
    adapter,
    device,
    adapterInfo: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
    features: [...adapter.features],
    subgroups: sg, // [min, max] lanes, or undefined: wg_set_subgroups (python/wgpy/_lib.py)
  };
}

