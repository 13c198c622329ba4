// ab_options.mjs — an A/B of the webgpu executor's options in headless Chromium (issue 15): one wgpy
// worker per variant (each its own device on the same adapter), the same Python timing calls in
// each, interleaved round by round (the order rotating); prints median, min and first quartile.
//   node bench/peers/ab_options.mjs bench/peers/ab_workloads.py \
//     '[{"label":"auto","options":{}},{"label":"tile","options":{"matmulShape":"tile"}}]' \
//     '["t_mm(512)","t_sum(1<<20)","t_rows(1024,1024)"]' 9
// options: the executor's constructor options (reduceShape, matmulShape; docs/webgpu.md).
import fs from 'node:fs';
import { startServer } from '../../js/src/server/dev-server.mjs';
import { launchChromium } from '../../js/tests/browser/chromium.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = fs.readFileSync(process.argv[2], 'utf8');
const variants = JSON.parse(process.argv[3]);   // [{label, options}]
const calls = JSON.parse(process.argv[4]);      // python expressions returning ms
const rounds = Number(process.argv[5] || 9);
const server = await startServer({ root: ROOT, port: 0, log: null });
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (!m.text().includes('Failed to load')) process.stderr.write(`${m.text()}\n`); });
  await page.goto(`${server.url}/bench/peers/index.html`);
  await page.waitForFunction(() => window.peersBench !== undefined, null, { timeout: 60000 });
  const out = await page.evaluate(async ({ src, variants, calls, rounds }) => {
    const { WgpyWorker, executorSpec, findWheels } = await import('/js/src/browser/wgpy-main.js');
    const wheels = await findWheels();
    const ws = [];
    for (const v of variants) {
      const w = new WgpyWorker({ onOutput: (s, t) => console.log(`[${v.label}] ${t}`), onFatal: (m) => console.log('FATAL ' + m) });
      await w.init({ wheels: [wheels.wgpy], env: { WGPY_BACKEND: 'webgpu' }, executor: executorSpec('webgpu', 'worker', v.options) }, { timeoutMs: 180000 });
      await w.eval(src);
      ws.push(w);
    }
    const res = {};
    for (const c of calls) for (const w of ws) await w.eval(c);  // warm
    for (let r = 0; r < rounds; r++)
      for (const c of calls)
        for (let i = 0; i < ws.length; i++) {
          const j = (i + r) % ws.length;
          const ms = Number(await ws[j].eval(c));
          ((res[c] ??= {})[variants[j].label] ??= []).push(ms);
        }
    ws.forEach((w) => w.terminate('done'));
    return res;
  }, { src, variants, calls, rounds });
  for (const [c, byv] of Object.entries(out)) {
    const line = Object.entries(byv).map(([l, t]) => { t.sort((a, b) => a - b); return `${l} med ${t[t.length >> 1].toFixed(2)} min ${t[0].toFixed(2)} q1 ${t[t.length >> 2].toFixed(2)}`; });
    console.log(`${c}: ${line.join(' | ')}`);
  }
} finally {
  await browser.close().catch(() => {});
  await server.close().catch(() => {});
}
