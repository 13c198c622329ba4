// sum_probe.mjs — why wgpy's 64M float32 sum is 0.82-0.89 of CuPy's on the H100 where it was 0.95
// (issue 15's guard; docs/benchmarks.md, "Session 20").  The REDUCE kernel the engine generated
// for `x.sum()` (captured with WGPY_WEBGPU_DUMP by bench/h100/s20_sum20.sh), rerun here by Dawn
// with its own argument words, then varied one change at a time, each checked to give the sum:
//   base        the engine's main_vec4 as generated (counted loop with a break, 2048 slices)
//   plainloop   the loop as it was before 2d015ad (runtime bound; Tint adds its guard)
//   unroll2/4   2 or 4 independent vec4 loads an iteration (same order of the fold per thread)
//   ns=N        N slices (workgroups) instead of the executor's 2048
//   wg=N        RED_WG = N threads a workgroup
// and 20 sums back to back in one compute pass (the like of CuPy's 20 on one stream).  GPU ms a dispatch by timestamps, median of 15, best of 2.
//
//   node bench/h100/sum_probe.mjs DUMP.jsonl [--b2b]
// --b2b (session 22): the dump's kernel as the engine made it (its loads a step, WGPY_RED_LOADS,
// and its slices, WGPY_WEBGPU_RED_TARGET), one sum and 20 back to back only; s22_sum22.sh
// captures one dump per engine setting.  The loop edits below need main_vec4's one-load loop
// (WGPY_RED_LOADS=1); with another a variant that edits it is skipped.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../../js/src/node/webgpu-host.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
Object.assign(globalThis, createRequire(path.join(ROOT, 'package.json'))('webgpu').globals);
// the Node host's device (its limits, SwiftShader where no driver is found), with timestamps
const { device } = await createDawnDevice({ timing: true });
const lim = device.limits;
const U = GPUBufferUsage;

// the dump's REDUCE kernel (the one with b_part and main_vec4) and its phase-0 dispatch
let code = null, words = null, id = null;
{
  const kern = new Map();
  for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.wgsl !== undefined) { const m = /^kernel (\d+)$/.exec(r.where); if (m) kern.set(Number(m[1]), r.wgsl); }
    else if (kern.get(r.id)?.includes('b_part') && kern.get(r.id).includes('fn main_vec4')) { id = r.id; code = kern.get(r.id); words = r.words; }
  }
  if (!code) throw new Error('no REDUCE dispatch in the dump');
}
const WS = Number(/(\d+) argument words/.exec(code)[1]) - 2; // ..., slices, phase (words padded to vec4s)
const n = words[1];
console.log(`kernel ${id}: ${n} reduced elements, ${words[WS]} slices, words [${words.join(', ')}]`);

