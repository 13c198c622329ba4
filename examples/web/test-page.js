// test-page.js — the browser test page's logic (examples/web/test.html).
//
// Driven by js/tests/browser/run-browser-tests.mjs through
//   await window.wgpyTestPage.run({ suites: ['probe', 'smoke', 'pytest'], pytestArgs: [...], ... })
// or by hand: open /examples/web/test.html?suite=smoke,pytest (served by `make serve`).
//
// Output goes to the page's <pre> and, when the driver has exposed them, to
//   window.__wgpyDriverOutput(chunks)   chunks: [[stream, text], ...] in order; stream is
//                                       'stdout' / 'stderr' (Python's) or 'host' (this page's)
// or, for drivers that cannot expose a function (W3C WebDriver: WebKit), appended to the array
// window.__wgpyDriverQueue when the driver has set one; the driver polls and empties it.
//
// where 'auto' (or backend 'auto' without where): the executor's place by capability detection
// (wgpy-main.js choosePath: JSPI in the worker, else SharedArrayBuffer on the page); the result's
// `path` says what was chosen and why.

import { WgpyWorker, choosePath, executorSpec, findWheels, listFiles, probeGPU } from '/js/src/browser/wgpy-main.js';

const HOME = '/home/pyodide';
const pre = document.getElementById('out');

// ---- output: the page's <pre>, and the driver (batched: one call per 30 ms) -------------------
let batch = [];
let timer = null;
let forwarded = Promise.resolve();
function flush() {
  timer = null;
  if (!batch.length) return;
  const chunks = batch;
  batch = [];
  if (typeof window.__wgpyDriverOutput === 'function') {
    forwarded = forwarded.then(() => window.__wgpyDriverOutput(chunks)).catch(() => {});
  } else if (Array.isArray(window.__wgpyDriverQueue)) {
    window.__wgpyDriverQueue.push(...chunks);
  }
}
function emit(stream, text) {
  if (pre && pre.textContent.length < 2e6) pre.textContent += stream === 'host' ? `[page] ${text}\n` : text;
  batch.push([stream, stream === 'host' ? text + '\n' : text]);
  if (!timer) timer = setTimeout(flush, 30);
}
async function drain() {
  clearTimeout(timer);
  flush();
  await forwarded;
}
const say = (text) => emit('host', text);

