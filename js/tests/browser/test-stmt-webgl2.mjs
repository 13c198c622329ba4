#!/usr/bin/env node
// test-stmt-webgl2.mjs — the GLSL of statement kernels (core/src/codegen/stmt.c) run through the
// webgl2 executor in headless Chromium (ANGLE on SwiftShader): the kernels of
// core/tests/test_codegen.c that webgl2 runs, their vertex and fragment shaders as generated
// (js/tests/stmt-sources.mjs), the cases and expectations of js/tests/stmt-cases.mjs, at texture
// widths 8 (buffers over several rows and layers) and 4096.
//
//   node js/tests/browser/test-stmt-webgl2.mjs     # after make test-c (or with WGPY_STMT_SRC_DIR)

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/server/dev-server.mjs';
import { launchChromium } from './chromium.mjs';
import { CASES } from '../stmt-cases.mjs';
import { stmtSources } from '../stmt-sources.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main() {
  const dir = stmtSources();
  const sources = {};
  for (const c of CASES.filter((x) => x.webgl2)) {
    sources[c.kernel] = {
      'glsl-es-300-vs': fs.readFileSync(path.join(dir, `${c.kernel}.vert`), 'utf8'),
      'glsl-es-300-fs': fs.readFileSync(path.join(dir, `${c.kernel}.frag`), 'utf8'),
    };
  }
  const srv = await startServer({ root: ROOT, port: 0 });
  const browser = await launchChromium();
  let failures = 0, passes = 0;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.log(`console.error: ${m.text()}`); });
    await page.goto(`${srv.url}/examples/web/test.html`);
    for (const textureWidth of [8, 4096]) {
      const results = await page.evaluate(async ({ tw, src }) => {
        const { WebGL2Executor } = await import('/js/src/webgl2/executor.mjs');
        const { CASES: cases, runCase } = await import('/js/tests/stmt-cases.mjs');
        const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
        if (!gl) throw new Error('no webgl2 context');
        const heap = new Uint8Array(1 << 20);
        const ex = new WebGL2Executor(gl, () => heap, { textureWidth: tw, checkEveryCommand: true });
        const ids = { next: 1 }, out = [];
        for (const c of cases.filter((x) => x.webgl2)) {
          let why;
          try { why = await runCase(ex, heap, src[c.kernel], c, ids); } catch (e) { why = String(e && e.stack ? e.stack : e); }
          out.push({ name: `${c.kernel}: ${c.title}`, why });
        }
        return out;
      }, { tw: textureWidth, src: sources });
      for (const r of results) {
        if (r.why) failures++; else passes++;
        console.log(`${r.why ? 'FAIL' : 'ok  '} [TW ${textureWidth}] ${r.name}${r.why ? `: ${r.why}` : ''}`);
      }
    }
  } finally {
    await browser.close();
    await srv.close();
  }
  console.log(`${passes} passed, ${failures} failed`);
  return failures ? 1 : 0;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(1); });
