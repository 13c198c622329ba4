#!/usr/bin/env node
// test-site.mjs — the site's page tests in headless Chromium (playwright-core), and `make demo`'s
// headless run.  docs/site.md.
//
//   node js/tests/site/test-site.mjs [--backends webgpu,webgl2,cpu] [--pages a,b] [--root dist]
//                                    [--shots build/site] [--no-isolation] [--test-path F] [--demo]
//                                    [--browser chromium|firefox|webkit] [--display headless|xvfb]
//
// Serves dist/ (npm run build) with js/src/server/dev-server.mjs, opens every page with small
// sizes and ?autorun=1 on each backend, and checks what a person would see: the status reaches
// done (MNIST: 'unavailable' with its reason, numpy cannot be had here), the backend shown is the
// one asked for, the expected text appears (timings, allclose True, mismatches 0), canvases are
// not blank (pixel statistics).  The test page's TEST flow (?test_path=) must report the same
// counts in its table as pytest's own tally.  Screenshots: <shots>/<page>-<backend>.png.
// --no-isolation serves without COOP/COEP (a plain static host): the pages must still work.
// --demo: every sample once on 'auto' at the default sizes' small end, printing each output.
// --browser firefox|webkit: the same checks in another engine (js/tests/browser/engines.mjs;
// docs/browsers.md): one tab, reused page after page; screenshots <page>-<backend>-<engine>.png.
// --jobs N: Chromium opens N pages at once (default 2: a page's load is mostly one core's work,
// Pyodide's start, so two cores take two); the other engines have one tab, so one.
// The MNIST pages' check (numpy cannot be had: 'unavailable') stops before any backend is used,
// so they open on the first backend only.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/server/dev-server.mjs';
import { launchChromium } from '../browser/chromium.mjs';
import { launchEngine } from '../browser/engines.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const demo = argv.includes('--demo');
const backends = opt('--backends', demo ? 'auto' : 'webgpu,webgl2,cpu').split(',');
const root = path.resolve(ROOT, opt('--root', 'dist'));
const shots = path.resolve(ROOT, opt('--shots', 'build/site'));
const isolation = !argv.includes('--no-isolation');
const testPath = opt('--test-path', 'test_harness.py');
const timeoutMs = Number(opt('--page-timeout', 240)) * 1000;
const engine = opt('--browser', 'chromium');
const display = opt('--display', 'headless');
const shotTag = engine === 'chromium' ? '' : `-${engine}`;
const jobs = engine === 'chromium' ? Math.max(1, Number(opt('--jobs', 2))) : 1;

