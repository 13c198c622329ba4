"""Executors in another process, for native CPython (docs/remote.md).

Inside Pyodide the JavaScript host registers the executor module ``_wgpy_<backend>``.  Natively
there is no JavaScript in the process, so ``WGPY_BACKEND=webgpu`` (or ``webgl2``) starts one: a
Node process running the webgpu executor over Dawn (js/src/remote/node-webgpu.mjs), or headless
Chromium running the webgpu or webgl2 executor in a page (js/src/remote/chromium.mjs;
``WGPY_REMOTE_HOST=chromium``, the only host for webgl2).  The engine's command stream travels as
it is; the executor sends back the bytes of each READ, which are copied to their destination here.
The object offers what the in-process executors do: ``run(ptr, n)`` (None or an error message),
``enqueue(ptr, n)`` and ``max_bindings``.
"""

import ctypes
import json
import mmap
import os
import select
import struct
import subprocess
import sys
import time

_HEAD = struct.Struct('<4sIQ')
_REPLY = struct.Struct('<4sIII')
_READ = struct.Struct('<QQ')
RUN, ENQUEUE, STATS, QUIT = 1, 2, 3, 4


def _root():
    """The repository root (js/ lives there): WGPY_ROOT, else the checkout this file is in."""
    r = os.environ.get('WGPY_ROOT')
    if r:
        return r
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(os.path.dirname(here))


