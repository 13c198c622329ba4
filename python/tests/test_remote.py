"""The remote executors (python/wgpy/_remote.py, docs/remote.md): native CPython running the
webgpu or webgl2 backend through an executor in a Node (Dawn) or headless Chromium process.

These tests run only when the suite itself runs on such a backend natively
(``WGPY_BACKEND=webgpu`` / ``webgl2``: make test-remote); elsewhere they are skipped."""

import sys

import pytest

np = pytest.importorskip('numpy')
import wgpy as wp  # noqa: E402
from wgpy import _lib  # noqa: E402

REMOTE = sys.platform != 'emscripten' and type(_lib._executor).__name__ == 'RemoteExecutor'
needs_remote = pytest.mark.skipif(not REMOTE, reason='not running on a remote executor')


@needs_remote
def test_hello_names_host_and_backend():
    info = _lib._executor.info
    assert info['backend'] == wp.get_backend_name()
    assert info['host'] in ('node', 'chromium')
    assert _lib._executor.max_bindings >= 8


@needs_remote
@pytest.mark.parametrize('dtype', ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32',
                                   'uint32', 'float32'])
def test_reads_of_every_storage_layout(dtype):
    # webgpu widens bool/int8/int16 to 32-bit words: the executor narrows the READ, so the bytes
    # sent back are fewer than the READ's storage bytes
    rng = np.random.default_rng(1)
    a = (rng.integers(0, 100, size=1001) % (2 if dtype == 'bool' else 100)).astype(dtype)
    x = wp.asarray(a)
    np.testing.assert_array_equal(wp.asnumpy(x), a)
    np.testing.assert_array_equal(wp.asnumpy(x[::-3]), a[::-3])


@needs_remote
def test_several_reads_in_one_chunk_and_large_data():
    a = np.arange(1 << 22, dtype=np.float32)
    x = wp.asarray(a)
    y, s = x * 2, (x[:1000] - 1)
    np.testing.assert_array_equal(wp.asnumpy(y), a * 2)
    np.testing.assert_array_equal(wp.asnumpy(s), a[:1000] - 1)


@needs_remote
def test_executor_error_is_raised_and_the_next_operation_works():
    # a RawKernel whose blocks exceed every device's workgroup limit fails in the executor
    # (pipeline creation on webgpu, NotImplementedError before the stream on webgl2)
    k = wp.RawKernel(r'''extern "C" __global__ void f(float* y) {
        __shared__ float t[2048];
        t[threadIdx.x] = 1; __syncthreads(); y[threadIdx.x] = t[threadIdx.x]; }''', 'f')
    y = wp.zeros(2048, dtype='float32')
    with pytest.raises((RuntimeError, NotImplementedError, ValueError)):
        k((1,), (2048,), (y,))
        wp.asnumpy(y)
    z = wp.arange(5, dtype='float32') + 1
    assert wp.asnumpy(z).tolist() == [1, 2, 3, 4, 5]


@needs_remote
def test_stats_come_back_as_json():
    import json
    float(wp.ones(3).sum())
    assert isinstance(json.loads(_lib._executor.stats()), dict)


@pytest.mark.parametrize('n', [8, 13, 20])
def test_a_long_chain_of_distinct_inputs_fits_the_devices_bindings(n):
    # a fused elementwise chain loads every input once: the engine must cut it at the host
    # device's max_bindings (12 storage buffers on SwiftShader's webgpu), not at its own 16
    # (it failed with "a kernel binding 13 storage buffers" in Chainer's Adam/MomentumSGD steps)
    xs = [np.full(7, i + 1, np.float32) for i in range(n)]
    acc, ref = wp.asarray(xs[0]), xs[0]
    for x in xs[1:]:
        acc = acc * 0.5 + wp.asarray(x)
        ref = ref * np.float32(0.5) + x
    np.testing.assert_allclose(wp.asnumpy(acc), ref, rtol=1e-6)


