// wgpy-main.js — the page side of wgpy's browser host.
//
//   import { WgpyWorker, findWheels, listFiles } from '/js/src/browser/wgpy-main.js';
//
//   const w = new WgpyWorker({ onOutput: (stream, text) => ..., onFatal: (msg) => ... });
//   const { wgpy, pytest } = await findWheels();          // URLs under /build/dist, /build/pywheels
//   const info = await w.init({ wheels: [wgpy], env: { WGPY_BACKEND: 'cpu' } });
//   await w.writeFile('/home/pyodide/x.py', 'print(1)');
//   const { exitCode } = await w.runScript('/home/pyodide/x.py', ['arg']);
//   await w.runCode('import wgpy; print(wgpy.get_backend_name())');
//   const name = await w.eval('import wgpy; wgpy.get_backend_name()');   // str() of the value
//   const { exitCode, counts } = await w.pytest(['-q', 'python/tests']);
//   const report = await w.probe();                       // WebGPU / WebGL2 / JSPI in the worker
//   w.terminate();
//
// The page must be cross-origin isolated (COOP same-origin + COEP require-corp: the dev server
// js/src/server/dev-server.mjs sends them) for the main-thread executor mode; the cpu backend and
// the in-worker executor work without.
//
// Failure handling: every request settles.  A request fails (rejects) when Python cannot run it;
// a Python exception inside a script is not a failure (the traceback goes to stderr and exitCode
// is 1).  When the worker dies (a Pyodide fatal error, an uncaught error, a script that fails to
// load) every pending and later request rejects with the reason and onFatal is called once.  A
// request given timeoutMs rejects after it and terminates the worker (a runaway Python loop
// cannot be interrupted otherwise).
//
// GPU executors (see wgpy-worker.js for the worker's half).  init({ executor }) with
//   { backend: 'webgpu' | 'webgl2', where: 'worker', module, exportName }   (executorSpec makes it)
//       the executor runs in the worker.  webgpu's run() returns a Promise: Python waits on it
//       through JSPI (run_sync).  webgl2's run() is synchronous (readPixels): no JSPI needed.
//   { backend, where: 'main', module, exportName, timeoutMs }
//       the device and the executor live on this page; the worker blocks in Atomics.wait while
//       this page runs each chunk (exec-channel.mjs); no JSPI needed.  Or pass `instance`: an
//       executor object already built with `w.heapGetter()` as its getHeap, instead of
//       module/exportName.
//   { backend: 'auto', where, executors }  (executorSpec('auto', where))
//       docs/webgl2.md's choice: webgpu when an adapter gives a device (in the worker for
//       where 'worker', on this page for 'main'), else webgl2, else cpu (no executor).  The
//       report of init() says which (executor.backend; null executor for cpu).
// WGPY_BACKEND in init's env, when given, is what Python uses (it must be an executor the host
// opened, or cpu); without it Python uses the executor's backend.
// An executor is any object with  run(ptr, nbytes) -> null | errorMessage | Promise of either,
// that reads the command stream at heap[ptr, ptr + nbytes) and writes READ results into the same
// heap, where the heap comes from the getHeap() it was constructed with: new Executor(device,
// getHeap).

import { openBackendDevice, probeGPU, maxBindings } from './gpu-devices.js';
import { serveExec } from './exec-channel.mjs';

export { probeGPU };

const DEFAULT_WORKER_URL = new URL('./wgpy-worker.js', import.meta.url);

// Where each backend's executor lives (module URL, export).  A new executor is one line here.
export const EXECUTORS = {
  webgpu: { module: new URL('../webgpu/executor.mjs', import.meta.url).href, exportName: 'WebGPUExecutor' },
  webgl2: { module: new URL('../webgl2/executor.mjs', import.meta.url).href, exportName: 'WebGL2Executor' },
};

