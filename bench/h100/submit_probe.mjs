// submit_probe.mjs — the host cost of a queue submission in Dawn (Node), with the GPU idle and
// with the GPU busy on earlier submissions: what run ahead's hand-offs pay (docs/benchmarks.md).
//   node bench/h100/submit_probe.mjs [n]     # n floats streamed per dispatch (default 64M)
import { createDawnDevice } from '../../js/src/node/webgpu-host.mjs';

const { device, adapterInfo } = await createDawnDevice();
console.log('adapter:', adapterInfo.description || adapterInfo.vendor);
const U = { STORAGE: 0x80, UNIFORM: 0x40, COPY_DST: 0x08 };
const N = Number(process.argv[2] || 64 << 20);
const src = device.createBuffer({ size: N * 4, usage: U.STORAGE });
const dst = device.createBuffer({ size: 4 * 4096, usage: U.STORAGE });
const uni = device.createBuffer({ size: 1 << 16, usage: U.UNIFORM | U.COPY_DST });
const code = `@group(0) @binding(0) var<uniform> u: vec4<u32>;
@group(0) @binding(1) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> o: array<f32>;
var<workgroup> acc: array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(workgroup_id) g: vec3<u32>, @builtin(local_invocation_index) l: u32) {
  let n4 = arrayLength(&a); let per = n4 / 2048u; var s = 0.0;
  for (var i = g.x * per + l; i < (g.x + 1u) * per; i += 256u) { let v = a[i]; s += v.x + v.y + v.z + v.w; }
  acc[l] = s; workgroupBarrier();
  for (var k = 128u; k > 0u; k >>= 1u) { if (l < k) { acc[l] += acc[l + k]; } workgroupBarrier(); }
  if (l == 0u) { o[g.x % 4096u] = acc[0] + f32(u.x); }
}`;
const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [
  { binding: 0, resource: { buffer: uni, offset: 0, size: 16 } }, { binding: 1, resource: { buffer: src } }, { binding: 2, resource: { buffer: dst } }] });
const words = new Uint32Array(64);
const submit = (ndisp, write, scopes) => {
  const t0 = performance.now();
  if (scopes) { device.pushErrorScope('out-of-memory'); device.pushErrorScope('validation'); }
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  for (let i = 0; i < ndisp; i++) { pass.setPipeline(pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(2048); }
  pass.end();
  const t1 = performance.now();
  if (write) device.queue.writeBuffer(uni, 0, words.buffer, 0, 256);
  const t2 = performance.now();
  const cb = enc.finish();
  const t3 = performance.now();
  device.queue.submit([cb]);
  const t4 = performance.now();
  if (scopes) { device.popErrorScope(); device.popErrorScope(); }
  const t5 = performance.now();
  return [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4];
};
const done = () => device.queue.onSubmittedWorkDone();
for (const [label, ndisp, write, scopes] of [['1 dispatch', 1, false, false], ['1 dispatch + writeBuffer', 1, true, false],
  ['1 dispatch + writeBuffer + 2 error scopes', 1, true, true], ['8 dispatches + writeBuffer', 8, true, false]]) {
  for (const busy of [false, true]) {
    await done();
    const reps = 40, acc = [0, 0, 0, 0, 0];
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) {
      if (!busy) await done();
      const t = submit(ndisp, write, scopes);
      t.forEach((v, i) => { acc[i] += v; });
    }
    const tIssue = performance.now() - t0;
    await done();
    const tAll = performance.now() - t0;
    const us = acc.map((v) => (v * 1e3 / reps).toFixed(1));
    console.log(`${label.padEnd(42)} GPU ${busy ? 'busy' : 'idle'}: encode ${us[0]} writeBuffer ${us[1]} finish ${us[2]} submit ${us[3]} pops ${us[4]} us;` +
      ` issue ${(tIssue * 1e3 / reps).toFixed(0)} us/submit, all ${(tAll * 1e3 / reps / ndisp).toFixed(0)} us/dispatch`);
  }
}
process.exit(0);
