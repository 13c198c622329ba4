#!/usr/bin/env node
// wgpy-node.mjs — run Python with wgpy inside Pyodide on Node.js.
//
//   node js/src/node/wgpy-node.mjs [options] run script.py [args...]
//   node js/src/node/wgpy-node.mjs [options] run -c "code" [args...]
//   node js/src/node/wgpy-node.mjs [options] run -m module [args...]
//   node js/src/node/wgpy-node.mjs [options] pytest [pytest args...]
//
// Options (before the command):
//   --backend NAME   sets WGPY_BACKEND in Python's os.environ: `cpu`, or `webgpu` (Dawn through the
//                    npm `webgpu` package; see docs/webgpu.md.  Python reaches the executor through
//                    pyodide.ffi.run_sync, which needs JSPI: on Node < 24 the runner re-executes
//                    itself with --experimental-wasm-stack-switching when that flag is missing).
//                    webgl2 is browser-only (Node has no WebGL): refused with a message saying so
//   --wheel PATH     the wgpy wheel to install (default: the newest build/dist/wgpy-*.whl)
//   --no-wheel       install no wgpy wheel
//   --mount DIR      also mount host DIR (same path inside Pyodide); repeatable
//   --verbose        show Pyodide's package-loading messages
//
// What it does: loads Pyodide from node_modules/pyodide; installs the wgpy wheel (pyodide.loadPackage
// of the local file; its libwgpy.so is the wasm side module); mounts the repository, the current
// directory, the script's directory and every argument that names a host path into Pyodide's
// filesystem with NODEFS, at their host paths; sets sys.argv, chdir()s to the current directory, and
// runs the script (runpy) or pytest.main() (after installing the wheels in build/pywheels/).
// Python's stdout/stderr go straight to the process's; the exit status is the script's or pytest's.
// An uncaught exception prints its Python traceback and exits 1; a runner or Pyodide failure exits
// 1 or 2 with a message.
//
// Python is entered through runPythonAsync, so pyodide.ffi.run_sync (JSPI) can work: on Node 20 it
// needs `--experimental-wasm-stack-switching` (scripts/wgpy passes $WGPY_NODE_FLAGS to node); on
// Node >= 24 it is on by default.  Nothing here depends on it.
//
// Host environment variables named WGPY_* are passed into Python's os.environ.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..', '..');
const BACKENDS = ['cpu', 'webgpu'];
const PROG = 'wgpy';

const USAGE = `usage: ${PROG} [--backend cpu|webgpu] [--wheel PATH | --no-wheel] [--mount DIR]... [--verbose] COMMAND
commands:
  run script.py [args...]    run a script (also: run -c CODE [args...], run -m MODULE [args...])
  pytest [args...]           run pytest (wheels from build/pywheels/)`;

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { backend: undefined, wheel: undefined, noWheel: false, mounts: [], verbose: false };
  let i = 0;
  const need = (flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-')) break;
    const eq = a.indexOf('=');
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => (inline !== undefined ? inline : need(flag));
    if (flag === '--backend') opts.backend = value();
    else if (flag === '--wheel') opts.wheel = value();
    else if (flag === '--no-wheel') opts.noWheel = true;
    else if (flag === '--mount') opts.mounts.push(value());
    else if (flag === '--verbose' || flag === '-v') opts.verbose = true;
    else if (flag === '-h' || flag === '--help') { console.log(USAGE); process.exit(0); }
    else throw new UsageError(`unknown option ${a}`);
  }
  const command = argv[i++];
  const rest = argv.slice(i);
  if (opts.backend === 'webgl2' || opts.backend === 'auto') {
    throw new UsageError(`--backend ${opts.backend}: not in Node (Node has no WebGL; the webgl2 backend runs in a ` +
      'browser: node js/tests/browser/run-browser-tests.mjs --backend webgl2, or make serve). Here: cpu or webgpu');
  }
  if (opts.backend !== undefined && !BACKENDS.includes(opts.backend)) {
    throw new UsageError(`unknown backend '${opts.backend}' (available in Node: ${BACKENDS.join(', ')})`);
  }
  if (command === 'run') {
    if (rest[0] === '-c' || rest[0] === '-m') {
      if (rest.length < 2) throw new UsageError(`run ${rest[0]} needs an argument`);
      opts.mode = rest[0] === '-c' ? 'code' : 'module';
      opts.target = rest[1];
      opts.args = rest.slice(2);
    } else {
      if (!rest.length) throw new UsageError('run needs a script');
      opts.mode = 'script';
      opts.target = path.resolve(rest[0]);
      opts.argv0 = rest[0];
      opts.args = rest.slice(1);
      if (!fs.existsSync(opts.target)) throw new UsageError(`no such script: ${rest[0]}`);
    }
  } else if (command === 'pytest') {
    opts.mode = 'pytest';
    opts.args = rest;
  } else {
    throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
  return opts;
}

