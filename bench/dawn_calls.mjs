// dawn_calls.mjs — the host cost of each WebGPU call an executor makes per dispatch, in Node over
// Dawn (npm webgpu): µs per call of setPipeline, setBindGroup (dynamic offsets as an array, as a
// Uint32Array slice), dispatchWorkgroups, createBindGroup, and a whole encode+submit, all in the
// same run.  node bench/dawn_calls.mjs [n]
import { createDawnDevice } from '../js/src/node/webgpu-host.mjs';

const n = Number(process.argv[2] || 20000);
const { device: dev, adapterInfo } = await createDawnDevice();
const code = `@group(0) @binding(0) var<uniform> wa: array<vec4<u32>, 4>;
@group(0) @binding(1) var<storage, read_write> o: array<u32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3<u32>) { if (g.x < wa[0].x) { o[g.x] = g.x; } }`;
const bgl = dev.createBindGroupLayout({ entries: [
  { binding: 0, visibility: 4, buffer: { type: 'uniform', hasDynamicOffset: true } },
  { binding: 1, visibility: 4, buffer: { type: 'storage' } }] });
const pl = dev.createPipelineLayout({ bindGroupLayouts: [bgl] });
const pipe = dev.createComputePipeline({ layout: pl, compute: { module: dev.createShaderModule({ code }), entryPoint: 'main' } });
const ubuf = dev.createBuffer({ size: 1 << 16, usage: 0x40 | 0x8 });
const sbuf = dev.createBuffer({ size: 1024, usage: 0x80 });
const bg = dev.createBindGroup({ layout: bgl, entries: [{ binding: 0, resource: { buffer: ubuf, offset: 0, size: 64 } }, { binding: 1, resource: { buffer: sbuf } }] });
const offs = new Uint32Array(256);
for (let i = 0; i < 256; i++) offs[i] = i * 256;
const res = {};
function time(name, body) {
  for (let rep = 0; rep < 2; rep++) {
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, bg, [0]);
    const t0 = performance.now();
    body(pass, enc);
    const t = performance.now() - t0;
    pass.end();
    dev.queue.submit([enc.finish()]);
    if (rep) res[name] = (t * 1e3 / n).toFixed(2);
  }
}
time('setPipeline', (p) => { for (let i = 0; i < n; i++) p.setPipeline(pipe); });
time('setBindGroup [off]', (p) => { for (let i = 0; i < n; i++) p.setBindGroup(0, bg, [offs[i & 255]]); });
time('setBindGroup u32 slice', (p) => { for (let i = 0; i < n; i++) p.setBindGroup(0, bg, offs, i & 255, 1); });
time('dispatchWorkgroups(1,1)', (p) => { for (let i = 0; i < n; i++) p.dispatchWorkgroups(1, 1); });
time('dispatchWorkgroups(1)', (p) => { for (let i = 0; i < n; i++) p.dispatchWorkgroups(1); });
time('createBindGroup', () => { for (let i = 0; i < n; i++) dev.createBindGroup({ layout: bgl, entries: [{ binding: 0, resource: { buffer: ubuf, offset: 0, size: 64 } }, { binding: 1, resource: { buffer: sbuf } }] }); });
time('all three per dispatch', (p) => { for (let i = 0; i < n; i++) { p.setPipeline(pipe); p.setBindGroup(0, bg, [offs[i & 255]]); p.dispatchWorkgroups(1, 1); } });
time('bind+dispatch, u32 slice', (p) => { for (let i = 0; i < n; i++) { p.setBindGroup(0, bg, offs, i & 255, 1); p.dispatchWorkgroups(1); } });
for (const m of [1, 10, 100]) {
  const t0 = performance.now();
  const reps = Math.max(20, 2000 / m);
  for (let r = 0; r < reps; r++) {
    const enc = dev.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    for (let i = 0; i < m; i++) { pass.setBindGroup(0, bg, offs, i & 255, 1); pass.dispatchWorkgroups(1); }
    pass.end();
    dev.queue.writeBuffer(ubuf, 0, offs.buffer, 0, 1024);
    dev.queue.submit([enc.finish()]);
  }
  res[`encoder+pass+submit with ${m} dispatches, per submit`] = ((performance.now() - t0) * 1e3 / reps).toFixed(1);
}
await dev.queue.onSubmittedWorkDone();
console.log(JSON.stringify({ adapter: adapterInfo.description || adapterInfo.device, us_per_call: res }, null, 1));
process.exit(0);
