// wgpy-worker.js — the Web Worker (type: 'module') that runs Python with wgpy in the browser.
//
// It loads Pyodide from the dev server (node_modules/pyodide; no CDN), installs the wgpy wheel
// (and, for pytest, the pure-Python wheels of build/pywheels), writes the files it is given into
// Pyodide's filesystem, and runs Python on request.  Python's stdout/stderr come back to the page as
// messages.  The page side is wgpy-main.js (WgpyWorker); use that rather than this protocol.
//
// Protocol (every request carries an id; every request gets exactly one 'result' with that id):
//
//   page -> worker
//     { type: 'init', id, options }        options: see INIT below
//     { type: 'run', id, mode, target, args, cwd, argv0, config }
//           mode 'script' (target: a path in Pyodide's FS), 'code' (target: source),
//           'module' (target: a module name), 'pytest' (args: pytest's arguments).
//           config: any JSON value, Python's pythonIO.config (python/wgpy_host)
//           value: { exitCode, seconds, error, result, counts?, files? }  (wgpy_host.main):
//           error: the traceback of an uncaught exception (else null); result: pythonIO.result;
//           counts (pytest): passed, failed, skipped, error, xfailed, xpassed, deselected,
//           warnings — pytest's own tally; files: { file: { outcome: n } }.
//     { type: 'eval', id, code }           runs code; value: str() of the last expression (or null)
//     { type: 'writeFile', id, path, data }  data: string or Uint8Array; parents are created
//     { type: 'readFile', id, path, encoding }  value: string (encoding 'utf8') or Uint8Array
//     { type: 'probe', id }                value: probeGPU() of this worker (gpu-devices.js)
//
//   worker -> page
//     { type: 'result', id, ok: true, value } | { type: 'result', id, ok: false, error }
//     { type: 'output', stream: 'stdout' | 'stderr', text }     Python's output, as written
//     { type: 'event', kind, data, buffer? }  pythonIO.emit(kind, data, buffer) / progress(), and
//                                           pytest's 'collected' and 'test' outcomes
//     { type: 'log', text }                 host diagnostics (package loading, timings)
//     { type: 'fatal', error }              the worker is unusable (Pyodide fatal error, an
//                                           uncaught error): every later request fails
//     { type: 'exec', ... }                 a command-stream chunk for the page's executor
//                                           (executor.where = 'main'; exec-channel.mjs)
//
// INIT options:
//   indexURL   Pyodide's directory URL (default: /node_modules/pyodide/ on this origin)
//   wheels     wheel URLs to install with pyodide.loadPackage (the wgpy wheel, pytest's wheels)
//   packages   Pyodide package names (e.g. ['numpy']), with their dependencies, fetched from
//   packageIndex  (a Pyodide distribution's URL; default indexURL) as the lockfile names them
//   files      [{ url, path }]: fetched and written into Pyodide's FS at path (absolute)
//   env        environment variables for Python's os.environ (WGPY_BACKEND, WGPY_ENABLE_X64, ...)
//   cwd        Python's working directory (created; default /home/pyodide)
//   sysPath    directories put first on sys.path
//   executor   null (cpu backend: the engine runs kernels itself), or
//              { backend: 'webgpu' | 'webgl2', where: 'worker', module: URL, exportName }
//                  the executor lives here: the worker opens the device (gpu-devices.js: a
//                  WebGPU device, or a WebGL2 context on an OffscreenCanvas), imports module,
//                  constructs new module[exportName](device, getHeap), and registers it for
//                  Python as the module `_wgpy_<backend>` with run(ptr, n) -> null | message
//                  (webgl2: synchronous) or a Promise of it (webgpu: Python waits with
//                  pyodide.ffi.run_sync, JSPI: Chromium has it in workers).
//              { backend: 'auto', where: 'worker', executors: { name: { module, exportName } } }
//                  webgpu if an adapter gives a device here, else webgl2, else cpu (no module
//                  registered); the report's executor.backend says which.
//              { backend, where: 'main', ctrl: SharedArrayBuffer(16), timeoutMs }
//                  the executor lives on the page (wgpy-main.js builds it); `_wgpy_<backend>`.run
//                  ships the chunk there and blocks in Atomics.wait until the page replies, and
//                  returns the message directly (no JSPI needed).
//              In both modes `_wgpy_<backend>` also has run_blocking(ptr, n) (main mode only),
//              stats() (JSON), adapter (JSON), features (comma-separated), where ('worker' |
//              'main').
//              WGPY_BACKEND defaults to the executor's backend (cpu when auto found no GPU).

