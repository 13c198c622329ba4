#!/usr/bin/env node
// run-peers.mjs — wgpy against jax-js and TensorFlow.js in one headless Chromium page (issue 15).
//
//   node bench/peers/run-peers.mjs [--configs LIST] [--workloads LIST] [--sizes full|small]
//                                  [--reps N] [--max-run-s S] [--timeout SEC] [--json OUT.json] [--markdown]
//   make bench-peers                       # the same, after building the wheel (BENCH_PEERS_ARGS=...)
//
// It starts the dev server (js/src/server/dev-server.mjs), launches Chromium with exactly the
// flags of shared PLATFORM.md (js/tests/browser/chromium.mjs), opens bench/peers/index.html and
// calls its peersBench.run(): wgpy in its Web Workers (webgpu and webgl2 executors in the
// worker), jax-js (eager and jit, webgpu) and TF.js (webgpu and webgl) on the page, every
// workload interleaved across them (bench/peers/peers-page.js says how), `--reps` timed runs each
// after a warm-up.  Prints medians with [min, max], the ratios wgpy/peer (< 1: wgpy is faster)
// and whether the results agree.  --markdown prints the table for docs/benchmarks.md.
//
// --configs: wgpy-webgpu, wgpy-webgl2, jax-eager, jax-jit, tfjs-webgpu, tfjs-webgl (default all);
//            also wgpy-webgpu-fuse / wgpy-webgl2-fuse (the workloads' functions under wp.fuse),
//            wgpy-webgpu-gpured (wgpy-webgpu with the GPU reduction shape forced),
//            wgpy-webgpu-tiles (the workgroup matmul and reduction shapes of before main_reg/main_pt)
//            wgpy-webgpu-reg (matmuls by the scalar main_reg, not main_reg4)
//            wgpy-webgpu-base (another build's wheel: the newest under build/peers-base/build/dist/,
//            e.g. main's, copied there by hand; with that build's JavaScript host where
//            build/peers-base/js/src/ has one: git archive main js/src | tar -x -C build/peers-base;
//            before/after in one page); wgpy-webgpu-base-fuse: that build under wp.fuse
// --workloads: names from the list below (default all of the size set)
// --sizes: full (the issue's sizes) or small (matmul 256/512, 256K elements, Mandelbrot 128²,
//          for a loaded machine).  --max-run-s (default 20): a config whose run would take longer
//          (scaled from its run of the smaller size) is skipped; one whose warm-up took longer
//          gets one timed run.  Exit status 0, 1 when a config failed or results differ.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../js/src/server/dev-server.mjs';
import { launchChromium } from '../../js/tests/browser/chromium.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ALL_CONFIGS = ['wgpy-webgpu', 'jax-eager', 'jax-jit', 'tfjs-webgpu', 'wgpy-webgl2', 'tfjs-webgl'];
const EXTRA_CONFIGS = ['wgpy-webgpu-fuse', 'wgpy-webgl2-fuse', 'wgpy-webgpu-gpured', 'wgpy-webgpu-tiles', 'wgpy-webgpu-reg', 'wgpy-webgpu-base', 'wgpy-webgpu-base-fuse'];  // on request: wgpy-webgpu with the GPU reduction shape forced

const MLP = { kind: 'mlp', d_in: 784, hidden: 100, d_out: 10, batch: 100, lr: 0.1 };
const SIZES = {
  full: [
    { name: 'matmul 512²', kind: 'matmul', n: 512 },
    { name: 'matmul 1024²', kind: 'matmul', n: 1024 },
    { name: 'matmul 2048²', kind: 'matmul', n: 2048 },
    { name: '((x*1.5+2)*x - x*0.5).sum(), 1M', kind: 'chain_sum', n: 1 << 20 },
    { name: 'x.sum(), 1M', kind: 'sum', n: 1 << 20 },
    { name: 'x.sum(), 16 (the fixed cost of a call)', kind: 'sum', n: 16 },
    { name: 'the chain, no sum, 1M', kind: 'chain', n: 1 << 20 },
    { name: 'Mandelbrot 256², 50 iterations', kind: 'mandelbrot', n: 256, iters: 50 },
    { name: '1000 tiny ops (x + 1, 16 elements)', kind: 'tiny', n: 16, ops: 1000 },
    { name: 'MLP step 784-100-100-10, batch 100, SGD', ...MLP },
  ],
  small: [
    { name: 'matmul 256²', kind: 'matmul', n: 256 },
    { name: 'matmul 512²', kind: 'matmul', n: 512 },
    { name: '((x*1.5+2)*x - x*0.5).sum(), 256K', kind: 'chain_sum', n: 1 << 18 },
    { name: 'x.sum(), 256K', kind: 'sum', n: 1 << 18 },
    { name: 'x.sum(), 16 (the fixed cost of a call)', kind: 'sum', n: 16 },
    { name: 'the chain, no sum, 256K', kind: 'chain', n: 1 << 18 },
    { name: 'Mandelbrot 128², 50 iterations', kind: 'mandelbrot', n: 128, iters: 50 },
    { name: '1000 tiny ops (x + 1, 16 elements)', kind: 'tiny', n: 16, ops: 1000 },
    { name: 'MLP step 784-100-100-10, batch 100, SGD', ...MLP },
  ],
};
// short names for --workloads
const SHORT = { matmul: (w) => `matmul${w.n}`, chain_sum: () => 'chain_sum', sum: (w) => (w.n === 16 ? 'sum16' : 'sum'), chain: () => 'chain',
  mandelbrot: () => 'mandelbrot', tiny: () => 'tiny', mlp: () => 'mlp' };

