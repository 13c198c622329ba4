"""Errors raised by a GPU executor (webgpu, webgl2) reach Python as exceptions with a useful
message, and wgpy keeps working afterwards: an array too large for the device, an element count
no dispatch can address, and malformed chunks handed to the host's executor (a bad magic, a shader
that does not compile) through the path that wgpy itself uses (``_lib.run_stream``).

Only on the executor backends (skipped on cpu and loopback, where no executor runs); compared
with plain Python values (no golden records).  The executors' own unit tests, on hand-written
streams: js/tests/test-webgpu-executor.mjs, js/tests/browser/webgl2-executor-cases.mjs."""

import ctypes
import gc
import json
import math
import struct

import pytest

import wgpy
from wgpy import _lib

BACKEND = wgpy.get_backend_name()
pytestmark = pytest.mark.skipif(
    BACKEND not in _lib.EXECUTOR_BACKENDS,
    reason='backend %r runs no executor (webgpu and webgl2 only)' % BACKEND)

# A float32 count over SwiftShader's maxBufferSize (1 GiB), and one whose extent no dispatch
# addresses (> 2^32 elements; on webgl2 also more texture layers than a context has).  The engine
# makes no host memory for either: only the executor sees the size.
OVER_MAX_BUFFER = 2 ** 28 + 2 ** 20
BEYOND_DISPATCH = 2 ** 36


def _adapter():
    """The host's adapter description (lower case), '' when the host does not say."""
    try:
        return json.dumps(json.loads(str(_lib._executor.adapter))).lower()
    except Exception:
        return ''


def _still_works():
    """Work after an error: fresh arrays, elementwise (fused), setitem, a reduction, a matmul."""
    x = wgpy.arange(12, dtype='float32').reshape(3, 4)
    y = wgpy.sqrt(x * x + 9.0) - 3.0
    y[1, 1] = 100.0
    assert y.tolist()[1] == pytest.approx([2.0, 100.0, 45 ** 0.5 - 3, 58 ** 0.5 - 3], rel=1e-6)
    assert float(x.sum()) == 66.0
    assert (x @ x.T).tolist()[0] == [14.0, 38.0, 62.0]


def _expect_executor_error(run, patterns):
    """run() raises RuntimeError or MemoryError whose message contains one of patterns."""
    with pytest.raises((RuntimeError, MemoryError)) as info:
        run()
    msg = str(info.value)
    assert any(p in msg for p in patterns), 'unhelpful message: %r' % msg
    return msg


def _huge(n, f):
    """ones(n), a setitem, then f: the sync at the end runs one chunk whose first dispatch fails
    (the kernels of f are created later in that chunk, so the executor must still take them)."""
    a = wgpy.ones(n, dtype='float32')
    a[5] = 3.0
    b = f(a)
    return float(b[5]), float(b[n - 1])


def _small(f, want):
    """The same work on 10 elements gives want(3.0), want(1.0)."""
    got = _huge(10, f)
    assert got == (pytest.approx(want(3.0), rel=1e-6), pytest.approx(want(1.0), rel=1e-6))


def test_array_over_max_buffer_size():
    if BACKEND == 'webgl2':
        pytest.skip('webgl2 has no maxBufferSize: a 1 GiB array is 17 texture layers, which a '
                    'context may well allocate')
    f, want = (lambda a: wgpy.tanh(a) * 0.5 - 1.0), (lambda v: math.tanh(v) * 0.5 - 1.0)
    if 'swiftshader' not in _adapter():
        # a GPU whose maxBufferSize is above 1 GiB may make it: then the values must be right
        try:
            got = _huge(OVER_MAX_BUFFER, f)
        except (RuntimeError, MemoryError):
            got = None
        if got is not None:
            assert got == (pytest.approx(want(3.0), rel=1e-6), pytest.approx(want(1.0), rel=1e-6))
    else:
        # twice: the buffer that the device refused is released, not cached by the memory pool
        # for the next array of its size class (whose every use would then fail with 'Invalid
        # Buffer' instead of the size error)
        for _ in range(2):
            msg = _expect_executor_error(lambda: _huge(OVER_MAX_BUFFER, f),
                                         ['max buffer size', 'maxBufferSize', 'out of memory'])
            assert 'webgpu' in msg
            gc.collect()  # the failed array, held by the traceback's frames, goes to the pool
    _small(f, want)
    _still_works()


def test_extent_beyond_dispatch():
    f, want = (lambda a: wgpy.arctan(a) * 0.25 + 7.0), (lambda v: math.atan(v) * 0.25 + 7.0)
    _expect_executor_error(lambda: _huge(BEYOND_DISPATCH, f),
                           ['out of range for ' + BACKEND, 'out of memory', 'exceeds'])
    _small(f, want)
    _still_works()


