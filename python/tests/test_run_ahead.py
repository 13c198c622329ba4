"""Run ahead (docs/architecture.md): a large reduction or matmul runs when it is recorded, and once
enough such work is recorded the stream goes to the executor without waiting, so the GPU works
while Python records what follows.  Results must not change; elementwise work stays lazy (it may
still fuse); an error of a chunk handed over early still reaches Python, at the next sync point.

It takes effect where a hand-off can go on without waiting: loopback (which replays its stream at
the hand-off) and webgpu with an executor that has enqueue() (Node, the browser worker); elsewhere
the setting is kept but does nothing.  Compared with exact values (integers in float32)."""

import json

import pytest

import wgpy
from wgpy import _lib

BACKEND = wgpy.get_backend_name()
ABLE = BACKEND == 'loopback' or _lib._enqueue is not None


@pytest.fixture
def run_ahead(monkeypatch):
    """Sets config.run_ahead for one test and restores it.  The executor's gate (ready(): few
    enough hand-offs in flight, _remote.py) is off, so every hand-off the engine asks for happens."""
    monkeypatch.setattr(_lib, '_ready', None)
    old = wgpy.config.run_ahead

    def set_(value):
        wgpy.config.run_ahead = value
    yield set_
    wgpy.config.run_ahead = old


def _enqueued():
    if _lib._enqueue is None:
        return 0
    return json.loads(str(_lib._executor.stats())).get('enqueued', 0)


def _work():
    """A loop of reductions and matmuls over results of earlier ones, as a training step has."""
    x = wgpy.arange(240, dtype='float32').reshape(12, 20) % 7.0
    w = wgpy.ones((20, 5), dtype='float32')
    out = []
    for i in range(6):
        h = x @ w + float(i)                  # matmul, then elementwise on its result
        out.append(h.sum(axis=0))             # reduction of that
        out.append((h * h).max())
        out.append(x.argmax(axis=1))
        out.append(h.var(axis=1))
        x = x - out[-4].mean() * 0.0 + 1.0    # depends on a reduction's result
    return [o.tolist() for o in out]


def test_results_do_not_change(run_ahead):
    run_ahead(None)
    want = _work()
    run_ahead((1, 1))
    wgpy.sync()
    wgpy.reset_counters()
    e0 = _enqueued()
    got = _work()
    c = wgpy.counters()
    assert got == want
    if ABLE:
        # 6 x (1 matmul + 4 reductions + mean): every one ran ahead, and each asked for a hand-off
        assert c['ops_run_ahead'] >= 6 * 6, c
        assert c['handoffs'] >= 6, c
        if _lib._enqueue is not None:
            assert _enqueued() > e0
    else:
        assert c['ops_run_ahead'] == 0 and c['handoffs'] == 0, c


def test_elementwise_work_stays_lazy(run_ahead):
    run_ahead((1, 1))
    a = wgpy.arange(64, dtype='float32')
    a.tolist()
    wgpy.reset_counters()
    b = (a * 2.0 + 1.0) / 3.0
    c = wgpy.sqrt(b) - b
    assert wgpy.counters()['kernels_launched'] == 0
    s = c.sum()          # the chain fuses into the reduction, which runs at once
    n = wgpy.counters()
    assert n['kernels_launched'] == (1 if ABLE else 0), n
    assert n['ops_run_ahead'] == (1 if ABLE else 0), n
    assert float(s) == pytest.approx(sum(((2 * i + 1) / 3) ** 0.5 - (2 * i + 1) / 3
                                         for i in range(64)), rel=1e-5)


def test_below_min_work_stays_lazy(run_ahead):
    run_ahead((1000, 1))
    a = wgpy.ones((10, 10), dtype='float32')
    a.tolist()
    wgpy.reset_counters()
    s = a.sum()          # 100 elements: under min_work
    m = a @ a            # 10*10*10/64 = 15: under min_work
    big = wgpy.ones(4000, dtype='float32').sum()   # 4000 elements: runs ahead
    c = wgpy.counters()
    assert c['ops_run_ahead'] == (1 if ABLE else 0), c
    assert float(s) == 100.0 and m.tolist()[3] == [10.0] * 10 and float(big) == 4000.0