// init()'s executor option for a backend: null for cpu (the engine runs kernels itself); 'auto'
// picks webgpu, else webgl2, else cpu where the executor would run.
// where: 'worker' (default) or 'main' (this page; SharedArrayBuffer + Atomics.wait).
// options: the executor's constructor options where it runs in the worker (webgpu: reduceShape).
export function executorSpec(backend, where = 'worker', options = undefined) {
  if (!backend || backend === 'cpu') return null;
  if (where !== 'worker' && where !== 'main') throw new WgpyError(`executor where: 'worker' or 'main', not ${where}`);
  if (backend === 'auto') return { backend, where, executors: EXECUTORS, ...(options ? { options } : {}) };
  const e = EXECUTORS[backend];
  if (!e) throw new WgpyError(`backend '${backend}': no executor in the browser host (have: auto, cpu, ${Object.keys(EXECUTORS).join(', ')})`);
  return { backend, where, module: e.module, exportName: e.exportName, ...(options ? { options } : {}) };
}

export class WgpyError extends Error {}

// What a module worker of this page offers (probe-worker.js): probeGPU()'s report.
export function probeWorker({ timeoutMs = 30000 } = {}) {
  return new Promise((resolve) => {
    let w;
    const done = (r) => { clearTimeout(timer); try { w?.terminate(); } catch { /* gone */ } resolve(r); };
    const timer = setTimeout(() => done({ error: `the probe worker did not answer in ${timeoutMs} ms` }), timeoutMs);
    try {
      w = new Worker(new URL('./probe-worker.js', import.meta.url), { type: 'module', name: 'wgpy-probe' });
    } catch (e) {
      done({ error: `module workers: ${e && e.message ? e.message : e}` });
      return;
    }
    w.onmessage = (ev) => done(ev.data);
    w.onerror = (ev) => { ev.preventDefault?.(); done({ error: `probe worker: ${ev.message || 'failed to load'}` }); };
  });
}

// Where wgpy's executor runs on this engine, by capability detection (docs/browsers.md):
//   webgpu  in the worker when a worker has an adapter and JSPI (Python waits on the GPU's
//           promises through run_sync); else on the page when it has an adapter and is
//           cross-origin isolated (SharedArrayBuffer + Atomics.wait readback); else an error.
//   webgl2  in the worker when a worker opens a WebGL2 context (readPixels is synchronous: no
//           JSPI needed); else on the page (SharedArrayBuffer readback); else an error.
//   auto    webgpu, else webgl2, else cpu, each by the rules above.
//   cpu     no executor.
// Resolves { backend, where, reason, worker, page } (the probes' reports); rejects with a
// WgpyError naming what is missing when the asked backend has no path here.
export async function choosePath(backend = 'auto') {
  if (!backend || backend === 'cpu') return { backend: 'cpu', where: null, reason: 'cpu: no executor' };
  const worker = await probeWorker();
  let page = null;
  const pageProbe = async () => (page = page || await probeGPU());
  const isolated = globalThis.crossOriginIsolated === true;
  const why = [];
  const tryOne = async (b) => {
    const wOk = worker[b]?.available === true;
    if (b === 'webgpu') {
      if (wOk && worker.jspi) return { backend: b, where: 'worker', reason: 'WebGPU adapter in the worker, JSPI readback' };
      why.push(`webgpu in the worker: ${!wOk ? `no adapter (${worker.webgpu?.error || worker.error || '?'})` : 'no JSPI'}`);
    } else {
      if (wOk) return { backend: b, where: 'worker', reason: 'WebGL2 in the worker, synchronous readPixels' };
      why.push(`webgl2 in the worker: ${worker.webgl2?.error || worker.error || 'unavailable'}`);
    }
    if (!isolated) { why.push(`${b} on the page: not cross-origin isolated (no SharedArrayBuffer; serve with COOP/COEP)`); return null; }
    const p = await pageProbe();
    if (p[b]?.available) return { backend: b, where: 'main', reason: `${b === 'webgpu' ? 'WebGPU adapter' : 'WebGL2'} on the page, SharedArrayBuffer + Atomics.wait readback` };
    why.push(`${b} on the page: ${p[b]?.error || 'unavailable'}`);
    return null;
  };
  const order = backend === 'auto' ? ['webgpu', 'webgl2'] : [backend];
  if (!order.every((b) => EXECUTORS[b])) throw new WgpyError(`backend '${backend}': no executor in the browser host`);
  for (const b of order) {
    const r = await tryOne(b);
    if (r) return { ...r, worker, page, passedOver: why };
  }
  if (backend === 'auto') return { backend: 'cpu', where: null, reason: `no GPU path: ${why.join('; ')}`, worker, page, passedOver: why };
  throw new WgpyError(`backend '${backend}' has no path in this browser: ${why.join('; ')}`);
}

