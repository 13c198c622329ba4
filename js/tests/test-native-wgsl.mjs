#!/usr/bin/env node
// test-native-wgsl.mjs — the seed's native kernels (docs/kernels.md, "The seed's native kernels"):
// the WGSL the engine generates around a user's WGSL body (core/src/codegen/native.c) compiled by
// Dawn and run through the webgpu executor on small data, with the parameter layout of ir.h
// ("Native kernels").
//
// The sources come from the C test native_write_sources (core/tests/test_native.c), which runs the
// public API on a webgpu context: the README's Mandelbrot, a raw gather, rawnd + uniforms +
// preamble, a reduction (sum of squares) and type parameters over int8/uint8/bool.
//
//   node js/tests/test-native-wgsl.mjs        # after make test-c (or with WGPY_NATIVE_SRC_DIR set)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../src/node/webgpu-host.mjs';
import { WebGPUExecutor } from '../src/webgpu/executor.mjs';
import { runCase } from './stmt-cases.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function nativeSources() {
  if (process.env.WGPY_NATIVE_SRC_DIR) return process.env.WGPY_NATIVE_SRC_DIR;
  const bin = path.join(ROOT, 'build/ctest/wgtest');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run make test-c first (or set WGPY_NATIVE_SRC_DIR)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-native-'));
  const r = spawnSync(bin, ['native_write_sources'], {
    env: { ...process.env, WGPY_NATIVE_SRC_DIR: dir, ASAN_OPTIONS: 'detect_leaks=0' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} native_write_sources failed:\n${r.stdout}${r.stderr}`);
  return dir;
}

// buffers hold 32-bit words (the executor's INT32 view); floats travel as their bits
const fbits = (a) => new Int32Array(new Float32Array(a).buffer);
const floats = (w) => Array.from(new Float32Array(w.buffer, w.byteOffset, w.length));
const f32 = Math.fround;

function same(what, got, want) {
  for (let i = 0; i < want.length; i++)
    if (got[i] !== want[i]) return `${what}[${i}]: ${got[i]} != ${want[i]} (got ${Array.from(got)})`;
  return null;
}

function mandelRef(re, im) {
  let x = 0, y = 0, c = 0;
  for (let k = 0; k < 500; k++) {
    const nx = f32(f32(f32(x * x) - f32(y * y)) + re);
    const ny = f32(f32(f32(x * y) * 2) + im);
    x = nx; y = ny;
    if (f32(f32(x * x) + f32(y * y)) < 4) c++;
  }
  return c;
}

const RE = [-1.5, -0.75, 0.0, 0.3], IM = [-0.5, 0.1, 0.6];

const CASES = [
  {
    kernel: 'mandelbrot', title: 'README kernel: real (1, 4) x imag (3, 1) -> counts (3, 4)',
    make: (h) => {
      const [r, i, c] = h(3);
      return {
        ir: { ndim: 2, nin: 2, nout: 1, nparams: 1 }, shape: [3, 4],
        buffers: [[r, 4, fbits(RE)], [i, 3, fbits(IM)], [c, 12, null]],
        operands: [{ h: r, off: 0, strides: [0, 1] }, { h: i, off: 0, strides: [1, 0] }, { h: c, off: 0, strides: [4, 1], out: true }],
        params: [12], reads: [[c, 12]],
        check: ([got]) => same('counts', got, IM.flatMap((im) => RE.map((re) => mandelRef(f32(re), f32(im))))),
      };
    },
  },
  ...[['contiguous (3, 4)', [3, 4], [4, 1]], ['transposed view (4, 3)', [4, 3], [1, 4]]].map(([title, shp, st]) => ({
    kernel: 'raw_gather', title: `raw x(p) over the C-order flattening: ${title}`,
    make: (h) => {
      const [x, p, y] = h(3);
      const xs = Array.from({ length: 12 }, (_, k) => k * 1.5), ps = [11, 0, 7, 4];
      const flat = [];
      for (let a = 0; a < shp[0]; a++) for (let b = 0; b < shp[1]; b++) flat.push(xs[a * st[0] + b * st[1]]);
      return {
        ir: { ndim: 1, nin: 2, nout: 1, nparams: 5 }, shape: [4],
        buffers: [[x, 12, fbits(xs)], [p, 4, new Int32Array(ps)], [y, 4, null]],
        operands: [{ h: x, off: 0, strides: [0] }, { h: p, off: 0, strides: [1] }, { h: y, off: 0, strides: [1], out: true }],
        params: [...shp, ...st, 4], reads: [[y, 4]],
        check: ([got]) => same('y', floats(got), ps.map((q) => flat[q])),
      };
    },
  })),
  {
    kernel: 'rawnd_uniforms', title: 'rawnd m(r, cmeta.col), uniforms scale/col, preamble fn, cmeta._ind_size, i',
    make: (h) => {
      const [m, r, y] = h(3);
      const ms = Array.from({ length: 12 }, (_, k) => k), rs = [2, 0, 1, 2, 1];
      return {
        ir: { ndim: 1, nin: 2, nout: 1, nparams: 5 }, shape: [5],
        buffers: [[m, 12, fbits(ms)], [r, 5, new Int32Array(rs)], [y, 5, null]],
        operands: [{ h: m, off: 0, strides: [0] }, { h: r, off: 0, strides: [1] }, { h: y, off: 0, strides: [1], out: true }],
        params: [4, 1, 5, fbits([0.5])[0], 3], reads: [[y, 5]],
        check: ([got]) => same('y', floats(got), rs.map((q, i) => 2 * ms[4 * q + 3] * 0.5 + 5 + i)),
      };
    },
  },
  {
    kernel: 'sumsq', title: 'reduction: sum of squares over the last axis of (4, 3)',
    make: (h) => {
      const [x, y] = h(2);
      const xs = Array.from({ length: 12 }, (_, k) => k - 4);
      return {
        ir: { ndim: 1, nin: 1, nout: 1, nparams: 4 }, shape: [4],
        buffers: [[x, 12, fbits(xs)], [y, 4, null]],
        operands: [{ h: x, off: 0, strides: [3] }, { h: y, off: 0, strides: [1], out: true }],
        params: [3, 1, 12, 4], reads: [[y, 4]],
        check: ([got]) => same('y', floats(got), [0, 1, 2, 3].map((r) => xs.slice(3 * r, 3 * r + 3).reduce((a, v) => a + v * v, 0))),
      };
    },
  },
  {
    kernel: 'int_types', title: 'T = int8 (i32 values, stored wrapped), u32 from uint8, bool',
    make: (h) => {
      const [x, u, b, y] = h(4);
      const xs = [1, -2, 3, 100], us = [1, 2, 3, 4], bs = [1, 0, 1, 0];
      const i8 = (v) => (v << 24) >> 24;
      return {
        ir: { ndim: 1, nin: 3, nout: 1, nparams: 1 }, shape: [4],
        buffers: [[x, 4, new Int32Array(xs)], [u, 4, new Int32Array(us)], [b, 4, new Int32Array(bs)], [y, 4, null]],
        operands: [{ h: x, off: 0, strides: [1] }, { h: u, off: 0, strides: [1] }, { h: b, off: 0, strides: [1] },
          { h: y, off: 0, strides: [1], out: true }],
        params: [4], reads: [[y, 4]],
        check: ([got]) => same('y', got, xs.map((v, k) => i8(bs[k] ? v - us[k] : v * 3))),
      };
    },
  },
];

async function main() {
  const dir = nativeSources();
  const { device, adapterInfo } = await createDawnDevice();
  console.log(`webgpu: ${adapterInfo.description || adapterInfo.device || 'adapter'}; sources from ${dir}`);
  const heap = new Uint8Array(1 << 20);
  const ex = new WebGPUExecutor(device, () => heap);
  let passes = 0, failures = 0;
  const check = async (name, fn) => {
    let why;
    try { why = await fn(); } catch (e) { why = `threw: ${e && e.stack ? e.stack : e}`; }
    if (why) failures++; else passes++;
    console.log(`${why ? 'FAIL' : 'ok  '} ${name}${why ? `: ${why}` : ''}`);
  };
  const wgsl = (name) => fs.readFileSync(path.join(dir, `${name}.wgsl`), 'utf8');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
  const kernels = [...new Set(CASES.map((c) => c.kernel))];
  await check('every native kernel has its WGSL', async () => (kernels.every((k) => files.includes(`${k}.wgsl`)) ? null : `files: ${files}`));
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
  const ids = { next: 1 };
  for (const c of CASES) await check(`${c.kernel}: ${c.title}`, () => runCase(ex, heap, { wgsl: wgsl(c.kernel) }, c, ids));
  console.log(`${passes} passed, ${failures} failed`);
  device.destroy();
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