import { probeGPU, openBackendDevice, maxBindings } from './gpu-devices.js';
import { ExecClient } from './exec-channel.mjs';

let pyodide = null;
let dead = null;          // the fatal error message, once there is one
let busy = false;         // Python is running: requests queue
const queue = [];
const timings = {};

const post = (msg, transfer) => self.postMessage(msg, transfer || []);
const log = (text) => post({ type: 'log', text });
const errText = (e) => (e && e.stack ? String(e.stack) : String(e));

function fatal(error) {
  if (dead) return;
  dead = String(error);
  post({ type: 'fatal', error: dead });
}

// Reported here (with a message the page can show) instead of as a bare worker error event.
self.addEventListener('error', (ev) => {
  ev.preventDefault();
  const e = ev.error;
  const why = e && e.pyodide_fatal_error ? 'Pyodide fatal error' : 'uncaught error in the worker';
  fatal(`${why}: ${e ? errText(e) : ev.message} (${ev.filename || '?'}:${ev.lineno || '?'})`);
});
self.addEventListener('unhandledrejection', (ev) => {
  ev.preventDefault();
  const e = ev.reason;
  fatal(`${e && e.pyodide_fatal_error ? 'Pyodide fatal error' : 'unhandled rejection in the worker'}: ${errText(e)}`);
});

// Output: Python's writes, decoded as UTF-8 across write boundaries, posted as they come (Python
// runs synchronously here, so nothing could flush a buffer later).
function outputSink(stream) {
  const dec = new TextDecoder('utf-8');
  return {
    write(buf) {
      const text = dec.decode(buf, { stream: true });
      if (text) post({ type: 'output', stream, text });
      return buf.length;
    },
    isatty: false,
  };
}

// The Python side is wgpy_host.main (python/wgpy_host, in the wgpy wheel): the same driver as
// the Node runner's.  Its events (pythonIO.emit/progress, pytest's per-test outcomes) come here.
function emitEvent(kind, json, buffer) {
  let data = null;
  try { data = JSON.parse(json); } catch { data = json; }
  const msg = { type: 'event', kind, data };
  const transfer = [];
  if (buffer && buffer.buffer) {
    msg.buffer = buffer;
    transfer.push(buffer.buffer);
  }
  post(msg, transfer);
}

// ---- executors -------------------------------------------------------------------------------
// Opens the executor before Python starts (so that WGPY_BACKEND can name the backend 'auto'
// chose); init() registers it for Python as _wgpy_<backend> afterwards.  backend 'cpu' when auto found no GPU.
async function openExecutor(ex) {
  const backend = ex.backend;
  if (!/^[a-z0-9_]+$/.test(backend || '')) throw new Error(`executor: bad backend name ${backend}`);
  const getHeap = () => pyodide._module.HEAPU8;
  if (ex.where === 'main') {
    if (!(ex.ctrl instanceof SharedArrayBuffer)) throw new Error('executor (main): ctrl must be a SharedArrayBuffer (is the page crossOriginIsolated?)');
    const client = new ExecClient({ backend, ctrl: ex.ctrl, post, getHeap, timeoutMs: ex.timeoutMs || 120000 });
    return {
      backend,
      report: { backend, where: 'main', adapterInfo: ex.adapterInfo || null, ...(ex.tried ? { tried: ex.tried } : {}) },
      impl: {
        where: 'main',
        run: (ptr, n) => client.runBlocking(ptr, n),
        run_blocking: (ptr, n) => client.runBlocking(ptr, n),
        stats: () => JSON.stringify(client.stats),
        adapter: JSON.stringify(ex.adapterInfo || {}),
        features: (ex.features || []).join(','),
        max_bindings: ex.maxBindings || 0,
        cpu_like: !!ex.cpuLike, // the page's executor on a CPU implementation: wg_set_adapter_class
        wg_storage: ex.wgStorage || 0, // workgroup memory: wg_set_workgroup_storage
        wg_invocations: ex.wgInvocations || 0, // threads a workgroup: wg_set_workgroup_invocations
        ...(ex.subgroups ? { subgroups: ex.subgroups } : {}), // wg_set_subgroups
      },
    };
  }
  // In the worker: open the device here, import the executor.
  const opened = await openBackendDevice(backend);
  const { device, adapterInfo, features, tried } = opened;
  if (opened.backend === 'cpu') return { backend: 'cpu', report: null, impl: null, tried };
  const spec = backend === 'auto' ? ex.executors[opened.backend] : ex;
  const mod = await import(new URL(spec.module, self.location.href).href);
  const Cls = mod[spec.exportName || 'default'];
  if (typeof Cls !== 'function') throw new Error(`executor: ${spec.module} exports no ${spec.exportName || 'default'}`);
  const executor = new Cls(device, getHeap, ex.options || {}); // options: executorSpec's (e.g. reduceShape)
  const name = opened.backend;
  return {
    backend: name,
    report: { backend: name, where: 'worker', adapterInfo, features, ...(tried ? { tried } : {}) },
    impl: {
      where: 'worker',
      run: (ptr, n) => executor.run(Number(ptr), Number(n)),
      // run ahead (webgpu): submit without waiting; absent where the executor cannot
      ...(typeof executor.enqueue === 'function' ? { enqueue: (ptr, n) => executor.enqueue(Number(ptr), Number(n)) } : {}),
      run_blocking: () => { throw new Error(`${name}: run_blocking needs executor.where = 'main'`); },
      stats: () => JSON.stringify(executor.stats || {}),
      adapter: JSON.stringify(adapterInfo),
      features: features.join(','),
      // storage buffers (webgpu) or texture units (webgl2) one kernel may bind: the engine keeps
      // fused kernels within it (python/wgpy/_lib.py)
      max_bindings: maxBindings(name, device),
      cpu_like: !!executor.cpuLike, // a CPU implementation (SwiftShader): wg_set_adapter_class
      wg_storage: name === 'webgpu' ? device.limits.maxComputeWorkgroupStorageSize : 0, // wg_set_workgroup_storage
      wg_invocations: name === 'webgpu' ? device.limits.maxComputeInvocationsPerWorkgroup : 0, // wg_set_workgroup_invocations
      ...(name === 'webgpu' && opened.subgroups ? { subgroups: opened.subgroups } : {}), // wg_set_subgroups
    },
  };
}


