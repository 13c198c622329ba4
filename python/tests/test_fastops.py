"""The fast operators (python/ext/fastops.c): `x OP y` and the wrapping of engine results in C.

They are loaded wherever libwgpy_fastops.so sits beside the engine (the native build, the
wheel); WGPY_FASTOPS=0 keeps the Python path (the CI's x64 run uses it, so both paths run the
whole suite).  Here: that the path in use is the one expected, and the cases the C code handles
itself (engine errors, subclasses, a released operand, the hand-off, the info block after a
backend switch), compared with numpy."""

import gc
import operator
import os

import pytest

import wgpy
from wgpy import _core, _lib, testing
from wgpy.testing import numpy_wgpy_allclose

FAST = _core._fastops is not None


def test_loaded_where_the_library_is():
    here = os.path.join(os.path.dirname(os.path.abspath(_lib.library_path)), 'libwgpy_fastops.so')
    off = os.environ.get('WGPY_FASTOPS', '').strip().lower() in ('0', 'false', 'no')
    assert FAST == (os.path.exists(here) and not off)
    if FAST:
        assert _core._wrap is _core._fastops[1]
        for name in ('__add__', '__neg__', '__invert__', '__getitem__', 'sum', 'argmax'):
            f = wgpy.ndarray.__dict__[name]
            assert type(f).__name__ == 'method_descriptor' and f.__name__ == name
        assert type(wgpy.ndarray.__add__(wgpy.ones(2), 1.0)) is wgpy.ndarray


@pytest.mark.parametrize('op', ['add', 'sub', 'mul', 'truediv', 'pow', 'lt', 'eq', 'and_', 'mod'])
@numpy_wgpy_allclose(accept_error=TypeError)
def test_operators(xp, op):
    """Forward and reflected, array and Python-scalar operands (test_ufuncs has every op and
    dtype; this is the C path's own case list, compared with numpy's recorded results)."""
    f = getattr(operator, op)
    a = testing.shaped_arange((3, 4), xp, 'int32') % 5 + 1
    b = testing.shaped_arange((4,), xp, 'int32')[::-1]
    out = [f(a, b), f(b, a), f(a, 3), f(3, a)]
    if op != 'and_':
        out += [f(a, 2.5), f(2.5, a)]
    return tuple(out)


@pytest.mark.parametrize('op', ['neg', 'pos', 'abs', 'invert'])
@pytest.mark.parametrize('dt', ['bool', 'int8', 'uint16', 'int32', 'float32'])
@numpy_wgpy_allclose(accept_error=TypeError)
def test_unary_operators(xp, op, dt):
    """-x, +x, abs(x), ~x (the C path's unary mode; bool's - and float's ~ raise numpy's
    TypeError)"""
    a = (testing.shaped_arange((2, 3), xp, 'int32') - 3).astype(dt)
    return getattr(operator, op)(a[:, ::2])


_KEYS = [0, -1, 2, slice(None), slice(1, None), slice(None, None, -1), slice(-2, 0, -1),
         slice(10 ** 30, None), slice(-10 ** 30, 2), slice(None, None, 2 ** 70), None, Ellipsis,
         (1, 2), (slice(None), 1), (Ellipsis, None, 0), (None, slice(1, 3), Ellipsis),
         (-1, slice(None, None, -2), None), (), (0, 0, 0, 0), 3, -4, slice(None, None, 0),
         (slice(-2 ** 63, None),), (True,), [0, 2], (1, [0, 1])]


@pytest.mark.parametrize('k', range(len(_KEYS)))
@numpy_wgpy_allclose(accept_error=(IndexError, ValueError))
def test_getitem_keys(xp, k):
    """Basic keys (the C __getitem__), their errors (the Python path's words: out of bounds,
    a zero step, too many indices), and keys it hands to Python (past int64, bools, lists)"""
    a = testing.shaped_arange((3, 4, 2), xp, 'int32')
    return a[_KEYS[k]]


