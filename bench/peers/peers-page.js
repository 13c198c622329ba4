// peers-page.js — the peer benchmark's page (bench/peers/index.html): wgpy against jax-js and
// TensorFlow.js, in one page, on the same adapter, interleaved.
//
// Driven by bench/peers/run-peers.mjs through
//   const r = await window.peersBench.run({ configs: [...], workloads: [...], reps: 5 })
//
// Configurations ("configs"), each a library on a backend:
//   wgpy-webgpu   wgpy in its Web Worker (Pyodide), webgpu executor in the worker (JSPI)
//   wgpy-webgl2   the same with the webgl2 executor (a second worker)
//   wgpy-webgpu-fuse, wgpy-webgl2-fuse  the same with each workload's function under wp.fuse
//                 (traced once in the warm-up, replayed with one engine call a run: jax-js jit's
//                 analogue; the MLP step in its functional form)
//   wgpy-webgpu-gpured  wgpy-webgpu with the reduction shape for GPUs forced (executor option
//                 reduceShape 'gpu'): before/after of the per-adapter shape in one run
//   wgpy-webgpu-tiles  wgpy-webgpu with the workgroup shapes of before the step-cost work forced
//                 (reduceShape 'cpu', matmulShape 'tile': no main_pt, no main_reg; docs/webgpu.md)
//   wgpy-webgpu-reg  wgpy-webgpu with the scalar main_reg forced for matmuls (matmulShape 'reg':
//                 no main_reg4, session 15's vec4 loads; docs/webgpu.md)
//   wgpy-webgpu-base-fuse  the same base build with the functions under wp.fuse (its wheel must have fuse)
//   wgpy-webgpu-base  wgpy-webgpu from another build's wheel, the newest one under
//                 build/peers-base/build/dist/ (e.g. main's): before/after in one page; with
//                 that build's JavaScript host where build/peers-base/js/src/ has one (its
//                 worker and executors: `git archive main js/src | tar -x -C build/peers-base`)
//   jax-eager     jax-js on this page, device webgpu, op by op (its lazy eager mode)
//   jax-jit       jax-js, the same function under jit()
//   tfjs-webgpu   TensorFlow.js with @tensorflow/tfjs-backend-webgpu
//   tfjs-webgl    TensorFlow.js's WebGL backend (against wgpy-webgl2)
// Each workload is written in each library's own idiom (bench/peers/wgpy_peers.py for wgpy).
// A timed run is what the user waits for: the operations and the read of the result to the
// host (the whole array, or the scalar of a reduction).  wgpy's runs are timed inside its
// worker (time.perf_counter); the peers' on this page (performance.now), both around the same
// thing.  For each workload every config is set up and warmed up once (shader compilation, jit
// tracing), then `reps` rounds run, each round every config once (the order rotating), and the
// page reports every time.

import { WgpyWorker, executorSpec, findWheels } from '/js/src/browser/wgpy-main.js';
import * as jax from '/node_modules/@jax-js/jax/dist/index.js';

const { numpy: np, nn, jit, valueAndGrad, tree } = jax;
const tf = globalThis.tf;
const pre = document.getElementById('out');
const say = (t) => { console.log(`[peers] ${t}`); if (pre) pre.textContent += t + '\n'; };