const buf = (bytes, usage = U.STORAGE | U.COPY_SRC | U.COPY_DST) => device.createBuffer({ size: Math.max(16, bytes), usage });
const X = buf(4 * n);
{ // ones: the sum is n exactly (each slice's partial is an integer below 2^24)
  const st = device.createBuffer({ size: 4 * n, usage: U.COPY_SRC, mappedAtCreation: true });
  new Float32Array(st.getMappedRange()).fill(1); st.unmap();
  const e = device.createCommandEncoder(); e.copyBufferToBuffer(st, 0, X, 0, 4 * n);
  device.queue.submit([e.finish()]); await device.queue.onSubmittedWorkDone(); st.destroy();
}
const OUT = buf(16), PART = buf(8 * 65536);
function uni(w) {
  const b = buf(16 * Math.ceil(w.length / 4), U.UNIFORM | U.COPY_DST);
  device.queue.writeBuffer(b, 0, new Uint32Array([...w, 0, 0, 0, 0].slice(0, 4 * Math.ceil(w.length / 4))));
  return b;
}
const pipes = new Map();
function pipe(wgsl, entry, wg) {
  const key = `${entry} ${wg} ${wgsl}`;
  if (!pipes.has(key)) {
    const module = device.createShaderModule({ code: wgsl });
    pipes.set(key, device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry, constants: wg ? { RED_WG: wg } : {} } }));
  }
  return pipes.get(key);
}
function bind(p, bufs) {
  return device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: bufs.map(([binding, b]) => ({ binding, resource: { buffer: b } })) });
}
async function readOut(b) {
  const st = device.createBuffer({ size: 16, usage: U.MAP_READ | U.COPY_DST });
  const e = device.createCommandEncoder(); e.copyBufferToBuffer(b, 0, st, 0, 16);
  device.queue.submit([e.finish()]); await st.mapAsync(GPUMapMode.READ);
  const v = new Float32Array(st.getMappedRange().slice(0))[0]; st.unmap(); st.destroy(); return v;
}
// GPU ms of the dispatch list [[pipeline, bindGroup, groups]...] in one pass: median of reps
async function gpuTime(list, reps = 15) {
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const res = buf(16 * reps, U.QUERY_RESOLVE | U.COPY_SRC), rd = buf(16 * reps, U.MAP_READ | U.COPY_DST);
  const enc = device.createCommandEncoder();
  for (let r = 0; r <= reps; r++) {
    const tw = r ? { querySet: qs, beginningOfPassWriteIndex: 2 * (r - 1), endOfPassWriteIndex: 2 * r - 1 } : undefined;
    const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
    for (const [p, bg, g] of list) { pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(Math.min(g, 65535), Math.ceil(g / 65535)); }
    pass.end();
  }
  enc.resolveQuerySet(qs, 0, 2 * reps, res, 0); enc.copyBufferToBuffer(res, 0, rd, 0, 16 * reps);
  device.queue.submit([enc.finish()]); await rd.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(rd.getMappedRange()), d = [];
  for (let r = 0; r < reps; r++) d.push(Number(t[2 * r + 1] - t[2 * r]) / 1e6);
  rd.unmap(); rd.destroy(); res.destroy(); qs.destroy();
  d.sort((a, b) => a - b); return d[reps >> 1];
}

