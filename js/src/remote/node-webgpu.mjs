// node-webgpu.mjs — the webgpu executor over Dawn, in a Node process, for a native CPython
// (python/wgpy/_remote.py starts it: WGPY_BACKEND=webgpu outside Pyodide).  The same
// WebGPUExecutor as in Pyodide; only the memory it reads chunks from and writes READs into is a
// local heap (relocate.mjs).  Protocol: protocol.mjs; docs/remote.md.

import { createDawnDevice } from '../node/webgpu-host.mjs';
import { WebGPUExecutor } from '../webgpu/executor.mjs';
import { RelocatingHeap } from './relocate.mjs';
import { KIND, requests, reply } from './protocol.mjs';

const IN = 3, OUT = 4;
console.log = (...a) => process.stderr.write(a.join(' ') + '\n'); // fd 1 is not ours to fill

async function main() {
  let host;
  try {
    host = await createDawnDevice({ timing: process.env.WGPY_GPU_TIMING === '1' });
  } catch (e) {
    reply(OUT, JSON.stringify({ error: `webgpu (Node + Dawn): ${e.message || e}` }));
    return;
  }
  const mem = new RelocatingHeap();
  const ex = new WebGPUExecutor(host.device, () => mem.heap, {
    timing: process.env.WGPY_GPU_TIMING === '1', matmulShape: process.env.WGPY_WEBGPU_MATMUL || 'auto',
    reduceShape: process.env.WGPY_WEBGPU_REDUCE || 'auto',
  });
  reply(OUT, JSON.stringify({
    host: 'node', backend: 'webgpu', adapter: host.adapterInfo,
    max_bindings: host.device.limits.maxStorageBuffersPerShaderStage, cpu_like: ex.cpuLike,
    wg_storage: host.device.limits.maxComputeWorkgroupStorageSize, // the engine's tiles (_lib.py)
    subgroups: host.subgroups, // wg_set_subgroups (_lib.py)
  }));
  let pending = null; // the error of an enqueued chunk, for the next RUN's reply
  for await (const { kind, payload } of requests(IN, { blocking: true, spinUs: Number(process.env.WGPY_REMOTE_SPIN_US) || 0 })) {
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
      continue;
    }
    let err = await ex.run(0, payload.length);
    if (pending) err = err ? `${pending}\n${err}` : pending;
    pending = null;
    reply(OUT, err, err ? [] : reads.map((r) => ({ dst: r.dst, bytes: mem.heap.subarray(r.at, r.at + r.nbytes) })));
    // a RUN's time in this process, request read to reply written: the rest of what Python
    // waits is the pipes and Python (bench/h100/roundtrip_split.py)
    ex.stats.hostMs = (ex.stats.hostMs || 0) + (performance.now() - t0);
  }
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`wgpy remote executor: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