def test_arrays_made_before_an_error_keep_their_values():
    x = wgpy.arange(6, dtype='int32') * 3
    assert x.tolist() == [0, 3, 6, 9, 12, 15]
    f, want = (lambda a: wgpy.cosh(a) + 2.0), (lambda v: math.cosh(v) + 2.0)
    with pytest.raises((RuntimeError, MemoryError)):
        _huge(BEYOND_DISPATCH, f)
    assert x.tolist() == [0, 3, 6, 9, 12, 15]
    assert (x + 1).tolist() == [1, 4, 7, 10, 13, 16]
    _small(f, want)


# ---- malformed chunks through wgpy's own path to the executor ----------------------------------

def _chunk(commands):
    """A command stream chunk (docs/stream.md, version 1.1): commands = [(opcode, payload)]."""
    body = b''
    for op, payload in commands:
        payload += b'\0' * (-len(payload) % 8)
        body += struct.pack('<HHI', op, 1, len(payload)) + payload
    return b'WGST' + struct.pack('<HHQ', 1, 1, 16 + len(body)) + body


def _create_kernel(kid, sources):
    """CREATE_KERNEL of an ELEMENTWISE float32 kernel, ndim 1, one input, one output, no
    instructions (an executor reads the IR header only) and the given {target: text}."""
    ir = struct.pack('<IBBBBBBBBIII', 32, 0, 1, 1, 1, 0, 0, 0, 10, 0, 0, 0)
    ir += struct.pack('<H', 0) + bytes([10, 10]) + b'\0' * 4
    src = struct.pack('<II', len(sources), 0)
    for target, text in sources.items():
        t, x = target.encode(), text.encode()
        src += struct.pack('<II', len(t), len(x)) + t + x
        src += b'\0' * (-(8 + len(ir) + len(src)) % 8)
    return (5, struct.pack('<II', kid, 0) + ir + src)


def _run_chunk(monkeypatch, data):
    """Hands data to the executor as _lib.run_stream does with the engine's pending chunk."""
    buf = ctypes.create_string_buffer(data, len(data))

    def stream_data(ctx, n):
        n._obj.value = len(data)
        return ctypes.addressof(buf)

    monkeypatch.setattr(_lib, 'wg_stream_data', stream_data)
    monkeypatch.setattr(_lib, 'wg_stream_consumed', lambda ctx: None)
    try:
        _lib.run_stream()
    finally:
        monkeypatch.undo()


def test_bad_magic_reaches_python(monkeypatch):
    data = bytearray(_chunk([(2, struct.pack('<II', 12345, 0))]))
    data[:4] = b'XGST'
    # (the main-thread channel checks the chunk header before shipping it: its own message)
    want = (r'^(command stream: command 0 \(opcode 0\) at byte 0: bad magic|'
            r'\w+ \(main-thread executor\): command stream: no chunk header at byte 0)$')
    with pytest.raises(RuntimeError, match=want):
        _run_chunk(monkeypatch, bytes(data))
    _still_works()


def test_unknown_handle_reaches_python(monkeypatch):
    data = _chunk([(2, struct.pack('<II', 0x7ffffff0, 0))])
    want = (r'^command stream: command 0 \(DESTROY_BUFFER\) at byte 16: '
            r'unknown buffer handle 2147483632$')
    with pytest.raises(RuntimeError, match=want):
        _run_chunk(monkeypatch, data)
    _still_works()


BROKEN = {
    'webgpu': {'wgsl': '@compute @workgroup_size(64)\nfn main() {\n'
                       '  let a = undefined_thing;\n}\n'},
    'webgl2': {'glsl-es-300-vs': '#version 300 es\nvoid main() {\n  gl_Position = vec4(0.0);\n}\n',
               'glsl-es-300-fs': '#version 300 es\nprecision highp float;\nout vec4 o;\n'
                                 'void main() {\n  o = undefined_thing;\n}\n'},
}


def test_shader_compile_error_reaches_python(monkeypatch):
    # a kernel id far above the engine's (ids count up from 1); nothing is registered on failure
    data = _chunk([_create_kernel(0x7ffffff1, BROKEN[BACKEND])])
    with pytest.raises(RuntimeError) as info:
        _run_chunk(monkeypatch, data)
    msg = str(info.value)
    lang = 'WGSL' if BACKEND == 'webgpu' else 'GLSL'
    assert '%s compile error in kernel 2147483633' % lang in msg, msg
    assert 'undefined_thing' in msg, msg
    if BACKEND == 'webgpu':
        assert 'line 3:' in msg and '\n      let a = undefined_thing;' in msg, msg
    _still_works()
