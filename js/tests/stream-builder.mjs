// stream-builder.mjs — writes wgpy command streams (docs/stream.md, version 1.1) by hand, for the
// executors' unit tests (js/tests/browser/webgl2-executor-cases.mjs in the page,
// js/tests/test-webgpu-executor.mjs in Node).  No device and no engine: plain bytes.
//
//   const s = new Stream();
//   s.create(1, 10, 16); s.write(1, 0, new Float32Array([1, 2, 3, 4])); s.read(1, 0, 16, dst);
//   const bytes = s.bytes();   // one chunk: "WGST" 1.1 header, then the commands
//
// Kernels: kernel(id, { kind, ndim, nin, nout, nparams, nred, dt }, { target: text, ... }) writes
// an IR header without instructions (the executors only read the header) and the source entries;
// dispatch(id, shape, [{ h, off, strides, out }], params, k).  Every command is REQUIRED unless
// written with raw(op, payload, 0).

export class Stream {
  constructor() { this.cmds = []; }
  _cmd(op, payload, flags = 1) { this.cmds.push({ op, payload, flags }); }
  // any command, as given (flags: 1 REQUIRED, 0 optional)
  raw(op, payload = new Uint8Array(0), flags = 1) { this._cmd(op, payload, flags); }
  create(h, dtype, nbytes) {
    const b = new DataView(new ArrayBuffer(16));
    b.setUint32(0, h, true); b.setUint8(4, dtype); b.setBigInt64(8, BigInt(nbytes), true);
    this._cmd(1, new Uint8Array(b.buffer));
  }
  destroy(h) { const b = new DataView(new ArrayBuffer(8)); b.setUint32(0, h, true); this._cmd(2, new Uint8Array(b.buffer)); }
  write(h, off, data) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const b = new Uint8Array(24 + bytes.length);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, h, true); dv.setBigInt64(8, BigInt(off), true); dv.setBigInt64(16, BigInt(bytes.length), true);
    b.set(bytes, 24);
    this._cmd(3, b);
  }
  read(h, off, nbytes, dst, dtype = 10, widened = 0) {
    const dv = new DataView(new ArrayBuffer(40));
    dv.setUint32(0, h, true); dv.setBigInt64(8, BigInt(off), true); dv.setBigInt64(16, BigInt(nbytes), true);
    dv.setBigUint64(24, BigInt(dst), true); dv.setUint8(32, dtype); dv.setUint8(33, widened);
    this._cmd(4, new Uint8Array(dv.buffer));
  }
  // wgBlock: a workgroup kernel's points per workgroup (the IR's tag 3 block, docs/stream.md)
  kernel(id, { kind = 0, ndim, nin, nout, nparams = 0, nred = 0, dt = 10, wgBlock = 0 }, sources) {
    let L = 24 + 2 * nout + nin + nout + nparams;
    L = Math.ceil(L / 8) * 8;
    const L0 = L;
    if (wgBlock) L += 8;
    const ir = new Uint8Array(L);
    const dv = new DataView(ir.buffer);
    dv.setUint32(0, L, true);
    if (wgBlock) { dv.setUint32(L0, 3, true); dv.setUint32(L0 + 4, wgBlock, true); }
    ir[4] = kind; ir[5] = ndim; ir[6] = nin; ir[7] = nout; ir[8] = nparams; ir[10] = nred; ir[11] = dt;
    for (let i = 0; i < nin + nout; i++) ir[24 + 2 * nout + i] = dt;
    for (let i = 0; i < nparams; i++) ir[24 + 2 * nout + nin + nout + i] = dt;
    const enc = new TextEncoder();
    const parts = [];
    let len = 8 + L + 8;
    for (const [target, text] of Object.entries(sources)) {
      const t = enc.encode(target), x = enc.encode(text);
      const e = new Uint8Array(Math.ceil((8 + t.length + x.length) / 8) * 8);
      const edv = new DataView(e.buffer);
      edv.setUint32(0, t.length, true); edv.setUint32(4, x.length, true);
      e.set(t, 8); e.set(x, 8 + t.length);
      parts.push(e);
      len += e.length;
    }
    const b = new Uint8Array(len);
    const bdv = new DataView(b.buffer);
    bdv.setUint32(0, id, true);
    b.set(ir, 8);
    bdv.setUint32(8 + L, parts.length, true);
    let at = 8 + L + 8;
    for (const e of parts) { b.set(e, at); at += e.length; }
    this._cmd(5, b);
  }
  dispatch(id, shape, operands, params = [], k = 0) {
    const n = 8 + 8 * shape.length + 8 + operands.reduce((a, o) => a + 16 + 8 * o.strides.length, 0) + 8 * params.length;
    const dv = new DataView(new ArrayBuffer(n));
    dv.setUint32(0, id, true);
    dv.setUint8(4, shape.length); dv.setUint8(5, operands.filter((o) => !o.out).length);
    dv.setUint8(6, operands.filter((o) => o.out).length); dv.setUint8(7, params.length);
    let r = 8;
    for (const e of shape) { dv.setBigInt64(r, BigInt(e), true); r += 8; }
    dv.setBigInt64(r, BigInt(k), true); r += 8;
    for (const o of operands) {
      dv.setUint32(r, o.h, true); dv.setBigInt64(r + 8, BigInt(o.off), true);
      o.strides.forEach((s, d) => dv.setBigInt64(r + 16 + 8 * d, BigInt(s), true));
      r += 16 + 8 * o.strides.length;
    }
    for (const p of params) { dv.setFloat64(r, p, true); r += 8; }
    this._cmd(7, new Uint8Array(dv.buffer));
  }
  destroyKernel(id) { const b = new DataView(new ArrayBuffer(8)); b.setUint32(0, id, true); this._cmd(6, new Uint8Array(b.buffer)); }
  bytes() {
    const total = 16 + this.cmds.reduce((a, c) => a + 8 + Math.ceil(c.payload.length / 8) * 8, 0);
    const b = new Uint8Array(total);
    const dv = new DataView(b.buffer);
    b.set([0x57, 0x47, 0x53, 0x54]); dv.setUint16(4, 1, true); dv.setUint16(6, 1, true);
    dv.setBigUint64(8, BigInt(total), true);
    let at = 16;
    for (const c of this.cmds) {
      const plen = Math.ceil(c.payload.length / 8) * 8;
      dv.setUint16(at, c.op, true); dv.setUint16(at + 2, c.flags, true); dv.setUint32(at + 4, plen, true);
      b.set(c.payload, at + 8);
      at += 8 + plen;
    }
    return b;
  }
}