_RED_CALLS = [((), {}), ((1,), {}), ((), {'axis': -1}), ((0,), {'keepdims': True}),
              ((), {'axis': None, 'keepdims': False}), ((), {'keepdims': 1}), (((0, 1),), {}),
              ((5,), {}), ((None,), {}), ((), {'axis': 1, 'out': None})]


@pytest.mark.parametrize('name', ['sum', 'prod', 'min', 'max', 'mean', 'var', 'std', 'argmin',
                                  'argmax', 'any', 'all'])
@numpy_wgpy_allclose(accept_error=(ValueError, IndexError, TypeError))
def test_reduction_methods(xp, name):
    """The reduction methods' C path (at most axis and keepdims) and the calls it hands to
    Python (a tuple axis, keepdims=1, out=), on a 2-d array and a 0-d one (NumPy lets a 0-d array
    take axis 0 or -1, but not for mean/var/std)"""
    a = testing.shaped_arange((3, 4), xp, 'float32') % 5
    out = []
    for args, kw in _RED_CALLS:
        try:
            out.append(getattr(a, name)(*args, **kw))
        except (ValueError, IndexError, TypeError) as e:
            out.append(type(e).__name__)
    z = a[1, 2]
    for ax in (0, -1, None):
        try:
            out.append(getattr(z, name)(ax))
        except (ValueError, IndexError, TypeError) as e:
            out.append(type(e).__name__)
    return tuple(out)


def test_getitem_views_share_the_base():
    a = wgpy.arange(24, dtype='float32')
    b = a.reshape(4, 6)
    for v in (a[1:], a[None], a[3:][::2], b[1], b[:, 2], b[..., None]):
        assert v._base is a
    a[1:][0] = 7.0  # a view: writes reach the base
    assert a.tolist()[1] == 7.0
    c = a[3]
    assert c.shape == () and float(c) == 3.0


def test_engine_error_raises_numpys_exception():
    with pytest.raises(ValueError, match='broadcast'):
        wgpy.ones(3) + wgpy.ones(4)
    # and the next operation works
    assert (wgpy.ones(3) + 1).tolist() == [2.0, 2.0, 2.0]


def test_subclass_operand_and_result():
    class Sub(wgpy.ndarray):
        __slots__ = ('tag',)

    s = _core._new(Sub)
    base = wgpy.arange(3, dtype='float32')
    s._h, s._dt, s._flags, s._shape, s._est, s._base = base._h, base._dt, base._flags, base._shape, None, base
    try:
        r = s + 1.0
        assert type(r) is wgpy.ndarray and r.tolist() == [1.0, 2.0, 3.0]
        assert (1.0 - s).tolist() == [1.0, 0.0, -1.0]
    finally:
        s._h = None  # base owns the handle


@pytest.mark.parametrize('cached', [True, False])
def test_released_operand(cached):
    """An array whose handle is gone (only __del__ clears it; a user can call that) raises in
    every path, C or Python, whether or not its scalar operand is cached yet: the engine refuses
    a NULL array (a dereference crashed the worker on wasm, where address 0 is readable)."""
    x, y = wgpy.ones(2), wgpy.ones(2)
    if cached:
        x + 1.0, x[0], x.sum()
    else:
        _core.clear_scalar_cache()
    h = x._h
    x._h = None
    try:
        for f in (lambda: x + 1.0, lambda: 1.0 + x, lambda: x + y, lambda: y - x, lambda: -x,
                  lambda: x[0], lambda: x[None, 1:], lambda: x.sum(), lambda: x.max(axis=0),
                  lambda: wgpy.exp(x), lambda: x.tolist()):
            with pytest.raises((ValueError, TypeError, RuntimeError)):
                f()
    finally:
        x._h = h
    assert (x + y).tolist() == [2.0, 2.0]


def test_results_hand_off_when_run_ahead_asks():
    old = _lib.wg_set_run_ahead(_lib.ctx, 1, 1) if hasattr(_lib, 'wg_set_run_ahead') else None
    try:
        x = wgpy.arange(8, dtype='float32')
        for _ in range(50):
            x = x + 1.0
        assert x.tolist() == [float(i + 50) for i in range(8)]
    finally:
        wgpy.config.run_ahead = wgpy.config.run_ahead  # back to the configured thresholds
        gc.collect()


