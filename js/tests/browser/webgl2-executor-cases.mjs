// webgl2-executor-cases.mjs — unit cases for js/src/webgl2/executor.mjs, run in the page by
// test-webgl2-executor.mjs.  Streams are written by hand (docs/stream.md) and the shaders are small
// hand-written GLSL kernels that follow docs/webgl2.md's contract (uniform names, argument words,
// contiguous and scatter modes, REDUCE phases), so the executor is tested without the engine:
// texture rows and layers (a small texture width), row-segment writes and reads, widened reads,
// contiguous and scatter draws, several outputs, an input that is also the output, a two-pass
// reduction, and the error messages.

import { WebGL2Executor } from '/js/src/webgl2/executor.mjs';
import { Stream } from '/js/tests/stream-builder.mjs';

// ---- hand-written kernels (docs/webgl2.md's contract) -----------------------------------------
const HEAD = `#version 300 es
precision highp float;
precision highp int;
precision highp usampler2DArray;
uniform highp uint u_tw, u_th, u_vh, u_layer, u_mode, u_out, u_off, u_npts, u_vbase;
`;
const texel = (name) => `uint ld_${name}(int e) { uint u = uint(e); return texelFetch(${name}, ivec3(int(u % u_tw), int((u / u_tw) % u_th), int(u / (u_tw * u_th))), 0).r; }\n`;

// A 2-d ELEMENTWISE float32 kernel: nin inputs, nout outputs; expr[j] computes output j from
// a0, a1... (floats).  Words: 0 points, 4-5 shape, input i: 6+3i (off, s0, s1), outputs after.
function elementwise2d(nin, nout, exprs) {
  const nwords = 4 + 2 + (nin + nout) * 3;
  const W4 = Math.ceil(nwords / 4);
  const common = `${HEAD}uniform highp uvec4 wa[${W4}];
uint arg(uint i) { return wa[i >> 2u][i & 3u]; }
int elem(uint o, uint p) { uint b = 6u + 3u * o; uint i1 = p % arg(5u), i0 = p / arg(5u);
  return int(arg(b)) + int(i0) * int(arg(b + 1u)) + int(i1) * int(arg(b + 2u)); }
`;
  const vs = `${common}flat out highp uint v_p;
void main() {
  if (u_mode == 0u) {
    gl_Position = vec4(float((gl_VertexID & 1) * 4 - 1), float((gl_VertexID >> 1) * 4 - 1), 0.0, 1.0);
    v_p = 0u;
  } else {
    uint p = u_vbase + uint(gl_VertexID);
    uint e = uint(elem(${nin}u + u_out, p));
    uint x = e % u_tw, y = (e / u_tw) % u_th, layer = e / (u_tw * u_th);
    gl_Position = layer == u_layer ? vec4((float(x) + 0.5) / float(u_tw) * 2.0 - 1.0,
        (float(y) + 0.5) / float(u_vh) * 2.0 - 1.0, 0.0, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 1.0;
    v_p = p;
  }
}
`;
  let ins = '';
  for (let i = 0; i < nin; i++) ins += `uniform highp usampler2DArray t_in${i};\n${texel(`t_in${i}`)}`;
  let body = '';
  for (let i = 0; i < nin; i++) body += `  float a${i} = uintBitsToFloat(ld_t_in${i}(elem(${i}u, p)));\n`;
  body += '  float r = 0.0;\n';
  exprs.forEach((e, j) => { body += `  if (u_out == ${j}u) r = ${e};\n`; });
  const fs = `${common}${ins}flat in highp uint v_p;
layout(location = 0) out highp uvec4 o_color;
void main() {
  uint p;
  if (u_mode == 0u) {
    uint e = u_layer * u_tw * u_th + uint(gl_FragCoord.y) * u_tw + uint(gl_FragCoord.x);
    if (e < u_off || e >= u_off + u_npts) discard;
    p = e - u_off;
  } else {
    p = v_p;
  }
${body}  o_color = uvec4(floatBitsToUint(r), 0u, 0u, 0u);
}
`;
  return { 'glsl-es-300-vs': vs, 'glsl-es-300-fs': fs };
}

