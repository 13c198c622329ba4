// kernel_probe.mjs — WGSL kernel shapes timed with GPU timestamps through Dawn, to choose the
// shapes wgpy's code generator emits (issue 3's bandwidth and matmul targets).  Not wgpy's
// kernels: hand-written candidates of the same work, so that the generator changes follow data.
//
//   node bench/h100/kernel_probe.mjs [scale]     # scale 1: the H100 sizes; 0.01..: small, for CPUs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const dawn = require('webgpu');
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const feats = ['timestamp-query', 'subgroups'].filter((f) => adapter.features.has(f));
const lim = adapter.limits;
const device = await adapter.requestDevice({
  requiredFeatures: feats,
  requiredLimits: { maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize, maxBufferSize: lim.maxBufferSize },
});
device.addEventListener('uncapturederror', (e) => console.log('GPU error:', e.error.message));
console.log('adapter:', adapter.info?.description || adapter.info?.vendor, 'features:', feats.join(','));
const SCALE = Number(process.argv[2] || 1);
const U = GPUBufferUsage;

function buf(bytes, fill) {
  const b = device.createBuffer({ size: bytes, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST, mappedAtCreation: !!fill });
  if (fill) { new Float32Array(b.getMappedRange()).fill(fill); b.unmap(); }
  return b;
}

async function readF32(b, n) {
  const st = device.createBuffer({ size: n * 4, usage: U.MAP_READ | U.COPY_DST });
  const e = device.createCommandEncoder();
  e.copyBufferToBuffer(b, 0, st, 0, n * 4);
  device.queue.submit([e.finish()]);
  await st.mapAsync(GPUMapMode.READ);
  const r = Array.from(new Float32Array(st.getMappedRange()));
  st.destroy();
  return r;
}

function pipe(code) {
  const module = device.createShaderModule({ code });
  return device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
}

