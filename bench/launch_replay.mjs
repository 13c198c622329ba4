// launch_replay.mjs — the webgpu executor's host time per dispatch, without Python: replays the
// command-stream chunks that `bench/launch_cost.py --dump DIR` saved (NNN.bin, in order) through
// WebGPUExecutor over Dawn, then runs the chunks named by --time (default: every chunk that
// creates or destroys nothing, so that it can be replayed any number of times) again and again
// and prints µs of host time per dispatch, min and median over the repetitions.
//
// With --baseline REV, the executor, reader and relocation of git revision REV run the same
// chunks on the same device, alternating with this checkout's in rounds (before/after in one run).
//
//   node bench/launch_replay.mjs DIR [--time 003,015] [--reps 200] [--baseline main|BASEDIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDawnDevice } from '../js/src/node/webgpu-host.mjs';
import { StreamReader, OP } from '../js/src/stream/reader.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
async function load(src) {
  return {
    WebGPUExecutor: (await import(path.join(src, 'webgpu/executor.mjs'))).WebGPUExecutor,
    RelocatingHeap: (await import(path.join(src, 'remote/relocate.mjs'))).RelocatingHeap,
  };
}

const args = process.argv.slice(2);
const dir = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const reps = Number(opt('--reps', 200));
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
const chunks = files.map((f) => new Uint8Array(fs.readFileSync(path.join(dir, f))));
const { device } = await createDawnDevice();
const variants = [['this checkout', path.join(ROOT, 'js/src')]];
const base = opt('--baseline', '');
if (base) {
  // a revision, or a directory holding that revision's js/src (a machine without the history)
  let src = path.join(base, 'js/src');
  if (!fs.existsSync(src)) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-baseline-'));
    execSync(`git -C ${ROOT} archive ${base} js/src | tar -x -C ${tmp}`);
    src = path.join(tmp, 'js/src');
  }
  variants.unshift([`baseline ${base}`, src]);
}
const plain = (c) => {
  for (const cmd of new StreamReader(c, 'x').commands()) if (cmd.op !== OP.DISPATCH && cmd.op !== OP.READ_BUFFER && cmd.op !== OP.WRITE_BUFFER) return false;
  return true;
};
const pick = opt('--time', '') ? opt('--time', '').split(',').map((s) => files.indexOf(`${s}.bin`))
  : chunks.map((c, i) => i).filter((i) => plain(chunks[i]));
const rounds = 3;
const runs = [];
for (const [name, src] of variants) {
  const { WebGPUExecutor, RelocatingHeap } = await load(src);
  const mem = new RelocatingHeap();
  const ex = new WebGPUExecutor(device, () => mem.heap);
  const runChunk = async (c) => {
    mem.load(c);
    const err = await ex.run(0, c.length);
    if (err) throw new Error(err);
  };
  // each variant its own buffers and kernels: the whole capture once
  for (const c of chunks) await runChunk(c);
  runs.push({ name, ex, runChunk, t: {} });
}
for (let round = 0; round < rounds; round++) {
  for (const v of runs) {
    for (const i of pick) {
      const c = chunks[i];
      if (i < 0 || !plain(c)) continue;
      (v.t[i] ??= []);
      for (let r = 0; r < Math.ceil(reps / rounds); r++) {
        const t0 = performance.now();
        await v.runChunk(c);
        v.t[i].push(performance.now() - t0);
      }
    }
  }
}
const out = {};
for (const i of pick) {
  if (i < 0 || !plain(chunks[i])) { console.error(`chunk ${files[i]} creates or destroys: not replayable`); continue; }
  let nd = 0;
  for (const cmd of new StreamReader(chunks[i], 'x').commands()) if (cmd.op === OP.DISPATCH) nd++;
  const row = { dispatches: nd };
  for (const v of runs) {
    const t = v.t[i].slice().sort((a, b) => a - b);
    row[v.name] = { us_min: +(t[0] * 1e3 / nd).toFixed(2), us_median: +(t[t.length >> 1] * 1e3 / nd).toFixed(2) };
  }
  if (runs.length === 2) {
    const [b, a] = runs.map((v) => row[v.name]);
    row['after / before (median)'] = +(a.us_median / b.us_median).toFixed(2);
  }
  out[files[i]] = row;
}
console.log(JSON.stringify(out, null, 1));
process.exit(0);