// ---- deterministic inputs, the same formulas as wgpy_peers.py ---------------------------------
function matmulInput(n) {
  const a = new Float32Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = (i % 7) - 3;
  return a;
}
function rampInput(m) {
  const x = new Float32Array(m);
  for (let i = 0; i < m; i++) x[i] = Math.fround(i / m);
  return x;
}
function linspace(a, b, n) {
  const r = new Float32Array(n);
  for (let i = 0; i < n; i++) r[i] = a + (b - a) * (n === 1 ? 0 : i / (n - 1));
  return r;
}
function mlpInputs(p) {
  const sizes = [p.d_in, p.hidden, p.hidden, p.d_out];
  const ws = [];
  for (let l = 0; l < 3; l++) {
    const fi = sizes[l], fo = sizes[l + 1];
    const w = new Float32Array(fi * fo);
    const s = 2 / Math.sqrt(fi);
    for (let k = 0; k < w.length; k++) w[k] = (((k * 0.6180339) % 1) - 0.5) * s;
    ws.push({ w, shape: [fi, fo] }, { w: new Float32Array(fo), shape: [fo] });
  }
  const X = new Float32Array(p.batch * p.d_in);
  for (let k = 0; k < X.length; k++) X[k] = (k * 0.7548776) % 1;
  const Y = new Float32Array(p.batch * p.d_out);
  for (let r = 0; r < p.batch; r++) Y[r * p.d_out + (r % p.d_out)] = 1;
  return { ws, X, Y };
}
const ends = (d) => [Number(d[0]), Number(d[d.length - 1])];

// ---- wgpy: a worker per backend --------------------------------------------------------------
async function makeWgpy(backend, label, options, root = '/', fuse = false) {
  const wheels = await findWheels(root);
  if (!wheels.wgpy) throw new Error(`no wgpy wheel under ${root}build/dist/ (make wheel)`);
  // another build (root other than /) brings its own JavaScript host where it has one
  // (root/js/src/: its worker and executors), so a change to the executors is before/after too
  let host = { WgpyWorker, executorSpec };
  if (root !== '/') {
    try { host = await import(`${root}js/src/browser/wgpy-main.js`); } catch { /* this page's host */ }
    say(`${label}: JavaScript host from ${host.WgpyWorker === WgpyWorker ? 'this tree' : `${root}js/src/`}`);
  }
  const w = new host.WgpyWorker({
    onOutput: (stream, text) => { if (stream === 'stderr') console.log(`[wgpy-${backend}] ${text}`); },
    onFatal: (m) => say(`wgpy-${backend} worker died: ${m}`),
  });
  const t0 = performance.now();
  await w.init({ wheels: [wheels.wgpy], env: { WGPY_BACKEND: backend }, executor: host.executorSpec(backend, 'worker', options) },
    { timeoutMs: 180000 });
  const src = await (await fetch('/bench/peers/wgpy_peers.py')).text();
  await w.eval(src);
  if (fuse) await w.eval('_peers_use_fuse()');  // each workload's function under wp.fuse
  const info = JSON.parse(await w.eval('_peers_info()'));
  say(`${label}: worker ready in ${(performance.now() - t0).toFixed(0)} ms (wgpy ${info.version}, backend ${info.backend})`);
  if (info.backend !== backend) throw new Error(`wgpy reports backend ${info.backend}, not ${backend}`);
  const q = (s) => JSON.stringify(s);
  return {
    version: info.version,
    setup: async (name, p) => { await w.eval(`_peers_setup(${q(name)}, ${q(JSON.stringify(p))})`); },
    time: async (name) => JSON.parse(await w.eval(`_peers_time(${q(name)})`)),
    teardown: async (name) => { await w.eval(`_peers_teardown(${q(name)})`); },
    close: () => w.terminate('done'),
  };
}

