// rng14_probe.mjs — hand-written WGSL (not wgpy's generated code) of 16M float32 Philox4x32-10
// normals, timed with GPU timestamps through Dawn: the four stores a point at 16-byte stride
// (wgpy's block form), one vec4 store a point (array<vec4<f32>>), the lanes exchanged through
// workgroup memory (wgpy's workgroup form), each with the normals or with zeros (the stores
// alone); plus `add` of 16M for the write rate.  Decides whether a vector store in the IR would
// beat the workgroup form (docs/random.md, "Coalesced stores").
//
//   node bench/h100/rng14_probe.mjs [n]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const dawn = require('webgpu');
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const lim = adapter.limits;
const device = await adapter.requestDevice({
  requiredFeatures: ['timestamp-query'].filter((f) => adapter.features.has(f)),
  requiredLimits: { maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize, maxBufferSize: lim.maxBufferSize },
});
device.addEventListener('uncapturederror', (e) => console.log('GPU error:', e.error.message));
const U = GPUBufferUsage;
const N = Number(process.argv[2] || (16 << 20));
const B = N / 4; // blocks

async function gpuTime(p, bufs, groups, reps = 21) {
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const res = device.createBuffer({ size: 16 * reps, usage: U.QUERY_RESOLVE | U.COPY_SRC });
  const rd = device.createBuffer({ size: 16 * reps, usage: U.MAP_READ | U.COPY_DST });
  const bg = device.createBindGroup({ layout: p.getBindGroupLayout(0),
    entries: bufs.map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const enc = device.createCommandEncoder();
  for (let r = 0; r < reps + 3; r++) { // three warm-ups
    const tw = r >= 3 ? { querySet: qs, beginningOfPassWriteIndex: 2 * (r - 3), endOfPassWriteIndex: 2 * (r - 3) + 1 } : undefined;
    const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
    pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(Math.min(groups, 32768), Math.ceil(groups / 32768));
    pass.end();
  }
  enc.resolveQuerySet(qs, 0, 2 * reps, res, 0);
  enc.copyBufferToBuffer(res, 0, rd, 0, 16 * reps);
  device.queue.submit([enc.finish()]);
  await rd.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(rd.getMappedRange());
  const d = [];
  for (let r = 0; r < reps; r++) d.push(Number(t[2 * r + 1] - t[2 * r]) / 1e6);
  rd.unmap(); rd.destroy(); res.destroy(); qs.destroy();
  d.sort((x, y) => x - y);
  return d[reps >> 1];
}

async function read(b, n) {
  const st = device.createBuffer({ size: n * 4, usage: U.MAP_READ | U.COPY_DST });
  const e = device.createCommandEncoder();
  e.copyBufferToBuffer(b, 0, st, 0, n * 4);
  device.queue.submit([e.finish()]);
  await st.mapAsync(GPUMapMode.READ);
  const r = new Uint32Array(st.getMappedRange().slice(0));
  st.destroy();
  return r;
}

const PHILOX = `
fn mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let t = ah * bl + ((al * bl) >> 16u);
  let w = al * bh + (t & 0xffffu);
  return ah * bh + (t >> 16u) + (w >> 16u);
}
fn philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr; var k = key;
  for (var r = 0; r < 10; r++) {
    let h0 = mulhi(3528531795u, c.x); let l0 = 3528531795u * c.x;
    let h1 = mulhi(3449720151u, c.z); let l1 = 3449720151u * c.z;
    c = vec4<u32>(h1 ^ c.y ^ k.x, l1, h0 ^ c.w ^ k.y, l0);
    k = k + vec2<u32>(2654435769u, 3144134277u);
  }
  return c;
}
fn f24(w: u32, h: f32) -> f32 { return (f32(w >> 8u) + h) * 5.9604644775390625e-08; }
fn normals(b: u32) -> vec4<f32> {
  let r = philox(vec4<u32>(b, 0u, 0u, 0u), vec2<u32>(12345u, 0u));
  let rad0 = sqrt(-2.0 * log(f24(r.x, 0.5))); let t0 = 6.283185307179586 * f24(r.y, 0.0);
  let rad1 = sqrt(-2.0 * log(f24(r.z, 0.5))); let t1 = 6.283185307179586 * f24(r.w, 0.0);
  return vec4<f32>(rad0 * cos(t0), rad0 * sin(t0), rad1 * cos(t1), rad1 * sin(t1));
}
fn zeros(b: u32) -> vec4<f32> { return vec4<f32>(0.0); }
`;
const GID = 'let b = gid.x + gid.y * 32768u * WG;';
const forms = {
  scalar4: (v) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
const WG = 64u;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID} if (b >= ${B}u) { return; }
  let v = ${v}(b); let e = 4u * b;
  y[e] = v.x; y[e + 1u] = v.y; y[e + 2u] = v.z; y[e + 3u] = v.w;
}`,
  vec4: (v) => `@group(0) @binding(0) var<storage, read_write> y: array<vec4<f32>>;
const WG = 64u;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID} if (b >= ${B}u) { return; }
  y[b] = ${v}(b);
}`,
  vec4_256: (v) => `@group(0) @binding(0) var<storage, read_write> y: array<vec4<f32>>;
const WG = 256u;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${GID} if (b >= ${B}u) { return; }
  y[b] = ${v}(b);
}`,
  wg64: (v) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
const WG = 64u;
var<workgroup> sh: array<f32, 264>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  ${GID}
  let v = ${v}(b); var w = 4u * t;
  sh[w + (w >> 5u)] = v.x; w += 1u; sh[w + (w >> 5u)] = v.y; w += 1u;
  sh[w + (w >> 5u)] = v.z; w += 1u; sh[w + (w >> 5u)] = v.w;
  workgroupBarrier();
  let base = 4u * (b - t);
  for (var s = 0u; s < 4u; s++) { let u = t + 64u * s; if (base + u < ${N}u) { y[base + u] = sh[u + (u >> 5u)]; } }
}`,
};

const out = device.createBuffer({ size: 4 * N, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
let ref = null;
for (const v of ['normals', 'zeros']) {
  for (const [name, f] of Object.entries(forms)) {
    const module = device.createShaderModule({ code: PHILOX + f(v) });
    const p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const wg = name.endsWith('256') ? 256 : 64;
    const ms = await gpuTime(p, [out], Math.ceil(B / wg));
    let check = '';
    if (v === 'normals') {
      const got = await read(out, Math.min(N, 1 << 20));
      if (!ref) ref = got;
      else check = ref.every((x, i) => x === got[i]) ? '  same bits as scalar4' : '  DIFFERENT from scalar4';
    }
    console.log(`${v.padEnd(8)} ${name.padEnd(9)} GPU ${ms.toFixed(4)} ms${check}`);
  }
}
{ // the write rate: y = a + b over N float32 (scalar, 256 a workgroup)
  const a = device.createBuffer({ size: 4 * N, usage: U.STORAGE });
  const c = device.createBuffer({ size: 4 * N, usage: U.STORAGE });
  const module = device.createShaderModule({ code: `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> c: array<f32>;
@compute @workgroup_size(256) fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x + gid.y * 32768u * 256u; if (i < ${N}u) { y[i] = a[i] + c[i]; }
}` });
  const p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const ms = await gpuTime(p, [out, a, c], Math.ceil(N / 256));
  console.log(`add      scalar    GPU ${ms.toFixed(4)} ms (${(12 * N / ms / 1e9).toFixed(2)} TB/s)`);
}
process.exit(0);
