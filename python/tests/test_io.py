"""Files: .npy/.npz written and read by wgpy itself (python/wgpy/_io.py), fromfile/fromstring,
and the text formats through numpy.  Where numpy is installed, wgpy's .npy bytes are numpy's,
byte for byte, and each reads the other's files; without numpy (Pyodide's test runs) the
round trips and errors still run."""

import io
import os
import pickle

import pytest

import wgpy
from wgpy import _lib, testing

HAVE_NP = _lib.np is not None
DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'float16', 'float32',
          'complex64']


def _sample(dt, shape=(2, 3)):
    n = 1
    for s in shape:
        n *= s
    a = wgpy.arange(n).reshape(shape) % 5 - 2
    try:
        return (a > 0) if dt == 'bool' else a.astype(dt) if 'int' in dt else (a * 0.75).astype(dt)
    except NotImplementedError as e:  # float16 where the device has none: skipped, not passed
        testing._skip_if_backend_refuses(wgpy, e)
        raise


@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('shape', [(2, 3), (), (0, 4), (7,)])
def test_npy_round_trip(tmp_path, dt, shape):
    a = _sample(dt, shape)
    p = tmp_path / 'a'
    wgpy.save(str(p), a)  # '.npy' appended
    b = wgpy.load(str(p) + '.npy')
    assert isinstance(b, wgpy.ndarray)
    assert b.dtype == a.dtype and b.shape == a.shape and b.tolist() == a.tolist()


def test_npy_to_and_from_file_objects():
    a = wgpy.arange(12, dtype='float32').reshape(3, 4)[:, 1:3]  # a view: its elements, C order
    f = io.BytesIO()
    wgpy.save(f, a)
    wgpy.save(f, [1, 2, 3])  # two arrays in one stream, read in turn
    f.seek(0)
    assert wgpy.load(f).tolist() == a.tolist()
    assert wgpy.load(f).tolist() == [1, 2, 3]


def test_npz_arrays_by_name(tmp_path):
    a, b = wgpy.arange(5, dtype='int32'), wgpy.ones((2, 2), dtype='float32')
    for fn in (wgpy.savez, wgpy.savez_compressed):
        p = str(tmp_path / fn.__name__)
        fn(p, a, weights=b)
        with wgpy.load(p + '.npz') as z:
            assert sorted(z.files) == ['arr_0', 'weights'] and len(z) == 2
            assert 'weights' in z and 'weights.npy' in z and 'x' not in z
            assert z['arr_0'].tolist() == a.tolist() and z['weights.npy'].tolist() == b.tolist()
            assert dict(z.items())['weights'].dtype == b.dtype
            with pytest.raises(KeyError):
                z['missing']
    with pytest.raises(ValueError, match='arr_0'):
        wgpy.savez(io.BytesIO(), a, arr_0=b)


def test_load_refuses_what_it_cannot_hold(tmp_path):
    with pytest.raises(ValueError, match='pickled'):
        wgpy.load(io.BytesIO(pickle.dumps({'a': 1})))
    assert wgpy.load(io.BytesIO(pickle.dumps({'a': 1})), allow_pickle=True) == {'a': 1}
    with pytest.raises(FileNotFoundError):
        wgpy.load(str(tmp_path / 'nope.npy'))
    with pytest.raises(EOFError):
        wgpy.load(io.BytesIO(b''))
    head = b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    obj = b'\x93NUMPY\x01\x00' + len(head).to_bytes(2, 'little') + head
    with pytest.raises(ValueError, match='allow_pickle'):
        wgpy.load(io.BytesIO(obj))
    bad = b'\x93NUMPY\x01\x00' + (5).to_bytes(2, 'little') + b'{1: 2'
    with pytest.raises(ValueError, match='header'):
        wgpy.load(io.BytesIO(bad))
    short = b"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
    with pytest.raises(ValueError, match='EOF'):
        wgpy.load(io.BytesIO(b'\x93NUMPY\x01\x00' + len(short).to_bytes(2, 'little') + short
                             + b'\0' * 8))
    with pytest.raises(ValueError, match='version'):
        wgpy.load(io.BytesIO(b'\x93NUMPY\x09\x00\x00\x00'))


def test_big_endian_and_fortran_order_files():
    """Headers numpy writes for other machines' data: '>' descrs and fortran_order True."""
    def npy(descr, fortran, shape, data):
        head = ("{'descr': '%s', 'fortran_order': %s, 'shape': %r, }" % (descr, fortran, shape))
        return io.BytesIO(b'\x93NUMPY\x01\x00' + len(head).to_bytes(2, 'little') + head.encode()
                          + data)
    be = b''.join(v.to_bytes(4, 'big', signed=True) for v in (1, -2, 300))
    assert wgpy.load(npy('>i4', False, (3,), be)).tolist() == [1, -2, 300]
    f = b''.join(v.to_bytes(2, 'little') for v in (1, 4, 2, 5, 3, 6))  # [[1,2,3],[4,5,6]] in F
    assert wgpy.load(npy('<u2', True, (2, 3), f)).tolist() == [[1, 2, 3], [4, 5, 6]]


def test_dump_then_load_with_pickles(tmp_path):
    a = wgpy.arange(4, dtype='int32')
    p = str(tmp_path / 'a.pkl')
    a.dump(p)
    assert wgpy.load(p, allow_pickle=True).tolist() == [0, 1, 2, 3]