// ---- jax-js (webgpu), eager or jit -------------------------------------------------------------
// jax-js's ownership rules: every function (and method) consumes its array arguments; `.ref`
// takes another reference; `await x.data()` reads and disposes.
function jaxWorkload(p, useJit) {
  const J = (f) => (useJit ? jit(f) : f);
  const chain = (x) => x.ref.mul(1.5).add(2).mul(x.ref).sub(x.mul(0.5));
  switch (p.kind) {
    case 'matmul': {
      const a = np.array(matmulInput(p.n)).reshape([p.n, p.n]);
      const f = J((a) => np.matmul(a.ref, a));
      return { inputs: [a], run: async () => ends(await f(a.ref).data()), free: () => { a.dispose(); f.dispose?.(); } };
    }
    case 'chain': case 'chain_sum': case 'sum': {
      const x = np.array(rampInput(p.n));
      const f = J(p.kind === 'chain' ? chain : p.kind === 'chain_sum' ? (x) => chain(x).sum() : (x) => x.sum());
      return {
        inputs: [x],
        run: async () => { const d = await f(x.ref).data(); return p.kind === 'chain' ? ends(d) : [Number(d[0])]; },
        free: () => { x.dispose(); f.dispose?.(); },
      };
    }
    case 'mandelbrot': {
      const { n, iters } = p;
      const real = np.array(linspace(-2, 0.5, n)).reshape([n, 1]);
      const imag = np.array(linspace(-1.25, 1.25, n)).reshape([1, n]);
      const f = J((real, imag) => {
        let xs = np.zeros([n, n]);
        let ys = np.zeros([n, n]);
        let count = np.zeros([n, n], { dtype: np.int32 });
        for (let i = 0; i < iters; i++) {
          const nx = xs.ref.mul(xs.ref).sub(ys.ref.mul(ys.ref)).add(real.ref);
          const ny = xs.mul(ys).mul(2).add(imag.ref);
          xs = nx; ys = ny;
          count = count.add(xs.ref.mul(xs.ref).add(ys.ref.mul(ys.ref)).less(4).astype(np.int32));
        }
        xs.dispose(); ys.dispose(); real.dispose(); imag.dispose();
        return count.sum();
      });
      return {
        inputs: [real, imag],
        run: async () => [Number((await f(real.ref, imag.ref).data())[0])],
        free: () => { real.dispose(); imag.dispose(); f.dispose?.(); },
      };
    }
    case 'tiny': {
      const x0 = np.ones([p.n]);
      const f = J((x) => { for (let i = 0; i < p.ops; i++) x = x.add(1); return x; });
      // jit's first trace of 1000 nested adds can overflow the page's stack while jax-js's code is
      // still unoptimized (V8's interpreter frames are larger): a page whose earlier rows did
      // not warm it got "Maximum call stack size exceeded".  So the warm-up run first traces
      // chains of 100, 200, ... ops (not timed: the harness's warm-up run).
      let warm = !useJit;
      const run = async () => {
        if (!warm) {
          warm = true;
          for (let k = 0; k < 12; k++) {
            const n = Math.min(p.ops, 100 * (k + 1));
            const g = jit((x) => { for (let i = 0; i < n; i++) x = x.add(1); return x; });
            await g(x0.ref).data();
            g.dispose?.();
          }
        }
        return ends(await f(x0.ref).data());
      };
      return { inputs: [x0], run, free: () => { x0.dispose(); f.dispose?.(); } };
    }
    case 'mlp': {
      const { ws, X: Xh, Y: Yh } = mlpInputs(p);
      const keys = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'];
      let params = Object.fromEntries(keys.map((k, i) => [k, np.array(ws[i].w).reshape(ws[i].shape)]));
      const X = np.array(Xh).reshape([p.batch, p.d_in]);
      const Y = np.array(Yh).reshape([p.batch, p.d_out]);
      const B = p.batch, lr = p.lr;
      const loss = (q, X, Y) => {
        const h1 = nn.relu(np.matmul(X, q.w1).add(q.b1));
        const h2 = nn.relu(np.matmul(h1, q.w2).add(q.b2));
        const logits = np.matmul(h2, q.w3).add(q.b3);
        return nn.logSoftmax(logits, -1).mul(Y).sum().mul(-1 / B);
      };
      const step = J((q, X, Y) => {
        const [l, g] = valueAndGrad(loss)(tree.ref(q), X, Y);
        const nq = {};
        for (const k of keys) nq[k] = q[k].sub(g[k].mul(lr));
        return [l, nq];
      });
      return {
        inputs: [...Object.values(params), X, Y],
        run: async () => {
          const [l, nq] = step(params, X.ref, Y.ref);
          params = nq;
          return [Number((await l.data())[0])];
        },
        free: () => { tree.dispose(params); X.dispose(); Y.dispose(); step.dispose?.(); },
      };
    }
    default: throw new Error(`unknown workload kind ${p.kind}`);
  }
}

