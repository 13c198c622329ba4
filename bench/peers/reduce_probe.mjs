// reduce_probe.mjs — REDUCE shapes on the WebGPU adapter in Node over Dawn (issue 15): a sum of 1M
// float32 with W threads per workgroup and NG workgroups (vec4 loads, a serial segment per thread,
// then a shared-memory tree or a serial fold by thread 0), one dispatch plus a 4-byte read, median
// of 15.  What chose the CPU-adapter shape in js/src/webgpu/executor.mjs (reduceShape).
//   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     CF='[[256,256,"strided","tree"],[32,32,"strided","tree"]]' node bench/peers/reduce_probe.mjs
// layout: strided (thread lid reads lid, lid + W, ...) or blocked (a contiguous run per thread);
// tree: tree (log2 W barrier steps) or serial (thread 0 folds the W partials).
import { createDawnDevice } from '../../js/src/node/webgpu-host.mjs';
const GPUBufferUsage = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 }; const GPUMapMode = { READ: 1 };
const { device, adapterInfo } = await createDawnDevice();
console.log(JSON.stringify(adapterInfo), device.limits.maxComputeInvocationsPerWorkgroup);
const N = 1 << 20;
const data = new Float32Array(N); for (let i = 0; i < N; i++) data[i] = i / N;
const inb = device.createBuffer({ size: N * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(inb, 0, data);
const part = device.createBuffer({ size: 65536 * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
const rb = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
// layout: 'strided' (thread r = lid*4 + k*W*4 within workgroup slice) or 'blocked' (each thread a contiguous run)
function shader(W, layout, tree) {
  return `
@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
struct A { n4: u32, per: u32, ng: u32, pad: u32 };
@group(0) @binding(2) var<uniform> a: A;
var<workgroup> sh: array<f32, ${W}>;
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lo = wid.x * a.per; let hi = min(lo + a.per, a.n4);
  var acc = vec4<f32>(0.0);
  ${layout === 'strided' ? `for (var r = lo + lid; r < hi; r = r + ${W}u) { acc = acc + x[r]; }` :
    `let cl = (a.per + ${W - 1}u) / ${W}u; let l2 = lo + lid * cl; let h2 = min(l2 + cl, hi);
  for (var r = l2; r < h2; r = r + 1u) { acc = acc + x[r]; }`}
  let t = (acc.x + acc.y) + (acc.z + acc.w);
  ${W === 1 ? 'out[wid.x] = t;' : tree === 'tree' ? `sh[lid] = t; workgroupBarrier();
  for (var st = ${W / 2}u; st > 0u; st = st >> 1u) { if (lid < st) { sh[lid] = sh[lid] + sh[lid + st]; } workgroupBarrier(); }
  if (lid == 0u) { out[wid.x] = sh[0]; }` : `sh[lid] = t; workgroupBarrier();
  if (lid == 0u) { var s = 0.0; for (var i = 0u; i < ${W}u; i = i + 1u) { s = s + sh[i]; } out[wid.x] = s; }`}
}`;
}
async function bench(W, NG, layout, tree) {
  const mod = device.createShaderModule({ code: shader(W, layout, tree) });
  const pl = device.createComputePipeline({ layout: 'auto', compute: { module: mod, entryPoint: 'main' } });
  const n4 = N / 4, per = Math.ceil(n4 / NG);
  const ub = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(ub, 0, new Uint32Array([n4, per, NG, 0]));
  const bg = device.createBindGroup({ layout: pl.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: inb } }, { binding: 1, resource: { buffer: part } }, { binding: 2, resource: { buffer: ub } }] });
  const ts = [];
  for (let rep = 0; rep < 15; rep++) {
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    const p = enc.beginComputePass(); p.setPipeline(pl); p.setBindGroup(0, bg); p.dispatchWorkgroups(NG); p.end();
    enc.copyBufferToBuffer(part, 0, rb, 0, 4);
    device.queue.submit([enc.finish()]);
    await rb.mapAsync(GPUMapMode.READ); rb.unmap();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(`W=${W} NG=${NG} ${layout} ${tree}: median ${ts[7].toFixed(2)} ms min ${ts[0].toFixed(2)}`);
}
const CF = JSON.parse(process.env.CF || '[[256,256,"strided","tree"],[32,32,"strided","tree"]]');
for (const [W, NG, layout, tree] of CF)
  await bench(W, NG, layout, tree);
process.exit(0);
