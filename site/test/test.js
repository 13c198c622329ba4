// The browser test page: TEST runs pytest over the wgpy_test wheel in the worker, with progress
// and a table per file.  js/tests/site/test-site.mjs drives it (window.__wgpyTest: the summary).
import { start, loadManifest } from '../js/browser/wgpy-main.js';

const q = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const OUTCOMES = ['passed', 'failed', 'error', 'skipped', 'xfailed', 'xpassed'];
const log = (t, cls) => { const s = document.createElement('span'); if (cls) s.className = cls; s.textContent = t; $('log').appendChild(s); };
const setStatus = (s, t) => { document.body.dataset.status = s; $('status').textContent = t || s; };

function render(files) {
  const names = Object.keys(files).sort();
  const tot = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
  const rows = names.map((f) => {
    OUTCOMES.forEach((o) => { tot[o] += files[f][o] || 0; });
    return `<tr><td style="text-align:left">${f}</td>${OUTCOMES.map((o) => `<td>${files[f][o] || 0}</td>`).join('')}</tr>`;
  });
  $('table').innerHTML = `<table class="results"><tr><th>file</th>${OUTCOMES.map((o) => `<th>${o}</th>`).join('')}</tr>${rows.join('')}` +
    `<tr><th style="text-align:left">total</th>${OUTCOMES.map((o) => `<th id="total-${o}">${tot[o]}</th>`).join('')}</tr></table>`;
  return tot;
}

async function test() {
  $('run').disabled = true;
  const backend = q.get('backend') || 'auto';
  const files = {};
  let done = 0, total = 0;
  try {
    setStatus('loading', `loading Pyodide, wgpy and the tests (${backend})…`);
    const manifest = await loadManifest(new URL('../', location.href).href);
    const s = await start({
      backend, tests: true, manifest, baseURL: new URL('../', location.href).href,
      onStdout: (t) => log(t), onStderr: (t) => log(t, 'err'),
      onEvent: (kind, d) => {
        if (kind === 'collected') total = d.total;
        if (kind === 'test') {
          const f = (files[d.file] ||= {});
          f[d.outcome] = (f[d.outcome] || 0) + 1;
          done++;
          $('progress').value = total ? done / total : 0;
          $('ptext').textContent = `${done} / ${total}`;
          if (done % 20 === 0) render(files);
        }
      },
    });
    $('ran').textContent = s.backend;
    const dir = await s.eval('import os, pytest\nos.path.join(os.path.dirname(os.path.dirname(pytest.__file__)), "wgpy_test")');
    const args = ['-p', 'no:cacheprovider', '-q', dir + (q.get('test_path') ? '/' + q.get('test_path').replace(/^\/+/, '') : '')];
    if (manifest.golden) args.push('--golden-in', `${dir}/golden.json`);
    if (s.backend !== 'cpu') {
      const r = await fetch(`../data/known_failures_${s.backend}.txt`);
      if (r.ok) {
        await s.writeFile(`${s.home}/known_failures.txt`, await r.text());
        args.push('--known-failures', `${s.home}/known_failures.txt`);
      }
    }
    args.push(...(q.get('args') || '').split(' ').filter(Boolean));
    setStatus('running', 'running pytest…');
    log(`pytest ${args.join(' ')}\n`);
    const r = await s.pytest(args);
    const tot = render(r.files || files);
    $('timing').textContent = `${r.seconds.toFixed(1)} s`;
    window.__wgpyTest = { backend: s.backend, exitCode: r.exitCode, counts: r.counts, table: tot, files: r.files };
    s.stop('done');
    setStatus(r.exitCode === 0 ? 'done' : 'failed', r.exitCode === 0 ? 'done: passed' : `failed (exit ${r.exitCode})`);
  } catch (e) {
    log(`\n${e.message || e}\n`, 'err');
    window.__wgpyTest = { error: String(e.message || e) };
    setStatus('error');
  } finally {
    $('run').disabled = false;
  }
}
$('run').onclick = test;
if (q.get('autorun') === '1') test();