function parseArgs(argv) {
  const o = { configs: ALL_CONFIGS, workloads: null, sizes: 'full', reps: 5, maxRunS: 20, timeout: 1800, json: null, markdown: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--configs') o.configs = val().split(',').filter(Boolean);
    else if (a === '--workloads') o.workloads = val().split(',').filter(Boolean);
    else if (a === '--sizes') o.sizes = val();
    else if (a === '--reps') o.reps = Number(val());
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--max-run-s') o.maxRunS = Number(val());
    else if (a === '--json') o.json = val();
    else if (a === '--markdown') o.markdown = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
        .filter((l) => l.startsWith('//')).slice(1, 28).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!SIZES[o.sizes]) throw new Error(`--sizes: ${Object.keys(SIZES).join(' or ')}`);
  for (const c of o.configs) if (!ALL_CONFIGS.includes(c) && !EXTRA_CONFIGS.includes(c)) throw new Error(`unknown config ${c} (${[...ALL_CONFIGS, ...EXTRA_CONFIGS].join(', ')})`);
  if (!(o.reps >= 1)) throw new Error('--reps must be at least 1');
  return o;
}

const median = (t) => { const s = t.slice().sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);

// Results agree within a relative 1e-3 (float32 sums in different orders; the Mandelbrot count
// is chaotic near the set's edge: a contracted multiply-add may flip a few points).
function agree(checks) {
  const vals = checks.filter(Boolean);
  if (vals.length < 2) return true;
  return vals.every((v) => v.length === vals[0].length && v.every((x, i) => Math.abs(x - vals[0][i]) <= 1e-3 * Math.max(1, Math.abs(vals[0][i]))));
}

function table(out, o) {
  const cfgs = out.configs;
  const ratios = [['wgpy-webgpu', 'wgpy-webgpu-gpured'], ['wgpy-webgpu', 'wgpy-webgpu-tiles'], ['wgpy-webgpu', 'wgpy-webgpu-reg'], ['wgpy-webgpu', 'wgpy-webgpu-base'], ['wgpy-webgpu-fuse', 'wgpy-webgpu-base-fuse'], ['wgpy-webgpu-base-fuse', 'jax-jit'], ['wgpy-webgpu-base', 'jax-jit'], ['wgpy-webgpu', 'jax-eager'], ['wgpy-webgpu', 'jax-jit'], ['wgpy-webgpu', 'tfjs-webgpu'], ['wgpy-webgl2', 'tfjs-webgl'],
    ['wgpy-webgpu-fuse', 'wgpy-webgpu'], ['wgpy-webgpu-fuse', 'jax-jit'], ['wgpy-webgpu-fuse', 'tfjs-webgpu'],
    ['wgpy-webgl2-fuse', 'wgpy-webgl2'], ['wgpy-webgl2-fuse', 'tfjs-webgl']]
    .filter(([a, b]) => cfgs.includes(a) && cfgs.includes(b));
  const head = ['workload', ...cfgs, ...ratios.map(([a, b]) => `${a} / ${b}`), 'results'];
  const rows = [];
  let status = 0;
  for (const [name, res] of Object.entries(out.results)) {
    const med = {};
    const cells = cfgs.map((c) => {
      const r = res[c];
      if (r?.skipped) return `skipped (${r.skipped})`;
      if (!r || r.error || !r.times?.length) { status = 1; return r?.error ? `error: ${r.error.slice(0, 60)}` : '—'; }
      if (r.single) { med[c] = r.times[0]; return `${fmtMs(med[c])} (1 run)`; }
      med[c] = median(r.times);
      return `${fmtMs(med[c])} [${fmtMs(Math.min(...r.times))}–${fmtMs(Math.max(...r.times))}]`;
    });
    const rc = ratios.map(([a, b]) => {
      const ra = res[a], rb = res[b];
      if (med[a] === undefined || med[b] === undefined) return '—';
      // the range of the ratio: fastest a over slowest b .. slowest a over fastest b
      const lo = Math.min(...ra.times) / Math.max(...rb.times), hi = Math.max(...ra.times) / Math.min(...rb.times);
      return `${(med[a] / med[b]).toFixed(2)} (${lo.toFixed(2)}–${hi.toFixed(2)})`;
    });
    const ok = agree(cfgs.map((c) => res[c]?.check));
    if (!ok) status = 1;
    rows.push([name, ...cells, ...rc, ok ? 'agree' : `DIFFER: ${cfgs.map((c) => `${c} ${JSON.stringify(res[c]?.check)}`).join(', ')}`]);
  }
  return { head, rows, status };
}