export class WgpyWorker {
  // workerType 'classic': workerURL is a classic worker script that calls
  // importScripts('.../wgpy-worker.js') (dist/wgpy-worker.js, the seed's loading model)
  constructor({ workerURL = DEFAULT_WORKER_URL, workerType = 'module', onOutput = null, onLog = null, onFatal = null } = {}) {
    this.onOutput = onOutput || ((stream, text) => (stream === 'stderr' ? console.error : console.log)(text));
    this.onLog = onLog || (() => {});
    this.onFatal = onFatal || ((msg) => console.error(`wgpy worker: ${msg}`));
    this.onEvent = null;   // (kind, data, buffer): pythonIO.emit's events (wgpy_host)
    this.pending = new Map();
    this.nextId = 1;
    this.dead = null;
    this.mainExecutor = null;
    this.worker = new Worker(workerURL || DEFAULT_WORKER_URL, { type: workerType === 'classic' ? 'classic' : 'module', name: 'wgpy' });
    this.worker.onmessage = (ev) => this._onMessage(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault?.();
      const where = ev.filename ? ` (${ev.filename}:${ev.lineno})` : '';
      this._die(`worker error: ${ev.message || 'the worker script failed to load or threw'}${where}`);
    };
    this.worker.onmessageerror = () => this._die('worker message could not be deserialized');
  }