// Writes all of buf to fd, retrying when a non-blocking pipe is full.
function writeAll(fd, buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
  return buf.length;
}

function newestWheel() {
  const dist = path.join(ROOT, 'build', 'dist');
  let best;
  for (const f of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
    if (!/^wgpy-.*\.whl$/.test(f)) continue;
    const p = path.join(dist, f);
    const t = fs.statSync(p).mtimeMs;
    if (!best || t > best.t) best = { p, t };
  }
  return best?.p;
}

// Directories to mount, at their host paths: shortest first, skipping ones already covered and
// ones that would shadow Pyodide's own tree.
function mountPlan(dirs) {
  const reserved = ['/', '/lib', '/dev', '/proc', '/sys', '/home/pyodide'];
  const plan = [];
  const uniq = [...new Set(dirs.map((d) => path.resolve(d)))].sort((a, b) => a.length - b.length);
  for (const d of uniq) {
    if (reserved.some((r) => d === r || (r !== '/' && d.startsWith(r + '/')))) continue;
    if (plan.some((p) => d === p || d.startsWith(p + '/'))) continue;
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) continue;
    plan.push(d);
  }
  return plan;
}

// The Python side is wgpy_host.main (python/wgpy_host, in the wgpy wheel; from the source tree
// with --no-wheel): the same driver as the browser worker's.  It returns a JSON summary.
const PY_DRIVER = (root) => `
# Import Pyodide's "js" module now: once the repository root (which has a js/ directory) is on
# sys.path, "import js" would find that directory as a namespace package instead.
import js, pyodide_js  # noqa: F401
try:
    import wgpy_host as _wgpy_host
except ImportError:
    import importlib.util, sys
    _spec = importlib.util.spec_from_file_location("wgpy_host", ${JSON.stringify(root + '/python/wgpy_host/__init__.py')})
    _wgpy_host = importlib.util.module_from_spec(_spec)
    sys.modules["wgpy_host"] = _wgpy_host
    _spec.loader.exec_module(_wgpy_host)
`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${PROG}: ${e.message}\n${USAGE}`);
    return 2;
  }
  const say = (msg) => { if (opts.verbose) console.error(`${PROG}: ${msg}`); };

  const require = createRequire(path.join(ROOT, 'package.json'));
  let pyodideEntry;
  try {
    pyodideEntry = require.resolve('pyodide/pyodide.mjs');
  } catch {
    console.error(`${PROG}: pyodide is not installed in ${ROOT}/node_modules (run scripts/setup.sh npm)`);
    return 2;
  }
  const indexURL = path.dirname(pyodideEntry) + path.sep;
  const { loadPyodide } = await import(pathToFileURL(pyodideEntry).href);

  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('WGPY_')) env[k] = v;
  if (opts.backend) env.WGPY_BACKEND = opts.backend;

  // webgpu: JSPI for run_sync (Node 20 needs a flag: re-execute with it), then a Dawn device.
  let gpuHost = null;
  const gpuTiming = env.WGPY_GPU_TIMING === '1'; // GPU timestamps per dispatch in _wgpy_webgpu.stats()
  if (env.WGPY_BACKEND === 'webgpu') {
    const major = Number(process.versions.node.split('.')[0]);
    const flag = '--experimental-wasm-stack-switching';
    if (major < 24 && !process.execArgv.includes(flag)) {
      const r = spawnSync(process.execPath, [...process.execArgv, flag, ...process.argv.slice(1)],
        { stdio: 'inherit' });
      return r.status ?? 1;
    }
    try {
      const { createDawnDevice } = await import(pathToFileURL(path.join(HERE, 'webgpu-host.mjs')).href);
      gpuHost = await createDawnDevice({ timing: gpuTiming });
    } catch (e) {
      console.error(`${PROG}: --backend webgpu: ${e.message}`);
      return 2;
    }
    say(`webgpu: ${JSON.stringify(gpuHost.adapterInfo)}`);
  }

  const t0 = Date.now();
  const pyodide = await loadPyodide({
    indexURL,
    env,
    stdout: (s) => writeAll(1, Buffer.from(s + '\n')),
    stderr: (s) => writeAll(2, Buffer.from(s + '\n')),
  });
  pyodide.setStdout({ write: (buf) => writeAll(1, buf), isatty: !!process.stdout.isTTY });
  pyodide.setStderr({ write: (buf) => writeAll(2, buf), isatty: !!process.stderr.isTTY });
  say(`Pyodide ${pyodide.version} loaded in ${Date.now() - t0} ms`);

  // Host directories, visible at the same paths inside Pyodide.
  const cwd = process.cwd();
  const dirs = [ROOT, cwd, ...opts.mounts];
  if (opts.mode === 'script') dirs.push(path.dirname(opts.target));
  // Arguments naming host paths (`tests/`, `--golden-in=/x/g.json`) are mounted too.
  for (const a of opts.args) {
    const p = a.startsWith('-') ? (a.includes('=') ? a.slice(a.indexOf('=') + 1) : '') : a;
    if (!p || !fs.existsSync(p)) continue;
    const abs = path.resolve(p);
    dirs.push(fs.statSync(abs).isDirectory() ? abs : path.dirname(abs));
  }
  for (const d of mountPlan(dirs)) {
    pyodide.FS.mkdirTree(d);
    pyodide.mountNodeFS(d, d);
    say(`mounted ${d}`);
  }
  const mounted = (p) => mountPlan(dirs).some((d) => p === d || p.startsWith(d + '/'));

  // Packages: the wgpy wheel, and pytest's wheels for the pytest command.
  const wheels = [];
  if (!opts.noWheel) {
    const wheel = opts.wheel ? path.resolve(opts.wheel) : newestWheel();
    if (!wheel || !fs.existsSync(wheel)) {
      console.error(`${PROG}: no wgpy wheel ${opts.wheel ? `at ${opts.wheel}` : 'in build/dist/'} (make wheel), or pass --no-wheel`);
      return 2;
    }
    wheels.push(wheel);
  }
  if (opts.mode === 'pytest') {
    const dir = path.join(ROOT, 'build', 'pywheels');
    const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.whl')).sort() : [];
    if (!found.some((f) => f.startsWith('pytest-'))) {
      console.error(`${PROG}: pytest wheels missing in ${dir} (run scripts/setup.sh pywheels)`);
      return 2;
    }
    wheels.push(...found.map((f) => path.join(dir, f)));
  }
  if (wheels.length) {
    const errors = [];
    const t1 = Date.now();
    await pyodide.loadPackage(wheels, {
      messageCallback: (m) => say(m),
      errorCallback: (m) => errors.push(m),
      checkIntegrity: false,
    });
    if (errors.length) {
      console.error(`${PROG}: installing packages failed:\n  ${errors.join('\n  ')}`);
      return 2;
    }
    say(`installed ${wheels.map((w) => path.basename(w)).join(', ')} in ${Date.now() - t1} ms`);
  }

  if (gpuHost) {
    const { WebGPUExecutor } = await import(pathToFileURL(path.join(ROOT, 'js', 'src', 'webgpu', 'executor.mjs')).href);
    const executor = new WebGPUExecutor(gpuHost.device, () => pyodide._module.HEAPU8, { timing: gpuTiming });
    // Python: run_sync(_wgpy_webgpu.run(ptr, n)) -> None or an error message; enqueue(ptr, n) ->
    // True (submitted, not waited for: run ahead) or a Promise like run's (python/wgpy/_lib.py)
    pyodide.registerJsModule('_wgpy_webgpu', {
      run: (ptr, n) => executor.run(ptr, n),
      enqueue: (ptr, n) => executor.enqueue(ptr, n),
      stats: () => JSON.stringify(executor.stats),
      adapter: JSON.stringify(gpuHost.adapterInfo),
      features: gpuHost.features.join(','),
      // the engine keeps fused kernels within the device's storage-buffer limit (_lib.py)
      max_bindings: gpuHost.device.limits.maxStorageBuffersPerShaderStage,
      cpu_like: executor.cpuLike, // a CPU implementation (SwiftShader): wg_set_adapter_class
      wg_storage: gpuHost.device.limits.maxComputeWorkgroupStorageSize, // wg_set_workgroup_storage
      wg_invocations: gpuHost.device.limits.maxComputeInvocationsPerWorkgroup, // wg_set_workgroup_invocations
      subgroups: gpuHost.subgroups, // wg_set_subgroups
    });
  }

  pyodide.runPython(PY_DRIVER(ROOT));
  const script = opts.mode === 'script' ? opts.target : null;
  // (undefined, not null: toPy makes undefined None, but null jsnull.)
  const call = pyodide.toPy({
    mode: opts.mode,
    target: opts.target,
    argv0: opts.argv0,
    args: opts.args,
    cwd: mounted(cwd) ? cwd : undefined,
    script_dir: script ? path.dirname(script) : undefined,
  });
  pyodide.globals.set('_wgpy_node_call', call);
  call.destroy();
  // runPythonAsync, not runPython: code entered this way may use pyodide.ffi.run_sync (JSPI).
  const json = await pyodide.runPythonAsync('_wgpy_host.main(**_wgpy_node_call)');
  const code = JSON.parse(json).exitCode;
  return typeof code === 'number' ? code : 1;
}

// A JS-level failure (a Pyodide fatal error such as a side module calling a missing import, a trap,
// a failed load): report it and fail.  Pyodide has already printed the Python stack, if any.
function fatal(err) {
  console.error(`${PROG}: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

main().then((code) => process.exit(code), fatal);