// page -> [query, checks]; checks get the page's text and the canvases' statistics.
const PAGES = {
  index: ['', (t) => [/WebGPU (available|unavailable)/.test(t) || 'no capability line']],
  'api-example': ['', (t) => [/: \[\[2,4\],\[6,0\.800000011920929\]\]/.test(t) || 'no result',
    /x \* 2 = \[\[10/.test(t) || 'runFile did not run', /rejected: ZeroDivisionError/.test(t) || 'no rejection with the traceback']],
  'classic-worker': ['', (t) => [/classic worker, \w+: \[\[2,4\],\[6,0\.800000011920929\]\]/.test(t) || 'no result from the importScripts worker']],
  hello: ['data=[[1,2],[3,0.4]]', (t) => [t.includes('[[2,4],[6,0.800000011920929]]') || 'no result [[2,4],[6,0.8…]]']],
  matmul: [demo ? 'sizes=128,128,128 256,256,256&repeat=3' : 'sizes=64,64,64 48,32,16&repeat=2',
    (t, c) => [/GFLOP\/s/.test(t) || 'no GFLOP/s', /max abs diff vs cpu \d/.test(t) || 'no diff', !!c.chart || 'bar chart blank']],
  'mandelbrot-bench': ['kernel=normal&mode=benchmark&iters=30', (t) => [/ms per 256² image/.test(t) || 'no timing'], 'mandelbrot'],
  'mandelbrot-verify': ['kernel=custom&mode=verify&iters=30', (t) => [/mismatches 0 of 65536/.test(t) || 'mismatches not 0'], 'mandelbrot'],
  'mandelbrot-image': ['kernel=custom&mode=visualize&iters=50', (t, c) => [/visualize \(custom/.test(t) || 'no summary', !!c.img || 'image blank'], 'mandelbrot'],
  'blackscholes-normal': ['samples=1000&kernel=normal', (t) => [/allclose True/.test(t) || 'allclose not True'], 'blackscholes'],
  'blackscholes-custom': ['samples=1000&kernel=custom', (t) => [/allclose True/.test(t) || 'allclose not True'], 'blackscholes'],
  'mandelbrot-demo': ['grid=128&iters=50', (t, c) => [/ms per render/.test(t) || 'no render time', !!c.img || 'image blank']],
  'mnist-demo': ['index=/no-such-index/', (t) => [/unavailable: /.test(t) || 'no unavailable message'], 'mnist-demo', 'unavailable'],
  'mnist-train': ['index=/no-such-index/', (t) => [/unavailable: /.test(t) || 'no unavailable message'], 'mnist-train', 'unavailable'],
};
const only = opt('--pages', null);
const pages = Object.keys(PAGES).filter((p) => !only || only.split(',').includes(p));
if (!fs.existsSync(path.join(root, 'manifest.json'))) {
  console.error(`test-site: no ${path.relative(ROOT, root)}/manifest.json (npm run build)`);
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });

const canvasStats = () => {
  const stat = (cv) => {
    if (!cv || !cv.width || cv.width < 2) return false;
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let n = 0, s = 0, s2 = 0; const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) {
      const l = d[i] * 0.3 + d[i + 1] * 0.59 + d[i + 2] * 0.11;
      n++; s += l; s2 += l * l;
      if (seen.size < 64) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    const mean = s / n, std = Math.sqrt(Math.max(0, s2 / n - mean * mean));
    return std > 4 && seen.size > 3 ? { mean: +mean.toFixed(1), std: +std.toFixed(1), colours: seen.size } : false;
  };
  // a chart: transparent background; drawn when enough pixels are painted
  const painted = (cv) => {
    if (!cv || !cv.width) return false;
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let n = 0, p = 0;
    for (let i = 3; i < d.length; i += 4 * 5) { n++; if (d[i] > 0) p++; }
    return p / n > 0.01 ? { painted: +(p / n).toFixed(3) } : false;
  };
  return { img: stat(document.getElementById('img')), chart: painted(document.querySelector('#chart canvas')) };
};

const srv = await startServer({ root, port: 0, isolation });
const browser = engine === 'chromium' ? await launchChromium() : await launchEngine(engine, { display });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// A page: playwright's own (Chromium), or the engine's one tab behind the same few calls.
async function newPage(viewport) {
  if (engine === 'chromium') {
    const page = await browser.newPage(viewport ? { viewport } : {});
    return {
      goto: (u) => page.goto(u), evaluate: (f, a) => page.evaluate(f, a),
      waitFor: (f, ms) => page.waitForFunction(f, null, { timeout: ms }),
      screenshot: (p) => page.screenshot({ path: p, fullPage: true }), click: (sel) => page.click(sel),
      close: () => page.close(), onError: (cb) => page.on('pageerror', (e) => cb(String(e))),
    };
  }
  return {
    goto: (u) => browser.goto(u), evaluate: (f, a) => browser.evaluate(f, a),
    waitFor: async (f, ms) => {
      const t0 = Date.now();
      for (;;) {
        if (await browser.evaluate(f)) return;
        if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms`);
        await sleep(250);
      }
    },
    screenshot: (p) => (browser.screenshot ? browser.screenshot(p) : Promise.resolve()),
    click: (sel) => browser.evaluate((s) => { document.querySelector(s).click(); return true; }, sel),
    close: async () => { browser.onPageError = null; }, onError: (cb) => { browser.onPageError = cb; },
  };
}
let failures = 0;
const results = [];
// One check: its lines are printed together when it is done (checks run `jobs` at a time).
async function checkPage(backend, name) {
  const out = [];
  const [query, check, file = name, want = 'done'] = PAGES[name];
  const url = name === 'index' ? `${srv.url}/` : name === 'api-example' || name === 'classic-worker' ? `${srv.url}/${name}.html?backend=${backend}` :
    `${srv.url}/samples/${file}.html?backend=${backend}&autorun=1${query ? '&' + query : ''}`;
  const page = await newPage({ width: 1000, height: 1100 });
  const errors = [];
  page.onError((e) => errors.push(e));
  const t0 = Date.now();
  let status = 'timeout', text = '', stats = {}, ran = '';
  try {
    await page.goto(url);
    await page.waitFor(() => ['done', 'error', 'unavailable', 'failed'].includes(document.body.dataset.status), timeoutMs);
    status = await page.evaluate(() => document.body.dataset.status);
  } catch (e) { errors.push(String(e.message || e).split('\n')[0]); }
  await sleep(400);   // uPlot draws on the next animation frame
  text = await page.evaluate(() => document.body.innerText).catch(() => '');
  stats = await page.evaluate(canvasStats).catch(() => ({}));
  ran = await page.evaluate(() => document.getElementById('ran')?.textContent || '').catch(() => '');
  await page.screenshot(path.join(shots, `${name}-${backend}${isolation ? '' : '-plain'}${shotTag}.png`)).catch(() => {});
  await page.close();
  const problems = [];
  if (status !== want) problems.push(`status ${status}, wanted ${want}`);
  if (want === 'done' && !['index', 'api-example', 'classic-worker'].includes(name) && backend !== 'auto' && ran !== backend) problems.push(`backend shown '${ran}', wanted ${backend}`);
  for (const c of check(text, stats)) if (c !== true) problems.push(c);
  problems.push(...errors);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const summary = (text.match(/^(Result: .*|.* ms per .*|verify .*|visualize .*|.* allclose .*|unavailable: .*|.*GFLOP\/s.*)$/mg) || []).slice(0, 4).join(' | ');
  out.push(`${problems.length ? 'FAIL' : 'ok  '} ${name} [${backend}${ran && ran !== backend ? '→' + ran : ''}] ${secs}s ${summary}${
    stats.img ? ` img ${JSON.stringify(stats.img)}` : ''}${stats.chart ? ' chart drawn' : ''}`);
  if (demo) {
    const log = text.slice(text.indexOf('Pyodide ')).split('\n').slice(0, 12).join('\n    ');
    out.push(`    ${log}`);
  }
  for (const p of problems) out.push(`      ${p}`);
  if (problems.length && status === 'error') out.push('      | ' + text.trim().split('\n').slice(-6).join('\n      | '));
  console.log(out.join('\n'));
  if (problems.length) failures++;
  results.push({ name, backend, ran, status, problems, summary });
}

// The test page's TEST flow: its table must agree with pytest's own tally.
async function checkTestPage(backend) {
  const out = [];
  const page = await newPage();
  const t0 = Date.now();
  await page.goto(`${srv.url}/test/?backend=${backend}&test_path=${testPath}`);
  await page.click('#run');
  let r = null;
  try {
    await page.waitFor(() => !!window.__wgpyTest, timeoutMs);
    r = await page.evaluate(() => window.__wgpyTest);
  } catch (e) { r = { error: String(e.message || e).split('\n')[0] }; }
  await page.screenshot(path.join(shots, `test-${backend}${shotTag}.png`)).catch(() => {});
  const tlog = await page.evaluate(() => document.getElementById('log').textContent).catch(() => '');
  await page.close();
  const problems = [];
  if (r.error) problems.push(r.error);
  else {
    if (r.exitCode !== 0) problems.push(`pytest exit ${r.exitCode}`);
    for (const k of ['passed', 'failed', 'skipped', 'xfailed']) {
      if ((r.counts[k] || 0) !== (r.table[k] || 0)) problems.push(`${k}: table ${r.table[k]}, pytest ${r.counts[k] || 0}`);
    }
    if (!r.table.passed) problems.push('nothing passed');
  }
  if (problems.length) out.push('      | ' + tlog.trim().split('\n').slice(-8).join('\n      | '));
  out.push(`${problems.length ? 'FAIL' : 'ok  '} test/?test_path=${testPath} [${backend}] ${((Date.now() - t0) / 1000).toFixed(1)}s ${r.counts ? JSON.stringify(r.counts) : ''}`);
  for (const p of problems) out.push(`      ${p}`);
  console.log(out.join('\n'));
  if (problems.length) failures++;
}

const tasks = [];
for (const backend of backends) {
  for (const name of pages) {
    if (!demo && PAGES[name][3] === 'unavailable' && backend !== backends[0]) continue;
    tasks.push(() => checkPage(backend, name));
  }
  if (!demo && (!only || only.split(',').includes('test'))) tasks.push(() => checkTestPage(backend));
}
try {
  let next = 0;
  const worker = async () => { while (next < tasks.length) await tasks[next++](); };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
} finally {
  await browser.close();
  await srv.close();
}
console.log(`test-site${shotTag ? ` (${engine})` : ''}: ${failures ? `${failures} FAILED` : 'all passed'}; screenshots in ${path.relative(ROOT, shots)}/`);
process.exit(failures ? 1 : 0);
