"""Files (issue 10's breadth): NumPy's .npy and .npz formats read and written by wgpy itself, so
that they work without numpy (Pyodide's minimal install: a page can keep a model's weights in its
file system), and fromfile/fromstring; the text formats (loadtxt, savetxt, genfromtxt) are
numpy's parsers and printers, used where numpy is installed.

Reading a file is host work by nature: the bytes are read on the host and uploaded once (as
CuPy's, whose functions call numpy and transfer).  The format: numpy.lib.format's (version 1.0,
2.0 for headers over 64 KiB; a header padded to a multiple of 64 bytes)."""

import ast as _ast
import collections.abc as _abc
import os as _os
import pickle as _pickle
import struct as _struct
import zipfile as _zipfile

from . import _core, _dtypes, _lib
from ._core import ndarray

__all__ = []
_export = _core.exporter(globals())

_MAGIC = b'\x93NUMPY'
_ZIP_MAGICS = (b'PK\x03\x04', b'PK\x05\x06')
_ALIGN = 64


def _funcs():
    from . import _funcs as f
    return f


def _is_path(f):
    return isinstance(f, (str, bytes)) or hasattr(f, '__fspath__')


def _numpy(who, what):
    """numpy, or a RuntimeError saying that `who` needs it (`what`: why)."""
    if _lib.np is None:
        raise RuntimeError('wgpy.%s: %s are numpy\'s (numpy is not installed); install numpy '
                           '(in Pyodide: await pyodide.loadPackage("numpy"))' % (who, what))
    return _lib.np


# ---- .npy -------------------------------------------------------------------------------------
def _header_bytes(a):
    # numpy.lib.format's text: its key order, the trailing ", }", then room for the first axis'
    # length to grow to 21 digits (numpy's, so that a header can be rewritten in place), then
    # spaces to a multiple of 64 bytes (a whole 64 more where it is one already) and a newline
    shape = tuple(a.shape)
    text = "{'descr': %r, 'fortran_order': False, 'shape': %r, }" % (
        _dtypes.OBJS[a._dt].str, shape)
    if shape:
        text += ' ' * (21 - len(repr(shape[0])))
    for version, fmt in (((1, 0), '<H'), ((2, 0), '<I')):
        hlen = len(text) + 1
        pad = _ALIGN - (len(_MAGIC) + 2 + _struct.calcsize(fmt) + hlen) % _ALIGN
        if hlen + pad < 1 << (8 * _struct.calcsize(fmt)):
            return (_MAGIC + bytes(version) + _struct.pack(fmt, hlen + pad)
                    + text.encode('latin1') + b' ' * pad + b'\n')
    raise ValueError('header does not fit inside 4 GiB')


def _write_npy(f, arr):
    a = arr if isinstance(arr, ndarray) else _funcs().asarray(arr)
    f.write(_header_bytes(a))
    f.write(a.tobytes())


def _read_exact(f, n, what):
    data = f.read(n)
    if len(data) != n:
        raise ValueError('EOF: reading %s, expected %d bytes got %d' % (what, n, len(data)))
    return data


def _byteswapped(data, size, parts):
    """data's items of `size` bytes with each of their `parts` components' bytes reversed."""
    k = size // parts
    out = bytearray(len(data))
    for j in range(k):
        out[j::k] = data[k - 1 - j::k]
    return bytes(out)


def _read_npy(f, allow_pickle, max_header_size):
    """The array of a .npy stream positioned after its magic string."""
    major, minor = _read_exact(f, 2, 'the format version')
    if (major, minor) not in ((1, 0), (2, 0), (3, 0)):
        raise ValueError('we only support format version (1,0), (2,0), and (3,0), not %s'
                         % ((major, minor),))
    (hlen,) = _struct.unpack('<H' if major == 1 else '<I',
                             _read_exact(f, 2 if major == 1 else 4, 'the header length'))
    if hlen > max_header_size:
        raise ValueError('Header info length (%d) is large and may not be safe to load securely.'
                         ' To allow loading, adjust `max_header_size`' % hlen)
    text = _read_exact(f, hlen, 'the header').decode('utf8' if major == 3 else 'latin1')
    try:
        d = _ast.literal_eval(text)
    except (SyntaxError, ValueError) as e:
        raise ValueError('Cannot parse header: %r' % text) from e
    if (not isinstance(d, dict) or set(d) != {'descr', 'fortran_order', 'shape'}
            or not isinstance(d['shape'], tuple)
            or not all(isinstance(n, int) and n >= 0 for n in d['shape'])
            or not isinstance(d['fortran_order'], bool)):
        raise ValueError('Header is not a dictionary of descr, fortran_order and shape: %r'
                         % (d,))
    descr, shape = d['descr'], d['shape']
    if descr in ('|O', 'O') or not isinstance(descr, str):
        if isinstance(descr, str) and not allow_pickle:
            raise ValueError('Object arrays cannot be loaded when allow_pickle=False')
        raise TypeError('wgpy.load: the file holds %s (descr %r): wgpy arrays have no such '
                        'dtype' % ('an object array' if isinstance(descr, str)
                                   else 'a structured array', descr))
    try:
        code = _dtypes.code_of(descr)
    except TypeError as e:
        raise TypeError('wgpy.load: descr %r has no wgpy dtype' % (descr,)) from e
    dt = _dtypes.OBJS[code]
    size = dt.itemsize
    count = 1
    for n in shape:
        count *= n
    data = _read_exact(f, count * size, 'the array data')
    if descr[0] == '>' and size > 1:
        data = _byteswapped(data, size, 2 if dt.kind == 'c' else 1)
    from ._create import frombuffer
    a = frombuffer(data, dtype=dt)
    if d['fortran_order'] and len(shape) > 1:
        return _funcs().ascontiguousarray(a.reshape(shape[::-1]).transpose())
    return a.reshape(shape)