class RemoteExecutor:
    def __init__(self, backend, host):
        self.backend, self.host = backend, host
        # the Node host encodes beside Python's recording (_config.RUN_AHEAD_OWN_PROCESS) where
        # there are cores for both (8 or more: on 2 the executor, Dawn's device threads and
        # Python contend, and test_reduction_kernels + test_matmul took 1.5x as long); the
        # Chromium host relays every frame through Playwright, where a hand-off is not cheap
        self.own_process = host == 'node' and _many_cores()
        script = {'node': 'node-webgpu.mjs', 'chromium': 'chromium.mjs'}[host]
        path = os.path.join(_root(), 'js', 'src', 'remote', script)
        if not os.path.exists(path):
            raise ImportError('wgpy: backend %r natively needs the remote executor %s (set '
                              'WGPY_ROOT to a wgpy checkout with node_modules)' % (backend, path))
        node = os.environ.get('NODE', 'node')
        r_req, w_req = os.pipe()
        r_rep, w_rep = os.pipe()
        _widen_pipe(w_req)
        self.spin_us = _spin_us()
        env = dict(os.environ, WGPY_REMOTE_BACKEND=backend, WGPY_REMOTE_SPIN_US=str(self.spin_us))
        env.pop('LD_PRELOAD', None)  # a sanitizer preloaded into this Python is not Node's
        # Hand-offs in flight (ready()): the Node host counts the handed-over chunks the device
        # has finished into a word of shared memory on its fd 5
        self.max_in_flight = _max_in_flight(self.own_process) if host == 'node' else 0
        self._sent, self._done, self._done_map, done_fd = 0, None, None, -1
        if self.max_in_flight:
            done_fd = _done_counter()
            if done_fd < 0:
                self.max_in_flight = 0
            else:
                self._done_map = mmap.mmap(done_fd, 4096)
                self._done = memoryview(self._done_map).cast('I')
                env['WGPY_REMOTE_DONE_FD'] = '5'
        try:
            # the child's fd 3 reads requests, fd 4 writes replies (see protocol.mjs)
            self.proc = subprocess.Popen(
                [node, path], env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr.fileno()
                if hasattr(sys.stderr, 'fileno') else None,
                pass_fds=(3, 4, 5) if done_fd >= 0 else (3, 4),
                preexec_fn=lambda: _dup_to(r_req, w_rep, done_fd))
        except (OSError, ValueError) as e:
            raise ImportError('wgpy: cannot start the %s executor for backend %r: %s'
                              % (host, backend, e)) from None
        finally:
            os.close(r_req)
            os.close(w_rep)
            if done_fd >= 0:
                os.close(done_fd)
        self._w = os.fdopen(w_req, 'wb', buffering=0)
        self._r = os.fdopen(r_rep, 'rb', buffering=0)
        self._poll = None
        self._pending = b''  # reply bytes read from the pipe and not yet taken
        if self.spin_us > 0 and hasattr(select, 'poll'):
            self._poll = select.poll()
            self._poll.register(r_rep, select.POLLIN)
        try:
            hello = json.loads(self._reply(expect_reads=False) or '{}')
        except (OSError, ValueError, RuntimeError) as e:
            self.close()
            raise ImportError('wgpy: the %s executor for backend %r did not start: %s'
                              % (host, backend, e)) from None
        if 'error' in hello:
            self.close()
            raise ImportError('wgpy: backend %r: %s' % (backend, hello['error']))
        self.info = hello
        self.max_bindings = hello.get('max_bindings') or 0
        self.cpu_like = bool(hello.get('cpu_like'))
        self.wg_storage = hello.get('wg_storage') or 0
        self.wg_invocations = hello.get('wg_invocations') or 0
        self.subgroups = hello.get('subgroups')  # [min, max] lanes, or None: wg_set_subgroups
        self.adapter = json.dumps(hello.get('adapter') or {})
        self.round_trips = 0

    # ---- frames ----
    def _send(self, kind, data=b''):
        head = _HEAD.pack(b'WGRQ', kind, len(data))
        if not data:
            self._w.write(head)
            return
        # one write for the frame: a header written alone woke the executor for 16 bytes, and
        # it then slept again in its read of the payload (a second wake-up a round trip)
        done = os.writev(self._w.fileno(), (head, data))
        if done < len(head) + len(data):  # interrupted part way (a signal): the rest in order
            rest = memoryview(head + data)[done:]
            while len(rest):
                rest = rest[os.write(self._w.fileno(), rest):]

    def _take(self, n):
        """n bytes of the reply: from what the last read brought first (a whole small reply comes
        in one read: a syscall for each of its parts cost more than the parts), then the pipe."""
        b = self._pending
        if len(b) >= n:
            self._pending = b[n:]
            return b[:n]
        self._pending = b''
        return b + self._read_exact(n - len(b))

    def _read_exact(self, n):
        parts, got = [], 0
        while got < n:
            b = self._r.read(n - got)
            if not b:
                raise RuntimeError('%s executor (%s) exited (exit status %s)'
                                   % (self.backend, self.host, self.proc.poll()))
            parts.append(b)
            got += len(b)
        return b''.join(parts)

    def _spin(self):
        """Poll the reply pipe for up to spin_us before the blocking read sleeps (see _spin_us)."""
        end = time.perf_counter() + self.spin_us * 1e-6
        poll = self._poll.poll
        while not poll(0) and time.perf_counter() < end:
            pass

    def _reply(self, expect_reads=True):
        if self._poll is not None:
            self._spin()
        if not self._pending:
            self._pending = self._r.read(1 << 16) or b''  # at least a byte (b'': it exited)
        magic, nreads, mlen, _ = _REPLY.unpack(self._take(_REPLY.size))
        if magic != b'WGRP':
            raise RuntimeError('%s executor (%s): bad reply frame' % (self.backend, self.host))
        msg = self._take(mlen).decode('utf-8', 'replace') if mlen else ''
        for _ in range(nreads):
            dst, n = _READ.unpack(self._take(_READ.size))
            data = self._take(n)
            ctypes.memmove(dst, data, n)
        return msg

    # ---- the executor interface (python/wgpy/_lib.py) ----
    def run(self, ptr, n):
        self._send(RUN, ctypes.string_at(ptr, n))
        self.round_trips += 1
        return self._reply() or None

    def enqueue(self, ptr, n):
        self._send(ENQUEUE, ctypes.string_at(ptr, n))
        self._sent += 1
        return True

    def ready(self):
        """May a chunk be handed over now (run ahead)?  While max_in_flight handed-over chunks
        are not yet done on the device, no: the engine's stream keeps growing, and back-to-back
        reductions go over together in one chunk (one submit) once the device catches up, where
        a hand-off each paid a submit each; a training step, whose kernels take less time than
        Python takes to record the next, finds the device idle and hands over at once."""
        done = self._done
        return done is None or (self._sent - done[0]) & 0xffffffff < self.max_in_flight

    def in_flight(self):
        """Handed-over chunks the device has not finished (None where the host does not say)."""
        return None if self._done is None else (self._sent - self._done[0]) & 0xffffffff

    def stats(self):
        self._send(STATS)
        return self._reply()

    def close(self):
        try:
            self._send(QUIT)
            self._w.close()
        except (OSError, ValueError, AttributeError):
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def _many_cores():
    return (os.cpu_count() or 1) >= 8


