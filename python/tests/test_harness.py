"""Tests of wgpy.testing itself (pure Python: they run natively and inside Pyodide alike)."""

import json
import math

import pytest

from wgpy import testing
from wgpy.testing import compare_results, encode_result


class FakeArray:
    """Enough of an ndarray for the encoder: shape, dtype, tolist."""

    def __init__(self, values, shape, dtype):
        self._flat = list(values)
        self.shape = tuple(shape)
        self.dtype = dtype

    def tolist(self):
        def build(flat, shape):
            if not shape:
                return flat.pop(0)
            return [build(flat, shape[1:]) for _ in range(shape[0])]
        return build(list(self._flat), list(self.shape))


def arr(values, shape, dtype):
    return encode_result(FakeArray(values, shape, dtype))


def test_prng_is_fixed():
    # These values must be the same on every Python (the golden recordings depend on them).
    r = testing._SplitMix64(0)
    assert [r.next() for _ in range(3)] == [6685036501382267578, 3047811371739217279,
                                            18215591310788271736]


def test_shaped_helpers_values():
    class Rec:
        __name__ = 'wgpy'

        def asarray(self, values, dtype=None):
            return FakeArray(values if isinstance(values, list) else [values],
                             [len(values)] if isinstance(values, list) else [], dtype)

    xp = Rec()
    a = testing.shaped_arange((3,), xp, 'int8')
    assert a.tolist() == [1, 2, 3]
    b = testing.shaped_arange((4,), xp, 'bool')
    assert b.tolist() == [True, False, True, False]
    c = testing.shaped_random((50,), xp, 'float16', seed=3)
    vals = c.tolist()
    assert all(0 <= v < 10 for v in vals)
    # every value is exact in float16 (multiples of 1/64 below 16)
    assert all(v * 64 == int(v * 64) for v in vals)
    assert testing.shaped_random((50,), xp, 'float16', seed=3).tolist() == vals
    assert testing.shaped_random((50,), xp, 'float16', seed=4).tolist() != vals
    u = testing.shaped_random((200,), xp, 'uint8', scale=300).tolist()
    assert min(u) >= 0 and max(u) <= 255
    s = testing.shaped_random((200,), xp, 'int8', low=-5, scale=10).tolist()
    assert min(s) >= -5 and max(s) <= 4 and len(set(s)) == 10


def test_encode_nested_and_specials():
    e = arr([1.0, float('nan'), float('inf'), -float('inf'), -0.0, 2.5], (2, 3), 'float32')
    assert e[:3] == ['arr', 'float32', [2, 3]]
    assert e[3][1:4] == ['nan', 'inf', '-inf']
    back = json.loads(json.dumps(e, allow_nan=False))
    assert back == e
    assert math.copysign(1, back[3][4]) == -1  # -0.0 survives JSON
    assert encode_result((1, [2.5, None], 'x')) == [
        'seq', 'tuple', [['py', 'int', 1], ['seq', 'list', [['py', 'float', 2.5],
                                                            ['py', 'NoneType', None]]],
                         ['py', 'str', 'x']]]


def test_compare_detects_differences():
    a = arr([1.0, 2.0], (2,), 'float32')
    assert compare_results(a, arr([1.0, 2.0], (2,), 'float32')) == []
    assert compare_results(a, arr([1.0, 2.0 + 1e-6], (2,), 'float32')) == []
    assert compare_results(a, arr([1.0, 2.1], (2,), 'float32'))
    assert compare_results(a, arr([1.0, 2.0], (1, 2), 'float32'))          # shape
    assert compare_results(a, arr([1.0, 2.0], (2,), 'float16'))            # dtype
    assert compare_results(a, arr([1.0, 2.0], (2,), 'float16'), type_check=False) == []
    assert compare_results(a, arr([1.0, 2.0 + 1e-6], (2,), 'float32'), exact=True)
    nan = arr([float('nan')], (1,), 'float32')
    assert compare_results(nan, nan) == []
    assert compare_results(nan, arr([1.0], (1,), 'float32'))
    assert compare_results(arr([1.0], (1,), 'float32'), nan)
    inf = arr([float('inf')], (1,), 'float32')
    assert compare_results(inf, arr([-float('inf')], (1,), 'float32'))
    assert compare_results(arr([3], (1,), 'int16'), arr([4], (1,), 'int16'))
    assert compare_results(arr([True], (1,), 'bool'), arr([False], (1,), 'bool'))
    # a numpy scalar and a 0-d wgpy array are alike
    assert compare_results(arr([5], (), 'int32'), arr([5], (), 'int32')) == []
    # Python scalars: type and value
    assert compare_results(['py', 'int', 3], ['py', 'float', 3.0])
    assert compare_results(['py', 'float', 1.0], ['py', 'float', 1.0 + 1e-7]) == []
    assert compare_results(['py', 'str', 'a'], ['py', 'str', 'b'])
    # a result against an exception
    assert compare_results(a, ['err', 'TypeError', ['TypeError']])
    # sequences
    t = encode_result((1, 2))
    assert compare_results(t, encode_result((1, 2))) == []
    assert compare_results(t, encode_result([1, 2]))
    assert compare_results(t, encode_result((1, 2, 3)))


