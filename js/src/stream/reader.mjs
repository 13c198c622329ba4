// reader.mjs — parses wgpy's command stream (docs/stream.md) for the JavaScript executors.
//
// Shared by js/src/webgpu/executor.mjs and js/src/webgl2/executor.mjs: the chunk and command
// framing, the payload of every command, CREATE_KERNEL's IR header and source entries, DISPATCH's
// shape / operands / parameters, and the argument words of docs/webgpu.md (the same layout for
// WGSL and GLSL).  No device calls and no semantics here: an executor walks the commands and does
// what each says.
//
//   const r = new StreamReader(bytes, 'webgl2');       // bytes: the executor's own copy
//   for (const cmd of r.commands()) {                   // unknown optional commands are skipped
//     switch (cmd.op) {
//     case OP.CREATE_BUFFER: ... cmd.handle, cmd.dtype, cmd.size
//     case OP.DISPATCH: { const d = r.dispatch(cmd, kernel.ir); if (d.skip) break; ... }
//     }
//   }
//   r.fail('message')   // throws a StreamError naming the current command's index, opcode, byte
//
// Every message a malformed stream gets names the command index, its opcode and its byte offset
// ("command stream: command 3 (DISPATCH) at byte 208: unknown kernel id 9").

export const OP = {
  CREATE_BUFFER: 1, DESTROY_BUFFER: 2, WRITE_BUFFER: 3, READ_BUFFER: 4,
  CREATE_KERNEL: 5, DESTROY_KERNEL: 6, DISPATCH: 7,
};
export const OP_NAMES = ['', 'CREATE_BUFFER', 'DESTROY_BUFFER', 'WRITE_BUFFER', 'READ_BUFFER',
  'CREATE_KERNEL', 'DESTROY_KERNEL', 'DISPATCH'];
export const FLAG_REQUIRED = 1;
// the commands an executor skips once a command of the same run has failed (resumable())
export const AFTER_FAILURE_SKIPPED = new Set([OP.WRITE_BUFFER, OP.READ_BUFFER, OP.DISPATCH]);
export const KIND = { ELEMENTWISE: 0, REDUCE: 1, MATMUL: 2 };
// dtype numbers (wgpy.h's order) that the executors need
export const DT = { BOOL: 0, INT8: 1, INT16: 2, INT32: 3, INT64: 4, UINT8: 5, UINT16: 6, UINT32: 7,
  UINT64: 8, FLOAT16: 9, FLOAT32: 10, FLOAT64: 11 };
const FLOAT_DTYPES = new Set([DT.FLOAT16, DT.FLOAT32, DT.FLOAT64]);

// A malformed stream or a failed device call: run() returns its message (it never throws).
export class StreamError extends Error {}

const utf8 = new TextDecoder();

// A signed 64-bit field as a Number, without a BigInt (exact below 2^53; larger values stay out
// of every range the executors accept, so their checks still fail them).
const i64 = (dv, at) => dv.getInt32(at + 4, true) * 4294967296 + dv.getUint32(at, true);
const f32bits = new Float32Array(1), f32word = new Uint32Array(f32bits.buffer);

export class StreamReader {
  // bytes: Uint8Array holding whole chunks (a copy the executor owns: wasm memory may move)
  constructor(bytes, backend) {
    this.bytes = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.backend = backend;      // named in the messages about limits of the device
    this.index = 0;              // the current command's index in the run
    this.op = 0;
    this.at = 0;                 // its byte offset
  }

  fail(msg) {
    throw new StreamError(`command stream: command ${this.index} (${OP_NAMES[this.op] || `opcode ${this.op}`}) at byte ${this.at}: ${msg}`);
  }

  // commands() for an executor that carries on after a bad command (docs/webgpu.md): an iterable
  // that a for-of can enter again after a throw, resuming where it stopped (leaving a loop by a
  // throw does not close the one generator underneath).  After a failure an executor still
  // applies the creates and destroys (the engine counts on them in later chunks) and skips the
  // data commands, AFTER_FAILURE_SKIPPED.
  resumable() {
    const gen = this.commands();
    return { [Symbol.iterator]: () => ({ next: () => gen.next() }) };
  }

