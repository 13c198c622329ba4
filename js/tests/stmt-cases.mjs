// stmt-cases.mjs — runs of the statement kernels built by hand in core/tests/test_codegen.c
// (stmt_kernels), for both executors: js/tests/test-stmt-wgsl.mjs (webgpu, Node + Dawn) and
// js/tests/browser/test-stmt-webgl2.mjs (webgl2, in the page).  Each case writes its buffers,
// creates the kernel from the generated source, dispatches it, reads the outputs back as raw 32-bit
// words and compares them with the semantics written next to the kernel in C (reproduced below).
// No device and no engine here: plain streams (docs/stream.md) and expectations.

import { Stream } from './stream-builder.mjs';

const INT32 = 3;

// Stream with integer parameters (the builder's dispatch writes every parameter as a double).
export class IntStream extends Stream {
  dispatchInts(id, shape, operands, params) {
    const n = 8 + 8 * shape.length + 8 + operands.reduce((a, o) => a + 16 + 8 * o.strides.length, 0) + 8 * params.length;
    const dv = new DataView(new ArrayBuffer(n));
    dv.setUint32(0, id, true);
    dv.setUint8(4, shape.length); dv.setUint8(5, operands.filter((o) => !o.out).length);
    dv.setUint8(6, operands.filter((o) => o.out).length); dv.setUint8(7, params.length);
    let r = 8;
    for (const e of shape) { dv.setBigInt64(r, BigInt(e), true); r += 8; }
    dv.setBigInt64(r, 0n, true); r += 8;
    for (const o of operands) {
      dv.setUint32(r, o.h, true); dv.setBigInt64(r + 8, BigInt(o.off), true);
      o.strides.forEach((s, d) => dv.setBigInt64(r + 16 + 8 * d, BigInt(s), true));
      r += 16 + 8 * o.strides.length;
    }
    for (const p of params) { dv.setBigInt64(r, BigInt(p), true); r += 8; }
    this.raw(7, new Uint8Array(dv.buffer));
  }
}

// ---- reference semantics (as commented in core/tests/test_codegen.c) ----------------------------
const i8 = (x) => (x << 24) >> 24, i16 = (x) => (x << 16) >> 16, u8 = (x) => x & 0xff;
const u32 = (x) => x >>> 0;

function branchesRef(x) {
  const l = { b: 0, c: 0, I: 0, f: 0, h: 0, B: 0, l: 0 };
  if (x < 0) { l.b = 1; l.c = i8(x); } else l.I = u32(x);
  if (x === 7) return l;
  for (let t = 0; ; t++) {
    if (t >= 10 || t >= x) break;
    if ((t & 1) === 0) continue;
    if (x === 9 && t === 5) return l;
    l.h = i16(l.h + 1);
    l.f += t;
  }
  l.B = u8(Math.imul(x, 37));
  l.l = x;
  return l;
}

function nestingRef(x) {
  let s = 0;
  for (let i = 0; i < x; i++) {
    if (i & 1) {
      for (let j = 0; j < i && j !== 3; j++) s += j;
    } else {
      s += 100;
      if (i > 3) continue;
      s += 1;
    }
  }
  return s;
}

const f32of = (w) => new Float32Array(w.buffer, w.byteOffset, w.length);
function same(what, got, want) {
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i]) && got[i] !== want[i]) return `${what}[${i}]: ${got[i]} != ${want[i]} (got ${Array.from(got).slice(0, 16)})`;
  }
  return null;
}

