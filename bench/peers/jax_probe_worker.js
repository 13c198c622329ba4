// jax_probe_worker.js — jax-js's jit rows whose time is one read (x.sum() of 16, tiny ops: 100 here)
// in a module Web Worker, as wgpy runs (bench/peers/jax_probe.mjs; the same functions and reads as
// peers-page.js's jax-jit).  Each message { what, reps } answers with that many ms.
import * as jax from '/node_modules/@jax-js/jax/dist/index.js';

const { numpy: np, jit } = jax;
let ready = null;
const W = {};
export async function setup() {
  const devs = await jax.init('webgpu');
  if (!devs.includes('webgpu')) throw new Error('jax-js: no webgpu device');
  jax.defaultDevice('webgpu');
  const x16 = np.array(Array.from({ length: 16 }, (_, i) => i / 16));
  const sum = jit((x) => x.sum());
  W.sum16 = async () => Number((await sum(x16.ref).data())[0]);
  const ones = np.ones([16]);
  // 100 adds, not the row's 1000: one kernel either way, and a trace of 1000 nested adds
  // overflows a worker's stack in jax-js's tracer (peers-page.js warms the page's up to it)
  const tiny = jit((x) => { for (let i = 0; i < 100; i++) x = x.add(1); return x; });
  W.tiny = async () => (await tiny(ones.ref).data())[15];
  for (const f of Object.values(W)) for (let i = 0; i < 3; i++) await f();
}
export async function time(what, reps) {
  ready ??= setup();
  await ready;
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    const v = await W[what]();
    out.push(performance.now() - t);
    if (what === 'sum16' ? v !== 7.5 : v !== 101) throw new Error(`jax-js ${what}: ${v}`);
  }
  return out;
}
if (typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope) {
  self.onmessage = async (e) => {
    try { self.postMessage(await time(e.data.what, e.data.reps)); } catch (err) { self.postMessage({ error: String(err && err.stack || err) }); }
  };
}
