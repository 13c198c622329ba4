// rng21_gen.mjs — what the counter-based generator itself costs on a GPU (issue 11: normals 0.56
// and uniforms 0.66 of CuPy's Generator in session 19).  WGSL has no mulhi, so each Philox round
// builds two high words from 16-bit halves (about 11 integer operations each, against one
// IMAD.WIDE in CUDA); Threefry (Salmon et al., SC'11, the same paper; JAX's generator) needs only
// adds, rotations and xors.  Hand-written kernels, all of the same shape as the library's
// workgroup form (256 threads, a block per thread, its four float32 lanes exchanged through
// workgroup memory so that neighbouring threads store neighbouring words):
//   philox10    Philox4x32-10 as the library computes it (wg_philox_c's rounds)
//   philox7     Philox4x32-7 (the fewest rounds Random123 calls Crush-resistant, for scale)
//   tf2x20      Threefry2x32-20, two calls a block (counters (b, 2i) and (b, 2i + 1))
//   tf4x20      Threefry4x32-20, one call a block (128 bits)
//   tf4x13      Threefry4x32-13 (Random123's Crush-resistant minimum, for scale)
//   zeros       the exchange and stores only
// each as uniforms (24 bits a lane) and as normals (the library's Box-Muller bm24, same
// polynomials).  Every generator is checked on the host first against Random123's known-answer
// vectors, and its first words on the device against the host's.  GPU ms a dispatch by timestamps
// (median of 21, least of ROUNDS rounds).
//
//   node bench/h100/rng21_gen.mjs [N] [ROUNDS]      (N outputs, default 2^24)
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../../js/src/node/webgpu-host.mjs';
import { GRID_WGSL, gpuTime as gpuTimeOf } from './probe_common.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
Object.assign(globalThis, createRequire(path.join(ROOT, 'package.json'))('webgpu').globals);
const { device } = await createDawnDevice({ timing: true });
const U = GPUBufferUsage;
const N = Number(process.argv[2] || (1 << 24));
const ROUNDS = Number(process.argv[3] || 2);

