// fft21_access.mjs — is the four-step FFT's memory pattern what holds a 2^20 complex64 transform
// at 0.050 ms against cuFFT's 0.019 (issue 11; docs/fft.md "Workgroup passes")?  Copies of 2^20
// complex64 points (8 MiB in, 8 MiB out) with the passes' access patterns and no arithmetic, GPU
// ms a dispatch by timestamps (median of 21, least of 3 rounds):
//   contig         point p read at p, written at p, through the tile (tNNNN/WG: other tiles and
//                  workgroup sizes); plain: a point a thread, no workgroup memory (the floor)
//   colsG=g        the first pass's loads: a workgroup of 256 threads takes g adjacent columns of
//                  1024 points (stride 1024) as 4096 / g... (tile 4096 points), reads them in runs
//                  of g points, writes its tile contiguously
//   scatG=g        the second pass's stores: a workgroup reads a tile of rows contiguously and
//                  writes point k2 of row k1 at k1 + 1024 k2, in runs of g points
// The engine's 4096-point tile gives g = 4 for both passes of 2^20 (1024 x 1024).
//
//   node bench/h100/fft21_access.mjs
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../../js/src/node/webgpu-host.mjs';
import { gpuTime as gpuTimeOf } from './probe_common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
Object.assign(globalThis, createRequire(path.join(ROOT, 'package.json'))('webgpu').globals);
const { device } = await createDawnDevice({ timing: true });
const U = GPUBufferUsage;
const N = 1 << 20, L = 1024, TILE = 4096, PER = TILE / 256;
const src = device.createBuffer({ size: 8 * N, usage: U.STORAGE | U.COPY_DST });
const dst = device.createBuffer({ size: 8 * N, usage: U.STORAGE | U.COPY_SRC });
{
  const v = new Float32Array(2 * N); for (let i = 0; i < 2 * N; i++) v[i] = i;
  device.queue.writeBuffer(src, 0, v);
}
const head = (tile) => `@group(0) @binding(0) var<storage, read> x: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec2<f32>>;
var<workgroup> sh: array<vec2<f32>, ${tile}>;
`;
const HEAD = head(TILE);
// contiguous through workgroup memory: a tile of `tile` points, `wg` threads
const contigT = (tile, wg) => `${head(tile)}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let base = (w.x + w.y * 65535u) * ${tile}u;
  for (var k = 0u; k < ${tile / wg}u; k++) { let p = base + t + ${wg}u * k; sh[t + ${wg}u * k] = x[p]; }
  workgroupBarrier();
  for (var k = 0u; k < ${tile / wg}u; k++) { let p = base + t + ${wg}u * k; y[p] = sh[t + ${wg}u * k]; }
}`;
const contig = contigT(TILE, 256);
// the floor: a point a thread, no workgroup memory
const plain = `@group(0) @binding(0) var<storage, read> x: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec2<f32>>;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) g: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let p = g.x + g.y * nw.x * 256u; y[p] = x[p];
}`;
// tile = g columns x (TILE / g) rows of a (L x N/L) matrix... here the matrix is 1024 x 1024:
// column c, row r at r * 1024 + c.  A workgroup holds g columns whole when TILE / g >= 1024.
const cols = (g) => `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let wg = w.x + w.y * 65535u;
  let rows = ${TILE / g}u;                       // rows of the tile
  let c0 = (wg % ${L / g}u) * ${g}u;             // its first column
  let r0 = (wg / ${L / g}u) * rows;              // its first row
  for (var k = 0u; k < ${PER}u; k++) {
    let q = t + 256u * k;                        // g adjacent threads, g adjacent columns
    let c = q % ${g}u; let r = q / ${g}u;
    sh[c * rows + r] = x[(r0 + r) * ${L}u + c0 + c];
  }
  workgroupBarrier();
  for (var k = 0u; k < ${PER}u; k++) { let q = t + 256u * k; y[wg * ${TILE}u + q] = sh[q]; }
}`;
const scat = (g) => `${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) w: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let wg = w.x + w.y * 65535u;
  for (var k = 0u; k < ${PER}u; k++) { let q = t + 256u * k; sh[q] = x[wg * ${TILE}u + q]; }
  workgroupBarrier();
  // the tile is TILE / L = ${TILE / L} rows k1; g adjacent threads take g adjacent rows' point k2
  let rows = ${TILE / L}u;
  for (var k = 0u; k < ${PER}u; k++) {
    let q = t + 256u * k;
    let j = q % ${g}u; let k2 = q / ${g}u;       // g adjacent rows (k1) for one k2
    let k1 = (wg * rows) + (k2 % (rows / ${g}u)) * ${g}u + j;
    let kk = k2 / (rows / ${g}u);
    y[k1 + ${L}u * kk] = sh[(k1 - wg * rows) * ${L}u + kk];
  }
}`;
const cases = [['contig', contig, N / TILE]];
cases.push(['plain', plain, N / 256]);
for (const [tile, wg] of [[4096, 512], [4096, 1024], [2048, 256], [2048, 512], [1024, 256]])
  if (wg <= device.limits.maxComputeInvocationsPerWorkgroup) cases.push([`contig t${tile}/${wg}`, contigT(tile, wg), N / tile]);
for (const g of [4, 8, 16, 32]) cases.push([`colsG=${g}`, cols(g), N / TILE]);
for (const g of [4]) cases.push([`scatG=${g}`, scat(g), N / TILE]);
const gpuTime = (p, bg, groups, reps = 21) => gpuTimeOf(device, p, bg, groups, reps);
async function readSum() { // every point written once: the output is a permutation of the input
  const st = device.createBuffer({ size: 8 * N, usage: U.MAP_READ | U.COPY_DST });
  const e = device.createCommandEncoder(); e.copyBufferToBuffer(dst, 0, st, 0, 8 * N);
  device.queue.submit([e.finish()]); await st.mapAsync(GPUMapMode.READ);
  const v = new Float32Array(st.getMappedRange()); const seen = new Uint8Array(N); let bad = 0;
  for (let i = 0; i < N; i++) { const p = v[2 * i] / 2; if (!Number.isInteger(p) || p < 0 || p >= N || seen[p]) bad++; else seen[p] = 1; }
  st.unmap(); st.destroy(); return bad;
}
const best = new Map();
const pipes = cases.map(([name, code, groups]) => {
  const p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code }), entryPoint: 'main' } });
  return [name, p, groups, device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: src } }, { binding: 1, resource: { buffer: dst } }] })];
});
for (const [name, p, groups, bg] of pipes) { if (process.env.DBG) console.log("check", name); await gpuTime(p, bg, groups, 1); const bad = await readSum(); if (bad) console.log(`${name}: ${bad} points not a permutation`); }
for (let r = 0; r < 3; r++) for (const [name, p, groups, bg] of (r & 1 ? [...pipes].reverse() : pipes)) best.set(name, Math.min(best.get(name) ?? Infinity, await gpuTime(p, bg, groups)));
console.log(`2^20 complex64 copies, GPU ms a dispatch (median of 21, least of 3 rounds)`);
for (const [name] of pipes) console.log(`${name.padEnd(18)} ${best.get(name).toFixed(4)} ms  ${(16 * N / best.get(name) / 1e6).toFixed(0)} GB/s`);
process.exit(0);