def _spin_us():
    """How long each side of the pipes polls for a frame before its blocking read sleeps (µs):
    a thread asleep in read() is woken some microseconds after the other process writes, twice a
    round trip (Python waiting for a reply, the executor for the next request), and a read's round
    trip is what a[mask] and nonzero wait for every call.  Polling costs a core while it lasts, so
    it is on only where cores are plenty (8 or more: not on the 2-core CI machine, where a spinning
    process takes the core the other one needs).  WGPY_REMOTE_SPIN_US overrides (0: off)."""
    v = os.environ.get('WGPY_REMOTE_SPIN_US', '').strip()
    if v:
        try:
            return max(0, int(v))
        except ValueError:
            raise ImportError('wgpy: WGPY_REMOTE_SPIN_US=%r is not a number of microseconds' % v) from None
    return 1000 if _many_cores() else 0


def _max_in_flight(own_process):
    """How many handed-over chunks may be unfinished on the device before run ahead waits
    (ready()): 2 where the host encodes on a core of its own (one running, one queued behind it:
    the device never waits for the next hand-off), else 0 — no limit, and the Node host does not
    track completions (it turns its event loop while any are outstanding, a busy poll that a
    2-core machine cannot spare).  WGPY_MAX_IN_FLIGHT overrides (0: no limit)."""
    v = os.environ.get('WGPY_MAX_IN_FLIGHT', '').strip()
    if v:
        try:
            return max(0, int(v))
        except ValueError:
            raise ImportError('wgpy: WGPY_MAX_IN_FLIGHT=%r is not a number of chunks' % v) from None
    return 2 if own_process else 0


def _done_counter():
    """A file descriptor of one page of shared memory (Linux's memfd), -1 where there is none."""
    try:
        fd = os.memfd_create('wgpy-done', 0)
    except (AttributeError, OSError):
        return -1
    try:
        os.ftruncate(fd, 4096)
    except OSError:
        os.close(fd)
        return -1
    return fd


def _widen_pipe(fd):
    """A request pipe of 1 MiB (Linux; the default 64 KiB elsewhere): a chunk handed over
    without waiting (ENQUEUE: run ahead) is written while the executor still encodes the one
    before, and a write into a full pipe blocks Python until the executor reads it — 0.5 ms a
    hand-off of Chainer's MLP step on SwiftShader, against 0.04 ms of CPU."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, 'F_SETPIPE_SZ', 1031), 1 << 20)
    except (ImportError, OSError):
        pass


def _dup_to(r_req, w_rep, done_fd=-1):
    """In the child: the request pipe on fd 3, the reply pipe on fd 4, the done counter on 5."""
    os.dup2(r_req, 3)
    os.dup2(w_rep, 4)
    if done_fd >= 0:
        os.dup2(done_fd, 5)


_open = {}


def open_remote(backend):
    """The remote executor for backend (one per process and backend, closed at exit)."""
    host = os.environ.get('WGPY_REMOTE_HOST', '').strip().lower()
    if not host:
        host = 'node' if backend == 'webgpu' else 'chromium'
    if host not in ('node', 'chromium'):
        raise ImportError('wgpy: WGPY_REMOTE_HOST=%r (choose node or chromium)' % host)
    if backend == 'webgl2' and host != 'chromium':
        raise ImportError("wgpy: backend 'webgl2' exists only in browsers: "
                          'WGPY_REMOTE_HOST=chromium (Node has no WebGL)')
    key = (backend, host)
    ex = _open.get(key)
    if ex is None:
        t0 = time.perf_counter()
        ex = _open[key] = RemoteExecutor(backend, host)
        ex.start_seconds = time.perf_counter() - t0
        import atexit
        atexit.register(ex.close)
    return ex