// ---- host references (uint32 arithmetic by Math.imul and >>> 0) -------------------------------
const mulhi = (a, b) => Number((BigInt(a >>> 0) * BigInt(b >>> 0)) >> 32n);
function philoxRef(c, k, rounds = 10) {
  c = c.slice(); k = k.slice();
  for (let r = 0; r < rounds; r++) {
    const h0 = mulhi(0xD2511F53, c[0]), l0 = Math.imul(0xD2511F53, c[0]) >>> 0;
    const h1 = mulhi(0xCD9E8D57, c[2]), l1 = Math.imul(0xCD9E8D57, c[2]) >>> 0;
    c = [(h1 ^ c[1] ^ k[0]) >>> 0, l1, (h0 ^ c[3] ^ k[1]) >>> 0, l0];
    k = [(k[0] + 0x9E3779B9) >>> 0, (k[1] + 0xBB67AE85) >>> 0];
  }
  return c;
}
const rotl = (x, r) => ((x << r) | (x >>> (32 - r))) >>> 0;
const R2 = [13, 15, 26, 6, 17, 29, 16, 24];
const R4 = [[10, 26], [11, 21], [13, 27], [23, 5], [6, 20], [17, 11], [25, 10], [18, 20]];
const PARITY = 0x1BD11BDA;
function tf2Ref(c, k, rounds = 20) {
  const ks = [k[0], k[1], (PARITY ^ k[0] ^ k[1]) >>> 0];
  let x0 = (c[0] + ks[0]) >>> 0, x1 = (c[1] + ks[1]) >>> 0;
  for (let r = 0; r < rounds; r++) {
    x0 = (x0 + x1) >>> 0; x1 = rotl(x1, R2[r % 8]); x1 = (x1 ^ x0) >>> 0;
    if (r % 4 === 3) { const s = (r >> 2) + 1; x0 = (x0 + ks[s % 3]) >>> 0; x1 = (x1 + ks[(s + 1) % 3] + s) >>> 0; }
  }
  return [x0, x1];
}
function tf4Ref(c, k, rounds = 20) {
  const ks = [k[0], k[1], k[2], k[3], (PARITY ^ k[0] ^ k[1] ^ k[2] ^ k[3]) >>> 0];
  const x = c.map((v, i) => (v + ks[i]) >>> 0);
  for (let r = 0; r < rounds; r++) {
    const [ra, rb] = R4[r % 8];
    if (r % 2 === 0) {
      x[0] = (x[0] + x[1]) >>> 0; x[1] = rotl(x[1], ra); x[1] = (x[1] ^ x[0]) >>> 0;
      x[2] = (x[2] + x[3]) >>> 0; x[3] = rotl(x[3], rb); x[3] = (x[3] ^ x[2]) >>> 0;
    } else {
      x[0] = (x[0] + x[3]) >>> 0; x[3] = rotl(x[3], ra); x[3] = (x[3] ^ x[0]) >>> 0;
      x[2] = (x[2] + x[1]) >>> 0; x[1] = rotl(x[1], rb); x[1] = (x[1] ^ x[2]) >>> 0;
    }
    if (r % 4 === 3) { const s = (r >> 2) + 1; for (let i = 0; i < 4; i++) x[i] = (x[i] + ks[(s + i) % 5]) >>> 0; x[3] = (x[3] + s) >>> 0; }
  }
  return x;
}
const hex = (w) => w.map((v) => v.toString(16).padStart(8, '0')).join(' ');
const F = 0xffffffff;
// Random123's kat_vectors (philox4x32_10, threefry2x32_20, threefry4x32_20)
const KAT = [
  ['philox4x32-10 zeros', hex(philoxRef([0, 0, 0, 0], [0, 0])), '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  ['philox4x32-10 ones', hex(philoxRef([F, F, F, F], [F, F])), '408f276d 41c83b0e a20bc7c6 6d5451fd'],
  ['threefry2x32-20 zeros', hex(tf2Ref([0, 0], [0, 0])), '6b200159 99ba4efe'],
  ['threefry2x32-20 ones', hex(tf2Ref([F, F], [F, F])), '1cb996fc bb002be7'],
  ['threefry4x32-20 zeros', hex(tf4Ref([0, 0, 0, 0], [0, 0, 0, 0])), '9c6ca96a e17eae66 fc10ecd4 5256a7d8'],
  ['threefry4x32-20 ones', hex(tf4Ref([F, F, F, F], [F, F, F, F])), '2a881696 57012287 f6c7446e a16a6732'],
];
for (const [name, got, want] of KAT) console.log(`KAT ${name.padEnd(22)} ${got === want ? 'ok' : `MISMATCH got ${got} want ${want}`}`);

// ---- WGSL -------------------------------------------------------------------------------------
const KEY = [0x2a, 0x9e3779b9], CALL = [5, 0]; // a seed's key words, the call counter
const philoxW = (rounds) => `
fn mulhi_c(x: u32, ah: u32, al: u32) -> u32 {
  let bl = x & 65535u; let bh = x >> 16u;
  let t = ah * bl + ((al * bl) >> 16u); let w = al * bh + (t & 65535u);
  return ah * bh + (t >> 16u) + (w >> 16u);
}
fn gen(b: u32) -> vec4<u32> {
  var c = vec4<u32>(b, 0u, ${CALL[0]}u, ${CALL[1]}u); var k = vec2<u32>(${KEY[0]}u, ${KEY[1]}u);
  for (var r = 0; r < ${rounds}; r++) {
    let h0 = mulhi_c(c.x, 53841u, 8019u); let l0 = 3528531795u * c.x;
    let h1 = mulhi_c(c.z, 52638u, 36183u); let l1 = 3449720151u * c.z;
    c = vec4<u32>(h1 ^ c.y ^ k.x, l1, h0 ^ c.w ^ k.y, l0);
    k = k + vec2<u32>(2654435769u, 3144134277u);
  }
  return c;
}`;
const rot = (v, r) => `((${v} << ${r}u) | (${v} >> ${32 - r}u))`;
function tf2W(rounds) {
  // counter (b, 2·call + j) for j = 0, 1; key (k0, k1): the call counter folded into the counter
  const ks2 = (PARITY ^ KEY[0] ^ KEY[1]) >>> 0, ks = [KEY[0], KEY[1], ks2];
  let s = `fn tf2(c0: u32, c1: u32) -> vec2<u32> {\n  var x0 = c0 + ${ks[0]}u; var x1 = c1 + ${ks[1]}u;\n`;
  for (let r = 0; r < rounds; r++) {
    s += `  x0 = x0 + x1; x1 = ${rot('x1', R2[r % 8])} ^ x0;\n`;
    if (r % 4 === 3) { const i = (r >> 2) + 1; s += `  x0 = x0 + ${ks[i % 3]}u; x1 = x1 + ${(ks[(i + 1) % 3] + i) >>> 0}u;\n`; }
  }
  s += `  return vec2<u32>(x0, x1);\n}\nfn gen(b: u32) -> vec4<u32> { return vec4<u32>(tf2(b, ${2 * CALL[0]}u), tf2(b, ${2 * CALL[0] + 1}u)); }`;
  return s;
}
const K4 = [KEY[0], KEY[1], CALL[0], CALL[1]]; // Threefry4x32's 128-bit key: seed and call
function tf4W(rounds) {
  const ks = [...K4, (PARITY ^ K4[0] ^ K4[1] ^ K4[2] ^ K4[3]) >>> 0];
  let s = `fn gen(b: u32) -> vec4<u32> {\n  var x0 = b + ${ks[0]}u; var x1 = ${ks[1]}u; var x2 = ${ks[2]}u; var x3 = ${ks[3]}u;\n`;
  for (let r = 0; r < rounds; r++) {
    const [ra, rb] = R4[r % 8];
    s += r % 2 === 0
      ? `  x0 = x0 + x1; x1 = ${rot('x1', ra)} ^ x0; x2 = x2 + x3; x3 = ${rot('x3', rb)} ^ x2;\n`
      : `  x0 = x0 + x3; x3 = ${rot('x3', ra)} ^ x0; x2 = x2 + x1; x1 = ${rot('x1', rb)} ^ x2;\n`;
    if (r % 4 === 3) { const i = (r >> 2) + 1; s += `  x0 = x0 + ${ks[i % 5]}u; x1 = x1 + ${ks[(i + 1) % 5]}u; x2 = x2 + ${ks[(i + 2) % 5]}u; x3 = x3 + ${(ks[(i + 3) % 5] + i) >>> 0}u;\n`; }
  }
  return s + `  return vec4<u32>(x0, x1, x2, x3);\n}`;
}
const GENS = {
  philox10: [philoxW(10), (b) => philoxRef([b, 0, CALL[0], CALL[1]], KEY, 10)],
  philox7: [philoxW(7), (b) => philoxRef([b, 0, CALL[0], CALL[1]], KEY, 7)],
  tf2x20: [tf2W(20), (b) => [...tf2Ref([b, 2 * CALL[0]], KEY), ...tf2Ref([b, 2 * CALL[0] + 1], KEY)]],
  tf4x20: [tf4W(20), (b) => tf4Ref([b, 0, 0, 0], K4, 20)],
  tf4x13: [tf4W(13), (b) => tf4Ref([b, 0, 0, 0], K4, 13)],
};
const TRANSFORMS = `${GRID_WGSL}
fn normal4(r: vec4<u32>) -> vec4<f32> { return vec4<f32>(bm24(r.x, r.y), bm24(r.z, r.w)); }
fn raw4(r: vec4<u32>) -> vec4<f32> { return bitcast<vec4<f32>>(r); }
`;
const kernel = (gen, fn) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> sh: array<f32, 1056>;
${gen}
${TRANSFORMS}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(local_invocation_index) t: u32) {
  let b = gid.x + gid.y * 65535u * 256u;
  let v = ${fn === 'zeros' ? 'vec4<f32>(0.0)' : `${fn}(gen(b))`};
  var w = 4u * t;
  sh[w + (w >> 5u)] = v.x; w += 1u; sh[w + (w >> 5u)] = v.y; w += 1u;
  sh[w + (w >> 5u)] = v.z; w += 1u; sh[w + (w >> 5u)] = v.w;
  workgroupBarrier();
  let base = 4u * (b - t);
  for (var s = 0u; s < 4u; s++) { let u = t + 256u * s; if (base + u < ${N}u) { y[base + u] = sh[u + (u >> 5u)]; } }
}`;

const out = device.createBuffer({ size: 4 * N, usage: U.STORAGE | U.COPY_SRC });
const groups = Math.ceil(N / 1024);
const gpuTime = (p, bg, reps = 21) => gpuTimeOf(device, p, bg, groups, reps);
async function readWords(n) {
  const st = device.createBuffer({ size: 4 * n, usage: U.MAP_READ | U.COPY_DST });
  const e = device.createCommandEncoder(); e.copyBufferToBuffer(out, 0, st, 0, 4 * n);
  device.queue.submit([e.finish()]); await st.mapAsync(GPUMapMode.READ);
  const r = new Uint32Array(st.getMappedRange().slice(0)); st.unmap(); st.destroy(); return r;
}
function pipe(code) {
  const module = device.createShaderModule({ code });
  const p = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  return [p, device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: out } }] })];
}

const cases = [['zeros', pipe(kernel(GENS.philox10[0], 'zeros'))]];
for (const [name, [wgsl, ref]] of Object.entries(GENS)) {
  // the device's raw words against the host's for the first 4096 blocks (output 4b + j is lane j)
  const [p, bg] = pipe(kernel(wgsl, 'raw4'));
  await gpuTime(p, bg, 1);
  const w = await readWords(Math.min(N, 16384));
  let bad = 0;
  for (let b = 0; b < w.length / 4; b++) { const r = ref(b); for (let j = 0; j < 4; j++) if (w[4 * b + j] !== r[j]) bad++; }
  console.log(`${name.padEnd(9)} device words against the host's: ${bad ? `${bad} DIFFER` : 'same'} (${w.length} words)`);
  cases.push([`${name} uniform`, pipe(kernel(wgsl, 'uniform4'))], [`${name} normal`, pipe(kernel(wgsl, 'normal4'))]);
}
const best = new Map();
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, [p, bg]] of (r & 1 ? [...cases].reverse() : cases)) {
    await gpuTime(p, bg, 3);
    best.set(name, Math.min(best.get(name) ?? Infinity, await gpuTime(p, bg)));
  }
}
console.log(`N = ${N}; GPU ms a dispatch (median of 21, least of ${ROUNDS} rounds); ratio to philox10's same transform`);
for (const [name] of cases) {
  const base = name === 'zeros' ? null : best.get(`philox10 ${name.split(' ')[1]}`);
  console.log(`${name.padEnd(18)} ${best.get(name).toFixed(4)} ms${base ? `  ${(best.get(name) / base).toFixed(2)}x` : ''}`);
}
process.exit(0);