function makeJax(useJit) {
  const live = new Map();
  return {
    setup: async (name, p) => {
      jax.defaultDevice('webgpu');
      const w = jaxWorkload(p, useJit);
      // materialize the inputs (blockUntilReady returns its argument: the extra references go)
      tree.dispose(await jax.blockUntilReady(w.inputs.map((a) => a.ref)));
      live.set(name, w);
    },
    time: async (name) => {
      const w = live.get(name);
      const t0 = performance.now();
      const check = await w.run();
      return { ms: performance.now() - t0, check };
    },
    teardown: async (name) => { const w = live.get(name); live.delete(name); if (w) w.free(); },
  };
}

// ---- TensorFlow.js, webgpu or webgl ------------------------------------------------------------
function tfWorkload(p) {
  switch (p.kind) {
    case 'matmul': {
      const a = tf.tensor2d(matmulInput(p.n), [p.n, p.n]);
      return { inputs: [a], run: async () => { const c = tf.matMul(a, a); const d = await c.data(); c.dispose(); return ends(d); } };
    }
    case 'chain': case 'chain_sum': case 'sum': {
      const x = tf.tensor1d(rampInput(p.n));
      const f = p.kind === 'sum' ? () => x.sum()
        : p.kind === 'chain' ? () => x.mul(1.5).add(2).mul(x).sub(x.mul(0.5))
          : () => x.mul(1.5).add(2).mul(x).sub(x.mul(0.5)).sum();
      return {
        inputs: [x],
        run: async () => {
          const r = tf.tidy(f);
          const d = await r.data(); r.dispose();
          return p.kind === 'chain' ? ends(d) : [Number(d[0])];
        },
      };
    }
    case 'mandelbrot': {
      const { n, iters } = p;
      const real = tf.tensor2d(linspace(-2, 0.5, n), [n, 1]);
      const imag = tf.tensor2d(linspace(-1.25, 1.25, n), [1, n]);
      return {
        inputs: [real, imag],
        run: async () => {
          let xs = tf.zeros([n, n]), ys = tf.zeros([n, n]), count = tf.zeros([n, n], 'int32');
          for (let i = 0; i < iters; i++) {
            const next = tf.tidy(() => {
              const nx = xs.mul(xs).sub(ys.mul(ys)).add(real);
              const ny = xs.mul(ys).mul(2).add(imag);
              const nc = count.add(nx.mul(nx).add(ny.mul(ny)).less(4).cast('int32'));
              return [nx, ny, nc];
            });
            xs.dispose(); ys.dispose(); count.dispose();
            [xs, ys, count] = next;
          }
          const s = count.sum();
          const d = await s.data();
          tf.dispose([xs, ys, count, s]);
          return [Number(d[0])];
        },
      };
    }
    case 'tiny': {
      const x0 = tf.ones([p.n]);
      return {
        inputs: [x0],
        run: async () => {
          let x = x0;
          for (let i = 0; i < p.ops; i++) { const y = x.add(1); if (x !== x0) x.dispose(); x = y; }
          const d = await x.data(); x.dispose();
          return ends(d);
        },
      };
    }
    case 'mlp': {
      const { ws, X: Xh, Y: Yh } = mlpInputs(p);
      const vars = ws.map((w) => tf.variable(tf.tensor(w.w, w.shape)));
      const X = tf.tensor2d(Xh, [p.batch, p.d_in]);
      const Y = tf.tensor2d(Yh, [p.batch, p.d_out]);
      const opt = tf.train.sgd(p.lr);
      const [w1, b1, w2, b2, w3, b3] = vars;
      return {
        inputs: [...vars, X, Y],
        run: async () => {
          const l = opt.minimize(() => {
            const h1 = tf.relu(tf.matMul(X, w1).add(b1));
            const h2 = tf.relu(tf.matMul(h1, w2).add(b2));
            const logits = tf.matMul(h2, w3).add(b3);
            return tf.losses.softmaxCrossEntropy(Y, logits);
          }, true);
          const d = await l.data(); l.dispose();
          return [Number(d[0])];
        },
        extra: [opt],
      };
    }
    default: throw new Error(`unknown workload kind ${p.kind}`);
  }
}