// ---- requests --------------------------------------------------------------------------------
async function writeFile(path, data) {
  const dir = path.slice(0, path.lastIndexOf('/'));
  if (dir) pyodide.FS.mkdirTree(dir);
  pyodide.FS.writeFile(path, data);
}

async function fetchBytes(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`fetch ${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function init(options = {}) {
  if (pyodide) throw new Error('init: already initialized');
  const t0 = performance.now();
  const indexURL = new URL(options.indexURL || '/node_modules/pyodide/', self.location.href).href;
  const { loadPyodide } = await import(indexURL + 'pyodide.mjs');
  const env = { ...(options.env || {}) };
  let opened = null;
  if (options.executor) {
    const te = performance.now();
    opened = await openExecutor(options.executor);
    timings.executorMs = performance.now() - te;
  }
  if (!env.WGPY_BACKEND) env.WGPY_BACKEND = opened ? opened.backend : 'cpu';
  pyodide = await loadPyodide({
    indexURL,
    env: { HOME: '/home/pyodide', ...env },
    stdout: (s) => post({ type: 'output', stream: 'stdout', text: s + '\n' }),
    stderr: (s) => post({ type: 'output', stream: 'stderr', text: s + '\n' }),
  });
  pyodide.setStdout(outputSink('stdout'));
  pyodide.setStderr(outputSink('stderr'));
  timings.pyodideMs = performance.now() - t0;

  const t1 = performance.now();
  const wheels = (options.wheels || []).map((u) => new URL(u, self.location.href).href);
  if (wheels.length) {
    const errors = [];
    await pyodide.loadPackage(wheels, {
      messageCallback: (m) => log(m),
      errorCallback: (m) => errors.push(m),
      checkIntegrity: false,
    });
    if (errors.length) throw new Error(`installing packages failed:\n  ${errors.join('\n  ')}`);
  }
  timings.wheelsMs = performance.now() - t1;

  // Pyodide packages by name (numpy for the MNIST samples), from a configurable index: the
  // lockfile next to pyodide.mjs names each file; packageIndex says where the files are.
  const names = options.packages || [];
  if (names.length) {
    const index = new URL(options.packageIndex || indexURL, self.location.href).href.replace(/\/?$/, '/');
    const r = await fetch(indexURL + 'pyodide-lock.json');
    if (!r.ok) throw new Error(`packages: ${indexURL}pyodide-lock.json: HTTP ${r.status}`);
    const lock = (await r.json()).packages;
    const urls = [];
    const add = (name) => {
      const e = lock[name];
      if (!e) throw new Error(`package ${name}: not in Pyodide ${pyodide.version}'s lockfile`);
      for (const d of e.depends || []) add(d);
      const u = index + e.file_name;
      if (!urls.includes(u)) urls.push(u);
    };
    names.forEach(add);
    const errors = [];
    await pyodide.loadPackage(urls, {
      messageCallback: (m) => log(m), errorCallback: (m) => errors.push(m), checkIntegrity: false,
    });
    if (errors.length) {
      throw new Error(`package ${names.join(', ')} could not be loaded from ${index}:\n  ${errors.join('\n  ')}`);
    }
  }

  const t2 = performance.now();
  const files = options.files || [];
  // Fetch in parallel (a few dozen small files), write in order.
  const blobs = await Promise.all(files.map((f) => fetchBytes(new URL(f.url, self.location.href).href)));
  files.forEach((f, i) => writeFile(f.path, blobs[i]));
  timings.filesMs = performance.now() - t2;
  timings.files = files.length;

  const cwd = options.cwd || '/home/pyodide';
  pyodide.FS.mkdirTree(cwd);
  pyodide.runPython(`
import os, sys
os.chdir(${JSON.stringify(cwd)})
for p in reversed(${JSON.stringify(options.sysPath || [])}):
    sys.path.insert(0, p)
`);

  let executor = null;
  if (opened && opened.impl) {
    pyodide.registerJsModule(`_wgpy_${opened.backend}`, opened.impl);
    executor = opened.report;
  } else if (opened) {
    executor = { backend: 'cpu', where: options.executor.where, tried: opened.tried };
  }

  return {
    pyodideVersion: pyodide.version,
    python: pyodide.runPython('import sys; sys.version.split()[0]'),
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    jspi: typeof WebAssembly.Suspending === 'function',
    env,
    executor,
    timings: { ...timings, totalMs: performance.now() - t0 },
  };
}

