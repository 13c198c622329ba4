// rt_probe_worker.js — round trips and reduction shapes in a worker on this adapter, in plain
// WebGPU (bench/peers/rt_probe.mjs).  Each message { reps } answers with ms per variant:
//   map       a copy of 16 bytes to a staging buffer, submit, mapAsync
//   map+pop   the same inside two error scopes, popped before the map resolves (as the executor)
//   done      an empty submit and onSubmittedWorkDone
//   pop       pushErrorScope + popErrorScope alone
//   tiny      a 16-thread kernel, the copy of its result, mapAsync (a one-op sync's device part);
//             tiny2: two dispatches of it
//   sum-*     a 1M-float sum and the read of its scalar, in the shapes of SHAPES (below)
//   X+NUDGE   X with nudges while its map is pending (settle() below): 'atT...' one after T ms
//             (the thread blocked by Atomics.wait), 'everyT...' every T ms so, 'waT0,DT,G' by
//             Atomics.waitAsync timers (the thread free: the executor's way, opts.nudge) at T0,
//             then every DT ms (times G each time)
// Session 17's finding (docs/webgpu.md, "The wait for a read"): a dispatch's map resolves either
// ~0.3-0.5 ms or ~2.4 ms after the submit (the GPU process notices finished work when a message
// comes from this side, or at its own poll); an empty submit after the work is done brings it back.
// (SHAPES' single-workgroup forms need part buffers of at least 16 bytes: the read copies 16.)
let dev, src, st, x, part, out;
const N = 1 << 20;
const sums = {};
async function pipe(code) {
  const m = dev.createShaderModule({ code });
  return dev.createComputePipelineAsync({ layout: 'auto', compute: { module: m, entryPoint: 'main' } });
}
// the shapes: [workgroups, threads per workgroup, how a thread walks its part, passes]
//  'il'  interleaved vec4 (thread t of a workgroup reads vec4 t, t+W, ...: the executor's main_vec4)
//  'ct'  contiguous vec4 (each thread its own run of the workgroup's part)
const SHAPES = { 'sum-16x8-il-2p': [16, 8, 'il'], 'sum-1x16-ct': [1, 16, 'ct'], 'sum-2x16-ct-2p': [2, 16, 'ct'] };
function sumCode(G, W, walk) {
  const per = N / 4 / G;                       // vec4 per workgroup
  const idx = walk === 'il' ? `base + lid + i * ${W}u` : `base + lid * ${per / W}u + i`;
  let loop = `var a = vec4<f32>(0.0);
  for (var i: u32 = 0u; i < ${per / W}u; i = i + 1u) { a = a + x[${idx}]; }`;
  // the executor's loop (core/src/codegen/wgsl.c, gen_reduce main_vec4 on a CPU adapter), in floats
  if (walk === 'dyn') loop = `var a = vec4<f32>(0.0);
  for (var i: u32 = 0u; i < u.n / ${4 * W}u; i = i + 1u) { a = a + x[base + lid + i * ${W}u]; }`;
  if (walk === 'brk') loop = `var a = vec4<f32>(0.0);
  for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) { let r = lid * 4u + it * ${4 * W}u; if (r >= u.n) { break; } a = a + x[r / 4u]; }`;
  if (walk === 'ours' || walk === 'ours-v') loop = `var ta = 0.0; var ta1 = ta; var ta2 = ta; var ta3 = ta;
  let lo = base * 4u; let hi = min(lo + u.n, u.n); let base_in0 = 0;
  for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) {
    let r = lo + lid * 4u + it * 4u * ${W}u;
    if (r >= hi) { break; }
    let q_in0 = x[u32(base_in0 + i32(r)) / 4u];
    ${walk === 'ours' ? `let b_in0 = array<f32, 4>(q_in0.x, q_in0.y, q_in0.z, q_in0.w);
    { const o = 0; ta = ta + b_in0[o]; } { const o = 1; ta1 = ta1 + b_in0[o]; } { const o = 2; ta2 = ta2 + b_in0[o]; } { const o = 3; ta3 = ta3 + b_in0[o]; }`
    : `ta = ta + q_in0.x; ta1 = ta1 + q_in0.y; ta2 = ta2 + q_in0.z; ta3 = ta3 + q_in0.w;`}
  }
  let a = vec4<f32>(ta, ta1, ta2, ta3);`;
  return `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> part: array<f32>;
struct U { n: u32 }
@group(0) @binding(2) var<uniform> u: U;
var<workgroup> sh: array<f32, ${W}>;
@compute @workgroup_size(${W})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * ${per}u;
  _ = u.n;
  ${loop}
  sh[lid] = (a.x + a.y) + (a.z + a.w);
  workgroupBarrier();
  for (var s: u32 = ${W / 2}u; s > 0u; s = s >> 1u) { if (lid < s) { sh[lid] = sh[lid] + sh[lid + s]; } workgroupBarrier(); }
  if (lid == 0u) { part[wid.x] = sh[0]; }
}`;
}
const FOLD = `@group(0) @binding(0) var<storage, read_write> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1) fn main() { var a = 0.0; for (var i: u32 = 0u; i < arrayLength(&part); i = i + 1u) { a = a + part[i]; } out[0] = a; }`;
const bad = {};
let fold, foldBg, tiny, tinyBg, ubuf;
async function init() {
  const ad = await navigator.gpu.requestAdapter();
  dev = await ad.requestDevice();
  dev.addEventListener('uncapturederror', (e) => { (bad.errors ??= []).push(e.error.message.slice(0, 300)); });
  src = dev.createBuffer({ size: 256, usage: 0x80 | 0x4 | 0x8 });
  st = dev.createBuffer({ size: 256, usage: 0x1 | 0x8 });
  x = dev.createBuffer({ size: 4 * N, usage: 0x80 | 0x8 });
  const h = new Float32Array(N);
  for (let i = 0; i < N; i++) h[i] = i / N;
  dev.queue.writeBuffer(x, 0, h);
  out = dev.createBuffer({ size: 256, usage: 0x80 | 0x4 });
  ubuf = dev.createBuffer({ size: 16, usage: 0x40 | 0x8 });
  dev.queue.writeBuffer(ubuf, 0, new Uint32Array([N, 0, 0, 0]));
  tiny = await pipe(`@group(0) @binding(0) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(16) fn main(@builtin(local_invocation_index) l: u32) { o[l] = o[l] + 1.0; }`);
  tinyBg = dev.createBindGroup({ layout: tiny.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }] });
  fold = await pipe(FOLD);
  for (const [name, [G, W, walk, passes]] of Object.entries(SHAPES)) {
    const p = await pipe(sumCode(G, W, walk));
    const pb = dev.createBuffer({ size: Math.max(16, 4 * G), usage: 0x80 | 0x4 });
    sums[name] = { p, G, passes: passes ?? (G > 1 ? 2 : 1), bg: dev.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: pb } }, { binding: 2, resource: { buffer: ubuf } }] }),
      fbg: dev.createBindGroup({ layout: fold.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: pb } }, { binding: 1, resource: { buffer: out } }] }), pb };
  }
}
// nudge: while the map is pending, an empty submit at every turn of the event loop (a
// MessageChannel hop), so that the GPU process looks at the device again (its own poll is every
// few ms)
let nudge = null;
const chan = new MessageChannel();
const hops = [];
chan.port1.onmessage = () => hops.shift()?.();
const hop = () => new Promise((r) => { hops.push(r); chan.port2.postMessage(0); });
const sab = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms) => Atomics.wait(sab, 0, 0, ms);
async function settle(m) {
  if (!nudge) return m;
  if (nudge.startsWith('wa')) { // Atomics.waitAsync timers (the thread free): nudge at t0, then every dt (x growth)
    const [, t0, dt, gr] = nudge.match(/^wa([\d.]+),([\d.]+),([\d.]+)$/).map(Number);
    let done = false;
    m.then(() => { done = true; }, () => { done = true; });
    let wait = t0, step = dt;
    while (!done) {
      const r = Atomics.waitAsync(sab, 0, 0, wait);
      if (r.async) await Promise.race([r.value, m.then(() => 0, () => 0)]);
      if (done) break;
      dev.queue.submit([]);
      wait = step;
      step *= gr;
    }
    return m;
  }
  if (nudge.startsWith('every')) { // sleep (the thread blocked), nudge, let the event loop run; until the map settles
    const [, ms, how] = nudge.match(/^every([\d.]+)(\w+)$/);
    let done = false;
    m.then(() => { done = true; }, () => { done = true; });
    await hop();
    while (!done) {
      sleep(Number(ms));
      if (how === 'submit') dev.queue.submit([]);
      else if (how === 'pop') { dev.pushErrorScope('validation'); dev.popErrorScope(); }
      await hop();
    }
    return m;
  }
  if (nudge.startsWith('at')) { // one nudge, `at` ms after the submit (the thread blocked meanwhile)
    const [, ms, how] = nudge.match(/^at([\d.]+)(\w+)$/);
    sleep(Number(ms));
    if (how === 'submit') dev.queue.submit([]);
    else if (how === 'done') dev.queue.onSubmittedWorkDone();
    else if (how === 'pop') { dev.pushErrorScope('validation'); dev.popErrorScope(); }
    else if (how === 'map') { const b = dev.createBuffer({ size: 16, usage: 1 | 8 }); b.mapAsync(1).then(() => b.destroy(), () => {}); }
    return m;
  }
  let done = false;
  m.then(() => { done = true; }, () => { done = true; });
  while (!done) {
    await hop();
    if (done) break;
    if (nudge === 'submit') dev.queue.submit([]);
    else if (nudge === 'enc') dev.queue.submit([dev.createCommandEncoder().finish()]);
  }
  return m;
}
async function readBack(e, from) {
  e.copyBufferToBuffer(from, 0, st, 0, 16);
  dev.queue.submit([e.finish()]);
  await settle(st.mapAsync(1, 0, 16));
  const v = new Float32Array(st.getMappedRange(0, 16))[0];
  st.unmap();
  return v;
}
async function map(pop) {
  if (pop) { dev.pushErrorScope('out-of-memory'); dev.pushErrorScope('validation'); }
  const e = dev.createCommandEncoder();
  e.copyBufferToBuffer(src, 0, st, 0, 16);
  dev.queue.submit([e.finish()]);
  const m = st.mapAsync(1, 0, 16);
  if (pop) await Promise.all([dev.popErrorScope(), dev.popErrorScope()]);
  await m;
  st.unmap();
}
const V = {
  map: () => map(false),
  'map+pop': () => map(true),
  done: async () => { dev.queue.submit([dev.createCommandEncoder().finish()]); await dev.queue.onSubmittedWorkDone(); },
  pop: async () => { dev.pushErrorScope('validation'); await dev.popErrorScope(); },
  tiny2: async () => {
    const e = dev.createCommandEncoder();
    const p = e.beginComputePass(); p.setPipeline(tiny); p.setBindGroup(0, tinyBg); p.dispatchWorkgroups(1); p.dispatchWorkgroups(1); p.end();
    return readBack(e, src);
  },
  tiny: async () => {
    const e = dev.createCommandEncoder();
    const p = e.beginComputePass(); p.setPipeline(tiny); p.setBindGroup(0, tinyBg); p.dispatchWorkgroups(1); p.end();
    return readBack(e, src);
  },
  // tiny's dispatch in a submit of its own, then the copy in a second (jax-js's way: its kernel
  // is submitted when called, the read's copy when read)
  'tiny-split': async () => {
    const e0 = dev.createCommandEncoder();
    const p = e0.beginComputePass(); p.setPipeline(tiny); p.setBindGroup(0, tinyBg); p.dispatchWorkgroups(1); p.end();
    dev.queue.submit([e0.finish()]);
    return readBack(dev.createCommandEncoder(), src);
  },
  ...Object.fromEntries(['at0.3submit', 'wa0.3,0.5,1', 'wa1,0.5,1'].map((nd) => ['tiny+' + nd, async () => {
    const e = dev.createCommandEncoder();
    const p = e.beginComputePass(); p.setPipeline(tiny); p.setBindGroup(0, tinyBg); p.dispatchWorkgroups(1); p.end();
    nudge = nd;
    const v = await readBack(e, src);
    nudge = null;
    return v;
  }])),
};
for (const name of Object.keys(SHAPES)) for (const nd of [null, 'wa1,0.5,1', 'wa0.3,0.5,1']) {
  V[name + (nd ? '+' + nd : '')] = async () => {
    nudge = nd;
    const s = sums[name];
    const e = dev.createCommandEncoder();
    const p = e.beginComputePass();
    p.setPipeline(s.p); p.setBindGroup(0, s.bg); p.dispatchWorkgroups(s.G);
    if (s.passes > 1) { p.setPipeline(fold); p.setBindGroup(0, s.fbg); p.dispatchWorkgroups(1); }
    p.end();
    const v = await readBack(e, s.passes > 1 ? out : s.pb);
    nudge = null;
    if (s.passes > 1 || s.G === 1) if (Math.abs(v - 524287.5) > 1) (bad[name] ??= []).push(v);
  };
}
self.onmessage = async (ev) => {
  try {
    if (!dev) await init();
    const out = {};
    for (let r = 0; r < ev.data.reps; r++)
      for (const [k, f] of Object.entries(V)) {
        const t = performance.now();
        await f();
        (out[k] ??= []).push(performance.now() - t);
      }
    out.bad = bad;
    self.postMessage(out);
  } catch (e) { self.postMessage({ error: String(e) }); }
};