@pytest.mark.skipif(sys.platform == 'emscripten', reason='native CPython only')
def test_set_backend_natively_opens_the_remote_webgpu_executor():
    # in a fresh interpreter: set_backend needs no live array, and the suite's may hold some
    import os
    import subprocess
    code = (
        "import wgpy as wp\n"
        "from wgpy import _lib\n"
        "wp.set_backend('webgpu')\n"
        "assert type(_lib._executor).__name__ == 'RemoteExecutor'\n"
        "print(float(wp.arange(10, dtype='float32').sum()))\n"
        "wp.set_backend('cpu')\n"
        "print(wp.get_backend_name())\n")
    env = dict(os.environ, WGPY_BACKEND='cpu')
    r = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ['45.0', 'cpu']


@needs_remote
def test_frames_pass_while_both_ends_poll_the_pipes(monkeypatch):
    # WGPY_REMOTE_SPIN_US > 0 (the default on 8 or more cores): Python polls for a reply and the
    # Node host for a request before their blocking reads (docs/remote.md); frames that come
    # within the polling and after it, and a request's payload behind its header, all arrive
    if _lib._executor.host != 'node':
        pytest.skip('the polling is the Node host\'s')
    import ctypes
    import json
    import time
    from wgpy import _remote
    monkeypatch.setenv('WGPY_REMOTE_SPIN_US', '300')
    ex = _remote.RemoteExecutor('webgpu', 'node')
    try:
        assert ex.spin_us == 300
        runs = []
        for pause in (0, 0, 0.002, 0, 0.002):
            time.sleep(pause)  # 2 ms: past the host's polling, its blocking read takes the frame
            runs.append(json.loads(ex.stats())['runs'])
        assert runs == [0] * 5
        junk = ctypes.create_string_buffer(b'\x07' * 200)
        assert ex.run(ctypes.addressof(junk), 200)  # a malformed chunk: an error message back
        assert json.loads(ex.stats())['runs'] >= 0
    finally:
        ex.close()


@needs_remote
def test_the_node_host_counts_the_chunks_the_device_finished(monkeypatch):
    # WGPY_MAX_IN_FLIGHT=1: the host writes how many handed-over chunks the device finished into
    # shared memory; ready() is true again once the one in flight is done
    if _lib._executor.host != 'node':
        pytest.skip('the Node host counts completions')
    import ctypes
    import time
    from wgpy import _remote
    monkeypatch.setenv('WGPY_MAX_IN_FLIGHT', '1')
    ex = _remote.RemoteExecutor('webgpu', 'node')
    try:
        assert ex.max_in_flight == 1 and ex.in_flight() == 0 and ex.ready()
        empty = ctypes.create_string_buffer(8)
        for _ in range(3):  # empty chunks: each is submitted (nothing) and done
            ex.enqueue(ctypes.addressof(empty), 0)
        end = time.monotonic() + 30
        while ex.in_flight() and time.monotonic() < end:
            time.sleep(0.001)
        assert ex.in_flight() == 0 and ex.ready()
        assert ex.run(ctypes.addressof(empty), 0) is None
    finally:
        ex.close()
    assert _remote._max_in_flight(True) == 1  # (the variable still set)
    monkeypatch.delenv('WGPY_MAX_IN_FLIGHT')
    assert _remote._max_in_flight(True) == 2 and _remote._max_in_flight(False) == 0


@needs_remote
def test_run_ahead_default_follows_the_executor():
    # its encoding runs on another core than Python's recording (_config.RUN_AHEAD_OWN_PROCESS)
    import os
    from wgpy import _config
    if os.environ.get('WGPY_RUN_AHEAD'):
        pytest.skip('WGPY_RUN_AHEAD is set')
    own = _lib._executor.own_process  # the Node host on 8 or more cores
    assert own == (_lib._executor.host == 'node' and (os.cpu_count() or 1) >= 8)
    assert wp.config.run_ahead == (_config.RUN_AHEAD_OWN_PROCESS if own else _config.RUN_AHEAD_DEFAULT)
    x = wp.ones(8192, dtype='float32')
    h0 = wp.counters()['handoffs']
    s = x.sum()  # 8192 elements >= 4096: runs and is handed over when recorded (own process)
    assert wp.counters()['handoffs'] == h0 + (1 if own else 0)
    assert float(s) == 8192
