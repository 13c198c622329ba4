// node-webgpu.mjs — the webgpu executor over Dawn, in a Node process, for a native CPython
// (python/wgpy/_remote.py starts it: WGPY_BACKEND=webgpu outside Pyodide).  The same
// WebGPUExecutor as in Pyodide; only the memory it reads chunks from and writes READs into is a
// local heap (relocate.mjs).  Protocol: protocol.mjs; docs/remote.md.

import fs from 'node:fs';
import { createDawnDevice } from '../node/webgpu-host.mjs';
import { WebGPUExecutor } from '../webgpu/executor.mjs';
import { RelocatingHeap } from './relocate.mjs';
import { KIND, requests, reply } from './protocol.mjs';

const IN = 3, OUT = 4;
console.log = (...a) => process.stderr.write(a.join(' ') + '\n'); // fd 1 is not ours to fill

async function main() {
  let host;
  try {
    host = await createDawnDevice({ timing: ['1', 'ids'].includes(process.env.WGPY_GPU_TIMING) });
  } catch (e) {
    reply(OUT, JSON.stringify({ error: `webgpu (Node + Dawn): ${e.message || e}` }));
    return;
  }
  const mem = new RelocatingHeap();
  const ex = new WebGPUExecutor(host.device, () => mem.heap, {
    timing: { 1: true, ids: 'ids' }[process.env.WGPY_GPU_TIMING] ?? false, matmulShape: process.env.WGPY_WEBGPU_MATMUL || 'auto',
    reduceShape: process.env.WGPY_WEBGPU_REDUCE || 'auto',
    reduceTarget: Number(process.env.WGPY_WEBGPU_RED_TARGET) || 0,
    // WGPY_WEBGPU_NUDGE=FIRST,EVERY (ms): empty submits while a READ's map is pending (the
    // executor's opts.nudge, on by default in browsers only); 0: off (an A/B aid, bench/h100/s17_sync17.sh)
    ...(process.env.WGPY_WEBGPU_NUDGE ? { nudge: process.env.WGPY_WEBGPU_NUDGE === '0' ? false : process.env.WGPY_WEBGPU_NUDGE.split(',').map(Number) } : {}),
    // WGPY_WEBGPU_DUMP=FILE: every compiled shader and dispatch's argument words, a JSON line each
    dump: process.env.WGPY_WEBGPU_DUMP
      ? (r) => fs.appendFileSync(process.env.WGPY_WEBGPU_DUMP, JSON.stringify(r) + '\n') : null,
  });
  reply(OUT, JSON.stringify({
    host: 'node', backend: 'webgpu', adapter: host.adapterInfo,
    max_bindings: host.device.limits.maxStorageBuffersPerShaderStage, cpu_like: ex.cpuLike,
    wg_storage: host.device.limits.maxComputeWorkgroupStorageSize, // the engine's tiles (_lib.py)
    wg_invocations: host.device.limits.maxComputeInvocationsPerWorkgroup, // the FFT's 512-thread tiles
    subgroups: host.subgroups, // wg_set_subgroups (_lib.py)
  }));
  let pending = null; // the error of an enqueued chunk, for the next RUN's reply
  const done = doneCounter(host.device.queue);
  for await (const { kind, payload } of requests(IN, {
    blocking: true, spinUs: Number(process.env.WGPY_REMOTE_SPIN_US) || 0, busy: done.outstanding,
  })) {
    if (kind === KIND.QUIT) break;
    if (kind === KIND.STATS) {
      reply(OUT, JSON.stringify(ex.stats));
      continue;
    }
    const t0 = performance.now();
    const reads = mem.load(payload);
    if (kind === KIND.ENQUEUE) {
      const r = ex.enqueue(0, payload.length);
      if (r !== true) pending = pending || (await r);
      done.submitted();
      continue;
    }
    let err = await ex.run(0, payload.length);
    if (reads.length && !err) done.all(); // its maps came back: the queue's earlier work is done too
    if (pending) err = err ? `${pending}\n${err}` : pending;
    pending = null;
    reply(OUT, err, err ? [] : reads.map((r) => ({ dst: r.dst, bytes: mem.heap.subarray(r.at, r.at + r.nbytes) })));
    // a RUN's time in this process, request read to reply written: the rest of what Python
    // waits is the pipes and Python (bench/h100/roundtrip_split.py)
    ex.stats.hostMs = (ex.stats.hostMs || 0) + (performance.now() - t0);
  }
  process.exit(0);
}

// Chunks handed over (ENQUEUE) that the device has finished, counted into the first word of the
// shared memory on WGPY_REMOTE_DONE_FD (python/wgpy/_remote.py: ready()), so that Python hands
// over the next chunk only while few are in flight.  A completion is seen only when the event
// loop turns (Dawn resolves onSubmittedWorkDone from a setImmediate); while any is outstanding,
// requests() turns it between polls of the request pipe (`busy`).  Without the fd: nothing.
function doneCounter(queue) {
  const fd = Number(process.env.WGPY_REMOTE_DONE_FD ?? -1);
  if (!(fd >= 0)) return { submitted() {}, all() {}, outstanding: null };
  const word = new Uint32Array(1);
  let sent = 0, finished = 0;
  const tell = (n) => {
    if (n <= finished) return;
    finished = n;
    word[0] = n >>> 0;
    fs.writeSync(fd, word, 0, 4, 0);
  };
  return {
    submitted() {
      const seq = ++sent;
      queue.onSubmittedWorkDone().then(() => tell(seq), () => tell(seq));
    },
    all() { tell(sent); },
    outstanding: () => finished < sent,
  };
}

main().catch((e) => {
  process.stderr.write(`wgpy remote executor: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