def test_fromfile_and_fromstring(tmp_path):
    a = wgpy.arange(6, dtype='int16')
    p = str(tmp_path / 'raw')
    a.tofile(p)
    assert wgpy.fromfile(p, dtype='int16').tolist() == list(range(6))
    assert wgpy.fromfile(p, dtype='int16', count=2, offset=4).tolist() == [2, 3]
    assert wgpy.fromfile(p, dtype='int16', count=100).tolist() == list(range(6))
    a.tofile(p, sep=', ', format='%d')
    assert wgpy.fromfile(p, dtype='int32', sep=',').tolist() == list(range(6))
    with pytest.raises(TypeError):
        wgpy.fromfile(p, sep=',', offset=2)
    assert wgpy.fromstring('1, 2, 3', dtype='int32', sep=',').tolist() == [1, 2, 3]
    assert wgpy.fromstring('1 2   3\n4', sep=' ').tolist() == [1.0, 2.0, 3.0, 4.0]
    assert wgpy.fromstring('1,2,', sep=',').tolist() == [1.0, 2.0]
    assert wgpy.fromstring('1,2,3', sep=',', count=2).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError):
        wgpy.fromstring('1,2,x', sep=',')
    with pytest.raises(ValueError):
        wgpy.fromstring(b'\x01\x02', dtype='uint8')


@pytest.mark.skipif(HAVE_NP, reason='numpy is installed')
def test_text_formats_need_numpy(tmp_path):
    for call in (lambda: wgpy.loadtxt(io.StringIO('1 2')),
                 lambda: wgpy.savetxt(io.StringIO(), wgpy.ones(2)),
                 lambda: wgpy.genfromtxt(io.StringIO('1 2'))):
        with pytest.raises(RuntimeError, match='numpy'):
            call()


# ---- against numpy ----------------------------------------------------------------------------
@pytest.mark.skipif(not HAVE_NP, reason='numpy is not installed')
@pytest.mark.parametrize('dt', DTYPES)
@pytest.mark.parametrize('shape', [(3, 5), (), (0, 4), (7,), (123456789, 0), (2,) * 6])
def test_npy_bytes_are_numpys(dt, shape):
    import numpy as np
    a = _sample(dt, shape)
    ours, theirs = io.BytesIO(), io.BytesIO()
    wgpy.save(ours, a)
    np.save(theirs, wgpy.asnumpy(a))
    assert ours.getvalue() == theirs.getvalue()


@pytest.mark.skipif(not HAVE_NP, reason='numpy is not installed')
def test_numpys_files_read_and_ours_read_by_numpy(tmp_path):
    import numpy as np
    x = np.arange(24, dtype='>f4').reshape(2, 3, 4)
    big = np.arange(20000, dtype='<i4').reshape(5, 4000)  # a long shape: still version 1.0
    np.savez_compressed(tmp_path / 'n.npz', x=x, f=np.asfortranarray(x.astype('<i2')), big=big)
    with wgpy.load(tmp_path / 'n.npz') as z:
        assert z['x'].tolist() == x.tolist() and z['x'].dtype == wgpy.float32
        assert z['f'].tolist() == x.astype('<i2').tolist() and z['f'].flags.c_contiguous
        assert z['big'].tolist() == big.tolist()
    wgpy.savez(tmp_path / 'w', wgpy.asarray(x), k=wgpy.asarray(big))
    with np.load(tmp_path / 'w.npz') as z:
        np.testing.assert_array_equal(z['arr_0'], x)
        np.testing.assert_array_equal(z['k'], big)
    # the most dimensions, and numpy's format 2.0 (a 4-byte header length)
    ours, theirs = io.BytesIO(), io.BytesIO()
    wgpy.save(ours, wgpy.zeros((1,) * 16, dtype='uint8'))
    np.save(theirs, np.zeros((1,) * 16, dtype='uint8'))
    assert ours.getvalue() == theirs.getvalue()
    v2 = io.BytesIO()
    np.lib.format.write_array(v2, np.arange(3, dtype='<u2'), version=(2, 0))
    assert v2.getvalue()[6] == 2
    v2.seek(0)
    assert wgpy.load(v2).tolist() == [0, 1, 2]


@pytest.mark.skipif(not HAVE_NP, reason='numpy is not installed')
def test_text_formats_through_numpy(tmp_path):
    import numpy as np
    a = wgpy.arange(6, dtype='float32').reshape(2, 3) / 4
    p = str(tmp_path / 't.txt')
    wgpy.savetxt(p, a, fmt='%.3f', delimiter=',', header='h')
    with open(p) as f:
        assert f.read() == '# h\n0.000,0.250,0.500\n0.750,1.000,1.250\n'
    b = wgpy.loadtxt(p, delimiter=',')
    assert isinstance(b, wgpy.ndarray) and b.tolist() == np.loadtxt(p, delimiter=',').tolist()
    g = wgpy.genfromtxt(io.StringIO('1,2\n3,\n'), delimiter=',', filling_values=-1)
    assert g.tolist() == [[1.0, 2.0], [3.0, -1.0]]
    with pytest.raises(NotImplementedError):
        wgpy.genfromtxt(io.StringIO('1,2'), delimiter=',', usemask=True)
    assert os.path.exists(p)
