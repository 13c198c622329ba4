#!/usr/bin/env node
// run-engines.mjs — the pytest suite (a subset sized for time) in Firefox and WebKit, one run per
// engine and backend, then a table of the counts (make test-engines; docs/browsers.md).
//
//   node js/tests/browser/run-engines.mjs [--only NAME,...] [--sample K] [-k EXPR] [--golden PATH]
//                                         [--sample-functions N --rotate R]  (the slow runs only)
//                                         [--jobs 1|2] [-- pytest args (e.g. the test files)]
//
// Runs (each is js/tests/browser/run-browser-tests.mjs --suite smoke,pytest; with --jobs 2, the
// default, firefox-webgpu side by side with the other two, which run one after another):
//   firefox-webgpu  Firefox ESR headless, --backend auto --where auto: capability detection picks
//                   webgpu (lavapipe) in the worker with JSPI readback
//   firefox-webgl2  Firefox ESR headed under Xvfb (no WebGL in true headless), --backend webgl2
//                   --where auto: the worker (synchronous readPixels)
//   webkit-webgl2   WebKitGTK (MiniBrowser under Xvfb, SharedArrayBuffer switched on), --backend
//                   auto --where main: no WebGPU, so webgl2, on the page's thread with
//                   SharedArrayBuffer + Atomics.wait readback (WebKit has no JSPI)
// Known failures per engine and backend: python/tests/known_failures_<engine>_<backend>.txt
// (strict xfail, each with its reason).  Exit status: 0 when every run passed, else the first
// failing run's.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');

const RUNS = [
  { name: 'firefox-webgpu', engine: 'Firefox', args: ['--browser', 'firefox', '--backend', 'auto', '--where', 'auto'], expect: 'webgpu', slow: true },
  { name: 'firefox-webgl2', engine: 'Firefox', args: ['--browser', 'firefox', '--display', 'xvfb', '--backend', 'webgl2', '--where', 'auto'], expect: 'webgl2' },
  { name: 'webkit-webgl2', engine: 'WebKit', args: ['--browser', 'webkit', '--backend', 'auto', '--where', 'main'], expect: 'webgl2' },
];

const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : def; };
const only = opt('--only', null);
const sample = opt('--sample', '6');
const kexpr = opt('-k', null);
const golden = opt('--golden', 'build/golden.json');
const timeout = opt('--timeout', '420');
// The slow runs (webgpu on lavapipe: about a second a test, ten times the webgl2 runs) take only
// every N-th test function of each file, the slice --rotate picks (conftest --sample-functions).
const fnSample = opt('--sample-functions', '1');
const rotate = opt('--rotate', '0');
const extra = argv.includes('--') ? argv.slice(argv.indexOf('--') + 1) : [];

// --jobs 2 (default): the slow run (Firefox webgpu: its shaders compiled by lavapipe, about one
// core) goes side by side with the others one after another (one core): the stage takes the
// longer of the two instead of their sum.  Each run's output is then held and printed whole when
// it ends, so that two runs' lines do not interleave.  --jobs 1: one after another, live.
const jobs = Number(opt('--jobs', '2'));

function runOne(r, live) {
  const known = `python/tests/known_failures_${r.name.replace('-', '_')}.txt`;
  const args = ['js/tests/browser/run-browser-tests.mjs', ...r.args, '--suite', 'smoke,pytest',
    '--timeout', timeout, '--golden', golden, '--', '-q', '--sample', sample,
    ...(kexpr ? ['-k', kexpr] : []),
    ...(r.slow && fnSample !== '1' ? ['--sample-functions', fnSample, '--rotate', rotate] : []),
    ...(fs.existsSync(path.join(ROOT, known)) ? ['--known-failures', known] : []), ...extra];
  const head = `== test-engines: ${r.name}: node ${args.map((a) => (/[\s()]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`;
  if (live) process.stdout.write(head);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', live ? 'inherit' : 'pipe'] });
    let out = '', held = '';
    p.stdout.on('data', (d) => { out += d; if (live) process.stdout.write(d); else held += d; });
    if (!live) p.stderr.on('data', (d) => { held += d; });
    p.on('exit', (code, sig) => {
      if (!live) process.stdout.write(head + held);
      const m = /pytest in [A-Za-z]+ \((\w+)(?:, (\w+))?\): (\d+) passed, (\d+) failed, (\d+) errors([^;]*);/.exec(out);
      const smoke = /smoke: wgpy\.get_backend_name\(\) = "(\w+)"/.exec(out);
      const c = { passed: 0, failed: 0, errors: 0, xfailed: 0, skipped: 0, deselected: 0 };
      if (m) {
        c.passed = +m[3]; c.failed = +m[4]; c.errors = +m[5];
        for (const k of ['skipped', 'xfailed', 'xpassed', 'deselected']) {
          const mm = new RegExp(`(\\d+) ${k}`).exec(m[6]);
          if (mm) c[k] = +mm[1];
        }
      }
      let exit = code === null ? 1 : code;
      const backend = m ? m[1] : (smoke ? smoke[1] : '?');
      if (exit === 0 && backend !== r.expect) exit = 1; // the path chosen must be the expected one
      resolve({ ...r, exit, signal: sig, seconds: (Date.now() - t0) / 1000, backend, where: m?.[2] || '-', counts: c });
    });
  });
}

const t0 = Date.now();
const chosen = RUNS.filter((x) => !only || only.split(',').includes(x.name));
let results = [];
if (jobs > 1 && chosen.some((r) => r.slow) && chosen.length > 1) {
  const slow = runOne(chosen.find((r) => r.slow), false);
  const rest = (async () => {
    const out = [];
    for (const r of chosen.filter((x) => !x.slow)) out.push(await runOne(r, false));
    return out;
  })();
  const [a, b] = await Promise.all([slow, rest]);
  results = [a, ...b];
} else {
  for (const r of chosen) results.push(await runOne(r, true));
}

const pad = (s, n) => String(s).padEnd(n);
console.log('== test-engines: counts per engine and backend');
console.log(`${pad('engine', 9)}${pad('backend', 9)}${pad('where', 8)}${pad('passed', 8)}${pad('failed', 8)}${pad('errors', 8)}${pad('xfailed', 9)}${pad('skipped', 9)}${pad('time', 8)}exit`);
for (const r of results) {
  const c = r.counts;
  console.log(`${pad(r.engine, 9)}${pad(r.backend, 9)}${pad(r.where, 8)}${pad(c.passed, 8)}${pad(c.failed, 8)}${pad(c.errors, 8)}${pad(c.xfailed || 0, 9)}${pad(c.skipped || 0, 9)}${pad(r.seconds.toFixed(0) + ' s', 8)}${r.exit}`);
}
const failed = results.find((r) => r.exit !== 0);
console.log(`== test-engines: ${results.length} runs in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${failed ? `FAILED (${results.filter((r) => r.exit !== 0).map((r) => r.name).join(', ')})` : 'all passed'}`);
process.exit(failed ? (failed.exit || 1) : 0);