# ---- .npz -------------------------------------------------------------------------------------
class NpzFile(_abc.Mapping):
    """The arrays of a .npz file, each read (and uploaded) when it is looked up, as numpy's and
    CuPy's NpzFile.  Close it, or use it in a `with` block, to close the file."""

    def __init__(self, fid, own, allow_pickle, max_header_size):
        self.zip = _zipfile.ZipFile(fid)
        self.fid = fid if own else None
        self.allow_pickle = allow_pickle
        self.max_header_size = max_header_size
        self._files = self.zip.namelist()
        self.files = [n[:-4] if n.endswith('.npy') else n for n in self._files]

    def __getitem__(self, key):
        name = key if key in self._files else key + '.npy' if key + '.npy' in self._files else None
        if name is None:
            raise KeyError('%s is not a file in the archive' % key)
        with self.zip.open(name) as member:
            if member.read(len(_MAGIC)) == _MAGIC:
                return _read_npy(member, self.allow_pickle, self.max_header_size)
            return self.zip.read(name)  # not an array: its bytes, as numpy's

    def __iter__(self):
        return iter(self.files)

    def __len__(self):
        return len(self.files)

    def __contains__(self, key):
        return key in self.files or key in self._files

    def close(self):
        if self.zip is not None:
            self.zip.close()
            self.zip = None
        if self.fid is not None:
            self.fid.close()
            self.fid = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return '<NpzFile of %d arrays: %s>' % (len(self.files), ', '.join(self.files[:5]))


# ---- the functions ----------------------------------------------------------------------------
def _with_suffix(path, suffix):
    """A path as a str, `suffix` appended where it lacks it (numpy's save and savez do so)."""
    path = _os.fspath(path)
    if isinstance(path, bytes):
        path = path.decode()
    return path if path.endswith(suffix) else path + suffix


@_export
def save(file, arr, allow_pickle=True, fix_imports=None):
    """`arr` in NumPy's .npy format (a read back from the device); '.npy' is appended to a path
    that lacks it."""
    if _is_path(file):
        with open(_with_suffix(file, '.npy'), 'wb') as f:
            _write_npy(f, arr)
    else:
        _write_npy(file, arr)


def _savez(file, args, kwds, compress):
    names = {}
    for i, a in enumerate(args):
        names['arr_%d' % i] = a
    for k, a in kwds.items():
        if k in names:
            raise ValueError('Cannot use un-named variables and keyword %s' % k)
        names[k] = a
    if _is_path(file):
        file = _with_suffix(file, '.npz')
    how = _zipfile.ZIP_DEFLATED if compress else _zipfile.ZIP_STORED
    with _zipfile.ZipFile(file, mode='w', compression=how, allowZip64=True) as z:
        for k, a in names.items():
            with z.open(k + '.npy', 'w', force_zip64=True) as f:
                _write_npy(f, a)


@_export
def savez(file, *args, allow_pickle=True, **kwds):
    """Several arrays in one uncompressed .npz file (NumPy's names: arr_0, arr_1... for the
    positional ones)."""
    _savez(file, args, kwds, False)


@_export
def savez_compressed(file, *args, allow_pickle=True, **kwds):
    _savez(file, args, kwds, True)


