#!/usr/bin/env node
// run-browser-tests.mjs — wgpy's Python test suite and smoke tests in Chromium, Firefox or WebKit.
//
//   node js/tests/browser/run-browser-tests.mjs [options] [-- pytest args...]
//   make test-browser                      # builds the wheel and build/golden.json first
//
// Options:
//   --suite LIST     comma-separated, in any order: probe (crossOriginIsolated, JSPI, WebGPU adapter
//                    and WebGL2 renderer in the worker), smoke (wgpy.get_backend_name() and
//                    examples/hello.py in the page's worker), pytest (python/tests replaying
//                    --golden), demo (examples/web/index.html: hello + Mandelbrot).
//                    Default: probe,smoke,pytest,demo.
//                    Also: code (runs --code's Python in the worker; the harness self-test uses it).
//   --code SRC       Python source to run (adds the code suite); its exit status counts
//   --golden PATH    numpy's recorded results (default build/golden.json; made by make test-py)
//   --backend NAME   WGPY_BACKEND in the worker: cpu (default), webgpu or webgl2 (the executor in
//                    js/src/<name>/executor.mjs, where --where says), or auto (the host's choice:
//                    webgpu, else webgl2, else cpu; smoke checks the name Python reports)
//   --where W        worker (default: executor in the worker, JSPI) | main (on the page,
//                    SharedArrayBuffer + Atomics.wait) | auto (capability detection: the worker
//                    where it can read back, else the page, else a clear error; docs/browsers.md)
//   --browser E      chromium (default; playwright-core, headless), firefox (puppeteer-core over
//                    WebDriver BiDi) or webkit (WebKitWebDriver under Xvfb): engines.mjs
//   --display D      headless (default) | xvfb (firefox headed under a private Xvfb: WebGL2 needs
//                    it); webkit always runs under Xvfb
//   --timeout SEC    global limit (default 600): past it the run stops with exit 124
//   --chromium PATH  the browser (default $CHROMIUM or /usr/bin/chromium; never downloaded)
//   --verbose        also the worker's package-loading messages and the page's console
//
// It starts the dev server (js/src/server/dev-server.mjs) on a free port, launches the engine
// (engines.mjs; Chromium with exactly the flags of shared PLATFORM.md and a fresh
// --user-data-dir), opens examples/web/test.html, and calls its wgpyTestPage.run(): the page starts
// the worker (js/src/browser/wgpy-worker.js), which loads Pyodide from node_modules/pyodide,
// installs build/dist's wheel and build/pywheels' wheels, writes python/tests and the golden file
// into Pyodide's filesystem and runs pytest.  Python's output comes here as the page queues it
// (polled every 250 ms: plain WebDriver has no way to call back).
//
// Exit status: pytest's exit status when pytest ran and failed; 1 when another suite failed or
// the page/worker reported an error (Python exception in a smoke script, Pyodide fatal error,
// worker error, page crash); 124 on the global timeout; 2 for a missing prerequisite.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../src/server/dev-server.mjs';
import { engineMissing, launchEngine, ENGINES } from './engines.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const PROG = 'test-browser';


const ALL_SUITES = ['probe', 'smoke', 'pytest', 'demo'];
const KNOWN_SUITES = [...ALL_SUITES, 'code'];

function usage() {
  return fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
    .filter((l) => l.startsWith('//')).slice(1, 20).map((l) => l.slice(3)).join('\n');
}

