#!/usr/bin/env node
// webgl2_replay.mjs — the webgl2 executor's time per replayed chunk, without Python: runs the
// command-stream chunks that a native run saved (NNN.bin, in order; `bench/launch_cost.py --dump
// DIR` with WGPY_BACKEND=webgl2, or any capture of _lib._run_chunk) through WebGL2Executor in
// headless Chromium, then replays the chunks that create or destroy nothing again and again and
// prints ms per replay (the run of the chunk, its draws and its READ), median and min.
//
// With --baseline REV (a git revision or a directory holding its js/src), that revision's
// executor runs the same chunks on a context of its own in the same page, alternating with this
// checkout's, so that the two are compared in one run on a shared machine.
// --baseline-chunks DIR2: the baseline replays DIR2's chunks (the same run captured with the baseline's
// engine, for a change in the generated GLSL); the chunks to time are picked by name in both.
// --stats prints each executor's stats after the replays (an instrumented copy's counters).
//   node bench/webgl2_replay.mjs DIR [--time 010,011] [--reps 15] [--baseline main|BASEDIR [--baseline-chunks DIR2]] [--stats]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer } from '../js/src/server/dev-server.mjs';
import { launchChromium } from '../js/tests/browser/chromium.mjs';
import { StreamReader, OP } from '../js/src/stream/reader.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dir = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const reps = Number(opt('--reps', 15));
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
const readDir = (d) => files.map((f) => fs.readFileSync(path.join(d, f)));
const chunks = readDir(dir);
const plain = (c) => {
  for (const cmd of new StreamReader(new Uint8Array(c), 'x').commands()) if (cmd.op !== OP.DISPATCH && cmd.op !== OP.READ_BUFFER && cmd.op !== OP.WRITE_BUFFER) return false;
  return true;
};
const pick = opt('--time', '') ? opt('--time', '').split(',').map((s) => files.indexOf(`${s}.bin`))
  : chunks.map((c, i) => (plain(c) ? i : -1)).filter((i) => i >= 0);
// the variants' js/src, served under /v<i>/ by a server rooted at a temporary directory
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-gl-replay-'));
const variants = [['this checkout', path.join(ROOT, 'js/src')]];
const base = opt('--baseline', '');
if (base) {
  let src = path.join(base, 'js/src');
  if (!fs.existsSync(src)) {
    const t = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-baseline-'));
    execSync(`git -C ${ROOT} archive ${base} js/src | tar -x -C ${t}`);
    src = path.join(t, 'js/src');
  }
  variants.unshift([`baseline ${base}`, src]);
}
variants.forEach(([, src], i) => fs.cpSync(src, path.join(tmp, `v${i}`), { recursive: true }));
fs.writeFileSync(path.join(tmp, 'index.html'), '<!doctype html><title>webgl2 replay</title>');
const server = await startServer({ root: tmp, port: 0, log: null });
const browser = await launchChromium({});
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}/index.html`);
  const bdir = opt('--baseline-chunks', '');
  const sets = variants.map(([name]) => (bdir && name.startsWith('baseline') ? readDir(bdir) : chunks).map((c) => c.toString('base64')));
  const out = await page.evaluate(async ({ nv, sets, pick, reps }) => {
    const dec = (s) => { const bin = atob(s); const u = new Uint8Array(bin.length); for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i); return u; };
    const exs = [];
    for (let v = 0; v < nv; v++) {
      const chunks = sets[v].map(dec);
      const { WebGL2Executor } = await import(`/v${v}/webgl2/executor.mjs`);
      const { RelocatingHeap } = await import(`/v${v}/remote/relocate.mjs`);
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      const mem = new RelocatingHeap();
      const ex = new WebGL2Executor(gl, () => mem.heap);
      const run = (c) => { mem.load(c); const e = ex.run(0, c.length); if (e) throw new Error(e); };
      for (const c of chunks) run(c); // set-up: every chunk once, in order
      exs.push({ ex, run, chunks, times: pick.map(() => []) });
    }
    for (let r = 0; r < reps; r++) {
      for (let k = 0; k < pick.length; k++) {
        for (const x of (r % 2 ? exs.slice().reverse() : exs)) {
          const t0 = performance.now();
          x.run(x.chunks[pick[k]]);
          x.times[k].push(performance.now() - t0);
        }
      }
    }
    return { stats: exs.map((x) => x.ex.stats), t: exs.map((x) => x.times.map((t) => { t.sort((a, b) => a - b); return { med: t[t.length >> 1], min: t[0] }; })) };
  }, { nv: variants.length, sets, pick, reps });
  if (args.includes('--stats')) variants.forEach(([name], v) => console.log(`${name} stats: ${JSON.stringify(out.stats[v], null, 1)}`));
  console.log(`${files.length} chunks; replayed ${pick.map((i) => files[i]).join(', ')}, ${reps} times, variants alternated`);
  pick.forEach((ci, k) => {
    const row = variants.map(([name], v) => `${name}: median ${out.t[v][k].med.toFixed(2)} ms, min ${out.t[v][k].min.toFixed(2)}`);
    const ratio = variants.length > 1 ? `  (${(out.t[1][k].med / out.t[0][k].med).toFixed(2)} of the baseline)` : '';
    console.log(`${files[ci]}  ${row.join('  |  ')}${ratio}`);
  });
} finally {
  await browser.close();
  await server.close?.();
  fs.rmSync(tmp, { recursive: true, force: true });
}