// GPU time of `passes` (each [pipeline, buffers, [gx, gy]]) run as one sequence, median of reps
async function gpuTime(passes, reps = 7) {
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const res = device.createBuffer({ size: 16 * reps, usage: U.QUERY_RESOLVE | U.COPY_SRC });
  const rd = device.createBuffer({ size: 16 * reps, usage: U.MAP_READ | U.COPY_DST });
  const bgs = passes.map(([p, bufs]) => device.createBindGroup({
    layout: p.getBindGroupLayout(0), entries: bufs.map((b, i) => ({ binding: i, resource: { buffer: b } })) }));
  const enc = device.createCommandEncoder();
  for (let r = 0; r < reps + 1; r++) { // the first is a warm-up
    const tw = r ? { querySet: qs, beginningOfPassWriteIndex: 2 * (r - 1), endOfPassWriteIndex: 2 * (r - 1) + 1 } : undefined;
    const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
    passes.forEach(([p, , g], i) => { pass.setPipeline(p); pass.setBindGroup(0, bgs[i]); pass.dispatchWorkgroups(...g); });
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

const out = {};
const report = (name, ms, rate) => { out[name] = ms; console.log(`${name}: ${ms.toFixed(3)} ms  ${rate}`); };

// ---- round trips: the fixed cost of one flush that the executor pays at every sync point -------
{
  const tiny = buf(16, 1);
  const st = device.createBuffer({ size: 16, usage: U.MAP_READ | U.COPY_DST });
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  const rt = [], done = [], scope = [];
  for (let i = 0; i < 21; i++) {
    let t0 = performance.now();
    const e = device.createCommandEncoder();
    e.copyBufferToBuffer(tiny, 0, st, 0, 16);
    device.queue.submit([e.finish()]);
    await st.mapAsync(GPUMapMode.READ);
    st.unmap();
    rt.push(performance.now() - t0);
    t0 = performance.now();
    device.queue.submit([]);
    await device.queue.onSubmittedWorkDone();
    done.push(performance.now() - t0);
    t0 = performance.now();
    device.pushErrorScope('validation');
    device.queue.submit([device.createCommandEncoder().finish()]);
    await device.popErrorScope();
    scope.push(performance.now() - t0);
  }
  console.log(`round trip: copy+mapAsync ${med(rt).toFixed(3)} ms, onSubmittedWorkDone ${med(done).toFixed(3)} ms, ` +
    `error scope ${med(scope).toFixed(3)} ms (medians of 21)`);
  out.roundtrip_ms = med(rt);
}

// ---- add: c = a + b over n float32 ------------------------------------------------------------
const n = Math.max(1 << 16, Math.round((64 << 20) * SCALE / 1024) * 1024);
const A = buf(4 * n, 1), B = buf(4 * n, 2), C = buf(4 * n);
const gx = (k) => [Math.min(k, 65535), Math.ceil(k / 65535)];
const addScalar = pipe(`
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let p = g.x + g.y * nw.x * 64u; if (p >= ${n}u) { return; }
  c[p] = a[p] + b[p];
}`);
const addVec4 = (wg) => pipe(`
@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4<f32>>;
@compute @workgroup_size(${wg}) fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nw: vec3u) {
  let p = g.x + g.y * nw.x * ${wg}u; if (p >= ${n / 4}u) { return; }
  c[p] = a[p] + b[p];
}`);
const GB = (bytes, ms) => `${(bytes / ms / 1e9).toFixed(2)} TB/s`;
{ const t = await gpuTime([[addScalar, [A, B, C], gx(n / 64)]]); report('add scalar wg64', t, GB(12 * n, t)); }
for (const wg of [64, 256]) {
  const t = await gpuTime([[addVec4(wg), [A, B, C], gx(n / 4 / wg)]]);
  report(`add vec4 wg${wg}`, t, GB(12 * n, t));
}

// ---- sum of n float32 -------------------------------------------------------------------------
const sumPart = (vec, wg, sub, unroll = 0) => pipe(`
${sub ? 'enable subgroups;' : ''}
@group(0) @binding(0) var<storage, read> x: array<${vec ? 'vec4<f32>' : 'f32'}>;
@group(0) @binding(1) var<storage, read_write> part: array<f32>;
var<workgroup> sh: array<f32, ${wg}>;
@compute @workgroup_size(${wg}) fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) l: u32,
    @builtin(num_workgroups) nw: vec3u${sub ? ', @builtin(subgroup_size) ss: u32, @builtin(subgroup_invocation_id) si: u32' : ''}) {
  let cnt = ${vec ? n / 4 : n}u;
  var s = ${vec ? 'vec4<f32>(0.0)' : '0.0'};
  ${unroll ? `let st = nw.x * ${wg}u;
  var i = w.x * ${wg}u + l;
  for (; i + st < cnt; i += 2u * st) { let u0 = x[i]; let u1 = x[i + st]; s += u0; s += u1; }
  if (i < cnt) { s += x[i]; }` : `for (var i = w.x * ${wg}u + l; i < cnt; i += nw.x * ${wg}u) { s += x[i]; }`}
  var t = ${vec ? '(s.x + s.y) + (s.z + s.w)' : 's'};
  ${sub ? `t = subgroupAdd(t);
  if (si == 0u) { sh[l / ss] = t; }
  workgroupBarrier();
  if (l == 0u) { var r = 0.0; for (var k = 0u; k < ${wg}u / ss; k++) { r += sh[k]; } part[w.x] = r; }` : `
  sh[l] = t; workgroupBarrier();
  for (var st = ${wg / 2}u; st > 0u; st >>= 1u) { if (l < st) { sh[l] += sh[l + st]; } workgroupBarrier(); }
  if (l == 0u) { part[w.x] = sh[0]; }`}
}`);
const sumFinal = (np) => pipe(`
@group(0) @binding(0) var<storage, read> part: array<f32>;
@group(0) @binding(1) var<storage, read_write> res: array<f32>;
var<workgroup> sh: array<f32, 256>;
@compute @workgroup_size(256) fn main(@builtin(local_invocation_index) l: u32) {
  var s = 0.0; for (var i = l; i < ${np}u; i += 256u) { s += part[i]; }
  sh[l] = s; workgroupBarrier();
  for (var st = 128u; st > 0u; st >>= 1u) { if (l < st) { sh[l] += sh[l + st]; } workgroupBarrier(); }
  if (l == 0u) { res[0] = sh[0]; }
}`);
const P = buf(4 * 65536), R = buf(16);
for (const [vec, wg, sub, groups, unroll] of [[0, 256, 0, 2048], [1, 256, 0, 1024], [1, 256, 0, 2048], [1, 256, 0, 4096],
  [1, 256, 1, 2048], [1, 256, 0, 1024, 1], [1, 256, 0, 2048, 1], [1, 256, 0, 528], [1, 256, 0, 528, 1]]) {
  if (sub && !feats.includes('subgroups')) continue;
  if (wg > lim.maxComputeInvocationsPerWorkgroup) continue;
  const t = await gpuTime([[sumPart(vec, wg, sub, unroll), [A, P], [groups]], [sumFinal(groups), [P, R], [1]]]);
  const t0 = await gpuTime([[sumPart(vec, wg, sub, unroll), [A, P], [groups]]]);
  const v = (await readF32(R, 1))[0];
  report(`sum ${vec ? 'vec4' : 'scalar'} wg${wg}${sub ? ' subgroups' : ''}${unroll ? ' unroll2' : ''} groups ${groups}`, t,
    `${GB(4 * n, t)}; first pass alone ${t0.toFixed(3)} ms (=${v}, want ${n})`);
}

// ---- matmul: C = A @ B, m = n = k = N float32, row-major ----------------------------------------
// BM x BN tile per workgroup of 256 threads, TM x TN outputs per thread (as vec4 columns), BK
// deep k tiles through workgroup memory (A stored k-major), vec4 global loads.
function mmCode(N, BM, BN, BK, TM, TN) {
  const TX = BN / TN, TY = BM / TM; // 16 x 16
  if (TX * TY !== 256) throw new Error('256 threads');
  const aLoads = (BM * BK) / 4 / 256, bLoads = (BK * BN) / 4 / 256;
  let s = `
@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
var<workgroup> As: array<vec4<f32>, ${BK * BM / 4}>;
var<workgroup> Bs: array<vec4<f32>, ${BK * BN / 4}>;
@compute @workgroup_size(256) fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) l: u32) {
  let m0 = w.y * ${BM}u; let n0 = w.x * ${BN}u;
  let tx = l % ${TX}u; let ty = l / ${TX}u;
`;
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN / 4; j++) s += `  var c${i}_${j} = vec4<f32>(0.0);\n`;
  s += `  for (var k0 = 0u; k0 < ${N}u; k0 += ${BK}u) {\n`;
  for (let q = 0; q < aLoads; q++) { // A tile BM x BK: element quad e -> row e / (BK/4), k quad e % (BK/4)
    s += `    { let e = l + ${256 * q}u; let r = e / ${BK / 4}u; let kq = (e % ${BK / 4}u) * 4u;
      let v = A[((m0 + r) * ${N}u + k0 + kq) / 4u];
      let base = kq * ${BM / 4}u + r / 4u; let lane = r % 4u;
      As[base][lane] = v.x; As[base + ${BM / 4}u][lane] = v.y; As[base + ${BM / 2}u][lane] = v.z; As[base + ${3 * BM / 4}u][lane] = v.w; }\n`;
  }
  for (let q = 0; q < bLoads; q++) {
    s += `    { let e = l + ${256 * q}u; let r = e / ${BN / 4}u; let cq = e % ${BN / 4}u;
      Bs[e] = B[((k0 + r) * ${N}u + n0) / 4u + cq]; }\n`;
  }
  s += `    workgroupBarrier();\n    for (var k = 0u; k < ${BK}u; k++) {\n`;
  for (let i = 0; i < TM / 4; i++) s += `      let a${i} = As[k * ${BM / 4}u + ty * ${TM / 4}u + ${i}u];\n`;
  for (let j = 0; j < TN / 4; j++) s += `      let b${j} = Bs[k * ${BN / 4}u + tx * ${TN / 4}u + ${j}u];\n`;
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN / 4; j++)
    s += `      c${i}_${j} = fma(vec4<f32>(a${i >> 2}[${i & 3}]), b${j}, c${i}_${j});\n`;
  s += `    }\n    workgroupBarrier();\n  }\n`;
  for (let i = 0; i < TM; i++) for (let j = 0; j < TN / 4; j++)
    s += `  C[((m0 + ty * ${TM}u + ${i}u) * ${N}u + n0 + tx * ${TN}u) / 4u + ${j}u] = c${i}_${j};\n`;
  return s + '}\n';
}
// the thread layout of wgpy's current kernel: 64x64 tile, rows ty + 16i, columns tx + 16j, BK 16
function mmCurrent(N) {
  let s = `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
var<workgroup> sa: array<f32, ${16 * 65}>;
var<workgroup> sb: array<f32, ${16 * 64}>;
@compute @workgroup_size(256) fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_index) lid: u32) {
  let m0 = w.y * 64u; let n0 = w.x * 64u; let tx = lid % 16u; let ty = lid / 16u;
`;
  for (let i = 0; i < 16; i++) s += `  var c${i} = 0.0;\n`;
  s += `  for (var k0 = 0u; k0 < ${N}u; k0 += 16u) {
    for (var l = 0u; l < 4u; l++) {
      let e = lid + l * 256u;
      sa[(e % 16u) * 65u + e / 16u] = A[(m0 + e / 16u) * ${N}u + k0 + e % 16u];
      sb[e] = B[(k0 + e / 64u) * ${N}u + n0 + e % 64u];
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
`;
  for (let i = 0; i < 4; i++) s += `      let a${i} = sa[kk * 65u + ty + ${16 * i}u];\n`;
  for (let j = 0; j < 4; j++) s += `      let b${j} = sb[kk * 64u + tx + ${16 * j}u];\n`;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += `      c${4 * i + j} += a${i} * b${j};\n`;
  s += `    }\n    workgroupBarrier();\n  }\n`;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++)
    s += `  C[(m0 + ty + ${16 * i}u) * ${N}u + n0 + tx + ${16 * j}u] = c${4 * i + j};\n`;
  return s + '}\n';
}
for (const N of SCALE >= 1 ? [4096, 8192] : [Math.max(256, Math.round(1024 * Math.sqrt(SCALE) / 128) * 128)]) {
  const MA = buf(4 * N * N, 1), MB = buf(4 * N * N, 1), MC = buf(4 * N * N);
  const fl = 2 * N ** 3;
  const TF = (ms) => `${(fl / ms / 1e9).toFixed(2)} TFLOP/s`;
  const t0 = await gpuTime([[pipe(mmCurrent(N)), [MA, MB, MC], [N / 64, N / 64]]], 3);
  report(`matmul ${N} current 64x64 4x4`, t0, TF(t0));
  for (const [BM, BN, BK, TM, TN] of [[64, 64, 16, 4, 4], [128, 128, 8, 8, 8], [128, 128, 16, 8, 8], [128, 64, 16, 8, 4]]) {
    const t = await gpuTime([[pipe(mmCode(N, BM, BN, BK, TM, TN)), [MA, MB, MC], [N / BN, N / BM]]], 3);
    const v = (await readF32(MC, 1))[0];
    report(`matmul ${N} tile ${BM}x${BN} bk${BK} ${TM}x${TN}/thread`, t, `${TF(t)} (c[0]=${v}, want ${N})`);
  }
  MA.destroy(); MB.destroy(); MC.destroy();
}
if (process.argv[3]) (await import('node:fs')).writeFileSync(process.argv[3], JSON.stringify(out, null, 1));
process.exit(0);