  // The commands of every chunk, decoded (the object is fresh per command).  Unknown commands
  // without REQUIRED are skipped; a malformed frame throws (fail).
  *commands() {
    const { bytes, dv } = this;
    const n = bytes.length;
    let off = 0;
    while (off < n) {
      if (n - off < 16) this.fail('truncated chunk header');
      const magic = String.fromCharCode(bytes[off], bytes[off + 1], bytes[off + 2], bytes[off + 3]);
      if (magic !== 'WGST') this.fail('bad magic');
      const major = dv.getUint16(off + 4, true);
      if (major !== 1) this.fail(`version ${major}.${dv.getUint16(off + 6, true)}, this reader supports major version 1`);
      const total = i64(dv, off + 8);
      if (total < 16 || off + total > n) this.fail(`chunk length ${total} out of bounds`);
      const end = off + total;
      let p = off + 16;
      while (p < end) {
        this.at = p;
        if (end - p < 8) this.fail('truncated command frame');
        const op = dv.getUint16(p, true), flags = dv.getUint16(p + 2, true), plen = dv.getUint32(p + 4, true);
        this.op = op;
        const q = p + 8;
        if (q + plen > end) this.fail('payload runs past its chunk');
        const cmd = this._decode(op, flags, q, plen);
        if (cmd) yield cmd;
        p = q + plen;
        this.index++;
      }
      off = end;
    }
  }

  _need(plen, k) {
    if (plen < k) this.fail(`payload of ${plen} bytes, needs ${k}`);
  }

  // Every command object has the same fields in the same order (one hidden class in V8: the
  // executors' per-DISPATCH path reads them; an object spread per command cost more than a
  // dispatch's device calls).
  _decode(op, flags, q, plen) {
    const { dv, bytes } = this;
    switch (op) {
    case OP.CREATE_BUFFER:
      this._need(plen, 16);
      return { op, flags, q, plen, handle: dv.getUint32(q, true), dtype: bytes[q + 4], size: i64(dv, q + 8) };
    case OP.DESTROY_BUFFER:
      this._need(plen, 8);
      return { op, flags, q, plen, handle: dv.getUint32(q, true) };
    case OP.WRITE_BUFFER: {
      this._need(plen, 24);
      const nbytes = i64(dv, q + 16);
      // data: null when the payload does not hold nbytes (the executor reports it with the range)
      const data = nbytes >= 0 && 24 + nbytes <= plen ? bytes.subarray(q + 24, q + 24 + nbytes) : null;
      return { op, flags, q, plen, handle: dv.getUint32(q, true), offset: i64(dv, q + 8), nbytes, data };
    }
    case OP.READ_BUFFER:
      this._need(plen, 32);
      return {
        op, flags, q, plen,
        handle: dv.getUint32(q, true),
        offset: i64(dv, q + 8),
        nbytes: i64(dv, q + 16),
        dst: Number(dv.getBigUint64(q + 24, true)),
        dtype: plen >= 40 ? bytes[q + 32] : -1,    // 1.1: the dtype read
        widened: plen >= 40 ? bytes[q + 33] : 0,   // 1.1: storage 1 = one 32-bit word per element
      };
    case OP.CREATE_KERNEL:
      return this._createKernel({ op, flags, q, plen }, q, plen);
    case OP.DESTROY_KERNEL:
      this._need(plen, 8);
      return { op, flags, q, plen, id: dv.getUint32(q, true) };
    case OP.DISPATCH:
      this._need(plen, 8);
      return { op, flags, q, plen, id: dv.getUint32(q, true), ndim: bytes[q + 4], nin: bytes[q + 5], nout: bytes[q + 6], nparams: bytes[q + 7] };
    default:
      if (flags & FLAG_REQUIRED) this.fail(`unknown required opcode ${op}`);
      return null;
    }
  }

  // The payload offsets of the commands with opcode `op`, without decoding the others (the remote
  // host's READ relocation walks every chunk once more).  Stops quietly at a malformed frame: the
  // executor's own walk reports it.
  offsetsOf(op) {
    const { bytes, dv } = this;
    const n = bytes.length, found = [];
    let off = 0;
    while (off + 16 <= n && bytes[off] === 0x57 && bytes[off + 1] === 0x47 && bytes[off + 2] === 0x53 && bytes[off + 3] === 0x54) {
      const total = i64(dv, off + 8);
      if (total < 16 || off + total > n) break;
      const end = off + total;
      for (let p = off + 16; p + 8 <= end;) {
        const plen = dv.getUint32(p + 4, true);
        if (p + 8 + plen > end) return found;
        if (dv.getUint16(p, true) === op) found.push(p + 8);
        p += 8 + plen;
      }
      off = end;
    }
    return found;
  }

  // The command whose payload starts at q (an offset from offsetsOf).
  decodeAt(q) {
    const { dv } = this;
    return this._decode(dv.getUint16(q - 8, true), dv.getUint16(q - 6, true), q, dv.getUint32(q - 4, true));
  }