function parseArgs(argv) {
  const o = {
    suites: ALL_SUITES, golden: 'build/golden.json', backend: 'cpu', where: undefined,
    timeout: 600, chromium: process.env.CHROMIUM || '/usr/bin/chromium', verbose: false, pytestArgs: [],
    browser: 'chromium', display: 'headless',
  };
  let explicitSuites = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { o.pytestArgs = argv.slice(i + 1); break; }
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const val = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--suite' || flag === '--suites') { o.suites = val().split(',').filter(Boolean); explicitSuites = true; }
    else if (flag === '--golden') o.golden = val();
    else if (flag === '--code') o.code = val();
    else if (flag === '--backend') o.backend = val();
    else if (flag === '--where') o.where = val();
    else if (flag === '--timeout') o.timeout = Number(val());
    else if (flag === '--chromium') o.chromium = val();
    else if (flag === '--browser') o.browser = val();
    else if (flag === '--display') o.display = val();
    else if (flag === '--verbose' || flag === '-v') o.verbose = true;
    else if (flag === '-h' || flag === '--help') { console.log(usage()); process.exit(0); }
    else throw new Error(`unknown option ${a} (pytest arguments go after --)`);
  }
  if (o.suites.includes('all')) o.suites = ALL_SUITES;
  if (o.code !== undefined) {
    if (!explicitSuites) o.suites = [];
    if (!o.suites.includes('code')) o.suites = [...o.suites, 'code'];
  }
  for (const s of o.suites) if (!KNOWN_SUITES.includes(s)) throw new Error(`unknown suite ${s} (${KNOWN_SUITES.join(', ')})`);
  if (!(o.timeout > 0)) throw new Error('--timeout must be positive');
  if (o.where && !['worker', 'main', 'auto'].includes(o.where)) throw new Error('--where: worker, main or auto');
  if (!ENGINES.includes(o.browser)) throw new Error(`--browser: ${ENGINES.join(', ')}`);
  if (!['headless', 'xvfb'].includes(o.display)) throw new Error('--display: headless or xvfb');
  return o;
}