function printTable({ head, rows }, markdown) {
  if (markdown) {
    console.log(`| ${head.join(' | ')} |`);
    console.log(`|${head.map(() => '---').join('|')}|`);
    for (const r of rows) console.log(`| ${r.join(' | ')} |`);
    return;
  }
  const w = head.map((_, j) => Math.max(...[head, ...rows].map((r) => String(r[j]).length)));
  const line = (r) => console.log('| ' + r.map((c, j) => String(c).padEnd(w[j])).join(' | ') + ' |');
  line(head);
  line(w.map((n) => '-'.repeat(n)));
  rows.forEach(line);
}

async function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`bench-peers: ${e.message}`); return 2; }
  let workloads = SIZES[o.sizes];
  if (o.workloads) {
    workloads = workloads.filter((w) => o.workloads.includes(SHORT[w.kind](w)));
    if (!workloads.length) { console.error(`bench-peers: no workload matches ${o.workloads} (${SIZES[o.sizes].map((w) => SHORT[w.kind](w)).join(', ')})`); return 2; }
  }
  const missing = [];
  for (const p of ['node_modules/@jax-js/jax/dist/index.js', 'node_modules/@tensorflow/tfjs/dist/tf.min.js',
    'node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js']) {
    if (!fs.existsSync(path.join(ROOT, p))) missing.push(`${p} (npm ci)`);
  }
  const dist = path.join(ROOT, 'build', 'dist');
  if (!fs.existsSync(dist) || !fs.readdirSync(dist).some((f) => /^wgpy-.*\.whl$/.test(f))) missing.push('build/dist/wgpy-*.whl (make wheel)');
  if (missing.length) { console.error(`bench-peers: missing:\n  ${missing.join('\n  ')}`); return 2; }

  const server = await startServer({ root: ROOT, port: 0, log: null });
  const browser = await launchChromium();
  const t0 = Date.now();
  let out;
  try {
    const page = await (await browser.newContext()).newPage();
    page.on('console', (m) => {
      const t = m.text();
      if (o.verbose || t.startsWith('[peers]') || m.type() === 'error') process.stderr.write(`${t}\n`);
    });
    page.on('pageerror', (e) => process.stderr.write(`[page error] ${e.message}\n`));
    await page.goto(`${server.url}/bench/peers/index.html`);
    await page.waitForFunction(() => window.peersBench !== undefined, null, { timeout: 60000 });
    const timer = new Promise((_, rej) => setTimeout(() => rej(new Error(`timeout after ${o.timeout} s`)), o.timeout * 1000).unref());
    out = await Promise.race([page.evaluate((a) => window.peersBench.run(a), { configs: o.configs, workloads, reps: o.reps, maxRunMs: o.maxRunS * 1000 }), timer]);
    out.env.chromium = browser.version();
  } finally {
    await browser.close().catch(() => {});
    await server.close().catch(() => {});
  }
  const e = out.env;
  console.log(`peer benchmark, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, headless Chromium ${e.chromium}, ` +
    `${Math.round((Date.now() - t0) / 1000)} s; medians of ${o.reps} interleaved runs [min–max], each with the read of its result`);
  console.log(`versions: wgpy ${e.versions.wgpy}, @jax-js/jax ${e.versions['@jax-js/jax']}, @tensorflow/tfjs ${e.versions['@tensorflow/tfjs']}, ` +
    `@tensorflow/tfjs-backend-webgpu ${e.versions['@tensorflow/tfjs-backend-webgpu']}`);
  console.log(`WebGPU adapter: ${JSON.stringify(e.webgpu)}; WebGL2 renderer: ${e.webgl2}`);
  console.log('ratios: wgpy time / peer time (< 1: wgpy faster); in parentheses the range over the runs');
  const t = table(out, o);
  printTable(t, o.markdown);
  for (const err of out.errors) console.log(`unavailable: ${err}`);
  if (o.json) fs.writeFileSync(o.json, JSON.stringify({ options: o, ...out }, null, 1));
  return t.status || (out.errors.length ? 1 : 0);
}

main().then((c) => process.exit(c), (e) => { console.error(`bench-peers: ${e && e.stack ? e.stack : e}`); process.exit(1); });