// the loop of main_vec4, replaced by a variant's
const LOOP = /    for \(var it: u32 = 0u; it < 4294967295u; it = it \+ 1u\) \{\n      let r = lo \+ lid \* 4u \+ it \* 4u \* RED_WG;\n      if \(r >= hi\) \{ break; \}\n([\s\S]*?)\n    \}\n  \} else \{/;
function editLoop(f) {
  const i = code.indexOf('fn main_vec4');
  const body = code.slice(i);
  if (!LOOP.test(body)) return null; // the engine's loop has another form: the variant is skipped
  return code.slice(0, i) + body.replace(LOOP, (_, inner) => f(inner) + '\n  } else {');
}
const load4 = (q, r) => `      let ${q} = b_in0v[u32(base_in0 + i32(${r})) / 4u];\n` +
  ['x', 'y', 'z', 'w'].map((c) => `      ta = comb(ta, ${q}.${c});`).join('\n');
function unrolled(k) {
  return () => {
    let s = `    let st4 = 4u * RED_WG;\n    var r = lo + lid * 4u;\n` +
      `    for (var it: u32 = 0u; it < 4294967295u; it = it + 1u) {\n      if (r + ${k - 1}u * st4 >= hi) { break; }\n`;
    for (let j = 0; j < k; j++) s += `      let q${j} = b_in0v[u32(base_in0 + i32(r + ${j}u * st4)) / 4u];\n`;
    for (let j = 0; j < k; j++) s += ['x', 'y', 'z', 'w'].map((c) => `      ta = comb(ta, q${j}.${c});`).join('\n') + '\n';
    s += `      r = r + ${k}u * st4;\n    }\n`;
    s += `    for (var it: u32 = 0u; it < ${k}u; it = it + 1u) {\n      if (r >= hi) { break; }\n${load4('qt', 'r')}\n      r = r + st4;\n    }`;
    return s;
  };
}
const B2B = process.argv.includes('--b2b');
const VARIANTS = B2B ? { base: [code, {}] } : {
  base: [code, {}],
  plainloop: [editLoop((inner) => `    for (var r: u32 = lo + lid * 4u; r < hi; r = r + 4u * RED_WG) {\n${inner}\n    }`), {}],
  unroll2: [editLoop(unrolled(2)), {}],
  unroll4: [editLoop(unrolled(4)), {}],
  'ns=1024': [code, { ns: 1024 }], 'ns=4096': [code, { ns: 4096 }], 'ns=8192': [code, { ns: 8192 }],
  'wg=512': [code, { wg: 512 }], 'wg=1024': [code, { wg: 1024 }],
  'unroll2 ns=1024': [editLoop(unrolled(2)), { ns: 1024 }],
  'unroll4 ns=1024': [editLoop(unrolled(4)), { ns: 1024 }],
  'unroll4 ns=528': [editLoop(unrolled(4)), { ns: 528 }],
  'unroll2 wg=512 ns=1024': [editLoop(unrolled(2)), { ns: 1024, wg: 512 }],
};
const GBs = (ms) => `${(4 * n / ms / 1e6).toFixed(0)} GB/s`;
const rows = [];
for (let round = 0; round < 2; round++) {
  for (const [name, [wgsl, o]] of Object.entries(VARIANTS)) {
    const ns = o.ns || words[WS], wg = o.wg || 256;
    const w0 = words.slice(); w0[WS] = ns; w0[2] = Math.min(ns, 65535);
    const w1 = words.slice(); w1[WS] = ns; w1[WS + 1] = 1; w1[2] = 1;
    if (wg > lim.maxComputeInvocationsPerWorkgroup || !wgsl) continue;
    let p;
    try { p = pipe(wgsl, 'main_vec4', wg); } catch (e) { console.log(`${name}: ${e.message}`); continue; }
    const p1 = pipe(code, 'main', 256);
    const u0 = uni(w0), u1 = uni(w1);
    const bg0 = bind(p, [[0, u0], [1, X], [2, OUT], [3, PART]]);
    const bg1 = bind(p1, [[0, u1], [1, X], [2, OUT], [3, PART]]);
    const t0 = await gpuTime([[p, bg0, ns]]);
    const t01 = await gpuTime([[p, bg0, ns], [p1, bg1, 1]]);
    const v = await readOut(OUT);
    const prev = rows.find((r) => r.name === name);
    if (prev) { prev.t0 = Math.min(prev.t0, t0); prev.t01 = Math.min(prev.t01, t01); prev.ok = prev.ok && v === n; }
    else rows.push({ name, t0, t01, ok: v === n, v });
  }
}
console.log('| variant | first pass ms | both passes ms | bandwidth (both) | sum right |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.t0.toFixed(4)} | ${r.t01.toFixed(4)} | ${GBs(r.t01)} | ${r.ok ? 'yes' : 'NO (' + r.v + ')'} |`);

// back to back: 20 sums (both passes each) in one compute pass, GPU ms a sum — the like of CuPy's
// 20 sums on one stream (sum_guard.py --cupy), where consecutive kernels overlap their tails
{
  const ns = words[WS];
  const w0 = words.slice(), w1 = words.slice(); w1[WS + 1] = 1; w1[2] = 1;
  const p = pipe(code, 'main_vec4', 256), p1 = pipe(code, 'main', 256);
  const bg0 = bind(p, [[0, uni(w0)], [1, X], [2, OUT], [3, PART]]);
  const bg1 = bind(p1, [[0, uni(w1)], [1, X], [2, OUT], [3, PART]]);
  const list = [];
  for (let i = 0; i < 20; i++) list.push([p, bg0, ns], [p1, bg1, 1]);
  let best = 1e9;
  const all = [];
  for (let r = 0; r < 3; r++) { const t = await gpuTime(list, 7) / 20; all.push(t); best = Math.min(best, t); }
  console.log(`back to back (base, 20 sums in one compute pass): ${best.toFixed(4)} ms a sum, ${GBs(best)} (rounds ${all.map((t) => t.toFixed(4)).join(' ')})`);
}