// REDUCE sum over the last of 2 dims, float32.  Words: 0 points, 1 nr, 4-5 shape, input 6-8,
// output 9 (off), 10 (stride), 11 slices, 12 phase.
function reduceSum() {
  const common = `${HEAD}uniform highp uvec4 wa[4];
uint arg(uint i) { return wa[i >> 2u][i & 3u]; }
`;
  const vs = `${common}flat out highp uint v_p;
void main() {
  if (u_mode == 0u) {
    gl_Position = vec4(float((gl_VertexID & 1) * 4 - 1), float((gl_VertexID >> 1) * 4 - 1), 0.0, 1.0);
    v_p = 0u;
  } else {
    uint p = u_vbase + uint(gl_VertexID);
    uint e = uint(int(arg(9u)) + int(p) * int(arg(10u)));
    uint x = e % u_tw, y = (e / u_tw) % u_th, layer = e / (u_tw * u_th);
    gl_Position = layer == u_layer ? vec4((float(x) + 0.5) / float(u_tw) * 2.0 - 1.0,
        (float(y) + 0.5) / float(u_vh) * 2.0 - 1.0, 0.0, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 1.0;
    v_p = p;
  }
}
`;
  const fs = `${common}uniform highp usampler2DArray t_in0;
uniform highp usampler2DArray t_part;
uniform highp uint u_pwsh;
${texel('t_in0')}flat in highp uint v_p;
layout(location = 0) out highp uvec4 o_color;
float fold(uint pt, uint lo, uint hi) {
  float acc = 0.0;
  for (uint r = lo; r < hi; r++) acc += uintBitsToFloat(ld_t_in0(int(arg(6u)) + int(pt) * int(arg(7u)) + int(r) * int(arg(8u))));
  return acc;
}
void main() {
  uint p;
  if (u_mode == 0u) {
    uint e = u_layer * u_tw * u_th + uint(gl_FragCoord.y) * u_tw + uint(gl_FragCoord.x);
    if (e < u_off || e >= u_off + u_npts) discard;
    p = e - u_off;
  } else {
    p = v_p;
  }
  uint S = arg(11u), phase = arg(12u), nr = arg(1u);
  if (phase == 0u && S > 1u) {
    // partial g at texel (g % PW, g / PW), PW = 2^u_pwsh (docs/webgl2.md)
    p = ((p / u_tw) << u_pwsh) + p % u_tw;
    if (p >= arg(0u) * S) { o_color = uvec4(0u); return; }
    uint pt = p / S, s = p % S, chunk = (nr + S - 1u) / S;
    uint lo = min(s * chunk, nr), hi = min(lo + chunk, nr);
    o_color = uvec4(floatBitsToUint(fold(pt, lo, hi)), lo, 0u, 0u);
  } else if (phase == 0u) {
    o_color = uvec4(floatBitsToUint(fold(p, 0u, nr)), 0u, 0u, 0u);
  } else {
    float acc = 0.0;
    for (uint t = 0u; t < S; t++) {
      uint g = p * S + t;
      uint pw = 1u << u_pwsh;
      acc += uintBitsToFloat(texelFetch(t_part, ivec3(int(g % pw), int((g / pw) % u_th), int(g / (pw * u_th))), 0).r);
    }
    o_color = uvec4(floatBitsToUint(acc), 0u, 0u, 0u);
  }
}
`;
  return { 'glsl-es-300-vs': vs, 'glsl-es-300-fs': fs };
}

// ---- the cases --------------------------------------------------------------------------------
const f32 = (a) => new Float32Array(a);