def test_operands_the_c_path_hands_to_python():
    """bool, a list, a numpy-free object, a str: _core's Python operator"""
    x = wgpy.arange(3, dtype='float32')
    assert (x * True).tolist() == [0.0, 1.0, 2.0]
    assert ([1, 1, 1] - x).tolist() == [1.0, 0.0, -1.0]
    assert (x < 1).tolist() == [True, False, False]
    with pytest.raises(TypeError):
        x + 'a'
    with pytest.raises(TypeError):
        x + object()
    assert x.__add__(object()) is NotImplemented


@pytest.mark.parametrize('z', [0.0, -0.0])
@numpy_wgpy_allclose()
def test_signed_zero_scalars(xp, z):
    """A zero is not its own key in the scalar cache (0.0 == -0.0 there): the C path looks it up
    under its sign's key; the results' signs are numpy's (signbit, not only values)"""
    x = xp.asarray([-1.0, 0.0, -0.0, 2.0], dtype='float32')
    out = [x + z, z + x, x - z, z - x, x * z, z * x, xp.maximum(x, z), xp.minimum(z, x)]
    return tuple(xp.signbit(o) for o in out) + tuple(out)


@pytest.mark.skipif(not FAST, reason='the fast operators are not loaded')
def test_zero_operands_stay_in_c(monkeypatch):
    x = wgpy.arange(3, dtype='float32')
    x + 0.0, x - -0.0, wgpy.maximum(x, 0.0)  # (the scalars cached)
    seen = []
    real = _core._operand
    monkeypatch.setattr(_core, '_operand', lambda v: seen.append(v) or real(v))
    assert (x + 0.0).tolist() == [0.0, 1.0, 2.0]
    assert (x - -0.0).tolist() == [0.0, 1.0, 2.0]
    assert wgpy.maximum(x, 0.0).tolist() == [0.0, 1.0, 2.0]
    assert seen == []


@pytest.mark.skipif(not FAST, reason='the fast operators are not loaded')
def test_fast_functions_refuse_bad_arguments():
    operator_, wrap, _, set_info, _, _ = _core._fastops
    with pytest.raises(TypeError):
        operator_('__x__', _lib.OPS['add'], 0)
    with pytest.raises(ValueError):
        operator_('__x__', 10 ** 6, 0, lambda a, b: None)
    with pytest.raises(ValueError):
        set_info(0)
    with pytest.raises(Exception):
        wrap(None)  # the engine's last error, raised
    with pytest.raises(TypeError):
        wgpy.ndarray.__dict__['__add__'](1.0, 2.0)  # a method of ndarray only


def test_finalizer_queues_or_releases():
    """__del__ (C or Python): the handle into the release queue, or released at once when the
    queue is full; either way the engine sees the array gone (the pool's bytes in use)."""
    gc.collect()
    gc.disable()
    try:
        _lib.wg_sync(_lib.ctx)
        from wgpy._funcs import get_default_memory_pool
        pool = get_default_memory_pool()
        base = pool.used_bytes()
        xs = [wgpy.arange(1000, dtype='float32') + 1.0 for _ in range(200)]  # more than the queue
        float(xs[-1].sum())
        del xs
        float(wgpy.ones(3).sum())  # an entry that drains the queue
        assert pool.used_bytes() <= base + 64 * 1024, (base, pool.used_bytes())
    finally:
        gc.enable()
    if FAST:
        assert type(wgpy.ndarray.__dict__['__del__']).__name__ == 'method_descriptor'


@pytest.mark.parametrize('op', ['iadd', 'isub', 'imul', 'itruediv', 'ifloordiv', 'imod', 'iand',
                                'ior', 'ixor', 'ilshift', 'irshift'])
