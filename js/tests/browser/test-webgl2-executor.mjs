#!/usr/bin/env node
// test-webgl2-executor.mjs — unit tests of the webgl2 executor (js/src/webgl2/executor.mjs) in
// headless Chromium, without the engine: hand-written streams and GLSL kernels
// (webgl2-executor-cases.mjs), once with a texture width of 8 (rows and layers with small
// buffers) and once with the default width.  About 10 s.
//
//   node js/tests/browser/test-webgl2-executor.mjs

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/server/dev-server.mjs';
import { launchChromium } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main() {
  const srv = await startServer({ root: ROOT, port: 0 });
  const browser = await launchChromium();
  let failures = 0, passes = 0;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log(`console.error: ${m.text()}`); });
    await page.goto(`${srv.url}/examples/web/test.html`);
    for (const textureWidth of [8, 4096]) {
      const r = await page.evaluate(async (tw) => {
        const { runCases } = await import('/js/tests/browser/webgl2-executor-cases.mjs');
        return runCases({ textureWidth: tw });
      }, textureWidth);
      for (const c of r.results) {
        if (c.ok) passes++; else failures++;
        console.log(`${c.ok ? 'ok  ' : 'FAIL'} [TW ${r.tw}] ${c.name}${c.ok ? '' : `: ${c.why}`}`);
      }
      console.log(`     [TW ${r.tw}] stats ${JSON.stringify(r.stats)}`);
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  console.log(`${passes} passed, ${failures} failed`);
  return failures ? 1 : 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