export async function runCases({ textureWidth }) {
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2');
  if (!gl) throw new Error('no webgl2 context');
  const heap = new Uint8Array(1 << 22);
  const ex = new WebGL2Executor(gl, () => heap, { textureWidth, checkEveryCommand: true });
  const results = [];
  const STREAM_AT = 0, OUT_AT = 1 << 21;
  const run = (s) => {
    const b = s.bytes();
    if (b.length > OUT_AT) throw new Error('stream too long for the test heap');
    heap.set(b, STREAM_AT);
    return ex.run(STREAM_AT, b.length);
  };
  const outF32 = (n, at = OUT_AT) => Array.from(new Float32Array(heap.buffer, at, n));
  const check = (name, fn) => {
    try {
      const why = fn();
      results.push({ name, ok: !why, why: why || '' });
    } catch (e) {
      results.push({ name, ok: false, why: String(e && e.stack ? e.stack : e) });
    }
  };
  const same = (got, want, tol = 0) => {
    if (got.length !== want.length) return `length ${got.length} != ${want.length}`;
    for (let i = 0; i < got.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= tol)) return `[${i}] ${got[i]} != ${want[i]} (got ${got.slice(0, 8)}..., want ${want.slice(0, 8)}...)`;
    }
    return null;
  };
  const N = 300; // with textureWidth 8: 5 layers of 64 words
  const A = Array.from({ length: N }, (_, i) => i * 0.5 - 7);
  const B = Array.from({ length: N }, (_, i) => (i % 13) * 2 + 1);

  check('write + read across rows and layers (partial first and last rows)', () => {
    const s = new Stream();
    s.create(1, 10, 4 * (N + 20));
    s.write(1, 4 * 3, f32(A));          // from word 3: a partial first row
    s.read(1, 4 * 5, 4 * (N - 4), OUT_AT); // words 5 .. N + 1
    s.destroy(1);
    const err = run(s);
    if (err) return err;
    return same(outF32(N - 4), A.slice(2, N - 2));
  });

  check('elementwise add, contiguous output at an offset (several layers)', () => {
    const s = new Stream();
    s.create(1, 10, 4 * N); s.create(2, 10, 4 * N); s.create(3, 10, 4 * (N + 40));
    s.write(1, 0, f32(A)); s.write(2, 0, f32(B));
    s.kernel(1, { ndim: 2, nin: 2, nout: 1 }, elementwise2d(2, 1, ['a0 + a1']));
    s.dispatch(1, [15, 20], [{ h: 1, off: 0, strides: [20, 1] }, { h: 2, off: 0, strides: [20, 1] },
      { h: 3, off: 37, strides: [20, 1], out: true }]);
    s.read(3, 4 * 37, 4 * N, OUT_AT);
    const err = run(s);
    if (err) return err;
    return same(outF32(N), A.map((a, i) => a + B[i]));
  });

  check('elementwise, scatter output (transposed) and a broadcast input', () => {
    const s = new Stream();
    s.create(4, 10, 4 * N);
    // out[j, i] = A[i, j] * B[j] for a (15, 20) A: point space (15, 20), output strides (1, 15)
    s.kernel(2, { ndim: 2, nin: 2, nout: 1 }, elementwise2d(2, 1, ['a0 * a1']));
    s.dispatch(2, [15, 20], [{ h: 1, off: 0, strides: [20, 1] }, { h: 2, off: 0, strides: [0, 1] },
      { h: 4, off: 0, strides: [1, 15], out: true }]);
    s.read(4, 0, 4 * N, OUT_AT);
    const err = run(s);
    if (err) return err;
    const want = new Array(N);
    for (let i = 0; i < 15; i++) for (let j = 0; j < 20; j++) want[j * 15 + i] = Math.fround(A[i * 20 + j] * B[j]);
    return same(outF32(N), want);
  });

  check('two outputs (one draw each) and an input that is also an output', () => {
    const s = new Stream();
    s.create(5, 10, 4 * N); s.create(6, 10, 4 * N);
    s.write(5, 0, f32(A)); s.write(6, 0, f32(B));
    // (5, 6) <- (5 + 6, 5 - 6): both outputs alias inputs; output 1 must see the old buffer 5
    s.kernel(3, { ndim: 2, nin: 2, nout: 2 }, elementwise2d(2, 2, ['a0 + a1', 'a0 - a1']));
    s.dispatch(3, [15, 20], [{ h: 5, off: 0, strides: [20, 1] }, { h: 6, off: 0, strides: [20, 1] },
      { h: 5, off: 0, strides: [20, 1], out: true }, { h: 6, off: 0, strides: [20, 1], out: true }]);
    s.read(5, 0, 4 * N, OUT_AT);
    s.read(6, 0, 4 * N, OUT_AT + 4 * N);
    const err = run(s);
    if (err) return err;
    return same(outF32(N), A.map((a, i) => a + B[i])) || same(outF32(N, OUT_AT + 4 * N), A.map((a, i) => a - B[i]));
  });

  check('reduce sum, one pass (contiguous) and two passes with partials (scatter output)', () => {
    const R = 5000, P = 3;
    const X = Array.from({ length: P * R }, (_, i) => (i * 7) % 11 - 5);
    const s = new Stream();
    s.create(7, 10, 4 * P * R); s.write(7, 0, f32(X));
    s.create(8, 10, 4 * 16);
    s.kernel(4, { kind: 1, ndim: 2, nin: 1, nout: 1, nred: 1 }, reduceSum());
    // long rows: two passes; output at offset 1, stride 3 (scatter)
    s.dispatch(4, [P, R], [{ h: 7, off: 0, strides: [R, 1] }, { h: 8, off: 1, strides: [3], out: true }]);
    s.read(8, 0, 4 * 16, OUT_AT);
    // short columns (transposed view): one pass, contiguous output
    s.create(9, 10, 4 * R);
    s.dispatch(4, [R, P], [{ h: 7, off: 0, strides: [1, R] }, { h: 9, off: 0, strides: [1], out: true }]);
    s.read(9, 0, 4 * R, OUT_AT + 64);
    const err = run(s);
    if (err) return err;
    const rows = [0, 1, 2].map((p) => X.slice(p * R, (p + 1) * R).reduce((a, b) => a + b, 0));
    const got = outF32(16);
    const e1 = same([got[1], got[4], got[7]], rows);
    if (e1) return `two-pass: ${e1} (${got})`;
    if (got[0] !== 0 || got[2] !== 0) return 'two-pass: wrote outside its elements';
    const cols = Array.from({ length: R }, (_, r) => X[r] + X[R + r] + X[2 * R + r]);
    const e2 = same(outF32(R, OUT_AT + 64), cols);
    return e2 ? `one pass: ${e2}` : (ex.stats.draws > 0 ? null : 'no draws counted');
  });

  check('reduce sum, each mode with fresh textures: (one, two passes) x (contiguous, scatter)', () => {
    const P = 3;
    for (const [R, stride] of [[10, 1], [10, 3], [5000, 1], [5000, 3], [4097, 1]]) {
      for (const t of ex.pool.values()) t.length = 0; // the partials texture is made anew
      const s = new Stream();
      s.create(40, 10, 4 * P * R); s.write(40, 0, f32(Array.from({ length: P * R }, (_, i) => 1 + (i % 2))));
      s.create(41, 10, 64);
      s.kernel(40, { kind: 1, ndim: 2, nin: 1, nout: 1, nred: 1 }, reduceSum());
      s.dispatch(40, [P, R], [{ h: 40, off: 0, strides: [R, 1] }, { h: 41, off: 1, strides: [stride], out: true }]);
      s.read(41, 0, 64, OUT_AT);
      s.destroy(40); s.destroy(41); s.destroyKernel(40);
      const err = run(s);
      if (err) return err;
      const got = outF32(16);
      const sum = (p) => { let a = 0; for (let i = p * R; i < (p + 1) * R; i++) a += 1 + (i % 2); return a; };
      const want = new Array(16).fill(0);
      for (let p = 0; p < P; p++) want[1 + p * stride] = sum(p);
      const e = same(got, want);
      if (e) return `R ${R}, stride ${stride}: ${e}`;
    }
    return null;
  });

  check('widened reads narrow to int8 / uint16 / bool', () => {
    const s = new Stream();
    s.create(10, 1, 4 * 4);
    s.write(10, 0, new Int32Array([-1, 5, -128, 127]));
    s.read(10, 0, 16, OUT_AT, 1, 1);         // int8
    s.read(10, 0, 16, OUT_AT + 8, 6, 1);     // uint16 (low 16 bits)
    s.read(10, 0, 16, OUT_AT + 16, 0, 1);    // bool
    const err = run(s);
    if (err) return err;
    return same(Array.from(heap.subarray(OUT_AT, OUT_AT + 4)), [255, 5, 128, 127]) ||
      same(Array.from(new Uint16Array(heap.buffer, OUT_AT + 8, 4)), [65535, 5, 65408, 127]) ||
      same(Array.from(heap.subarray(OUT_AT + 16, OUT_AT + 20)), [1, 1, 1, 1]);
  });

  check('a dispatch with no points draws nothing', () => {
    const before = ex.stats.draws;
    const s = new Stream();
    s.dispatch(1, [0, 20], [{ h: 1, off: 0, strides: [20, 1] }, { h: 2, off: 0, strides: [20, 1] },
      { h: 3, off: 0, strides: [20, 1], out: true }]);
    const err = run(s);
    return err || (ex.stats.draws === before ? null : 'drew');
  });

  check('errors: GLSL compile error names the line and shows it', () => {
    const s = new Stream();
    const src = elementwise2d(1, 1, ['a0 + undefined_thing']);
    s.kernel(20, { ndim: 2, nin: 1, nout: 1 }, src);
    const err = run(s);
    if (!err) return 'no error';
    if (!/GLSL compile error in kernel 20 \(fragment shader\)/.test(err)) return `message: ${err}`;
    if (!/undefined_thing/.test(err.split('\n').slice(2).join('\n'))) return `no source line: ${err}`;
    return null;
  });

  check('errors: unknown kernel, unknown buffer, missing sources, bad range (command index, opcode, byte)', () => {
    const msgs = [];
    let s = new Stream();
    s.create(30, 10, 16);
    s.dispatch(99, [1, 1], []);
    msgs.push([run(s), /^command stream: command 1 \(DISPATCH\) at byte \d+: unknown kernel id 99$/]);
    s = new Stream();
    s.read(12345, 0, 4, OUT_AT);
    msgs.push([run(s), /command 0 \(READ_BUFFER\) at byte 16: unknown buffer handle 12345/]);
    s = new Stream();
    s.kernel(31, { ndim: 1, nin: 0, nout: 1 }, { wgsl: 'x' });
    msgs.push([run(s), /no "glsl-es-300-vs" and "glsl-es-300-fs" sources/]);
    s = new Stream();
    s.write(30, 8, f32([1, 2, 3]));
    msgs.push([run(s), /WRITE_BUFFER.*byte range outside the buffer/]);
    s = new Stream();
    s.create(30, 10, 16);
    msgs.push([run(s), /bad or existing buffer handle 30/]);
    for (const [m, re] of msgs) if (!m || !re.test(m)) return `got ${JSON.stringify(m)}, want ${re}`;
    // the executor still works after errors
    s = new Stream();
    s.write(30, 0, f32([1, 2, 3, 4]));
    s.read(30, 4, 8, OUT_AT);
    return run(s) || same(outF32(2), [2, 3]);
  });

  // the engine counts on every CREATE / DESTROY of a chunk: after a bad command they still apply
  // (its WRITEs, READs and DISPATCHes are skipped), so the next chunk finds what it expects; the
  // commands before the bad one have run
  check('a create after a bad command still applies (its data commands do not; the commands before it ran)', () => {
    const ew = { ndim: 2, nin: 1, nout: 1 };
    const ops = (i, o) => [{ h: i, off: 0, strides: [4, 1] }, { h: o, off: 0, strides: [4, 1], out: true }];
    heap.fill(0xff, OUT_AT, OUT_AT + 48);
    const s = new Stream();
    s.create(50, 10, 16);
    s.write(50, 0, f32([1, 2, 3, 4]));
    s.read(50, 0, 16, OUT_AT);                 // before the bad command: delivered
    s.write(4243, 0, f32([1]));                // bad
    s.create(51, 10, 16); s.create(52, 10, 16);
    s.write(51, 0, f32([1, 2, 3, 4]));         // skipped
    s.kernel(50, ew, elementwise2d(1, 1, ['a0 * 5.0']));
    s.dispatch(50, [1, 4], ops(51, 52));       // skipped
    s.read(52, 0, 16, OUT_AT + 16);            // skipped
    s.destroy(50);
    s.kernel(51, ew, elementwise2d(1, 1, ['a0 + undefined_thing'])); // a later error: the first one is reported
    const e1 = run(s);
    if (!e1 || !/^command stream: command 3 \(WRITE_BUFFER\) .*unknown buffer handle 4243$/.test(e1)) return `got ${JSON.stringify(e1)}`;
    if (ex.buffers.has(50) || !ex.buffers.has(51) || !ex.buffers.has(52) || !ex.kernels.has(50) || !ex.kernels.get(51)?.broken) return 'tables differ from the chunk';
    const e2 = same(outF32(4), [1, 2, 3, 4]) || (new Uint32Array(heap.buffer, OUT_AT + 16, 4).every((w) => w === 0xffffffff) ? null : 'a skipped READ was delivered');
    if (e2) return e2;
    let t = new Stream();
    t.read(52, 0, 16, OUT_AT + 16);            // the skipped dispatch wrote nothing: zeros
    t.write(51, 0, f32([1, 2, 3, 4]));
    t.dispatch(50, [1, 4], ops(51, 52));
    t.read(52, 0, 16, OUT_AT + 32);
    const e3 = run(t) || same(outF32(4, OUT_AT + 16), [0, 0, 0, 0]) || same(outF32(4, OUT_AT + 32), [5, 10, 15, 20]);
    if (e3) return e3;
    t = new Stream();
    t.write(50, 0, f32([1]));
    const e4 = run(t);
    if (!e4 || !/unknown buffer handle 50$/.test(e4)) return `destroyed buffer: got ${JSON.stringify(e4)}`;
    // a READ destination outside wasm memory: the later DESTROYs still apply
    t = new Stream();
    t.read(51, 0, 16, heap.length - 8);
    t.destroy(51); t.destroy(52); t.destroyKernel(50);
    const e5 = run(t);
    if (!e5 || !/READ destination outside wasm memory$/.test(e5)) return `READ outside memory: got ${JSON.stringify(e5)}`;
    return ex.buffers.has(51) || ex.buffers.has(52) || ex.kernels.has(50) ? 'DESTROYs after a bad READ did not apply' : null;
  });

  check('errors: a buffer whose creation failed keeps its handle: DESTROY is no error, a use fails', () => {
    let s = new Stream();
    s.create(60, 10, 4 * 64 * ex.TH * (ex.maxLayers + 1) * ex.TW / 64); // more layers than the context has
    const e1 = run(s);
    if (!e1 || !/out of memory: .* texture layers/.test(e1)) return `create: got ${JSON.stringify(e1)}`;
    if (!ex.buffers.get(60)?.unmade) return 'the handle was not kept';
    s = new Stream();
    s.write(60, 0, f32([1]));
    const e2 = run(s);
    if (!e2 || !/buffer 60 was never made/.test(e2)) return `write: got ${JSON.stringify(e2)}`;
    s = new Stream();
    s.destroy(60);
    const e3 = run(s);
    if (e3) return `destroy: got ${JSON.stringify(e3)}`;
    return ex.buffers.has(60) ? 'DESTROY did not apply' : null;
  });

  check('a re-created kernel reuses its program (cache by source text)', () => {
    const before = ex.stats.programsCompiled;
    const s = new Stream();
    s.destroyKernel(1);
    s.kernel(1, { ndim: 2, nin: 2, nout: 1 }, elementwise2d(2, 1, ['a0 + a1']));
    const err = run(s);
    return err || (ex.stats.programsCompiled === before ? null : 'recompiled');
  });

  return { results, stats: ex.stats, tw: ex.TW };
}