def test_handoff_threshold(run_ahead):
    run_ahead((1, 250))
    a = wgpy.ones(100, dtype='float32')
    a.tolist()
    wgpy.reset_counters()
    sums = [a.sum() for _ in range(10)]   # 1000 elements of work: a hand-off every third
    c = wgpy.counters()
    assert c['handoffs'] == (3 if ABLE else 0), c
    assert [float(s) for s in sums] == [100.0] * 10


def test_an_executor_that_is_not_ready_keeps_the_stream(run_ahead, monkeypatch):
    # executor.ready() false (enough hand-offs in flight, _remote.py): the hand-off is declined,
    # the stream keeps growing and the next ready call (or the read) takes all of it at once
    run_ahead((1, 1))
    a = wgpy.ones(100, dtype='float32')
    a.tolist()
    wgpy.reset_counters()
    asked = []

    def ready():
        asked.append(1)
        return len(asked) > 5
    monkeypatch.setattr(_lib, '_ready', ready)
    sums = [a.sum() for _ in range(5)]   # each asks, each is declined
    c = wgpy.counters()
    assert c['handoffs'] == 0 and len(asked) == (5 if ABLE else 0), (c, asked)
    last = a.sum()                       # the sixth: ready, takes all six at once
    assert wgpy.counters()['handoffs'] == (1 if ABLE else 0)
    assert [float(s) for s in sums] == [100.0] * 5 and float(last) == 100.0


def test_off(run_ahead):
    run_ahead(None)
    a = wgpy.ones(5000, dtype='float32')
    a.tolist()
    wgpy.reset_counters()
    s = a.sum()
    assert wgpy.counters()['ops_run_ahead'] == 0
    assert wgpy.counters()['kernels_launched'] == 0
    assert float(s) == 5000.0


def test_setting_is_checked(run_ahead):
    with pytest.raises(TypeError, match='run_ahead'):
        wgpy.config.run_ahead = 'fast'
    with pytest.raises(TypeError, match='run_ahead'):
        wgpy.config.run_ahead = (1, 2, 3)
    with pytest.raises(ValueError, match='>= 1'):
        wgpy.config.run_ahead = (0, 5)
    run_ahead((3, 4))
    assert wgpy.config.run_ahead == (3, 4)
    assert wgpy.config.as_dict()['run_ahead'] == (3, 4)
    run_ahead(False)
    assert wgpy.config.run_ahead is None


@pytest.mark.skipif(_lib._enqueue is None, reason='needs an executor with enqueue() (webgpu)')
def test_error_of_a_chunk_handed_over_early_reaches_python(run_ahead):
    """A buffer over the device's maxBufferSize fails in the device, after the hand-off returned:
    the error comes with the next sync point, and wgpy goes on working."""
    adapter = str(getattr(_lib._executor, 'adapter', '')).lower()
    if 'swiftshader' not in adapter:
        pytest.skip('needs a known maxBufferSize (SwiftShader: 1 GiB)')
    run_ahead((1, 1))
    def big_sum(n):
        a = wgpy.ones(n, dtype='float32')
        a[5] = 3.0       # a buffer of n floats (ones alone is a broadcast scalar)
        return a.sum()
    assert float(big_sum(1 << 20)) == (1 << 20) + 2.0   # the kernels are compiled
    e0 = _enqueued()
    with pytest.raises((RuntimeError, MemoryError)) as info:
        s = big_sum(2 ** 28 + 2 ** 20)
        assert _enqueued() > e0, 'handed over without waiting'
        float(s)
    msg = str(info.value)
    assert any(p in msg for p in ('max buffer size', 'maxBufferSize', 'out of memory')), msg
    x = wgpy.arange(12, dtype='float32').reshape(3, 4)
    assert float(x.sum()) == 66.0
    assert (x @ x.T).tolist()[0] == [14.0, 38.0, 62.0]