@numpy_wgpy_allclose(accept_error=TypeError)
def test_inplace_operators(xp, op):
    """In place on an array, a view of it, with an array, a cached int and a float operand."""
    f = getattr(operator, op)
    fl = op in ('iadd', 'isub', 'imul', 'itruediv', 'ifloordiv', 'imod')
    a = testing.shaped_arange((3, 4), xp, 'float32' if fl else 'int32')
    b = testing.shaped_arange((4,), xp, 'float32' if fl else 'int32') % 3 + 1
    a0 = a
    a = f(a, b)
    v = a[1:, ::2]
    v = f(v, 2)
    if fl:
        a = f(a, 1.5)
    assert a is a0  # the same object, as NumPy's
    return a


def test_inplace_errors_name_numpys_exceptions():
    x = wgpy.arange(4, dtype='int32')
    with pytest.raises(TypeError):  # NumPy's UFuncTypeError (a TypeError): same_kind casting
        x += 1.5
    with pytest.raises(ValueError):
        x += wgpy.ones((2, 4), dtype='int32')  # the result's shape is not x's
    assert x.tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize('name', ['exp', 'negative', 'sqrt', 'add', 'subtract', 'multiply',
                                  'maximum', 'arctan2', 'equal', 'less', 'bitwise_and', 'power'])
@numpy_wgpy_allclose(accept_error=TypeError)
def test_ufunc_plain_calls(xp, name):
    """u(x) and u(x1, x2) with array, cached-scalar and other operands (the C call path takes
    the first two kinds; power, lists and uncached scalars go through ufunc.__call__)."""
    u = getattr(xp, name)
    a = testing.shaped_arange((2, 3), xp, 'float32')
    b = testing.shaped_arange((3,), xp, 'float32')[::-1]
    if u.nin == 1:
        return u(a), u(b), u(a[:, 1]), u([1.0, 4.0])
    if name == 'bitwise_and':
        a, b = a.astype('int32'), b.astype('int32')
        return u(a, b), u(a, 3), u(5, b), u(a, [1, 2, 3])
    return u(a, b), u(a, 2.5), u(3, a), u(a, 2), u(a, [1.0, 2.0, 3.0]), u(a, 0.0)


@numpy_wgpy_allclose()
def test_ufunc_keywords_and_errors(xp):
    a = testing.shaped_arange((4,), xp, 'float32')
    o = xp.zeros(4, dtype='float32')
    r = xp.add(a, a, out=o)
    assert r is o
    d = xp.multiply(a, 2, dtype='float32')
    e = xp.exp(a, out=xp.zeros(4, dtype='float32'), where=a > 2)
    for bad in ((), (a, a, a, a)):
        with pytest.raises(TypeError):
            xp.add(*bad)
    with pytest.raises(TypeError):
        xp.exp(a, bogus=1)
    with pytest.raises(ValueError):  # an integer to a negative integer power
        xp.power(xp.asarray([2, 3], dtype='int32'), xp.asarray([1, -1], dtype='int32'))
    return o, d, e


def test_ufunc_call_path():
    from wgpy import _ufunc
    call = wgpy.ufunc.__dict__['__call__']
    if FAST:
        assert type(call).__name__ == 'method_descriptor'
        assert wgpy.exp in _ufunc._FAST_CALLS and wgpy.add in _ufunc._FAST_CALLS
        assert wgpy.power not in _ufunc._FAST_CALLS  # its integer-exponent check is Python's
    else:
        assert type(call).__name__ == 'function'


def test_result_metadata_survive_a_collection_that_makes_arrays():
    """Making the result object may run the garbage collector, and a finalizer there may make
    another array (which rewrites the engine's info block): the result's shape and dtype are read
    before that."""
    made = []

    class Maker:
        def __del__(self):
            made.append(wgpy.zeros((7, 5), dtype='int32'))

    x = wgpy.arange(6, dtype='float32')
    old = gc.get_threshold()
    gc.collect()
    gc.set_threshold(1)
    try:
        for _ in range(30):
            m = Maker()
            m.self = m  # a cycle: freed by the collector only
            del m
            for r in (x + 1.0, wgpy.exp(x), x.reshape(2, 3).T, x.sum()):
                assert r.dtype == wgpy.float32 and r.shape in ((6,), (3, 2), ()), (r.dtype, r.shape)
    finally:
        gc.set_threshold(*old)
    gc.collect()
    assert made and all(a.shape == (7, 5) for a in made)