async function runSuites(opts) {
  const suites = opts.suites || ['probe', 'smoke', 'pytest'];
  let backend = opts.backend || 'cpu';
  let where = opts.where;
  const out = { ok: true, suites, backend, page: { crossOriginIsolated: globalThis.crossOriginIsolated === true } };
  say(`crossOriginIsolated (page) = ${out.page.crossOriginIsolated}`);
  if (where === 'auto' && backend !== 'cpu') {
    const p = await choosePath(backend);
    out.path = { backend: p.backend, where: p.where, reason: p.reason, passedOver: p.passedOver,
      workerJspi: p.worker?.jspi, pageJspi: p.page?.jspi };
    say(`path (${backend}, capability detection): ${p.backend}${p.where ? ` ${p.where === 'main' ? 'on the page' : 'in the worker'}` : ''}: ${p.reason}` +
      (p.passedOver?.length ? ` [passed over: ${p.passedOver.join('; ')}]` : ''));
    backend = p.backend;
    where = p.where || undefined;
    out.backend = backend;
  } else if (where === 'auto') {
    where = undefined;
  }

  const wheels = await findWheels();
  if (!wheels.wgpy) throw new Error('no wgpy wheel under /build/dist/ (make wheel)');
  const needPytest = suites.includes('pytest');
  if (needPytest && !wheels.pytest.some((u) => /\/pytest-[^/]*\.whl$/.test(u))) {
    throw new Error('no pytest wheel under /build/pywheels/ (scripts/setup.sh pywheels)');
  }
  const files = [
    { url: '/examples/hello.py', path: `${HOME}/examples/hello.py` },
    { url: '/examples/mandelbrot.py', path: `${HOME}/examples/mandelbrot.py` },
  ];
  if (needPytest) {
    for (const f of await listFiles('/python/tests/')) files.push({ url: f.url, path: `${HOME}/python/tests/${f.rel}` });
    files.push({ url: opts.golden || '/build/golden.json', path: `${HOME}/build/golden.json` });
  }

  let fatal = null;
  const w = new WgpyWorker({
    onOutput: emit,
    onLog: (t) => { if (opts.verbose) say(`worker: ${t}`); },
    onFatal: (m) => { fatal = m; say(`FATAL: ${m}`); },
  });
  try {
    const t0 = performance.now();
    // backend 'auto': the host chooses (webgpu, else webgl2, else cpu) and sets WGPY_BACKEND
    const env = { ...(backend === 'auto' ? {} : { WGPY_BACKEND: backend }), ...(opts.env || {}) };
    const info = await w.init({
      wheels: [wheels.wgpy, ...(needPytest ? wheels.pytest : [])],
      files,
      env,
      cwd: HOME,
      executor: executorSpec(backend, where || 'worker'),
    }, { timeoutMs: opts.initTimeoutMs || 120000 });
    out.worker = info;
    const tm = info.timings;
    say(`worker: Pyodide ${info.pyodideVersion} (Python ${info.python}), crossOriginIsolated (worker) = ` +
      `${info.crossOriginIsolated}, JSPI = ${info.jspi}; init ${(performance.now() - t0).toFixed(0)} ms ` +
      `(pyodide ${tm.pyodideMs.toFixed(0)}, wheels ${tm.wheelsMs.toFixed(0)}, ${tm.files} files ${tm.filesMs.toFixed(0)})`);
    if (info.executor) say(`executor: ${JSON.stringify(info.executor)}`);
    // the backend Python must report: the executor's (auto: what the host chose), else cpu
    out.expectedBackend = backend === 'auto' ? (info.executor?.backend || 'cpu') : backend;
    out.where = info.executor?.where || null;

    if (suites.includes('probe')) {
      const p = await w.probe({ timeoutMs: 60000 });
      out.probe = p;
      const g = p.webgpu, l = p.webgl2;
      say(`worker WebGPU: ${g.available ? `adapter ${JSON.stringify(g.adapterInfo)}, features [${g.features.join(', ')}], ` +
        `limits ${JSON.stringify(g.limits)}` : `unavailable: ${g.error}`}`);
      say(`worker WebGL2: ${l.available ? `${l.version}; renderer "${l.renderer}"; unmasked "${l.unmaskedRenderer}" ` +
        `(vendor "${l.unmaskedVendor}"); EXT_color_buffer_float ${l.colorBufferFloat}` : `unavailable: ${l.error}`}`);
      const pp = await probeGPU();
      out.pageProbe = { webgpu: pp.webgpu.available, webgl2: pp.webgl2.available };
      say(`page: WebGPU ${pp.webgpu.available ? 'available' : 'unavailable'}, WebGL2 ${pp.webgl2.available ? 'available' : 'unavailable'}`);
    }

    if (suites.includes('smoke')) {
      const name = await w.eval('import wgpy\nwgpy.get_backend_name()', { timeoutMs: 60000 });
      say(`wgpy.get_backend_name() = ${JSON.stringify(name)}`);
      out.backendName = name;
      say('running examples/hello.py');
      const r = await w.runScript(`${HOME}/examples/hello.py`, [], { timeoutMs: 60000, argv0: 'examples/hello.py' });
      out.smoke = { exitCode: r.exitCode, seconds: r.seconds, backendName: name };
      say(`examples/hello.py: exit ${r.exitCode} in ${(r.seconds * 1e3).toFixed(0)} ms`);
      if (r.exitCode !== 0 || name !== out.expectedBackend) out.ok = false;
    }

    if (suites.includes('code')) {
      say('running the given code');
      const r = await w.runCode(opts.code || '', [], { cwd: HOME, timeoutMs: opts.codeTimeoutMs || 0 });
      out.code = r;
      say(`code: exit ${r.exitCode} in ${(r.seconds * 1e3).toFixed(0)} ms`);
      if (r.exitCode !== 0) out.ok = false;
    }

    if (needPytest) {
      // The whole suite, unless the arguments name test files themselves (make test's -k runs pass
      // the files their -k selects from: collecting all of python/tests in Pyodide took 15-60 s).
      const given = opts.pytestArgs || [];
      const where = given.some((a) => a.startsWith('python/tests/')) ? [] : ['python/tests'];
      const args = ['-p', 'no:cacheprovider', ...where, '--golden-in', 'build/golden.json', ...given];
      say(`pytest ${args.join(' ')}`);
      const r = await w.pytest(args, { cwd: HOME, timeoutMs: opts.pytestTimeoutMs || 0 });
      out.pytest = r;
      say(`pytest: exit ${r.exitCode} in ${r.seconds.toFixed(1)} s: ${JSON.stringify(r.counts || {})}`);
      if (r.exitCode !== 0) out.ok = false;
    }
  } catch (e) {
    out.ok = false;
    out.error = fatal ? `worker died: ${fatal}` : String(e && e.message ? e.message : e);
    say(`ERROR: ${out.error}`);
  } finally {
    w.terminate('done');
  }
  return out;
}

async function run(opts = {}) {
  let out;
  try {
    out = await runSuites(opts);
  } catch (e) {
    out = { ok: false, error: String(e && e.message ? e.message : e) };
    say(`ERROR: ${out.error}`);
  }
  document.body.dataset.status = out.ok ? 'passed' : 'failed';
  await drain();
  window.__wgpyResult = out;
  return out;
}

window.wgpyTestPage = { run };

// By hand: ?suite=probe,smoke,pytest&backend=cpu&args=-x%20-k%20matmul  (suite 'code': &code=...)
const q = new URLSearchParams(location.search);
if (q.get('suite')) {
  run({
    suites: q.get('suite').split(','),
    backend: q.get('backend') || 'cpu',
    where: q.get('where') || undefined,
    pytestArgs: (q.get('args') || '').split(' ').filter(Boolean),
    code: q.get('code') || '',
    verbose: q.has('verbose'),
  });
} else {
  document.body.dataset.status = 'idle';
}