  // CREATE_KERNEL: the IR header fields an executor needs (ir), and the source entries
  // (sources: Map target -> text).
  _createKernel(base, q, plen) {
    const { dv, bytes } = this;
    this._need(plen, 8 + 24);
    const id = dv.getUint32(q, true);
    const s0 = q + 8;
    const L = dv.getUint32(s0, true);
    if (L < 24 || 8 + L > plen) this.fail(`IR section length ${L} out of bounds`);
    const kind = bytes[s0 + 4], ndim = bytes[s0 + 5], nin = bytes[s0 + 6], nout = bytes[s0 + 7];
    const nparams = bytes[s0 + 8], fold = bytes[s0 + 9], nred = bytes[s0 + 10], accDtype = bytes[s0 + 11];
    const d0 = s0 + 24 + 2 * nout;
    if (d0 + nin + nout + nparams > s0 + L) this.fail('IR header runs past its section');
    if (kind === KIND.REDUCE && nred > ndim) this.fail(`nred ${nred} > ndim ${ndim}`);
    const inputDtypes = Array.from(bytes.subarray(d0, d0 + nin));
    const outputDtypes = Array.from(bytes.subarray(d0 + nin, d0 + nin + nout));
    const paramDtypes = Array.from(bytes.subarray(d0 + nin + nout, d0 + nin + nout + nparams));
    const nst = kind === KIND.REDUCE ? ndim - nred : ndim;
    const ir = {
      kind, ndim, nin, nout, nparams, fold, nred, accDtype, inputDtypes, outputDtypes, paramDtypes, nst,
      // the argument words (docs/webgpu.md; wgC_wgsl_arg_words)
      nwords: 4 + ndim + nin * (1 + ndim) + nout * (1 + nst) + nparams + (kind === KIND.REDUCE ? 2 : 0),
      wgBlock: 0,  // workgroup kernels (tag 3): points per workgroup
      wgSharedBytes: 0,  // their workgroup arrays (tag 5): bytes of workgroup memory
    };
    // the appended blocks (docs/stream.md): tag 1 (statement), 2 (native), 3 (workgroup)
    {
      const pad8 = (n) => Math.ceil(n / 8) * 8;
      const ninst = dv.getUint32(s0 + 12, true), npost = dv.getUint32(s0 + 16, true);
      let e = pad8(pad8(24 + 2 * nout + nin + nout + nparams) + 12 * (ninst + npost));
      if (e + 8 <= L && dv.getUint32(s0 + e, true) === 1)
        e = pad8(e + 8 + dv.getUint32(s0 + e + 4, true) + 2 * nout + nin + nout);
      if (e + 16 <= L && dv.getUint32(s0 + e, true) === 2)
        e = pad8(e + 16 + 2 * nin + dv.getUint32(s0 + e + 8, true));
      if (e + 8 <= L && dv.getUint32(s0 + e, true) === 3) {
        ir.wgBlock = dv.getUint32(s0 + e + 4, true);
        if (ir.wgBlock < 1 || ir.wgBlock > 1024) this.fail(`workgroup of ${ir.wgBlock} points`);
        e += 8;
        if (e + 8 <= L && dv.getUint32(s0 + e, true) === 5) { // workgroup arrays (4 bytes an element in WGSL)
          const ns = dv.getUint32(s0 + e + 4, true);
          if (ns < 1 || ns > 16 || e + 8 + 8 * ns > L) this.fail(`${ns} workgroup arrays`);
          for (let a = 0; a < ns; a++) ir.wgSharedBytes += 4 * dv.getUint32(s0 + e + 12 + 8 * a, true);
        }
      }
    }
    // the source section
    let s = s0 + L;
    if (s + 8 > q + plen) this.fail('missing source section');
    const nsrc = dv.getUint32(s, true);
    s += 8;
    const sources = new Map();
    for (let i = 0; i < nsrc; i++) {
      if (s + 8 > q + plen) this.fail('source entry runs past the payload');
      const tl = dv.getUint32(s, true), sl = dv.getUint32(s + 4, true);
      if (s + 8 + tl + sl > q + plen) this.fail('source entry runs past the payload');
      const target = utf8.decode(bytes.subarray(s + 8, s + 8 + tl));
      sources.set(target, utf8.decode(bytes.subarray(s + 8 + tl, s + 8 + tl + sl)));
      s += 8 + tl + sl;
      s = q + Math.ceil((s - q) / 8) * 8;
    }
    return { ...base, id, ir, sources };
  }

