// chromium.mjs — the browser's webgpu or webgl2 executor in headless Chromium, for a native
// CPython (python/wgpy/_remote.py starts it: WGPY_BACKEND=webgl2, or webgpu with
// WGPY_REMOTE_HOST=chromium).  The page chromium-page.html holds the executor; this process
// relays the frames of protocol.mjs to it (chunks and READ bytes as base64).  docs/remote.md.

import { startServer } from '../server/dev-server.mjs';
import { launchChromium } from '../../tests/browser/chromium.mjs';
import { KIND, requests, reply } from './protocol.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const IN = 3, OUT = 4;
console.log = (...a) => process.stderr.write(a.join(' ') + '\n');

async function main() {
  const backend = process.env.WGPY_REMOTE_BACKEND || 'webgl2';
  let server, browser, page, hello;
  try {
    server = await startServer({ root: ROOT, port: 0, log: null });
    browser = await launchChromium({});
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') process.stderr.write(`chromium: ${m.text()}\n`); });
    await page.goto(`${server.url}/js/src/remote/chromium-page.html`);
    await page.waitForFunction(() => window.wgReady === true, null, { timeout: 60000 });
    hello = await page.evaluate((b) => window.wgOpen(b), backend);
  } catch (e) {
    reply(OUT, JSON.stringify({ error: `${backend} (headless Chromium): ${e.message || e}` }));
    await browser?.close().catch(() => {});
    await server?.close?.();
    process.exit(0);
  }
  reply(OUT, JSON.stringify(hello));
  let pending = null; // the error of a chunk handed over without a reply
  for await (const { kind, payload } of requests(IN)) {
    if (kind === KIND.QUIT) break;
    if (kind === KIND.STATS) {
      reply(OUT, await page.evaluate(() => window.wgStats()));
      continue;
    }
    const data = Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('base64');
    let r;
    try {
      r = await page.evaluate(([d, e]) => window.wgRun(d, e), [data, kind === KIND.ENQUEUE]);
    } catch (e) {
      r = { err: `${backend} (headless Chromium): ${e.message || e}`, reads: [] };
    }
    if (kind === KIND.ENQUEUE) {
      if (r && r.err) pending = pending || r.err;
      continue;
    }
    if (pending) r = { err: r.err ? `${pending}\n${r.err}` : pending, reads: [] };
    pending = null;
    reply(OUT, r.err, r.reads.map((x) => ({ dst: BigInt(x.dst), bytes: new Uint8Array(Buffer.from(x.data, 'base64')) })));
  }
  await browser.close().catch(() => {});
  await server?.close?.();
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`wgpy remote executor (chromium): ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