const fmtS = (ms) => `${(ms / 1000).toFixed(1)} s`;
const hostLine = (text) => process.stderr.write(`[${PROG}] ${text}\n`);

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${PROG}: ${e.message}`);
    return 2;
  }
  const tStart = Date.now();

  // Prerequisites, with the command that makes each.
  const missing = [];
  if (o.browser === 'chromium' && !fs.existsSync(o.chromium)) missing.push(`${o.chromium} (apt-get install chromium; scripts/setup.sh apt)`);
  else missing.push(...engineMissing(o.browser, { display: o.display }));
  const dist = path.join(ROOT, 'build', 'dist');
  if (!fs.existsSync(dist) || !fs.readdirSync(dist).some((f) => /^wgpy-.*\.whl$/.test(f))) missing.push('build/dist/wgpy-*.whl (make wheel)');
  if (!fs.existsSync(path.join(ROOT, 'node_modules', 'pyodide', 'pyodide.mjs'))) missing.push('node_modules/pyodide (scripts/setup.sh npm)');
  const goldenAbs = path.resolve(ROOT, o.golden);
  if (o.suites.includes('pytest')) {
    if (!fs.existsSync(goldenAbs)) missing.push(`${o.golden} (make test-py)`);
    else if (!goldenAbs.startsWith(ROOT + path.sep)) missing.push(`${o.golden} must lie inside the repository (it is served from there)`);
    const pw = path.join(ROOT, 'build', 'pywheels');
    if (!fs.existsSync(pw) || !fs.readdirSync(pw).some((f) => f.startsWith('pytest-'))) missing.push('build/pywheels/pytest-*.whl (scripts/setup.sh pywheels)');
  }
  if (missing.length) {
    console.error(`${PROG}: missing:\n  ${missing.join('\n  ')}`);
    return 2;
  }

  let server = null, browser = null;
  const cleanup = async () => {
    const tasks = [];
    if (browser) tasks.push(browser.close().catch(() => {}));
    if (server) tasks.push(server.close().catch(() => {}));
    await Promise.race([Promise.all(tasks), new Promise((r) => setTimeout(r, 10000))]);
  };

  // The global limit: whatever hangs, the run ends.
  let timedOut = false;
  let rejectTimeout;
  const timeoutP = new Promise((_, rej) => { rejectTimeout = rej; });
  const globalTimer = setTimeout(() => {
    timedOut = true;
    rejectTimeout(new Error(`global timeout: the run took longer than ${o.timeout} s`));
  }, o.timeout * 1000);
  globalTimer.unref?.();

  // A crash or an error on the page ends the run too.
  let rejectPage;
  const pageFailP = new Promise((_, rej) => { rejectPage = rej; });
  pageFailP.catch(() => {});
  timeoutP.catch(() => {});

  let exitCode = 0;
  const summary = [];
  try {
    server = await startServer({ root: ROOT, port: 0, log: o.verbose ? (m) => hostLine(`http ${m}`) : null });
    hostLine(`dev server ${server.url}/ (root ${ROOT})`);

    const tLaunch = Date.now();
    browser = await Promise.race([launchEngine(o.browser, { chromium: o.chromium, display: o.display }), timeoutP]);
    hostLine(`${o.browser}: ${browser.version} launched in ${Date.now() - tLaunch} ms`);
    const engineName = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }[o.browser];
    browser.onDisconnect = (why) => rejectPage(new Error(why));
    browser.onConsole = (type, text) => { if (o.verbose || type === 'error') hostLine(`console.${type}: ${text}`); };
    // An uncaught error (the page's, or a worker's where the driver reports it) fails the run; the
    // page gets a moment to report it itself (its message names the cause: a Pyodide fatal error).
    const pageErrors = [];
    browser.onPageError = (msg) => {
      hostLine(`uncaught error: ${msg}`);
      pageErrors.push(msg);
      setTimeout(() => rejectPage(new Error(`uncaught error in the page or its worker: ${msg}`)), 3000);
    };
    const race = (p) => Promise.race([p, timeoutP, pageFailP]);
    const waitFor = async (fn, what, ms) => {
      const t0 = Date.now();
      for (;;) {
        if (await race(browser.evaluate(fn))) return;
        if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s`);
        await race(new Promise((r) => setTimeout(r, 200)));
      }
    };
    const printChunks = (chunks) => {
      for (const [stream, text] of chunks) {
        if (stream === 'stdout') process.stdout.write(text);
        else if (stream === 'stderr') process.stderr.write(text);
        else process.stderr.write(`[browser] ${text}`);
      }
    };

    const page1 = o.suites.filter((s) => s !== 'demo');
    if (page1.length) {
      const tPage = Date.now();
      await race(browser.goto(`${server.url}/examples/web/test.html`));
      await waitFor(() => window.wgpyTestPage !== undefined, 'the test page did not load', 30000);
      // Started, not awaited: the page queues its output, which is polled until the run settles.
      await race(browser.evaluate((opts) => {
        window.__wgpyDriverQueue = [];
        window.__wgpyRunState = null;
        window.wgpyTestPage.run(opts).then((r) => { window.__wgpyRunState = { r }; },
          (e) => { window.__wgpyRunState = { r: { ok: false, error: String(e && e.message ? e.message : e) } }; });
        return true;
      }, {
        suites: page1, backend: o.backend, where: o.where, pytestArgs: o.pytestArgs, code: o.code,
        golden: '/' + path.relative(ROOT, goldenAbs).split(path.sep).join('/'), verbose: o.verbose,
      }));
      let r;
      for (;;) {
        const st = await race(browser.evaluate(() => ({ q: window.__wgpyDriverQueue.splice(0), s: window.__wgpyRunState })));
        printChunks(st.q);
        if (st.s) { r = st.s.r; break; }
        await race(new Promise((res) => setTimeout(res, 250)));
      }
      const wall = Date.now() - tPage;
      if (r.path) summary.push(`path (capability detection): ${r.path.backend}${r.path.where ? ` ${r.path.where === 'main' ? 'on the page' : 'in the worker'}` : ''}: ${r.path.reason}`);
      if (r.worker) {
        summary.push(`crossOriginIsolated: page ${r.page?.crossOriginIsolated}, worker ${r.worker.crossOriginIsolated}; ` +
          `JSPI in worker ${r.worker.jspi}; Pyodide ${r.worker.pyodideVersion} init ${fmtS(r.worker.timings.totalMs)}`);
        if (!r.page?.crossOriginIsolated || !r.worker.crossOriginIsolated) {
          summary.push('FAIL: not cross-origin isolated');
          exitCode = exitCode || 1;
        }
      }
      const backendShown = r.expectedBackend || r.backend || o.backend;
      const whereShown = backendShown !== 'cpu' ? `, ${r.where || o.where || 'worker'}` : '';
      if (r.probe) {
        const g = r.probe.webgpu, l = r.probe.webgl2;
        summary.push(`worker WebGPU: ${g.available ? `${g.adapterInfo.vendor} / ${g.adapterInfo.architecture} / ${g.adapterInfo.description || g.adapterInfo.device || '-'}` : `unavailable (${g.error})`}`);
        summary.push(`worker WebGL2: ${l.available ? `${l.unmaskedRenderer || l.renderer}` : `unavailable (${l.error})`}`);
        // Chromium must offer both in its worker; other engines report what they have.
        if (o.browser === 'chromium' && (!g.available || !l.available)) { summary.push('FAIL: WebGPU or WebGL2 missing in the worker'); exitCode = exitCode || 1; }
      }
      if (r.smoke) {
        const expected = r.expectedBackend || o.backend;
        const ok = r.smoke.exitCode === 0 && r.backendName === expected;
        summary.push(`smoke: wgpy.get_backend_name() = ${JSON.stringify(r.backendName)}${o.backend === 'auto' ? ` (auto chose ${expected})` : ''}, examples/hello.py exit ${r.smoke.exitCode}: ${ok ? 'ok' : 'FAILED'}`);
        if (!ok) exitCode = exitCode || 1;
      }
      if (r.code) {
        summary.push(`code: exit ${r.code.exitCode} in ${r.code.seconds.toFixed(2)} s`);
        if (r.code.exitCode !== 0) exitCode = exitCode || r.code.exitCode;
      }
      if (r.pytest) {
        const c = r.pytest.counts || {};
        const extra = ['skipped', 'xfailed', 'xpassed', 'deselected', 'warnings'].filter((k) => c[k]).map((k) => `, ${c[k]} ${k}`).join('');
        summary.push(`pytest in ${engineName} (${backendShown}${whereShown}): ${c.passed || 0} passed, ${(c.failed || 0)} failed, ${c.error || 0} errors${extra}; ` +
          `pytest ${r.pytest.seconds.toFixed(1)} s, page total ${fmtS(wall)}; exit ${r.pytest.exitCode}`);
        if (r.pytest.exitCode !== 0) exitCode = r.pytest.exitCode;
      } else if (o.suites.includes('pytest')) {
        exitCode = exitCode || 1;
      }
      if (r.error) {
        summary.push(`ERROR: ${r.error}`);
        exitCode = exitCode || 1;
      }
      if (pageErrors.length) {
        summary.push(`ERROR: ${pageErrors.length} uncaught error(s) in the page or its worker: ${pageErrors[0]}`);
        exitCode = exitCode || 1;
      }
    }

    if (o.suites.includes('demo')) {
      const tDemo = Date.now();
      const where = o.where && o.where !== 'auto' ? `&where=${o.where}` : '';
      await race(browser.goto(`${server.url}/examples/web/index.html?backend=${o.backend}${where}`));
      await waitFor(() => ['done', 'error'].includes(document.body.dataset.status), 'the demo page did not finish', 180000);
      const status = await race(browser.evaluate(() => document.body.dataset.status));
      const text = await race(browser.evaluate(() => document.getElementById('out').textContent));
      process.stdout.write(text.split('\n').map((l) => `[demo] ${l}`).join('\n') + '\n');
      const mand = /mandelbrot \S+, \d+ iterations on (\w+): sum\(count\) = (\d+)/.exec(text);
      const ok = status === 'done' && /backend: \w+/.test(text) && !!mand;
      summary.push(`demo page: ${ok ? 'ok' : 'FAILED'} in ${fmtS(Date.now() - tDemo)}${mand ? ` (mandelbrot on ${mand[1]}, sum(count) = ${mand[2]})` : ''}`);
      if (!ok) exitCode = exitCode || 1;
    }
  } catch (e) {
    summary.push(`ERROR: ${e.message}`);
    exitCode = timedOut ? 124 : 1;
  } finally {
    clearTimeout(globalTimer);
    await cleanup();
  }
  // The summary goes to stdout (pytest's own closing line is in the streamed output above).
  const line = (t) => process.stdout.write(`[${PROG}] ${t}\n`);
  line('---- summary ----');
  for (const l of summary) line(l);
  line(`wall time ${fmtS(Date.now() - tStart)}; exit ${exitCode}`);
  return exitCode;
}

process.on('unhandledRejection', (e) => {
  console.error(`${PROG}: unhandled rejection: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});

main().then((code) => process.exit(code), (e) => {
  console.error(`${PROG}: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