def test_float16_tolerance_scales():
    e = arr([1000.0], (1,), 'float16')
    assert compare_results(e, arr([1000.5], (1,), 'float16')) == []
    assert compare_results(arr([1000.0], (1,), 'float32'), arr([1000.5], (1,), 'float32'))
    # rtol as a number never makes float16 tighter than its precision
    assert compare_results(e, arr([1000.5], (1,), 'float16'), rtol=1e-9) == []
    assert compare_results(e, arr([1000.5], (1,), 'float16'), rtol={'float16': 1e-9}, atol=0)


def test_error_matching():
    class AxisError(ValueError, IndexError):
        pass

    class UFuncTypeError(TypeError):
        pass

    exp = testing.encode_error(AxisError('x'))
    assert exp == ['err', 'AxisError', ['ValueError', 'IndexError']]
    assert testing._error_matches(exp, AxisError('y'))
    assert not testing._error_matches(exp, ValueError('y'))
    assert not testing._error_matches(exp, IndexError('y'))
    exp = testing.encode_error(UFuncTypeError('x'))
    assert exp == ['err', 'UFuncTypeError', ['TypeError']]
    # numpy's ufunc errors need a class of the same name (wgpy raises NumPy's, subclassed)
    assert not testing._error_matches(exp, TypeError('y'))
    assert testing._error_matches(exp, UFuncTypeError('y'))
    assert not testing._error_matches(exp, ValueError('y'))

    class _UFuncOutputCastingError(UFuncTypeError):
        pass

    exp = testing.encode_error(_UFuncOutputCastingError('x'))
    assert testing._error_matches(exp, _UFuncOutputCastingError('y'))
    assert not testing._error_matches(exp, UFuncTypeError('y'))
    exp = testing.encode_error(UFuncTypeError('x'))
    assert testing._error_matches(exp, _UFuncOutputCastingError('y'))  # a subclass will do
    exp = testing.encode_error(OverflowError('x'))
    assert testing._error_matches(exp, OverflowError('y'))
    assert not testing._error_matches(exp, ArithmeticError('y'))


def test_golden_state_roundtrip(tmp_path):
    g = testing.GoldenState()
    g.recording = {}
    g.begin('test_x.py::test_a[int8]')
    g.record(g.next_slot(), arr([1, 2], (2,), 'int8'))
    g.record(g.next_slot(), ['err', 'TypeError', ['TypeError']])
    g.end()
    g.begin('test_x.py::test_b', use_golden=False)
    g.record(g.next_slot(), arr([1], (1,), 'int8'))
    g.end()
    path = str(tmp_path / 'g.json')
    g.dump(path, {'x64': False})
    h = testing.GoldenState()
    meta = h.load(path)
    assert meta['x64'] is False and h.mode == 'replay'
    h.begin('test_x.py::test_a[int8]')
    assert h.lookup(h.next_slot()) == arr([1, 2], (2,), 'int8')
    assert h.lookup(h.next_slot())[0] == 'err'
    with pytest.raises(AssertionError, match='comparison #3'):
        h.lookup(h.next_slot())
    h.begin('test_x.py::test_b')
    with pytest.raises(AssertionError, match='no golden record'):
        h.lookup(h.next_slot())


def test_decorator_hides_xp_parameter():
    import inspect

    @testing.numpy_wgpy_allclose()
    def f(self, xp, dtype):
        pass

    assert list(inspect.signature(f).parameters) == ['self', 'dtype']
    with pytest.raises(TypeError):
        testing.numpy_wgpy_allclose()(lambda a: a)


def test_sample_functions_slices(request):
    # conftest's --sample-functions N --rotate R (the slow runs' sampling, docs/testing.md): the
    # N rotations partition each file's test functions, any integer R picks one of them, and a
    # file with fewer functions than N keeps one in every rotation
    mod = next(p for p in request.config.pluginmanager.get_plugins() if hasattr(p, '_sample_functions'))

    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    class Config:
        hook = type('Hook', (), {'pytest_deselected': staticmethod(lambda items: None)})()

        def __init__(self, n, r):
            self.opts = {'--sample-functions': n, '--rotate': r}

        def getoption(self, name):
            return self.opts[name]

    ids = ['a.py::f[0]', 'a.py::f[1]', 'a.py::g', 'a.py::h[x]', 'b.py::only[0]', 'b.py::only[1]']

    def kept(n, r):
        items = [Item(i) for i in ids]
        mod._sample_functions(Config(n, r), items)
        return [it.nodeid for it in items]

    assert kept(1, 0) == ids
    assert kept(2, 0) == ['a.py::f[0]', 'a.py::f[1]', 'a.py::h[x]', 'b.py::only[0]', 'b.py::only[1]']
    assert kept(2, 1) == ['a.py::g', 'b.py::only[0]', 'b.py::only[1]']
    assert kept(2, 867) == kept(2, 1) and kept(2, -2) == kept(2, 0)
