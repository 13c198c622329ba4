// rt_probe.mjs — the device's part of a read in a Chromium worker, in plain WebGPU (issue 15,
// session 17): round trips, a tiny dispatch, 1M-float sums in a few shapes, with and without
// nudges (bench/peers/rt_probe_worker.js says what each variant is).
//   node bench/peers/rt_probe.mjs [REPS]        prints median, first quartile, min, third quartile (ms)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../js/src/server/dev-server.mjs';
import { launchChromium } from '../../js/tests/browser/chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const reps = Number(process.argv[2] || 30);
const server = await startServer({ root: ROOT, port: 0, log: null });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/bench/peers/index.html`);
  const out = await page.evaluate(async (reps) => {
    const w = new Worker('/bench/peers/rt_probe_worker.js');
    const ask = (n) => new Promise((res) => { w.onmessage = (e) => res(e.data); w.postMessage({ reps: n }); });
    await ask(3);
    const r = await ask(reps);
    w.terminate();
    return r;
  }, reps);
  if (out.error) throw new Error(out.error);
  if (Object.keys(out.bad || {}).length) console.log('wrong results or errors:', JSON.stringify(out.bad).slice(0, 600));
  delete out.bad;
  for (const [k, t] of Object.entries(out)) {
    t.sort((a, b) => a - b);
    const n = t.length;
    console.log(`${k.padEnd(22)} med ${t[n >> 1].toFixed(3)}  q1 ${t[n >> 2].toFixed(3)}  min ${t[0].toFixed(3)}  q3 ${t[(3 * n) >> 2].toFixed(3)}`);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
}