function makeTf(backend) {
  const live = new Map();
  const use = async () => { if (tf.getBackend() !== backend) await tf.setBackend(backend); };
  return {
    setup: async (name, p) => {
      await use();
      const w = tfWorkload(p);
      await Promise.all(w.inputs.map((t) => t.data()));
      live.set(name, w);
    },
    time: async (name) => {
      await use();
      const w = live.get(name);
      const t0 = performance.now();
      const check = await w.run();
      return { ms: performance.now() - t0, check };
    },
    teardown: async (name) => {
      await use();
      const w = live.get(name); live.delete(name);
      if (w) { tf.dispose(w.inputs); for (const e of w.extra || []) e.dispose?.(); }
    },
  };
}

// ---- environment ------------------------------------------------------------------------------
async function environment() {
  const env = { userAgent: navigator.userAgent, versions: {} };
  for (const [k, u] of [['@jax-js/jax', '/node_modules/@jax-js/jax/package.json'],
    ['@tensorflow/tfjs', '/node_modules/@tensorflow/tfjs/package.json'],
    ['@tensorflow/tfjs-backend-webgpu', '/node_modules/@tensorflow/tfjs-backend-webgpu/package.json']]) {
    try { env.versions[k] = (await (await fetch(u)).json()).version; } catch { env.versions[k] = '?'; }
  }
  try {
    const ad = await navigator.gpu.requestAdapter();
    const i = ad.info || {};
    env.webgpu = { vendor: i.vendor, architecture: i.architecture, description: i.description,
      isFallbackAdapter: i.isFallbackAdapter, subgroupMaxSize: i.subgroupMaxSize,
      maxComputeInvocationsPerWorkgroup: ad.limits.maxComputeInvocationsPerWorkgroup,
      subgroups: ad.features.has('subgroups') };
  } catch (e) { env.webgpu = { error: String(e) }; }
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    env.webgl2 = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  } catch (e) { env.webgl2 = `error: ${e}`; }
  return env;
}

// ---- the run ----------------------------------------------------------------------------------
// A config whose run of a smaller workload of the same kind, scaled to this one (n³ for matmul,
// n for the rest), would take more than maxRunMs is skipped (wgpy-webgl2's matmul 2048² runs for
// minutes on SwiftShader); one whose warm-up took more than maxRunMs gets a single timed run.
function predictMs(prev, w) {
  if (!prev || prev.kind !== w.kind || !prev.n || !w.n) return 0;
  const r = w.n / prev.n;
  return prev.ms * (w.kind === 'matmul' ? r ** 3 : w.kind === 'mandelbrot' ? r * r : r);
}

