#!/usr/bin/env node
// browser-backends.mjs — bench/browser_backends.py on cpu, webgpu and webgl2 in headless Chromium.
//
//   node bench/browser-backends.mjs [--backends cpu,webgpu,webgl2] [--where worker|main|auto]
//                                   [--browser chromium|firefox|webkit] [--display headless|xvfb]
//                                   [--timeout SEC] [--json OUT.json] [--verbose]
//   make bench-browser                  # the same, after building the wheel
//
// --browser picks the engine (docs/browsers.md; Firefox and WebKit take `--where auto`: the path
// each engine's capabilities allow).
// For each backend it runs js/tests/browser/run-browser-tests.mjs --suite code (the test runner:
// dev server, Chromium with PLATFORM.md's flags, a fresh profile, Pyodide in the page's worker)
// with the benchmark's source, once per backend, one browser session each, and takes the one JSON
// line the script prints.  Then it prints a table: seconds per workload per backend and the
// ratios webgl2/cpu, webgpu/cpu, webgl2/webgpu (> 1: the first is slower), and checks that the
// checksums agree (the Mandelbrot count within 1e-4).  In this repository's environment Chromium
// has no GPU: WebGPU and WebGL2 both run on SwiftShader, a CPU rasterizer, so the figures measure
// overhead and the shader paths, not GPU speed.  Exit status: 0, or 1 when a backend's run failed
// or checksums differ.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const RUNNER = path.join(ROOT, 'js', 'tests', 'browser', 'run-browser-tests.mjs');
const SCRIPT = path.join(HERE, 'browser_backends.py');

function parseArgs(argv) {
  const o = { backends: ['cpu', 'webgpu', 'webgl2'], where: null, browser: 'chromium', timeout: 300, json: null, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--backends') o.backends = val().split(',').filter(Boolean);
    else if (a === '--where') o.where = val();
    else if (a === '--browser') o.browser = val();
    else if (a === '--display') o.display = val();
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--json') o.json = val();
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n')
        .filter((l) => l.startsWith('//')).slice(1, 7).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!o.where) o.where = o.browser === 'chromium' ? 'worker' : 'auto';
  return o;
}

function runBackend(backend, o, code) {
  return new Promise((resolve) => {
    const args = [RUNNER, '--suite', 'code', '--code', code, '--backend', backend,
      '--where', o.where, '--browser', o.browser, '--timeout', String(o.timeout),
      // WebGL in Firefox needs a headed window, WebKitGTK has no headless mode: both under Xvfb
      '--display', o.display || ((o.browser === 'firefox' && backend === 'webgl2') || o.browser === 'webkit' ? 'xvfb' : 'headless')];
    const t0 = Date.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderrBuf = '';
    child.stdout.on('data', (d) => { stdout += d; if (o.verbose) process.stderr.write(d); });
    child.stderr.on('data', (d) => {
      stderrBuf += d;
      if (o.verbose) { process.stderr.write(d); return; }
      // the benchmark's progress lines (Python's stderr: "name: ms (median of k), checksum v")
      let nl;
      while ((nl = stderrBuf.indexOf('\n')) >= 0) {
        const line = stderrBuf.slice(0, nl);
        stderrBuf = stderrBuf.slice(nl + 1);
        if (/median of \d+|Error|error|Traceback/.test(line)) process.stderr.write(`  [${backend}] ${line}\n`);
      }
    });
    child.on('close', (rc) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{"backend"'));
      let result = null;
      try { result = line ? JSON.parse(line) : null; } catch { result = null; }
      resolve({ rc, result, wallS: (Date.now() - t0) / 1000, tail: stdout.split('\n').slice(-8).join('\n') });
    });
  });
}

const fmtT = (s) => (s === undefined ? '—' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1e3).toFixed(s < 0.01 ? 2 : 1)} ms`);
const fmtR = (a, b) => (a === undefined || b === undefined ? '—' : (a / b).toFixed(2));

async function main() {
  let o;
  try { o = parseArgs(process.argv.slice(2)); } catch (e) { console.error(`browser-backends: ${e.message}`); return 2; }
  const code = fs.readFileSync(SCRIPT, 'utf8');
  const res = {};
  let status = 0;
  for (const b of o.backends) {
    process.stderr.write(`[browser-backends] ${b} (${o.where}) ...\n`);
    const r = await runBackend(b, o, code);
    if (r.rc !== 0 || !r.result) {
      process.stderr.write(`[browser-backends] ${b}: FAILED (exit ${r.rc})\n${r.tail}\n`);
      status = 1;
      continue;
    }
    if (r.result.backend !== b) {
      process.stderr.write(`[browser-backends] ${b}: Python reports backend ${r.result.backend}\n`);
      status = 1;
    }
    process.stderr.write(`[browser-backends] ${b}: done, ${r.wallS.toFixed(0)} s with browser start and Pyodide init\n`);
    res[b] = r.result;
  }
  const names = [...new Set(Object.values(res).flatMap((r) => Object.keys(r.seconds)))];
  const t = (b, n) => res[b]?.seconds[n];
  const rows = [['workload', 'cpu', 'webgpu', 'webgl2', 'webgl2/cpu', 'webgpu/cpu', 'webgl2/webgpu', 'checksums']];
  for (const n of names) {
    const sums = Object.values(res).map((r) => r.checksum[n]);
    // Exact for matmul and add (small integers); the Mandelbrot count is a chaotic iteration in
    // float32, where one rounding difference (a contracted multiply-add in a shader compiler)
    // moves a point near the set's edge: there a relative difference up to 1e-4 is accepted.
    const agree = sums.every((v) => v === sums[0]);
    const rel = Math.max(...sums.map((v) => Math.abs(v - sums[0]) / Math.max(Math.abs(sums[0]), 1)));
    if (rel > 1e-4) status = 1;
    rows.push([n, fmtT(t('cpu', n)), fmtT(t('webgpu', n)), fmtT(t('webgl2', n)),
      fmtR(t('webgl2', n), t('cpu', n)), fmtR(t('webgpu', n), t('cpu', n)), fmtR(t('webgl2', n), t('webgpu', n)),
      agree ? `equal (${sums[0]})` : `${rel > 1e-4 ? 'DIFFER' : 'within 1e-4'}: ${Object.keys(res).map((b) => `${b} ${res[b].checksum[n]}`).join(', ')}`]);
  }
  console.log(`browser backends, ${o.browser}, executor in the ${o.where}; median seconds per workload (ends with a read)`);
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => String(r[j]).length)));
  const line = (r) => console.log('| ' + r.map((c, j) => String(c).padEnd(w[j])).join(' | ') + ' |');
  line(rows[0]);
  line(w.map((n) => '-'.repeat(n)));
  rows.slice(1).forEach(line);
  if (o.json) fs.writeFileSync(o.json, JSON.stringify(res, null, 1));
  return status;
}

main().then((c) => process.exit(c), (e) => { console.error(`browser-backends: ${e && e.stack ? e.stack : e}`); process.exit(1); });
