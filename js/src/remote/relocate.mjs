// relocate.mjs — lets an executor in another process run a native engine's command stream.
//
// A READ_BUFFER names a destination address in the engine's memory.  An executor in Pyodide writes
// there directly (engine and host share wasm memory); a remote executor cannot, so the chunk is
// copied into a local heap, each READ's destination is rewritten to a slot of that heap after the
// chunk, and after the run the host sends back (original address, bytes) for each READ
// (python/wgpy/_remote.py writes them into the engine's memory).  The executors stay unchanged.

import { StreamReader, OP, DT } from '../stream/reader.mjs';

const align8 = (n) => Math.ceil(n / 8) * 8;

// The bytes a READ leaves at its destination: nbytes, except for a widened read (webgpu's one
// 32-bit word per bool/int8/int16 element), which the executor narrows to NumPy's layout.
function destinationBytes(cmd) {
  if (!cmd.widened) return cmd.nbytes;
  const item = cmd.dtype === DT.INT16 || cmd.dtype === DT.UINT16 ? 2 : 1;
  return (cmd.nbytes / 4) * item;
}

export class RelocatingHeap {
  constructor() {
    this.heap = new Uint8Array(1 << 20);
  }

  _ensure(n) {
    if (n <= this.heap.length) return;
    let cap = this.heap.length;
    while (cap < n) cap *= 2;
    this.heap = new Uint8Array(cap);
  }

  // Copies chunk to heap[0, n) and rewrites its READs; returns the reads to send back:
  // [{ dst (BigInt, the engine's address), at (heap offset), nbytes }].  A malformed stream is
  // left as it is: the executor reports it with the command's index.
  load(chunk) {
    const n = chunk.length;
    const reads = [];
    let need = align8(n);
    try {
      // only the READs are decoded: a walk that decoded every command cost a few µs per DISPATCH
      const r = new StreamReader(chunk, 'remote');
      for (const q of r.offsetsOf(OP.READ_BUFFER)) {
        const cmd = r.decodeAt(q);
        if (cmd.nbytes > 0) {
          const nbytes = destinationBytes(cmd);
          reads.push({ q, nbytes, at: need });
          need = align8(need + Math.max(nbytes, cmd.nbytes));
        }
      }
    } catch (e) { /* malformed: the executor's own reader names it */ }
    this._ensure(need);
    this.heap.set(chunk, 0);
    const dv = new DataView(this.heap.buffer, 0, n);
    return reads.map((r) => {
      const dst = dv.getBigUint64(r.q + 24, true);
      dv.setBigUint64(r.q + 24, BigInt(r.at), true);
      return { dst, at: r.at, nbytes: r.nbytes };
    });
  }
}
