// rng16_ladder.mjs — where the library's random kernels lose time against hand-written WGSL
// (docs/random.md, "Session 16"): the WGSL the engine generated for standard_normal,
// random_sample and randint (workgroup form, captured by bench/h100/rng16_capture.py with
// WGPY_WEBGPU_DUMP, main's library and this branch's), rerun here by Dawn with their own argument
// words, then varied one change at a time, and hand-written WGSL of the same numbers.  GPU ms a
// dispatch (timestamps; the least of two rounds' medians of 21), and whether each variant gives the
// bits of its base (the first 2^20 words).
//
//   node bench/h100/rng16_ladder.mjs NEW.jsonl OLD.jsonl [ROUNDS]
//
// Variants of a generated kernel (string edits of its WGSL, each checked to apply):
//   direct  the stores without the str_out0 wrapper (its arrayLength test; Dawn's clamp stays)
//   lits    every int32 argument word (lg, wide, n, offsets) a literal: what runtime words cost
//   native  log_f / sqrt_f / sin_f / cos_f (guards, software sine and cosine) as WGSL's builtins
//           (main's normals: other bits, the cost of the accurate functions; this branch's
//           have only sqrt_f left)
//   nodiv   main's workgroup test without its division by a uniform word (the groups a row)
//   zeros   zeros into the workgroup tile (the compiler drops Philox and Box-Muller): the
//           generated kernel's floor of exchange and stores
// Hand-written (rng14_probe.mjs's Philox, vec4 state, 256-point workgroups, the same exchange):
//   hand_uniform   the library's uniforms (should be the same bits)
//   hand_bm24      the library's normals by this branch's Box-Muller and log (same bits unless
//                  a compiler contracts differently)
//   hand_bm24_nlog hand_bm24 with WGSL's log (the cost of wg_log24's polynomial)
//   hand_native    normals with WGSL's sin/cos/log (other bits: the floor session 15 measured)
//   hand_zeros     the exchange and stores only
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRID_WGSL } from './probe_common.mjs';

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
const ROUNDS = Number(process.argv[4] || 2);

// the dump: { where, wgsl } per compiled shader, { id, groups, words } per dispatch
function load(file) {
  const code = new Map(), disp = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.wgsl !== undefined) { const m = /^kernel (\d+)$/.exec(r.where); if (m) code.set(Number(m[1]), r.wgsl); }
    else disp.push(r);
  }
  const ks = disp.filter((d) => code.get(d.id)?.includes('var<workgroup> wgsh0'));
  if (ks.length < 3) throw new Error(`${file}: ${ks.length} workgroup lane kernels, not 3`);
  const [normal, uniform, randint] = ks.map((d) => ({ code: code.get(d.id), groups: d.groups, words: d.words }));
  return { normal, uniform, randint };
}
const NEW = load(process.argv[2]), OLD = load(process.argv[3]);
const N = NEW.uniform.groups * 1024; // 256 blocks of 4 outputs a workgroup
const NI = NEW.randint.groups * 512;

