// gpu-devices.js — GPU devices for the browser host, usable on the page and in a worker.
//
//   const { device, adapterInfo, features } = await createWebGPUDevice();
//   const { gl, canvas, info } = createWebGL2Context();      // OffscreenCanvas; worker or page
//   const dev = await openBackendDevice('auto');              // { backend, device, adapterInfo, features }
//   const report = await probeGPU();                          // what this context offers (JSON-able)
//
// No wgpy semantics here: this only opens devices the executors (js/src/webgpu/, js/src/webgl2/)
// are handed, and describes the environment for the test harness.

import { adapterSubgroups, bindingSizeLimit } from '../webgpu/adapter.mjs';

// WebGPU: the adapter's own limits for what wgpy's kernels lean on (storage buffers per stage,
// binding size, buffer size), as the Node host (js/src/node/webgpu-host.mjs) asks for them.
export async function createWebGPUDevice({ powerPreference = 'high-performance' } = {}) {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) {
    throw new Error('WebGPU: navigator.gpu is missing in this context (Chromium needs ' +
      '--enable-unsafe-webgpu without a GPU, and a secure context: http://127.0.0.1 or https)');
  }
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) {
    throw new Error('WebGPU: requestAdapter() returned null (headless Chromium: ' +
      '--enable-unsafe-webgpu --enable-unsafe-swiftshader)');
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
  const subgroups = adapterSubgroups(adapter);
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures: subgroups ? ['subgroups'] : [] });
  device.addEventListener?.('uncapturederror', (ev) => {
    console.error(`wgpy webgpu: uncaptured error: ${ev.error?.message}`);
  });
  return {
    adapter,
    device,
    adapterInfo: adapterInfoOf(adapter),
    features: [...adapter.features].sort(),
    subgroups, // wg_set_subgroups (python/wgpy/_lib.py)
  };
}

function adapterInfoOf(adapter) {
  const i = adapter.info || {};
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description };
}

// WebGL2 on an OffscreenCanvas (in a worker there is no DOM canvas); on a page, a detached
// <canvas> when OffscreenCanvas is missing or gives no WebGL2 context (WebKitGTK 2.50: its page
// OffscreenCanvas has no webgl2, its DOM canvas has; docs/browsers.md).  Throws when unavailable.
// The webgl2 executor renders into R32UI / RG32UI textures, which every WebGL2 context can
// (color-renderable integer formats of core WebGL2): no extension is needed.
export function createWebGL2Context({ width = 1, height = 1 } = {}) {
  const attrs = { antialias: false, depth: false, stencil: false, alpha: true,
    preserveDrawingBuffer: false, powerPreference: 'high-performance' };
  const tries = [];
  if (typeof OffscreenCanvas !== 'undefined') tries.push(() => new OffscreenCanvas(width, height));
  if (globalThis.document?.createElement) tries.push(() => Object.assign(document.createElement('canvas'), { width, height }));
  if (!tries.length) throw new Error('WebGL2: OffscreenCanvas is missing');
  for (const make of tries) {
    const canvas = make();
    const gl = canvas.getContext('webgl2', attrs);
    if (gl) return { gl, canvas, info: webgl2Info(gl) };
  }
  throw new Error('WebGL2: getContext("webgl2") returned null (headless Chromium needs --use-angle=swiftshader; ' +
    'headless Firefox has none: run it headed, e.g. under Xvfb)');
}

// The device of a backend for its executor: { backend, device, adapterInfo, features }.
// backend 'auto' (docs/webgl2.md, backend choice): webgpu when an adapter gives a device, else
// webgl2 when a context opens, else { backend: 'cpu', device: null } (the engine runs kernels
// itself); `tried` then says why each was passed over.  An explicit backend throws when its
// device does not open.
export async function openBackendDevice(backend) {
  if (backend === 'webgpu') {
    const { device, adapterInfo, features, subgroups } = await createWebGPUDevice();
    return { backend, device, adapterInfo, features, subgroups };
  }
  if (backend === 'webgl2') {
    const { gl, info } = createWebGL2Context();
    return { backend, device: gl, adapterInfo: info, features: [] };
  }
  if (backend === 'auto') {
    const tried = {};
    // In a worker, Python waits on webgpu's promises through JSPI (pyodide.ffi.run_sync): without
    // it (WebKit) webgpu would open and then fail at the first read, so auto passes it over.
    const inWorker = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
    const jspi = typeof WebAssembly.Suspending === 'function';
    for (const b of ['webgpu', 'webgl2']) {
      if (b === 'webgpu' && inWorker && !jspi) {
        tried[b] = 'no JSPI in this worker to wait on the GPU (run the executor on the page: where main)';
        continue;
      }
      try {
        return { ...(await openBackendDevice(b)), tried };
      } catch (e) {
        tried[b] = String(e && e.message ? e.message : e);
      }
    }
    return { backend: 'cpu', device: null, adapterInfo: {}, features: [], tried };
  }
  throw new Error(`no device for backend '${backend}' (webgpu, webgl2 or auto)`);
}

function webgl2Info(gl) {
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    version: gl.getParameter(gl.VERSION),
    shadingLanguage: gl.getParameter(gl.SHADING_LANGUAGE_VERSION),
    vendor: gl.getParameter(gl.VENDOR),
    renderer: gl.getParameter(gl.RENDERER),
    unmaskedVendor: dbg ? gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL) : null,
    unmaskedRenderer: dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : null,
    maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE),
    colorBufferFloat: !!gl.getExtension('EXT_color_buffer_float'),
  };
}

// A JSON-able description of this context: isolation, JSPI, WebGPU (adapter, features, a few
// limits, whether a device opens) and WebGL2 (renderer strings).  Never throws.
export async function probeGPU() {
  const out = {
    context: typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope ? 'worker' : 'page',
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    jspi: typeof WebAssembly.Suspending === 'function' && typeof WebAssembly.promising === 'function',
    userAgent: globalThis.navigator?.userAgent,
    webgpu: { available: false },
    webgl2: { available: false },
  };
  try {
    const gpu = globalThis.navigator?.gpu;
    if (!gpu) throw new Error('navigator.gpu is missing');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('requestAdapter() returned null');
    const lim = adapter.limits;
    const device = await adapter.requestDevice();
    out.webgpu = {
      available: true,
      adapterInfo: adapterInfoOf(adapter),
      features: [...adapter.features].sort(),
      limits: {
        maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
        maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
        maxBufferSize: lim.maxBufferSize,
      },
      device: !!device,
    };
    device.destroy();
  } catch (e) {
    out.webgpu = { available: false, error: String(e && e.message ? e.message : e) };
  }
  try {
    const { gl, info } = createWebGL2Context();
    out.webgl2 = { available: true, ...info };
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  } catch (e) {
    out.webgl2 = { available: false, error: String(e && e.message ? e.message : e) };
  }
  return out;
}

// Storage buffers (webgpu) or texture units (webgl2) one kernel may bind on this device: the
// engine keeps multi-output kernels within it (python/wgpy/_lib.py, wg_set_max_bindings).
export function maxBindings(backend, device) {
  try {
    if (backend === 'webgpu') return device.limits.maxStorageBuffersPerShaderStage;
    if (backend === 'webgl2') return device.getParameter(device.MAX_TEXTURE_IMAGE_UNITS);
  } catch (e) { /* unknown: the engine's default */ }
  return 0;
}
