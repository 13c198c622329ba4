#!/usr/bin/env node
// test-stmt-wgsl.mjs — the WGSL of statement kernels (ir.h "Statement kernels",
// core/src/codegen/stmt.c) compiled by Dawn and run through the webgpu executor on small data.
//
// The kernels are built by hand in core/tests/test_codegen.c (stmt_kernels); the C test
// codegen_stmt_write_wgsl writes their WGSL to a directory.  This test gets that directory from
// WGPY_STMT_WGSL_DIR, or runs the C test binary (build/ctest/wgtest, made by `make test-c`) to
// write one.  For each kernel: createShaderModule + getCompilationInfo must report no error, then
// a hand-written stream (CREATE_KERNEL with the WGSL, buffers, DISPATCH, READs) runs on the
// executor and the results are compared with the semantics written next to the kernel in C.
//
//   node js/tests/test-stmt-wgsl.mjs

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../src/node/webgpu-host.mjs';
import { WebGPUExecutor } from '../src/webgpu/executor.mjs';
import { Stream } from './stream-builder.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const INT32 = 3;

// Stream with integer parameters (the builder's dispatch writes every parameter as a double).
class IntStream extends Stream {
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

function wgslDir() {
  if (process.env.WGPY_STMT_WGSL_DIR) return process.env.WGPY_STMT_WGSL_DIR;
  const bin = path.join(ROOT, 'build/ctest/wgtest');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run make test-c first (or set WGPY_STMT_WGSL_DIR)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-stmt-'));
  const r = spawnSync(bin, ['codegen_stmt_write_wgsl'], {
    env: { ...process.env, WGPY_STMT_WGSL_DIR: dir, ASAN_OPTIONS: 'detect_leaks=0' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} codegen_stmt_write_wgsl failed:\n${r.stdout}${r.stderr}`);
  return dir;
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

async function main() {
  const dir = wgslDir();
  const { device, adapterInfo } = await createDawnDevice();
  console.log(`webgpu: ${adapterInfo.description || adapterInfo.device || 'adapter'}; WGSL from ${dir}`);
  const heap = new Uint8Array(1 << 20);
  const ex = new WebGPUExecutor(device, () => heap);
  const STREAM_AT = 0, OUT_AT = 1 << 19;
  let passes = 0, failures = 0;
  const check = async (name, fn) => {
    let why;
    try { why = await fn(); } catch (e) { why = `threw: ${e && e.stack ? e.stack : e}`; }
    if (why) failures++; else passes++;
    console.log(`${why ? 'FAIL' : 'ok  '} ${name}${why ? `: ${why}` : ''}`);
  };
  const src = (name) => fs.readFileSync(path.join(dir, `${name}.wgsl`), 'utf8');

  // 1. every file compiles
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
  for (const f of files) {
    await check(`compiles: ${f}`, async () => {
      const code = fs.readFileSync(path.join(dir, f), 'utf8');
      device.pushErrorScope('validation');
      const m = device.createShaderModule({ code });
      const info = await m.getCompilationInfo();
      const scope = await device.popErrorScope();
      const lines = code.split('\n');
      const errs = info.messages.filter((x) => x.type === 'error')
        .map((x) => `line ${x.lineNum}: ${x.message}\n    ${lines[x.lineNum - 1]}`);
      if (scope) errs.push(scope.message);
      return errs.length ? errs.join('\n') : null;
    });
  }

  // 2. runs: one stream per case; buffers are [handle, words, Int32Array|Uint32Array|Float32Array init]
  let nextId = 1;
  // run(kernel, ir counts, shape, operands [{ h, off, strides, out }], params, reads [[h, words]])
  // -> arrays of raw 32-bit words (Int32Array) per read
  const run = async (name, ir, shape, buffers, operands, params, reads) => {
    const s = new IntStream(), kid = nextId++;
    for (const [h, words, init] of buffers) {
      s.create(h, INT32, 4 * words);
      if (init) s.write(h, 0, init);
    }
    s.kernel(kid, { kind: 0, dt: INT32, ...ir }, { wgsl: src(name) });
    s.dispatchInts(kid, shape, operands, params);
    let at = OUT_AT;
    const spots = [];
    for (const [h, words] of reads) {
      s.read(h, 0, 4 * words, at, INT32, 0);
      spots.push([at, words]);
      at += 4 * words;
    }
    for (const [h] of buffers) s.destroy(h);
    s.destroyKernel(kid);
    const b = s.bytes();
    heap.set(b, STREAM_AT);
    heap.fill(0, OUT_AT, at);
    const err = await ex.run(STREAM_AT, b.length);
    if (err) throw new Error(err);
    return spots.map(([a, n]) => new Int32Array(heap.slice(a, a + 4 * n).buffer));
  };
  const f32of = (w) => new Float32Array(w.buffer);
  const same = (what, got, want) => {
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i]) && got[i] !== want[i]) return `${what}[${i}]: ${got[i]} != ${want[i]} (got ${Array.from(got).slice(0, 16)})`;
    }
    return null;
  };
  let H = 1;
  const ids = (n) => Array.from({ length: n }, () => H++);

  await check('loop_sum: LOOP with CONTINUING, IF + BREAK, float and int locals (strided operands)', async () => {
    const n = 40, [hin, hout] = ids(2);
    const x = Float32Array.from({ length: 2 * n }, (_, i) => (i % 11) - 5);
    const [out] = await run('loop_sum', { ndim: 1, nin: 1, nout: 1, nparams: 2 }, [n],
      [[hin, 2 * n, x], [hout, n + 3]],
      [{ h: hin, off: 1, strides: [2] }, { h: hout, off: 3, strides: [1], out: true }], [6, 1], [[hout, n + 3]]);
    const want = [0, 0, 0, ...Array.from({ length: n }, (_, p) => x[1 + 2 * p] * 15)];
    return same('out', f32of(out), want);
  });

  await check('branches: if/else, RETURN at top level and in a loop, CONTINUE, locals of every class', async () => {
    const xs = [-3, -200, 0, 1, 4, 7, 9, 12, 100, -1, 2, 3, 5, 6, 8];
    const hs = ids(8);
    const buffers = [[hs[0], 15, Int32Array.from(xs)], ...hs.slice(1).map((h) => [h, 15])];
    // out3 (float32) transposed: point (i, j) of (3, 5) at i + 3 j
    const operands = [{ h: hs[0], off: 0, strides: [5, 1] },
      ...hs.slice(1).map((h, j) => ({ h, off: 0, strides: j === 3 ? [1, 3] : [5, 1], out: true }))];
    const outs = await run('branches', { ndim: 2, nin: 1, nout: 7, nparams: 6 }, [3, 5], buffers, operands,
      [1, 7, 10, 9, 5, 37], hs.slice(1).map((h) => [h, 15]));
    const refs = xs.map(branchesRef);
    const at3 = (p) => Math.floor(p / 5) + 3 * (p % 5);
    const f3 = f32of(outs[3]);
    return same('out0 bool', outs[0], refs.map((r) => r.b))
      || same('out1 int8', outs[1], refs.map((r) => r.c))
      || same('out2 uint32', outs[2], refs.map((r) => r.I | 0))
      || same('out3 float32', xs.map((_, p) => f3[at3(p)]), refs.map((r) => r.f))
      || same('out4 int16', outs[4], refs.map((r) => r.h))
      || same('out5 uint8', outs[5], refs.map((r) => r.B))
      || same('out6 int32 from an int64 local', outs[6], refs.map((r) => r.l));
  });

  await check('gather: LOAD_AT with int32, uint32 and bool indices; outside the buffer reads 0', async () => {
    const e = [-3, -2, 0, 5, 9, 10, 100, -100000, 3];
    const u = [0, 1, 9, 10, 0xffffffff, 4000000000, 7, 2, 5];
    const n = e.length, [ht, he, hu, h0, h1, h2] = ids(6);
    const table = Float32Array.from({ length: 12 }, (_, i) => 10 + i);
    const at = (k) => (2 + k >= 0 && 2 + k < 12 ? table[2 + k] : 0); // the run starts at offset 2
    const outs = await run('gather', { ndim: 1, nin: 3, nout: 3 }, [n],
      [[ht, 12, table], [he, n, Int32Array.from(e)], [hu, n, Uint32Array.from(u)], [h0, n], [h1, n], [h2, n]],
      [{ h: ht, off: 2, strides: [0] }, { h: he, off: 0, strides: [1] }, { h: hu, off: 0, strides: [1] },
        { h: h0, off: 0, strides: [1], out: true }, { h: h1, off: 0, strides: [1], out: true },
        { h: h2, off: 0, strides: [1], out: true }], [], [[h0, n], [h1, n], [h2, n]]);
    return same('int32 index', f32of(outs[0]), e.map(at))
      || same('uint32 index', f32of(outs[1]), u.map((k) => (k < 10 ? table[2 + k] : 0)))
      || same('bool index', f32of(outs[2]), e.map((k) => table[2 + (k !== 0 ? 1 : 0)]));
  });

  await check('scatter: STORE_AT by int32 index into a raw output; outside the buffer not written', async () => {
    const vals = [1, 2, 3, 4, 5, 6], idx = [0, 3, -1, 8, 9, 50];
    const n = vals.length, [hv, hi, ho, h1] = ids(4);
    const outs = await run('scatter', { ndim: 1, nin: 2, nout: 2 }, [n],
      [[hv, n, Float32Array.from(vals)], [hi, n, Int32Array.from(idx)], [ho, 10], [h1, n]],
      [{ h: hv, off: 0, strides: [1] }, { h: hi, off: 0, strides: [1] }, { h: ho, off: 1, strides: [0], out: true },
        { h: h1, off: 0, strides: [1], out: true }], [], [[ho, 10], [h1, n]]);
    return same('raw output', f32of(outs[0]), [3, 1, 0, 0, 2, 0, 0, 0, 0, 4])
      || same('out1 int8', outs[1], idx.map(i8));
  });

  await check('atomics: ATOMIC_ADD on int32, uint32 and float32 (compare-and-swap) raw outputs', async () => {
    const n = 300, bins = Uint32Array.from({ length: n }, (_, p) => (p % 50 === 49 ? 1000 : p % 7));
    const w = Float32Array.from({ length: n }, (_, p) => (p % 4) * 0.5);
    const [hb, hw, h0, h1, h2, h3] = ids(6);
    const outs = await run('atomics', { ndim: 1, nin: 2, nout: 4, nparams: 2 }, [n],
      [[hb, n, bins], [hw, n, w], [h0, 7], [h1, 9], [h2, 7], [h3, n]],
      [{ h: hb, off: 0, strides: [1] }, { h: hw, off: 0, strides: [1] }, { h: h0, off: 0, strides: [0], out: true },
        { h: h1, off: 2, strides: [0], out: true }, { h: h2, off: 0, strides: [0], out: true },
        { h: h3, off: 0, strides: [1], out: true }], [1, 1], [[h0, 7], [h1, 9], [h2, 7], [h3, n]]);
    const count = Array(7).fill(0), sum = Array(7).fill(0);
    bins.forEach((b, p) => { if (b < 7) { count[b]++; sum[b] += w[p]; } });
    return same('int32 counts', outs[0], count) || same('uint32 counts (offset 2)', outs[1], [0, 0, ...count])
      || same('float32 sums', f32of(outs[2]), sum) || same('old value >= 0', outs[3], Array(n).fill(1));
  });

  await check('outload: OUT_LOAD_AT then STORE_AT of the same raw element (LINEAR); far reads give 0', async () => {
    const [h] = ids(1);
    const [out] = await run('outload', { ndim: 1, nin: 0, nout: 1, nparams: 2 }, [16],
      [[h, 20, Int32Array.from({ length: 20 }, (_, i) => i)]], [{ h, off: 4, strides: [0], out: true }],
      [3, 1000000], [[h, 20]]);
    return same('raw output', out, Array.from({ length: 20 }, (_, i) => (i < 4 ? i : 3 * i)));
  });

  await check('linear: LINEAR (int32 and int64) and INDEX, a transposed output', async () => {
    const [h0, h1, h2] = ids(3);
    const outs = await run('linear', { ndim: 2, nin: 0, nout: 3, nparams: 1 }, [4, 6],
      [[h0, 24], [h1, 24], [h2, 24]],
      [{ h: h0, off: 0, strides: [1, 4], out: true }, { h: h1, off: 0, strides: [6, 1], out: true },
        { h: h2, off: 0, strides: [6, 1], out: true }], [100], [[h0, 24], [h1, 24], [h2, 24]]);
    const pts = Array.from({ length: 24 }, (_, p) => p);
    return same('LINEAR * 100 + INDEX(1), transposed', pts.map((p) => outs[0][Math.floor(p / 6) + 4 * (p % 6)]),
      pts.map((p) => p * 100 + (p % 6)))
      || same('INDEX(0)', outs[1], pts.map((p) => Math.floor(p / 6))) || same('LINEAR int64', outs[2], pts);
  });

  await check('nesting: a loop in an if/else in a loop, BREAK from the inner loop, CONTINUE in ELSE', async () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 13];
    const n = xs.length, [hx, ho] = ids(2);
    const [out] = await run('nesting', { ndim: 1, nin: 1, nout: 1, nparams: 3 }, [n],
      [[hx, n, Int32Array.from(xs)], [ho, n]],
      [{ h: hx, off: 0, strides: [1] }, { h: ho, off: 0, strides: [1], out: true }], [1, 3, 100], [[ho, n]]);
    return same('out', out, xs.map(nestingRef));
  });

  console.log(`${passes} passed, ${failures} failed`);
  device.destroy();
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