function edit(code, re, f, what) {
  const i = code.indexOf('fn kbody()');
  const body = code.slice(i);
  const out = body.replace(re, f);
  if (out === body) throw new Error(`variant ${what}: no match`);
  return code.slice(0, i) + out;
}
const V = {
  direct: (k) => edit(k.code, /str_out0\((.*), (v\d+)\);/g, (_, x, v) => `b_out0[${x}] = ${v};`, 'direct'),
  lits: (k) => edit(k.code, /\bai\((\d+)u\)/g, (_, i) => `i32(${k.words[Number(i)] | 0})`, 'lits'),
  native: (k) => edit(k.code, /\b(log|sqrt|sin|cos)_f\(/g, (_, f) => `${f}(`, 'native'),
  nodiv: (k) => edit(k.code, /\(arg\(2u\) \/ (\d+)u\)/g, (_, b) => `${Math.floor(k.words[2] / Number(b))}u`, 'nodiv'),
  zeros: (k) => edit(k.code, /(wgsh0\[bitcast<u32>\(v\d+\)\] = )v\d+;/g, (_, a) => `${a}0.0;`, 'zeros'),
};

// hand-written: the key and counter words are the generated kernel's first four u32 arguments read
// in kbody (c2, c3, k0, k1)
function stateOf(k) {
  const body = k.code.slice(k.code.indexOf('fn kbody()'));
  const idx = [...body.matchAll(/: u32 = arg\((\d+)u\);/g)].slice(0, 4).map((m) => k.words[Number(m[1])]);
  return idx;
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
${GRID_WGSL}
fn bm24n(a: u32, b: u32) -> vec2<f32> { return bm24r(sqrt(-2.0 * log(f24(a, 0.5))), b); }
fn bm24x2(r: vec4<u32>) -> vec4<f32> { return vec4<f32>(bm24(r.x, r.y), bm24(r.z, r.w)); }
fn bm24nx2(r: vec4<u32>) -> vec4<f32> { return vec4<f32>(bm24n(r.x, r.y), bm24n(r.z, r.w)); }
fn native4(r: vec4<u32>) -> vec4<f32> {
  let rad0 = sqrt(-2.0 * log(f24(r.x, 0.5))); let t0 = 6.283185307179586 * f24(r.y, 0.0);
  let rad1 = sqrt(-2.0 * log(f24(r.z, 0.5))); let t1 = 6.283185307179586 * f24(r.w, 0.0);
  return vec4<f32>(rad0 * cos(t0), rad0 * sin(t0), rad1 * cos(t1), rad1 * sin(t1));
}
`;
const hand = (fn, n, st) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> sh: array<f32, 1056>;
${PHILOX}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = gid.x + gid.y * 65535u * 256u;
  ${fn === 'zeros' ? 'let v = vec4<f32>(0.0);'
    : `let v = ${fn}(philox(vec4<u32>(b, 0u, ${st[0]}u, ${st[1]}u), vec2<u32>(${st[2]}u, ${st[3]}u)));`}
  var w = 4u * t;
  sh[w + (w >> 5u)] = v.x; w += 1u; sh[w + (w >> 5u)] = v.y; w += 1u;
  sh[w + (w >> 5u)] = v.z; w += 1u; sh[w + (w >> 5u)] = v.w;
  workgroupBarrier();
  let base = 4u * (b - t);
  for (var s = 0u; s < 4u; s++) { let u = t + 256u * s; if (base + u < ${n}u) { y[base + u] = sh[u + (u >> 5u)]; } }
}`;

async function gpuTime(p, bufs, groups, reps = 21) {
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const res = device.createBuffer({ size: 16 * reps, usage: U.QUERY_RESOLVE | U.COPY_SRC });
  const rd = device.createBuffer({ size: 16 * reps, usage: U.MAP_READ | U.COPY_DST });
  const bg = device.createBindGroup({ layout: p.getBindGroupLayout(0),
    entries: bufs.map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const enc = device.createCommandEncoder();
  const gx = Math.min(groups, 65535), gy = Math.ceil(groups / gx);
  for (let r = 0; r < reps + 3; r++) { // three warm-ups
    const tw = r >= 3 ? { querySet: qs, beginningOfPassWriteIndex: 2 * (r - 3), endOfPassWriteIndex: 2 * (r - 3) + 1 } : undefined;
    const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
    pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(gx, gy);
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

// a generated kernel: binding 0 its argument words (a uniform array<vec4<u32>, K>), 1 the output
// (then its inputs: randint's lo and rng, one word each: the capture's randint(0, 1000))
function generated(code, words, groups, n, inputs = []) {
  const K = Number(/var<uniform> wa: array<vec4<u32>, (\d+)>/.exec(code)[1]);
  const w = new Uint32Array(4 * K); w.set(words.slice(0, 4 * K));
  const ub = device.createBuffer({ size: 16 * K, usage: U.UNIFORM | U.COPY_DST });
  device.queue.writeBuffer(ub, 0, w);
  const ins = inputs.map((v) => {
    const b = device.createBuffer({ size: 16, usage: U.STORAGE | U.COPY_DST });
    device.queue.writeBuffer(b, 0, new Uint32Array([v, 0, 0, 0]));
    return b;
  });
  return { code, groups, n, args: [ub, ...ins] };
}
const out = device.createBuffer({ size: 4 * Math.max(N, NI), usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
const cases = [];
const add = (name, base, c) => cases.push({ name, base, ...c });
const G = (k, code, n) => generated(code ?? k.code, k.words, k.groups, n, k === NEW.randint || k === OLD.randint ? [0, 999] : []);
add('old_normal', null, G(OLD.normal, null, N));
add('new_normal', null, G(NEW.normal, null, N));
for (const v of ['direct', 'lits', 'native', 'zeros']) add(`new_normal_${v}`, 'new_normal', G(NEW.normal, V[v](NEW.normal), N));
add('old_normal_native', 'old_normal', G(OLD.normal, V.native(OLD.normal), N));
add('old_uniform', null, G(OLD.uniform, null, N));
add('new_uniform', 'old_uniform', G(NEW.uniform, null, N));
for (const v of ['direct', 'lits', 'nodiv']) add(`new_uniform_${v}`, 'new_uniform', G(NEW.uniform, V[v](NEW.uniform), N));
add('old_randint', null, G(OLD.randint, null, NI));
add('new_randint', 'old_randint', G(NEW.randint, null, NI));
add('new_randint_direct', 'new_randint', G(NEW.randint, V.direct(NEW.randint), NI));
add('hand_uniform', 'new_uniform', { code: hand('uniform4', N, stateOf(NEW.uniform)), groups: N / 1024, n: N, args: [] });
add('hand_bm24', 'new_normal', { code: hand('bm24x2', N, stateOf(NEW.normal)), groups: N / 1024, n: N, args: [] });
add('hand_bm24_nlog', 'new_normal', { code: hand('bm24nx2', N, stateOf(NEW.normal)), groups: N / 1024, n: N, args: [] });
add('hand_native', 'new_normal', { code: hand('native4', N, stateOf(NEW.normal)), groups: N / 1024, n: N, args: [] });
add('hand_zeros', null, { code: hand('zeros', N, [0, 0, 0, 0]), groups: N / 1024, n: N, args: [] });

console.log(`N = ${N} (randint ${NI}); GPU ms a dispatch: the least of ${ROUNDS} rounds' medians of 21; bits: the first 2^20 words against the base's`);
const bits = new Map(), best = new Map();
for (const c of cases) {
  try {
    const module = device.createShaderModule({ code: c.code });
    const info = await module.getCompilationInfo();
    const err = info.messages.find((m) => m.type === 'error');
    if (err) throw new Error(`line ${err.lineNum}: ${err.message}`);
    c.p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    c.bufs = [...c.args, out];
    await gpuTime(c.p, c.bufs, c.groups, 3);
    bits.set(c.name, await read(out, Math.min(c.n, 1 << 20)));
  } catch (e) { console.log(`${c.name.padEnd(20)} error ${String(e.message || e).split('\n')[0]}`); c.p = null; }
}
for (let r = 0; r < ROUNDS; r++) {
  for (const c of (r & 1 ? [...cases].reverse() : cases)) {
    if (!c.p) continue;
    const ms = await gpuTime(c.p, c.bufs, c.groups);
    best.set(c.name, Math.min(best.get(c.name) ?? Infinity, ms));
  }
}
for (const c of cases) {
  if (!c.p) continue;
  let same = '';
  if (c.base && bits.has(c.base)) {
    const a = bits.get(c.name), b = bits.get(c.base);
    let d = 0; for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
    same = d ? `bits differ from ${c.base} in ${d} of ${a.length}` : `same bits as ${c.base}`;
  }
  const ref = best.get(c.base) ?? best.get('new_normal');
  console.log(`${c.name.padEnd(20)} GPU ${best.get(c.name).toFixed(4)} ms  ${(best.get(c.name) / ref).toFixed(2)}x of ${c.base ?? 'new_normal'}  ${same}`);
}
process.exit(0);
