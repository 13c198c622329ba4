// protocol.mjs — the frames between a native Python process and a remote executor
// (docs/remote.md).  Python writes requests to the executor's fd 3 and reads replies from its
// fd 4 (stdout and stderr stay free for the driver's and Dawn's messages).
//
// request:  'WGRQ' u32 kind, u64 length, payload
//           kind 1 RUN (a chunk; a reply follows), 2 ENQUEUE (a chunk without READs; no reply:
//           its error comes with the next RUN's reply), 3 STATS (reply: JSON), 4 QUIT
// reply:    'WGRP' u32 nreads, u32 message length, u32 reserved, message (utf-8: an error, or
//           JSON for the hello and STATS), then per read: u64 address, u64 nbytes, bytes

import fs from 'node:fs';

export const KIND = { RUN: 1, ENQUEUE: 2, STATS: 3, QUIT: 4 };

// Async iterator of { kind, payload } from fd.  blocking: read with fs.readSync, straight into
// the payload — the Node + Dawn host, where nothing else needs the event loop between requests
// (a stream's reads go through libuv's thread pool and a turn of the event loop per piece, which
// cost more than a small chunk's dispatches); the Chromium host keeps the stream, since
// Playwright's connection lives on the event loop.
// busy: a function, true while the host waits for device events (blocking mode): the request
// pipe is then polled between turns of the event loop instead of read blocking.
export async function* requests(fd, { blocking = false, spinUs = 0, busy = null } = {}) {
  if (blocking) {
    yield* blockingRequests(fd, spinUs, busy);
    return;
  }
  const stream = fs.createReadStream(null, { fd, highWaterMark: 1 << 20 });
  let buf = Buffer.alloc(0);
  for await (const piece of stream) {
    buf = buf.length ? Buffer.concat([buf, piece]) : piece;
    for (;;) {
      if (buf.length < 16) break;
      if (buf.toString('latin1', 0, 4) !== 'WGRQ') throw new Error('remote executor: bad request frame');
      const kind = buf.readUInt32LE(4);
      const len = Number(buf.readBigUInt64LE(8));
      if (buf.length < 16 + len) break;
      // a copy that owns its memory: the executor keeps views of the chunk
      const payload = new Uint8Array(len);
      payload.set(buf.subarray(16, 16 + len));
      buf = buf.subarray(16 + len);
      yield { kind, payload };
    }
  }
}

function readFull(fd, buf, n) {
  let got = 0;
  while (got < n) {
    let k;
    try {
      k = fs.readSync(fd, buf, got, n - got, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // a non-blocking fd: wait 1 ms
      continue;
    }
    if (k === 0) {
      if (got === 0) return false; // the other end closed between frames
      throw new Error('remote executor: truncated request frame');
    }
    got += k;
  }
  return true;
}

// A second open file description of the pipe on fd, non-blocking (Linux's /proc/self/fd), so
// that a frame's first bytes can be polled for a while before a blocking read sleeps: a thread
// that sleeps in read() is woken by the scheduler some microseconds after the writer's write,
// twice a round trip (here and in Python, _remote.py).  -1 where there is no /proc.
function nonBlockingTwin(fd) {
  try {
    return fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return -1;
  }
}

// Poll fd2 (non-blocking) for up to spinUs µs for the first bytes of a frame; the bytes read
function spinRead(fd2, buf, n, spinUs) {
  const end = performance.now() + spinUs / 1000;
  do {
    try {
      return fs.readSync(fd2, buf, 0, n, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
  } while (performance.now() < end);
  return -1;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

// A frame's first bytes, polled from the non-blocking twin while busy() (the event loop turns
// between polls, so the device's callbacks run); -1 once not busy, or 0 at the end of the pipe.
async function pollWhileBusy(twin, buf, n, busy) {
  while (busy()) {
    try {
      return fs.readSync(twin, buf, 0, n, null);
    } catch (e) {
      if (e.code !== 'EAGAIN') throw e;
    }
    await turn();
  }
  return -1;
}

async function* blockingRequests(fd, spinUs, busy) {
  const head = Buffer.alloc(16);
  const twin = spinUs > 0 || busy ? nonBlockingTwin(fd) : -1;
  for (;;) {
    let got = twin >= 0 && busy && busy() ? await pollWhileBusy(twin, head, 16, busy) : -1;
    if (got < 0 && twin >= 0 && spinUs > 0) got = spinRead(twin, head, 16, spinUs);
    if (got === 0) return; // the other end closed between frames
    if (got < 0) {
      if (!readFull(fd, head, 16)) return;
    } else if (got < 16 && !readFull(fd, head.subarray(got), 16 - got)) {
      throw new Error('remote executor: truncated request frame');
    }
    if (head.toString('latin1', 0, 4) !== 'WGRQ') throw new Error('remote executor: bad request frame');
    const kind = head.readUInt32LE(4);
    const len = Number(head.readBigUInt64LE(8));
    const payload = new Uint8Array(len); // owns its memory: the executor keeps views of the chunk
    if (len && !readFull(fd, payload, len)) throw new Error('remote executor: truncated request frame');
    yield { kind, payload };
  }
}

function writeAll(fd, b) {
  let off = 0;
  while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
}

// reads: [{ dst (BigInt), bytes (Uint8Array) }]
export function reply(fd, message, reads = []) {
  const msg = Buffer.from(message || '', 'utf8');
  const head = Buffer.alloc(16);
  head.write('WGRP', 0, 'latin1');
  head.writeUInt32LE(reads.length, 4);
  head.writeUInt32LE(msg.length, 8);
  const parts = [head, msg];
  for (const r of reads) {
    const h = Buffer.alloc(16);
    h.writeBigUInt64LE(r.dst, 0);
    h.writeBigUInt64LE(BigInt(r.bytes.length), 8);
    parts.push(h, Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.length));
  }
  writeAll(fd, Buffer.concat(parts));
}
