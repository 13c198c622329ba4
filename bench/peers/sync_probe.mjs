// sync_probe.mjs — where a sync's time goes in the browser worker (issue 15, session 17).
//   node bench/peers/sync_probe.mjs [--backend webgpu|webgl2] [--base-first] [ROUNDS] [CALLS...]
// One headless Chromium page, one wgpy worker per build (its executor in the worker): this tree's ('new') and, where
// build/peers-base/build/dist/ has a wheel, that build's ('base', with its own JavaScript host
// when build/peers-base/js/src/ has one), interleaved round by round.  Each call is a Python
// expression of bench/peers/sync_probe.py returning JSON ms splits; prints per build and part the
// median, first quartile and minimum.  CALLS default: split('sum', 1<<20) split('sum', 16)
// split('chain_sum', 1<<20) split('add', 16).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../js/src/server/dev-server.mjs';
import { launchChromium } from '../../js/tests/browser/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const bi = args.indexOf('--backend');
const backend = bi >= 0 ? args.splice(bi, 2)[1] : 'webgpu';
// --base-first: make the base build's worker first (the workers' order can favour one: run both ways)
const bf = args.indexOf('--base-first');
const baseFirst = bf >= 0 && !!args.splice(bf, 1);
const rounds = Number(args[0] || 15);
const calls = args.length > 1 ? args.slice(1)
  : ["split('sum', 1<<20)", "split('sum', 16)", "split('chain_sum', 1<<20)", "split('add', 16)"];
const src = fs.readFileSync(path.join(ROOT, 'bench/peers/sync_probe.py'), 'utf8');
const roots = [['new', '/']];
if (fs.existsSync(path.join(ROOT, 'build/peers-base/build/dist'))) roots.push(['base', '/build/peers-base/']);
if (baseFirst) roots.reverse();
const server = await startServer({ root: ROOT, port: 0, log: null });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (!m.text().includes('Failed to load')) process.stderr.write(`${m.text()}\n`); });
  await page.goto(`${server.url}/bench/peers/index.html`);
  await page.waitForFunction(() => window.peersBench !== undefined, null, { timeout: 60000 });
  const out = await page.evaluate(async ({ src, roots, calls, rounds, backend }) => {
    const ws = [];
    for (const [label, root] of roots) {
      const main = await import('/js/src/browser/wgpy-main.js');
      let host = main;
      if (root !== '/') { try { host = await import(`${root}js/src/browser/wgpy-main.js`); } catch { /* this tree's */ } }
      const wheels = await main.findWheels(root);
      const w = new host.WgpyWorker({ onOutput: (s, t) => console.log(`[${label}] ${t}`), onFatal: (m) => console.log('FATAL ' + m) });
      await w.init({ wheels: [wheels.wgpy], env: { WGPY_BACKEND: backend }, executor: host.executorSpec(backend, 'worker') }, { timeoutMs: 180000 });
      await w.eval(src);
      ws.push([label, w]);
    }
    const res = {};
    for (let warm = 0; warm < 3; warm++) for (const c of calls) for (const [, w] of ws) await w.eval(c);
    for (let r = 0; r < rounds; r++)
      for (const c of calls)
        for (let i = 0; i < ws.length; i++) {
          const [label, w] = ws[(i + r) % ws.length];
          const s = JSON.parse(await w.eval(c));
          for (const [k, v] of Object.entries(s)) (((res[c] ??= {})[label] ??= {})[k] ??= []).push(v);
        }
    ws.forEach(([, w]) => w.terminate('done'));
    return res;
  }, { src, roots, calls, rounds, backend });
  const q = (t, f) => t[Math.min(t.length - 1, Math.floor(f * t.length))];
  for (const [c, byLabel] of Object.entries(out)) {
    console.log(`${c}  (ms: median / first quartile / min of ${rounds})`);
    for (const [label, parts] of Object.entries(byLabel)) {
      const cells = Object.entries(parts).map(([k, t]) => { t.sort((a, b) => a - b); return `${k} ${q(t, 0.5).toFixed(3)}/${q(t, 0.25).toFixed(3)}/${t[0].toFixed(3)}`; });
      console.log(`  ${label.padEnd(4)} ${cells.join('  ')}`);
    }
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
}