  _onMessage(msg) {
    switch (msg.type) {
      case 'output': this.onOutput(msg.stream, msg.text); break;
      case 'log': this.onLog(msg.text); break;
      case 'event': if (this.onEvent) this.onEvent(msg.kind, msg.data, msg.buffer); break;
      case 'fatal': this._die(msg.error); break;
      case 'exec': this._exec(msg); break;
      case 'result': {
        const p = this.pending.get(msg.id);
        if (!p) break;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.value);
        else p.reject(new WgpyError(msg.error));
        break;
      }
      default: this.onLog(`unknown message from the worker: ${JSON.stringify(msg).slice(0, 200)}`);
    }
  }

  async _exec(msg) {
    const me = this.mainExecutor;
    if (!me) {
      // Nobody to run it: reply with an error so the worker does not wait for its timeout.
      await serveExec(msg, msg.ctrl, async () => `${msg.backend}: no executor on the page`);
      return;
    }
    await serveExec(msg, msg.ctrl, async (heap, n) => {
      me.heap = heap;
      try {
        return await me.executor.run(0, n);
      } finally {
        me.heap = null;
      }
    });
  }

  // The worker is gone: fail what is pending.  onFatal only for deaths nobody asked for.
  _die(reason, { expected = false } = {}) {
    if (this.dead) return;
    this.dead = String(reason);
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new WgpyError(`wgpy worker died: ${this.dead}`));
    }
    this.pending.clear();
    if (!expected) {
      try { this.onFatal(this.dead); } catch { /* the callback's own problem */ }
    }
  }

  request(msg, { timeoutMs = 0, transfer = [] } = {}) {
    if (this.dead) return Promise.reject(new WgpyError(`wgpy worker died: ${this.dead}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, timer: null };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new WgpyError(`wgpy worker: '${msg.type}' timed out after ${timeoutMs} ms`));
          this.worker.terminate();
          this._die(`'${msg.type}' timed out after ${timeoutMs} ms (worker terminated)`);
        }, timeoutMs);
      }
      this.pending.set(id, p);
      this.worker.postMessage({ ...msg, id }, transfer);
    });
  }

  // options: see wgpy-worker.js (INIT).  Resolves to the worker's report: pyodideVersion,
  // python, crossOriginIsolated, jspi, env, executor, timings.
  async init(options = {}, { timeoutMs = 0 } = {}) {
    const opts = { ...options };
    let tried = null;
    if (opts.executor && opts.executor.where === 'main') {
      opts.executor = await this._setupMainExecutor(opts.executor);
      if (opts.executor && opts.executor.tried) tried = opts.executor.tried;
      if (opts.executor && opts.executor.backend === 'cpu') opts.executor = null; // auto chose cpu
    }
    const info = await this.request({ type: 'init', options: opts }, { timeoutMs });
    if (tried && info.executor) info.executor.tried = tried;
    return info;
  }

  async _setupMainExecutor(ex) {
    if (!globalThis.crossOriginIsolated) {
      throw new WgpyError('executor.where = "main" needs SharedArrayBuffer: serve the page with ' +
        'COOP same-origin and COEP require-corp (js/src/server/dev-server.mjs does)');
    }
    const ctrl = new SharedArrayBuffer(16);
    const me = { ctrl, heap: null, executor: null };
    const getHeap = () => me.heap;
    let adapterInfo = {}, features = [], backend = ex.backend, tried, bindings = 0, wgStorage = 0, wgInvocations = 0, subgroups;
    if (ex.instance) {
      me.executor = ex.instance;
    } else {
      let device;
      try {
        ({ backend, device, adapterInfo, features, tried, subgroups } = await openBackendDevice(ex.backend));
      } catch (e) {
        throw new WgpyError(`executor: ${e.message || e} (on the page)`);
      }
      if (backend === 'cpu') return { backend, where: 'main', tried }; // auto: no GPU here
      const spec = ex.backend === 'auto' ? ex.executors[backend] : ex;
      const mod = await import(new URL(spec.module, location.href).href);
      const Cls = mod[spec.exportName || 'default'];
      if (typeof Cls !== 'function') throw new WgpyError(`executor: ${spec.module} exports no ${spec.exportName || 'default'}`);
      me.executor = new Cls(device, getHeap);
      bindings = maxBindings(backend, device);
      wgStorage = backend === 'webgpu' ? device.limits.maxComputeWorkgroupStorageSize : 0;
      wgInvocations = backend === 'webgpu' ? device.limits.maxComputeInvocationsPerWorkgroup : 0;
    }
    this.mainExecutor = me;
    // cpuLike: a CPU implementation of the API (SwiftShader), which the engine's shape choices
    // (the tile scan, the blocked factorizations' kernels) need to know, as in the worker
    return { backend, where: 'main', ctrl, timeoutMs: ex.timeoutMs, adapterInfo, features, tried,
             maxBindings: bindings, cpuLike: !!me.executor?.cpuLike, wgStorage, wgInvocations, subgroups };
  }

  // For executors built by the caller (init({ executor: { where: 'main', instance } })): the heap
  // getter to construct them with.  Valid only while a chunk runs.
  heapGetter() {
    return () => this.mainExecutor?.heap ?? null;
  }

  run(spec, opts) { return this.request({ type: 'run', ...spec }, opts); }
  runScript(path, args = [], opts = {}) {
    return this.run({ mode: 'script', target: path, args, cwd: opts.cwd, argv0: opts.argv0 }, opts);
  }
  runCode(code, args = [], opts = {}) { return this.run({ mode: 'code', target: code, args, cwd: opts.cwd }, opts); }
  runModule(name, args = [], opts = {}) { return this.run({ mode: 'module', target: name, args, cwd: opts.cwd }, opts); }
  pytest(args = [], opts = {}) { return this.run({ mode: 'pytest', args, cwd: opts.cwd }, opts); }
  eval(code, opts) { return this.request({ type: 'eval', code }, opts); }
  writeFile(path, data, opts) { return this.request({ type: 'writeFile', path, data }, opts); }
  readFile(path, encoding, opts) { return this.request({ type: 'readFile', path, encoding }, opts); }
  probe(opts) { return this.request({ type: 'probe' }, opts); }

  terminate(reason = 'terminated') {
    this.worker.terminate();
    this._die(reason, { expected: true });
  }
}

// ---- finding what to load (the dev server's directory listings) -------------------------------

// Files under a served directory, recursively: [{ url, rel }].
export async function listFiles(dirURL) {
  const base = new URL(dirURL.endsWith('/') ? dirURL : dirURL + '/', location.href);
  const r = await fetch(new URL('?list=r', base));
  if (!r.ok) throw new WgpyError(`listing ${base.pathname}: HTTP ${r.status} (is this the wgpy dev server?)`);
  const { files } = await r.json();
  return files.map((rel) => ({ url: new URL(rel, base).href, rel }));
}

async function listDir(dirURL) {
  const base = new URL(dirURL, location.href);
  const r = await fetch(new URL('?list', base));
  if (!r.ok) return [];
  return (await r.json()).entries.map((e) => ({ ...e, url: new URL(e.name, base).href }));
}

// The wgpy wheel (newest build/dist/wgpy-*.whl) and pytest's wheels (build/pywheels/*.whl).
export async function findWheels(root = '/') {
  const dist = (await listDir(new URL('build/dist/', new URL(root, location.href)).href))
    .filter((e) => /^wgpy-.*\.whl$/.test(e.name))
    .sort((a, b) => (a.mtime ?? 0) - (b.mtime ?? 0));
  const py = (await listDir(new URL('build/pywheels/', new URL(root, location.href)).href))
    .filter((e) => e.name.endsWith('.whl'));
  return { wgpy: dist.length ? dist[dist.length - 1].url : null, pytest: py.map((e) => e.url) };
}

// ---- the page API (README "The page API"; docs/site.md) ----------------------------------------
//
//   const py = await start({ backend: 'auto', onStdout: (t) => log(t), onStderr: (t) => log(t) });
//   py.backend                                   // 'webgpu' | 'webgl2' | 'cpu': what runs
//   const { result } = await py.run(`import pythonIO, wgpy as wp
//   pythonIO.result = (wp.asarray(pythonIO.config) * 2).tolist()`, { config: [[1, 2], [3, 0.4]] });
//   await py.runFile('samples/hello.py', { config });   // fetched, then run as a script
//   py.stop();
//
// A Python exception rejects the promise with a PythonError whose message is the traceback.
// The built site's manifest.json (npm run build) says where the wheels are; baseURL is the
// directory that holds it (default: two levels above this module, dist/).

export class PythonError extends WgpyError {
  constructor(traceback, summary) {
    super(traceback);
    this.name = 'PythonError';
    this.traceback = traceback;
    this.summary = summary;
  }
}

const DEFAULT_BASE = new URL('../../', import.meta.url).href;

export async function loadManifest(baseURL = DEFAULT_BASE) {
  const url = new URL('manifest.json', baseURL);
  const r = await fetch(url);
  if (!r.ok) throw new WgpyError(`${url}: HTTP ${r.status} (npm run build writes it)`);
  return r.json();
}

class Session {
  constructor(worker, info, manifest, baseURL, opts) {
    this.worker = worker;
    this.info = info;
    this.manifest = manifest;
    this.baseURL = baseURL;
    this.backend = info.executor ? info.executor.backend : 'cpu';
    this.home = '/home/pyodide';
    this._opts = opts;
  }

  async _check(r, what) {
    if (r.exitCode !== 0) {
      throw new PythonError(r.error || `${what} exited with status ${r.exitCode}`, r);
    }
    return r;
  }

  // Runs Python source; resolves { result, exitCode, seconds, ... }; config is pythonIO.config.
  async run(code, { config, args = [], timeoutMs = 0 } = {}) {
    const r = await this.worker.run({ mode: 'code', target: code, args, cwd: this.home, config }, { timeoutMs });
    return this._check(r, 'code');
  }

  // Fetches url (relative to the page), writes it into Pyodide's FS and runs it as a script.
  async runFile(url, { config, args = [], timeoutMs = 0 } = {}) {
    const abs = new URL(url, location.href);
    const r0 = await fetch(abs);
    if (!r0.ok) throw new WgpyError(`${abs}: HTTP ${r0.status}`);
    const name = abs.pathname.slice(abs.pathname.lastIndexOf('/') + 1) || 'main.py';
    const path = `${this.home}/${name}`;
    await this.worker.writeFile(path, await r0.text());
    const r = await this.worker.run({ mode: 'script', target: path, args, cwd: this.home, argv0: name, config }, { timeoutMs });
    return this._check(r, name);
  }

  // pytest over the wgpy_test wheel's suite (start({ tests: true })): resolves pytest's summary
  // ({ exitCode, counts, files }); failing tests do not reject.
  async pytest(args = [], { timeoutMs = 0 } = {}) {
    return this.worker.pytest(args, { cwd: this.home, timeoutMs });
  }

  eval(code, opts) { return this.worker.eval(code, opts); }
  writeFile(path, data, opts) { return this.worker.writeFile(path, data, opts); }
  readFile(path, encoding, opts) { return this.worker.readFile(path, encoding, opts); }
  stop(reason = 'stopped') { this.worker.terminate(reason); }
}

// Starts a worker with Pyodide and wgpy.  Options:
//   backend     'auto' (webgpu, else webgl2, else cpu) | 'webgpu' | 'webgl2' | 'cpu'
//   where       'worker' (default; no SharedArrayBuffer needed) | 'main' (cross-origin isolated) |
//               'auto' (choosePath: the worker where it can read back, else the page; docs/browsers.md)
//   onStdout(text), onStderr(text), onEvent(kind, data, buffer), onProgress(fraction, text)
//   tests       also install pytest and the wgpy_test wheel (the test page)
//   chainer     also install the Chainer wheel
//   packages    Pyodide packages (e.g. ['numpy']) loaded from packageIndex (a Pyodide
//               distribution's URL, e.g. https://cdn.jsdelivr.net/pyodide/v0.29.0/full/)
//   baseURL     the built site's root (manifest.json, pyodide/, wheels/)
//   workerURL   another worker script; workerType 'classic' for one that importScripts wgpy-worker.js
//   env         extra environment variables for Python
export async function start(opts = {}) {
  const baseURL = new URL(opts.baseURL || DEFAULT_BASE, location.href).href;
  const manifest = opts.manifest || await loadManifest(baseURL);
  let backend = opts.backend || 'auto';
  let where = opts.where || 'worker';
  if (where === 'auto') {   // capability detection (choosePath): the worker, else the page
    const p = await choosePath(backend);
    backend = p.backend;
    where = p.where || 'worker';
  }
  const onStdout = opts.onStdout || ((t) => console.log(t));
  const onStderr = opts.onStderr || ((t) => console.error(t));
  const worker = new WgpyWorker({
    workerURL: opts.workerURL,
    workerType: opts.workerType,
    onOutput: (stream, text) => (stream === 'stderr' ? onStderr : onStdout)(text),
    onLog: opts.onLog,
    onFatal: opts.onFatal || ((m) => onStderr(`wgpy worker died: ${m}\n`)),
  });
  worker.onEvent = (kind, data, buffer) => {
    if (kind === 'progress' && opts.onProgress) opts.onProgress(data.fraction, data.text);
    if (opts.onEvent) opts.onEvent(kind, data, buffer);
  };
  const rel = (u) => new URL(u, baseURL).href;
  const wheels = [rel(manifest.wheels.wgpy)];
  if (opts.tests) {
    if (!manifest.wheels.wgpy_test) throw new WgpyError('no wgpy_test wheel in this build (npm run build:test)');
    wheels.push(rel(manifest.wheels.wgpy_test), ...manifest.wheels.pytest.map(rel));
  }
  if (opts.chainer) {
    if (!manifest.wheels.chainer) throw new WgpyError('no Chainer wheel in this build (make chainer-wheel, then npm run build)');
    wheels.push(rel(manifest.wheels.chainer));
  }
  try {
    const info = await worker.init({
      indexURL: rel(manifest.pyodide || 'pyodide/'),
      wheels,
      packages: opts.packages || [],
      packageIndex: opts.packageIndex,
      env: { ...(backend === 'auto' ? {} : { WGPY_BACKEND: backend }), ...(opts.env || {}) },
      executor: executorSpec(backend, where),
      cwd: '/home/pyodide',
    }, { timeoutMs: opts.timeoutMs || 0 });
    return new Session(worker, info, manifest, baseURL, opts);
  } catch (e) {
    worker.terminate('start failed');
    throw e;
  }
}