// ---- the cases: kernel (the C name), webgl2 (does webgl2 run it), make(h) with h(n) giving n
// fresh buffer handles -> { ir, shape, buffers [[h, words, init]], operands, params, reads
// [[h, words]], check(outs: Int32Array per read) -> null or why }
export const CASES = [
  {
    kernel: 'loop_sum', webgl2: true,
    title: 'LOOP with CONTINUING, IF + BREAK, float and int locals (strided operands)',
    make(h) {
      const n = 40, [hin, hout] = h(2);
      const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 11) - 5);
      return {
        ir: { ndim: 1, nin: 1, nout: 1, nparams: 2 }, shape: [n],
        buffers: [[hin, 2 * n, x], [hout, n + 3]],
        operands: [{ h: hin, off: 1, strides: [2] }, { h: hout, off: 3, strides: [1], out: true }],
        params: [6, 1], reads: [[hout, n + 3]],
        check: ([out]) => same('out', f32of(out), [0, 0, 0, ...Array.from({ length: n }, (_, p) => x[1 + 2 * p] * 15)]),
      };
    },
  },
  {
    kernel: 'branches', webgl2: true,
    title: 'if/else, RETURN at top level and in a loop, CONTINUE, locals of every class, 7 outputs',
    make(h) {
      const xs = [-3, -200, 0, 1, 4, 7, 9, 12, 100, -1, 2, 3, 5, 6, 8];
      const hs = h(8);
      // out3 (float32) transposed: point (i, j) of (3, 5) at i + 3 j
      const operands = [{ h: hs[0], off: 0, strides: [5, 1] },
        ...hs.slice(1).map((hh, j) => ({ h: hh, off: 0, strides: j === 3 ? [1, 3] : [5, 1], out: true }))];
      return {
        ir: { ndim: 2, nin: 1, nout: 7, nparams: 6 }, shape: [3, 5],
        buffers: [[hs[0], 15, Int32Array.from(xs)], ...hs.slice(1).map((hh) => [hh, 15])],
        operands, params: [1, 7, 10, 9, 5, 37], reads: hs.slice(1).map((hh) => [hh, 15]),
        check(outs) {
          const refs = xs.map(branchesRef);
          const f3 = f32of(outs[3]);
          const at3 = (p) => Math.floor(p / 5) + 3 * (p % 5);
          return same('out0 bool', outs[0], refs.map((r) => r.b))
            || same('out1 int8', outs[1], refs.map((r) => r.c))
            || same('out2 uint32', outs[2], refs.map((r) => r.I | 0))
            || same('out3 float32', xs.map((_, p) => f3[at3(p)]), refs.map((r) => r.f))
            || same('out4 int16', outs[4], refs.map((r) => r.h))
            || same('out5 uint8', outs[5], refs.map((r) => r.B))
            || same('out6 int32 from an int64 local', outs[6], refs.map((r) => r.l));
        },
      };
    },
  },
  {
    kernel: 'gather', webgl2: true,
    title: 'LOAD_AT with int32, uint32 and bool indices; outside the buffer reads 0',
    make(h) {
      const e = [-3, -2, 0, 5, 9, 10, 100, -100000, 3];
      const u = [0, 1, 9, 10, 0xffffffff, 4000000000, 7, 2, 5];
      const n = e.length, [ht, he, hu, h0, h1, h2] = h(6);
      const table = Float32Array.from({ length: 12 }, (_, i) => 10 + i);
      const at = (k) => (2 + k >= 0 && 2 + k < 12 ? table[2 + k] : 0); // the run starts at offset 2
      return {
        ir: { ndim: 1, nin: 3, nout: 3 }, shape: [n],
        buffers: [[ht, 12, table], [he, n, Int32Array.from(e)], [hu, n, Uint32Array.from(u)], [h0, n], [h1, n], [h2, n]],
        operands: [{ h: ht, off: 2, strides: [0] }, { h: he, off: 0, strides: [1] }, { h: hu, off: 0, strides: [1] },
          { h: h0, off: 0, strides: [1], out: true }, { h: h1, off: 0, strides: [1], out: true },
          { h: h2, off: 0, strides: [1], out: true }],
        params: [], reads: [[h0, n], [h1, n], [h2, n]],
        check: (outs) => same('int32 index', f32of(outs[0]), e.map(at))
          || same('uint32 index', f32of(outs[1]), u.map((k) => (k < 10 ? table[2 + k] : 0)))
          || same('bool index', f32of(outs[2]), e.map((k) => table[2 + (k !== 0 ? 1 : 0)])),
      };
    },
  },
  {
    kernel: 'scatter', webgl2: false,
    title: 'STORE_AT by int32 index into raw float32 and bool outputs; outside the buffer not written',
    make(h) {
      const vals = [1, 2, 3, 4, 5, 6], idx = [0, 3, -1, 8, 9, 50];
      const n = vals.length, [hv, hi, ho, h1, h2] = h(5);
      return {
        ir: { ndim: 1, nin: 2, nout: 3, nparams: 1 }, shape: [n],
        buffers: [[hv, n, Float32Array.from(vals)], [hi, n, Int32Array.from(idx)], [ho, 10], [h1, n], [h2, 10]],
        operands: [{ h: hv, off: 0, strides: [1] }, { h: hi, off: 0, strides: [1] }, { h: ho, off: 1, strides: [0], out: true },
          { h: h1, off: 0, strides: [1], out: true }, { h: h2, off: 0, strides: [0], out: true }],
        params: [3], reads: [[ho, 10], [h1, n], [h2, 10]],
        check: (outs) => same('raw output', f32of(outs[0]), [3, 1, 0, 0, 2, 0, 0, 0, 0, 4]) || same('out1 int8', outs[1], idx.map(i8))
          || same('raw bool output', outs[2], [1, 0, 0, 0, 0, 0, 0, 0, 1, 1]),
      };
    },
  },
  {
    kernel: 'atomics', webgl2: false,
    title: 'ATOMIC_ADD on int32, uint32 and float32 (compare-and-swap) raw outputs',
    make(h) {
      const n = 300, bins = Uint32Array.from({ length: n }, (_, p) => (p % 50 === 49 ? 1000 : p % 7));
      const w = Float32Array.from({ length: n }, (_, p) => (p % 4) * 0.5);
      const [hb, hw, h0, h1, h2, h3] = h(6);
      return {
        ir: { ndim: 1, nin: 2, nout: 4, nparams: 2 }, shape: [n],
        buffers: [[hb, n, bins], [hw, n, w], [h0, 7], [h1, 9], [h2, 7], [h3, n]],
        operands: [{ h: hb, off: 0, strides: [1] }, { h: hw, off: 0, strides: [1] }, { h: h0, off: 0, strides: [0], out: true },
          { h: h1, off: 2, strides: [0], out: true }, { h: h2, off: 0, strides: [0], out: true },
          { h: h3, off: 0, strides: [1], out: true }],
        params: [1, 1], reads: [[h0, 7], [h1, 9], [h2, 7], [h3, n]],
        check(outs) {
          const count = Array(7).fill(0), sum = Array(7).fill(0);
          bins.forEach((b, p) => { if (b < 7) { count[b]++; sum[b] += w[p]; } });
          return same('int32 counts', outs[0], count) || same('uint32 counts (offset 2)', outs[1], [0, 0, ...count])
            || same('float32 sums', f32of(outs[2]), sum) || same('old value >= 0', outs[3], Array(n).fill(1));
        },
      };
    },
  },
  {
    kernel: 'outload', webgl2: false,
    title: 'OUT_LOAD_AT then STORE_AT of the same raw element (LINEAR); far reads give 0',
    make(h) {
      const [hh] = h(1);
      return {
        ir: { ndim: 1, nin: 0, nout: 1, nparams: 2 }, shape: [16],
        buffers: [[hh, 20, Int32Array.from({ length: 20 }, (_, i) => i)]], operands: [{ h: hh, off: 4, strides: [0], out: true }],
        params: [3, 1000000], reads: [[hh, 20]],
        check: ([out]) => same('raw output', out, Array.from({ length: 20 }, (_, i) => (i < 4 ? i : 3 * i))),
      };
    },
  },
  {
    kernel: 'linear', webgl2: true,
    title: 'LINEAR (int32 and int64) and INDEX, a transposed output',
    make(h) {
      const [h0, h1, h2] = h(3);
      const pts = Array.from({ length: 24 }, (_, p) => p);
      return {
        ir: { ndim: 2, nin: 0, nout: 3, nparams: 1 }, shape: [4, 6],
        buffers: [[h0, 24], [h1, 24], [h2, 24]],
        operands: [{ h: h0, off: 0, strides: [1, 4], out: true }, { h: h1, off: 0, strides: [6, 1], out: true },
          { h: h2, off: 0, strides: [6, 1], out: true }],
        params: [100], reads: [[h0, 24], [h1, 24], [h2, 24]],
        check: (outs) => same('LINEAR * 100 + INDEX(1), transposed', pts.map((p) => outs[0][Math.floor(p / 6) + 4 * (p % 6)]),
          pts.map((p) => p * 100 + (p % 6)))
          || same('INDEX(0)', outs[1], pts.map((p) => Math.floor(p / 6))) || same('LINEAR int64', outs[2], pts),
      };
    },
  },
  {
    kernel: 'nesting', webgl2: true,
    title: 'a loop in an if/else in a loop, BREAK from the inner loop, CONTINUE in ELSE',
    make(h) {
      const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 13];
      const n = xs.length, [hx, ho] = h(2);
      return {
        ir: { ndim: 1, nin: 1, nout: 1, nparams: 3 }, shape: [n],
        buffers: [[hx, n, Int32Array.from(xs)], [ho, n]],
        operands: [{ h: hx, off: 0, strides: [1] }, { h: ho, off: 0, strides: [1], out: true }],
        params: [1, 3, 100], reads: [[ho, n]],
        check: ([out]) => same('out', out, xs.map(nestingRef)),
      };
    },
  },
  {
    kernel: 'edges', webgl2: true,
    title: 'RETURN from a loop, dead code after BREAK, an empty THEN, a loop that only breaks',
    make(h) {
      const xs = [-5, -1, 0, 1, 2, 40];
      const n = xs.length, [hx, h0, h1] = h(3);
      return {
        ir: { ndim: 1, nin: 1, nout: 2, nparams: 2 }, shape: [n],
        buffers: [[hx, n, Int32Array.from(xs)], [h0, n], [h1, n]],
        operands: [{ h: hx, off: 0, strides: [1] }, { h: h0, off: 0, strides: [1], out: true },
          { h: h1, off: 0, strides: [1], out: true }],
        params: [1, 5], reads: [[h0, n], [h1, n]],
        check: ([o0, o1]) => same('out0', o0, xs.map((x) => (x < 0 ? 0 : x + 1)))
          || same('out1', o1, xs.map((x) => (x < 0 || x === 1 ? 0 : 5))),
      };
    },
  },
  {
    kernel: 'atomics_rmw', webgl2: false,
    title: 'ATOMIC_MAX/MIN on int32 and float32 (compare-and-swap loop) and ATOMIC_CAS on uint32',
    make(h) {
      const xs = Int32Array.from({ length: 300 }, (_, p) => ((p * 7919) % 1001) - 500);
      const n = xs.length, [hx, h0, h1, h2, h3] = h(5);
      const f = (v) => new Int32Array(Float32Array.from(v).buffer);
      return {
        ir: { ndim: 1, nin: 1, nout: 4, nparams: 2 }, shape: [n],
        buffers: [[hx, n, xs], [h0, 2, Int32Array.from([-1000, 1000])], [h1, 2, f([-1000, 1000])],
          [h2, 1], [h3, n]],
        operands: [{ h: hx, off: 0, strides: [1] }, { h: h0, off: 0, strides: [0], out: true },
          { h: h1, off: 0, strides: [0], out: true }, { h: h2, off: 0, strides: [0], out: true },
          { h: h3, off: 0, strides: [1], out: true }],
        params: [0, 1], reads: [[h0, 2], [h1, 2], [h2, 1], [h3, n]],
        check([o0, o1, o2, o3]) {
          const mx = Math.max(...xs), mn = Math.min(...xs);
          const winner = o2[0] - 1;  // any point may win the CAS on a GPU; exactly one sees 0
          return same('int32 max/min', o0, [mx, mn]) || same('float32 max/min', f32of(o1), [mx, mn])
            || (winner >= 0 && winner < n ? null : `CAS winner ${o2[0]}`)
            || same('one point saw 0', o3, Array.from(xs, (_, p) => (p === winner ? 1 : 0)));
        },
      };
    },
  },
  {
    kernel: 'block_sum', webgl2: false,
    title: 'a workgroup kernel (8 points a workgroup): barriers at the top level and in a uniform loop',
    make(h) {
      const n = 48, xs = Int32Array.from({ length: n }, (_, p) => ((p * 37) % 23) - 11);
      const [hx, h0, h1] = h(3);
      const sums = Array.from({ length: n / 8 }, (_, b) => xs.slice(8 * b, 8 * b + 8).reduce((a, v) => a + v, 0));
      return {
        ir: { ndim: 1, nin: 1, nout: 2, nparams: 5, wgBlock: 8 }, shape: [n],
        buffers: [[hx, n, xs], [h0, n], [h1, n / 8]],
        operands: [{ h: hx, off: 0, strides: [1] }, { h: h0, off: 0, strides: [0], out: true },
          { h: h1, off: 0, strides: [0], out: true }],
        params: [7, 3, 4, 0, 1], reads: [[h1, n / 8]],
        check: ([o1]) => same('per-workgroup sums', o1, sums),
      };
    },
  },
  {
    kernel: 'block_sum_wg', webgl2: false,
    title: 'a workgroup array (var<workgroup>): the tree sum of block_sum without a storage scratch',
    make(h) {
      const n = 48, xs = Int32Array.from({ length: n }, (_, p) => ((p * 37) % 23) - 11);
      const [hx, h0] = h(2);
      const sums = Array.from({ length: n / 8 }, (_, b) => xs.slice(8 * b, 8 * b + 8).reduce((a, v) => a + v, 0));
      return {
        ir: { ndim: 1, nin: 1, nout: 1, nparams: 6, wgBlock: 8 }, shape: [n],
        buffers: [[hx, n, xs], [h0, n / 8]],
        operands: [{ h: hx, off: 0, strides: [1] }, { h: h0, off: 0, strides: [0], out: true }],
        params: [7, 3, 4, 0, 1, 9], reads: [[h0, n / 8]],
        check: ([o0]) => same('per-workgroup sums', o0, sums),
      };
    },
  },
];

