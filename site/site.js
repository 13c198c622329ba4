// site.js — what every sample page shares: the backend selector, the parameters (with ?name=value
// overrides), the Run button (?autorun=1 runs at once), status, backend shown, progress bar,
// timings, the log; one worker per backend, kept between runs.  docs/site.md.
import { start, PythonError } from '../js/browser/wgpy-main.js';

export const q = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);

export function setStatus(s, text) {
  document.body.dataset.status = s;
  $('status').textContent = text || s;
}

export function log(text, cls) {
  const pre = $('log');
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  pre.appendChild(span);
  pre.scrollTop = pre.scrollHeight;
}

// The page's frame: header, controls (fields), status bar, results, log.
export function frame({ title, blurb, fields = [], extra = '' }) {
  document.title = `wgpy — ${title}`;
  const backend = q.get('backend') || 'auto';
  const inputs = fields.map((f) => {
    const v = q.get(f.id) ?? f.value;
    if (f.options) {
      return `<label>${f.label}<select id="f-${f.id}">${f.options.map((o) =>
        `<option${String(o) === String(v) ? ' selected' : ''}>${o}</option>`).join('')}</select></label>`;
    }
    return `<label>${f.label}<input id="f-${f.id}" value="${String(v).replace(/"/g, '&quot;')}" size="${f.size || 10}"></label>`;
  }).join('');
  document.body.innerHTML = `
<header><a href="../">wgpy</a> › ${title}</header>
<h1>${title}</h1><p>${blurb}</p>
<div class="controls">
  <label>backend<select id="backend">${['auto', 'webgpu', 'webgl2', 'cpu'].map((b) =>
    `<option${b === backend ? ' selected' : ''}>${b}</option>`).join('')}</select></label>
  ${inputs}
  <button id="run">Run</button>
</div>
<div class="bar">Status: <span id="status">idle</span> · backend: <b id="ran">–</b> ·
  <progress id="progress" max="1" value="0"></progress> <span id="ptext"></span> · <span id="timing"></span></div>
${extra}
<pre id="log"></pre>`;
  document.body.dataset.status = 'idle';
}

export const field = (id) => $(`f-${id}`).value;

let session = null;
let sessionKey = null;

// A worker for the selected backend (the one already running when it matches).
export async function getSession(opts = {}) {
  const backend = $('backend').value;
  const key = JSON.stringify([backend, opts.packages || [], !!opts.chainer, opts.packageIndex || '']);
  if (session && sessionKey === key) return session;
  if (session) session.stop('backend changed');
  session = null;
  setStatus('loading', `loading Pyodide and wgpy (${backend})…`);
  const t0 = performance.now();
  session = await start({
    backend,
    onStdout: (t) => log(t),
    onStderr: (t) => log(t, 'err'),
    onProgress: (f, t) => { $('progress').value = f; $('ptext').textContent = t || ''; },
    onEvent: (kind, data, buffer) => { if (handlers.event) handlers.event(kind, data, buffer); },
    ...opts,
  });
  sessionKey = key;
  $('ran').textContent = session.backend;
  log(`Pyodide ${session.info.pyodideVersion}, wgpy on ${session.backend} ` +
      `(${((performance.now() - t0) / 1000).toFixed(1)} s to start)\n`);
  return session;
}

const handlers = {};

// Runs the sample script (next to the page) with config; shows timings; returns pythonIO.result.
export async function runSample(script, config, { onEvent, sessionOpts, files = ['common.py'] } = {}) {
  handlers.event = onEvent;
  $('progress').value = 0;
  $('ptext').textContent = '';
  const s = await getSession(sessionOpts);
  for (const f of files) {
    const r = await fetch(f);
    if (r.ok) await s.writeFile(`${s.home}/${f}`, await r.text());
  }
  setStatus('running', `running ${script}…`);
  const t0 = performance.now();
  const r = await s.runFile(script, { config });
  const ms = performance.now() - t0;
  $('timing').textContent = `run ${ms.toFixed(0)} ms (Python ${(r.seconds * 1e3).toFixed(0)} ms)`;
  $('progress').value = 1;
  return r.result;
}

// Wires the Run button (and ?autorun=1) to fn; status ends 'done' or 'error'.
export function onRun(fn) {
  const go = async () => {
    $('run').disabled = true;
    try {
      await fn();
      setStatus('done');
    } catch (e) {
      const text = e instanceof PythonError ? e.traceback : (e && e.message) || String(e);
      log(`\n${text}\n`, 'err');
      setStatus(e && e.unavailable ? 'unavailable' : 'error', e && e.unavailable ? e.message : 'error');
    } finally {
      $('run').disabled = false;
    }
  };
  $('run').onclick = go;
  if (q.get('autorun') === '1') go();
}

// A results table: rows of objects, the given columns.
export function table(el, cols, rows) {
  el.innerHTML = `<table class="results"><tr>${cols.map((c) => `<th>${c[1]}</th>`).join('')}</tr>${
    rows.map((r) => `<tr>${cols.map((c) => `<td>${c[2] ? c[2](r[c[0]]) : r[c[0]]}</td>`).join('')}</tr>`).join('')}</table>`;
}

// uPlot (vendor/): small (50 kB), dependency-free, no build step, canvas charts.
let uplotLoaded = null;
export function loadUPlot() {
  if (!uplotLoaded) {
    uplotLoaded = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '../vendor/uPlot.min.css';
      document.head.appendChild(css);
      const s = document.createElement('script');
      s.src = '../vendor/uPlot.iife.min.js';
      // a script that throws while it runs still fires onload: check that it defined uPlot
      s.onload = () => (window.uPlot ? resolve(window.uPlot)
        : reject(new Error('vendor/uPlot.iife.min.js loaded but did not define uPlot in this browser')));
      s.onerror = () => reject(new Error('vendor/uPlot.iife.min.js did not load'));
      document.head.appendChild(s);
    });
  }
  return uplotLoaded;
}

// Draws packed RGBA (little-endian int32 per pixel) on a canvas.
export function drawRGBA(canvas, width, height, buffer) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  const img = new ImageData(new Uint8ClampedArray(buffer.buffer, buffer.byteOffset, width * height * 4), width, height);
  ctx.putImageData(img, 0, 0);
}