async function run({ mode, target, args = [], cwd, argv0, config }) {
  if (!['script', 'code', 'module', 'pytest'].includes(mode)) throw new Error(`run: unknown mode ${mode}`);
  const call = pyodide.toPy({
    mode,
    target: target ?? undefined,
    argv0: argv0 ?? undefined,
    args,
    cwd: cwd ?? undefined,
    script_dir: mode === 'script' ? target.slice(0, target.lastIndexOf('/')) || '/' : undefined,
    config: config === undefined ? undefined : JSON.stringify(config),
  });
  pyodide.globals.set('_wgpy_browser_call', call);
  pyodide.globals.set('_wgpy_browser_emit', emitEvent);
  call.destroy();
  // runPythonAsync, not runPython: code entered this way may use pyodide.ffi.run_sync (JSPI).
  // (import js first: a directory named js/ on sys.path could shadow it later.)
  const json = await pyodide.runPythonAsync(
    'import js, pyodide_js, wgpy_host\nwgpy_host.main(**_wgpy_browser_call, emit=_wgpy_browser_emit)');
  return JSON.parse(json);
}

async function evalPython(code) {
  const v = await pyodide.runPythonAsync(code);
  if (v === undefined || v === null) return null;
  if (typeof v === 'object' && typeof v.destroy === 'function') {
    const s = String(v);
    v.destroy();
    return s;
  }
  return String(v);
}

async function handle(msg) {
  switch (msg.type) {
    case 'init': return init(msg.options);
    case 'probe': return probeGPU();
  }
  if (!pyodide) throw new Error(`${msg.type}: not initialized (send init first)`);
  switch (msg.type) {
    case 'run': return run(msg);
    case 'eval': return evalPython(msg.code);
    case 'writeFile': return writeFile(msg.path, msg.data);
    case 'readFile': return pyodide.FS.readFile(msg.path, msg.encoding ? { encoding: msg.encoding } : {});
    default: throw new Error(`unknown request type ${msg.type}`);
  }
}

async function pump() {
  if (busy) return;
  busy = true;
  try {
    while (queue.length) {
      const msg = queue.shift();
      if (dead) {
        post({ type: 'result', id: msg.id, ok: false, error: `worker is dead: ${dead}` });
        continue;
      }
      try {
        const value = await handle(msg);
        post({ type: 'result', id: msg.id, ok: true, value });
      } catch (e) {
        // Pyodide marks the error of a fatal failure; after one, Pyodide cannot be used again.
        const isFatal = !!(e && e.pyodide_fatal_error);
        const error = `${msg.type} failed: ${errText(e)}`;
        post({ type: 'result', id: msg.id, ok: false, error, fatal: isFatal });
        if (isFatal) fatal(`Pyodide fatal error: ${errText(e)}`);
      }
    }
  } finally {
    busy = false;
  }
}

self.onmessage = (ev) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
  queue.push(msg);
  pump();
};

post({ type: 'log', text: `wgpy worker up (crossOriginIsolated=${self.crossOriginIsolated === true})` });
