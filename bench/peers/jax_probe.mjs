// jax_probe.mjs — jax-js jit's one-read rows (x.sum() of 16; tiny ops, 100 of them, one kernel as the row's 1000) on the page, as
// run-peers.mjs runs it, and in a module Web Worker, as wgpy runs; interleaved, in one headless
// Chromium page (issue 15: how much of wgpy's gap on these rows is the worker's).
//   node bench/peers/jax_probe.mjs [ROUNDS]      prints median, first quartile and min (ms)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../js/src/server/dev-server.mjs';
import { launchChromium } from '../../js/tests/browser/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rounds = Number(process.argv[2] || 15);
const server = await startServer({ root: ROOT, port: 0, log: null });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => process.stderr.write(`${m.text()}\n`));
  await page.goto(`${server.url}/bench/peers/index.html`);
  const out = await page.evaluate(async (rounds) => {
    const here = await import('/bench/peers/jax_probe_worker.js');
    const w = new Worker('/bench/peers/jax_probe_worker.js', { type: 'module' });
    const ask = (what, reps) => new Promise((res, rej) => {
      w.onmessage = (e) => (e.data.error ? rej(new Error(e.data.error)) : res(e.data));
      w.postMessage({ what, reps });
    });
    const res = {};
    for (let r = 0; r < rounds; r++)
      for (const what of ['sum16', 'tiny']) {
        ((res[what] ??= {}).page ??= []).push(...await here.time(what, 3));
        ((res[what] ??= {}).worker ??= []).push(...await ask(what, 3));
      }
    w.terminate();
    return res;
  }, rounds);
  for (const [what, by] of Object.entries(out)) {
    const parts = Object.entries(by).map(([where, t]) => {
      t.sort((a, b) => a - b);
      return `${where} med ${t[t.length >> 1].toFixed(2)} q1 ${t[t.length >> 2].toFixed(2)} min ${t[0].toFixed(2)} (n ${t.length})`;
    });
    console.log(`jax-js jit ${what}: ${parts.join(' | ')}`);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
}