// Runs case c on an executor (run(ptr, n) -> null | message, or a promise of it) whose heap is
// `heap`; sources: the CREATE_KERNEL source entries ({ wgsl } or { 'glsl-es-300-vs', ... }).
// Returns null or why it failed.  ids: { next } handle/kernel id counter, shared across cases.
export async function runCase(ex, heap, sources, c, ids) {
  const h = (n) => Array.from({ length: n }, () => ids.next++);
  const t = c.make(h);
  const s = new IntStream(), kid = ids.next++;
  for (const [hh, words, init] of t.buffers) {
    s.create(hh, INT32, 4 * words);
    if (init) s.write(hh, 0, init);
  }
  s.kernel(kid, { kind: 0, dt: INT32, ...t.ir }, sources);
  s.dispatchInts(kid, t.shape, t.operands, t.params);
  const STREAM_AT = 0, OUT_AT = heap.length >> 1;
  let at = OUT_AT;
  const spots = [];
  for (const [hh, words] of t.reads) {
    s.read(hh, 0, 4 * words, at, INT32, 0);
    spots.push([at, words]);
    at += 4 * words;
  }
  for (const [hh] of t.buffers) s.destroy(hh);
  s.destroyKernel(kid);
  const b = s.bytes();
  if (b.length > OUT_AT) return 'stream too long for the test heap';
  heap.set(b, STREAM_AT);
  heap.fill(0, OUT_AT, at);
  const err = await ex.run(STREAM_AT, b.length);
  if (err) return `run: ${err}`;
  return t.check(spots.map(([a, n]) => new Int32Array(heap.slice(a, a + 4 * n).buffer)));
}