async function run({ configs, workloads, reps = 5, maxRunMs = 20000 }) {
  const out = { env: await environment(), configs: [], results: {}, errors: [] };
  out.env.versions.wgpy = null;
  const libs = {};
  for (const c of configs) {
    try {
      if (c === 'wgpy-webgpu' || c === 'wgpy-webgl2') {
        libs[c] = await makeWgpy(c.slice(5), c);
        out.env.versions.wgpy = libs[c].version;
      } else if (c === 'wgpy-webgpu-fuse' || c === 'wgpy-webgl2-fuse') {
        // the workloads' functions under wp.fuse: traced in the warm-up, one replay call a run
        libs[c] = await makeWgpy(c.slice(5, -5), c, {}, '/', true);
        out.env.versions.wgpy = libs[c].version;
      } else if (c === 'wgpy-webgpu-gpured') {
        // the reduction shape for GPUs forced on whatever adapter (the shape before issue 15)
        libs[c] = await makeWgpy('webgpu', c, { reduceShape: 'gpu' });
        out.env.versions.wgpy = libs[c].version;
      } else if (c === 'wgpy-webgpu-reg') {
        libs[c] = await makeWgpy('webgpu', c, { matmulShape: 'reg' });
        out.env.versions.wgpy = libs[c].version;
      } else if (c === 'wgpy-webgpu-base') {
        // another build's wheel (a baseline, e.g. main's) in the same page: the newest wheel under
        // /build/peers-base/build/dist/ (copy it there by hand; run-peers.mjs --help)
        libs[c] = await makeWgpy('webgpu', c, {}, '/build/peers-base/');
      } else if (c === 'wgpy-webgpu-base-fuse') {
        // the same base build with the workloads' functions under wp.fuse (a base with fuse)
        libs[c] = await makeWgpy('webgpu', c, {}, '/build/peers-base/', true);
      } else if (c === 'wgpy-webgpu-tiles') {
        libs[c] = await makeWgpy('webgpu', c, { reduceShape: 'cpu', matmulShape: 'tile' });
        out.env.versions.wgpy = libs[c].version;
      } else if (c === 'jax-eager' || c === 'jax-jit') {
        if (!libs._jaxInit) { const devs = await jax.init('webgpu'); if (!devs.includes('webgpu')) throw new Error('jax-js: no webgpu device'); libs._jaxInit = true; }
        libs[c] = makeJax(c === 'jax-jit');
      } else if (c === 'tfjs-webgpu' || c === 'tfjs-webgl') {
        const be = c.slice(5);
        if (!(await tf.setBackend(be))) throw new Error(`TF.js: backend ${be} failed to initialize`);
        await tf.ready();
        libs[c] = makeTf(be);
      } else throw new Error(`unknown config ${c}`);
      out.configs.push(c);
    } catch (e) {
      say(`${c}: unavailable: ${e.message}`);
      out.errors.push(`${c}: ${e.message}`);
    }
  }
  const last = {};  // config -> { kind, n, ms } of its previous workload
  for (const w of workloads) {
    const res = (out.results[w.name] = {});
    const active = [];
    for (const c of out.configs) {
      const guess = predictMs(last[c], w);
      if (guess > maxRunMs) {
        res[c] = { skipped: `about ${(guess / 1000).toFixed(0)} s a run (scaled from the smaller size)` };
        say(`${w.name} ${c}: skipped, ${res[c].skipped}`);
        continue;
      }
      try {
        await libs[c].setup(w.name, w);
        const warm = await libs[c].time(w.name);  // warm-up: compilation, tracing, pools
        res[c] = { times: [], check: warm.check, warmMs: warm.ms };
        if (warm.ms > maxRunMs) res[c].single = true;
        active.push(c);
      } catch (e) {
        res[c] = { error: String(e && e.message ? e.message : e) };
        say(`${w.name} ${c}: ${res[c].error}`);
      }
    }
    for (let r = 0; r < reps; r++) {
      for (let j = 0; j < active.length; j++) {
        const c = active[(j + r) % active.length];
        if (res[c].error || (res[c].single && res[c].times.length)) continue;
        try {
          const t = await libs[c].time(w.name);
          res[c].times.push(t.ms);
          res[c].check = t.check;
        } catch (e) {
          res[c].error = String(e && e.message ? e.message : e);
        }
      }
    }
    for (const c of active) {
      try { await libs[c].teardown(w.name); } catch (e) { say(`${w.name} ${c}: teardown: ${e.message}`); }
      const t = res[c].times.slice().sort((a, b) => a - b);
      if (t.length) last[c] = { kind: w.kind, n: w.n, ms: t[t.length >> 1] };
      if (t.length) say(`${w.name} ${c}: median ${t[t.length >> 1].toFixed(2)} ms [${t[0].toFixed(2)}, ${t[t.length - 1].toFixed(2)}] check ${JSON.stringify(res[c].check)}`);
    }
  }
  for (const c of out.configs) libs[c].close?.();
  document.body.dataset.status = 'done';
  return out;
}

window.peersBench = { run };
document.body.dataset.status = 'idle';