@_export
def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding='ASCII', *,
         max_header_size=10000):
    """An array from a .npy file, an NpzFile from a .npz file (its arrays read on lookup), or
    (allow_pickle=True) a pickled object, such as what ndarray.dump wrote.  mmap_mode is
    accepted and has no effect: the array is a copy on the device either way."""
    if encoding not in ('ASCII', 'latin1', 'bytes'):
        raise ValueError("encoding must be 'ASCII', 'latin1', or 'bytes'")
    own = _is_path(file)
    fid = open(_os.fspath(file), 'rb') if own else file
    close = own
    try:
        start = fid.tell() if hasattr(fid, 'tell') else 0
        magic = fid.read(len(_MAGIC))
        if not magic:
            raise EOFError('No data left in file')
        if magic[:4] in _ZIP_MAGICS:
            fid.seek(start)
            close = False  # the NpzFile's now
            return NpzFile(fid, own, allow_pickle, max_header_size)
        if magic == _MAGIC:
            return _read_npy(fid, allow_pickle, max_header_size)
        if not allow_pickle:
            raise ValueError('This file contains pickled (object) data. If you trust the file '
                             'you can load it unsafely using the `allow_pickle=` keyword '
                             'argument or `pickle.load()`.')
        fid.seek(start)
        try:
            return _pickle.load(fid, fix_imports=fix_imports, encoding=encoding)
        except Exception as e:
            raise _pickle.UnpicklingError('Failed to interpret file %r as a pickle' % (file,)) \
                from e
    finally:
        if close:
            fid.close()


def _text_items(text, sep, dtype):
    """fromstring/fromfile's text mode: the numbers of `text` between separators (whitespace
    around them ignored; an empty trailing item dropped), as Python numbers of dtype's kind."""
    kind = _dtypes.OBJS[_dtypes.code_of(dtype)].kind
    conv = (int if kind in 'iu' else (lambda s: bool(int(s))) if kind == 'b'
            else complex if kind == 'c' else float)
    parts = text.split() if not sep.strip() else [p.strip() for p in text.split(sep.strip())]
    if parts and parts[-1] == '':
        parts.pop()
    out = []
    for p in parts:
        try:
            out.append(conv(p))
        except ValueError:
            raise ValueError('string or file could not be read to its end due to unmatched '
                             'data') from None
    return out


def _from_text(text, dtype, count, sep):
    vals = _text_items(text, sep, dtype)
    if count >= 0:
        if count > len(vals):
            raise ValueError('string is smaller than requested size')
        vals = vals[:count]
    return _funcs().array(vals, dtype=dtype)


@_export
def fromstring(string, dtype=float, count=-1, *, sep='', like=None):
    """Numbers separated by `sep` in a string (NumPy 2 removed the binary mode: use
    frombuffer)."""
    if not sep:
        raise ValueError('The binary mode of fromstring is removed, use frombuffer instead')
    if isinstance(string, (bytes, bytearray)):
        string = bytes(string).decode('latin1')
    return _from_text(string, dtype, count, sep)


@_export
def fromfile(file, dtype=float, count=-1, sep='', offset=0, *, like=None):
    """An array from a file's raw bytes (sep='': as ndarray.tofile writes them), or from its text
    (numbers between separators); offset: bytes skipped first (binary files only)."""
    if offset and sep:
        raise TypeError("'offset' argument only permitted for binary files")
    own = _is_path(file)
    fid = open(_os.fspath(file), 'rb') if own else file
    try:
        if sep:
            data = fid.read()
            return _from_text(data.decode('latin1') if isinstance(data, bytes) else data,
                              dtype, count, sep)
        if offset:
            fid.seek(offset, 1)
        size = _dtypes.OBJS[_dtypes.code_of(dtype)].itemsize
        data = fid.read() if count < 0 else fid.read(count * size)  # (fewer where the file ends)
        from ._create import frombuffer
        return frombuffer(data[:len(data) - len(data) % size], dtype=dtype)
    finally:
        if own:
            fid.close()


@_export
def loadtxt(fname, dtype=float, *args, like=None, **kwargs):
    """numpy.loadtxt's array, on the device."""
    np = _numpy('loadtxt', 'text parsing and formats')
    return _funcs().asarray(np.loadtxt(fname, dtype, *args, **kwargs))


@_export
def genfromtxt(fname, dtype=float, *args, like=None, **kwargs):
    """numpy.genfromtxt's array, on the device (masked and structured results have no wgpy
    form: usemask=True raises)."""
    np = _numpy('genfromtxt', 'text parsing and formats')
    if kwargs.get('usemask'):
        raise NotImplementedError('wgpy.genfromtxt: usemask=True (wgpy has no masked arrays)')
    return _funcs().asarray(np.genfromtxt(fname, dtype, *args, **kwargs))


@_export
def savetxt(fname, X, *args, **kwargs):
    """numpy.savetxt of the array read back from the device."""
    np = _numpy('savetxt', 'text parsing and formats')
    np.savetxt(fname, _core.to_numpy(X) if isinstance(X, ndarray) else X, *args, **kwargs)