  // DISPATCH's body, checked against the kernel's IR (cmd from commands(), ir from its
  // CREATE_KERNEL).  Returns
  //   { skip: true }  for an empty iteration space (nothing to compute), else
  //   { shape, k, points, inner, nkeep, handles, operands: [{ handle, offset, strides }],
  //     words: Uint32Array (ceil(nwords / 4) * 4; words 0, 1, shape, operands and params filled;
  //     word 2 and REDUCE's slices/phase are the executor's), i32: words as an Int32Array }.
  // withOperands false leaves operands null (the webgpu executor reads them from the words).
  // Offsets and strides must fit an i32, extents a u32 (the argument words are 32-bit).
  dispatch(cmd, ir, withOperands = true) {
    const { dv } = this;
    const { q, plen, ndim, nin, nout, nparams: np } = cmd;
    if (ndim !== ir.ndim || nin !== ir.nin || nout !== ir.nout || np !== ir.nparams) this.fail('counts differ from the kernel');
    const nst = ir.nst;
    this._need(plen, 8 + 8 * ndim + 8 + (nin + nout) * 16 + nin * 8 * ndim + nout * 8 * nst + 8 * np);
    const words = new Uint32Array(Math.ceil(ir.nwords / 4) * 4);
    const i32 = new Int32Array(words.buffer);
    let r = q + 8;
    const shape = new Array(ndim);
    for (let d = 0; d < ndim; d++, r += 8) {
      const e = i64(dv, r);
      if (e < 0 || e > 0xffffffff) this.fail(`extent ${e} out of range for ${this.backend}`);
      shape[d] = e;
      words[4 + d] = e;
    }
    const k = i64(dv, r);
    r += 8;
    const nkeep = ir.kind === KIND.REDUCE ? ndim - ir.nred : ndim;
    let points = 1, inner = 1;
    for (let d = 0; d < nkeep; d++) points *= shape[d];
    for (let d = nkeep; d < ndim; d++) inner *= shape[d];
    if (ir.kind === KIND.MATMUL) inner = k;
    let w = 4 + ndim;
    const handles = new Array(nin + nout), operands = withOperands ? [] : null;
    for (let o = 0; o < nin + nout; o++) {
      const h = dv.getUint32(r, true);
      const ns = o < nin ? ndim : nst;
      handles[o] = h;
      const w0 = w;
      for (let d = -1; d < ns; d++) { // the offset, then the strides
        const v = i64(dv, r + 16 + 8 * d);
        if (v < -0x80000000 || v > 0x7fffffff) this.fail(`offset or stride ${v} does not fit 32 bits`);
        i32[w++] = v;
      }
      if (withOperands) operands.push({ handle: h, offset: i32[w0], strides: Array.from(i32.subarray(w0 + 1, w)) });
      r += 16 + 8 * ns;
    }
    const pd = ir.paramDtypes;
    for (let i = 0; i < np; i++, r += 8) {
      if (FLOAT_DTYPES.has(pd[i])) {
        f32bits[0] = dv.getFloat64(r, true);
        words[w++] = f32word[0];
      } else {
        words[w++] = dv.getUint32(r, true); // the low word: the value wrapped to 32 bits
      }
    }
    if (points === 0 || inner < 0 || inner > 0xffffffff) {
      if (points === 0) return { skip: true }; // nothing to compute
      this.fail(`reduction or contraction length ${inner} out of range`);
    }
    if (points > 0xffffffff) this.fail(`${points} points exceed one ${this.backend} dispatch`);
    words[0] = points;
    words[1] = inner;
    return { skip: false, shape, k, points, inner, nkeep, handles, operands, words, i32 };
  }
}

// READ of a widened dtype (storage 1): n32 words (Int32Array) -> NumPy's layout at heap[dst].
// Returns false when the destination lies outside heap.
export function narrowInto(heap, dst, s32, n32, dtype) {
  const item = dtype === DT.INT16 || dtype === DT.UINT16 ? 2 : 1;
  if (dst < 0 || dst + n32 * item > heap.length) return false;
  if (item === 1) {
    const out = heap.subarray(dst, dst + n32);
    if (dtype === DT.BOOL) for (let i = 0; i < n32; i++) out[i] = s32[i] !== 0 ? 1 : 0;
    else for (let i = 0; i < n32; i++) out[i] = s32[i] & 0xff;
  } else {
    for (let i = 0; i < n32; i++) {
      heap[dst + 2 * i] = s32[i] & 0xff;
      heap[dst + 2 * i + 1] = (s32[i] >> 8) & 0xff;
    }
  }
  return true;
}
