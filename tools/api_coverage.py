#!/usr/bin/env python3
"""How much of NumPy's public API wgpy has.

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so python3 tools/api_coverage.py \
        [--write docs/api-coverage.md] [--quiet]

Counts, against the NumPy installed here:

* module level: NumPy's public callables that are not classes (``numpy.<name>`` where the name
  has no leading underscore, ``callable()`` and not a ``type``: functions, ufuncs, array-function
  dispatchers).  wgpy has one when ``wgpy.<name>`` exists and is callable.
* ndarray: ``numpy.ndarray``'s public methods (callable attributes), and separately its other
  public attributes (properties such as ``T``, ``flat``, ``ctypes``).  wgpy has one when
  ``wgpy.ndarray`` has the attribute.

A name counts as present whatever its completeness (a function may refuse some arguments with
NotImplementedError); the point is the breadth of the namespace.  CuPy's counts are the ones
DPNP's comparison page gives (NumPy 2.4.1 against CuPy 13.6: 328 of 389 module-level functions,
47 of 53 ndarray methods), as quoted in the project's issue 10.

numpy.linalg, numpy.random and numpy.fft (issue 11) are counted the same way against wgpy.linalg,
wgpy.random and wgpy.fft (their ``test`` runners excluded), with CuPy's counts from issue 11.

Prints the totals and the missing names; with --write, also writes the markdown table.
"""

import argparse
import os
import sys

CUPY = {'module': (328, 389), 'ndarray': (47, 53), 'linalg': (16, 31),
        'random': (49, 53), 'fft': (18, 18)}  # linalg, random, fft: issue 11's counts for CuPy

# numpy.linalg (issue 11): wgpy.linalg's callables, except those that always raise
# NotImplementedError (none now: eig and eigvals compute every real matrix's eigenvalues).
LINALG_PLACEHOLDERS = set()

# Module-level names wgpy defines only to refuse them clearly (NotImplementedError on every call):
# not counted as present.
MODULE_PLACEHOLDERS = {'frompyfunc'}

# Why each missing name is missing: waits for something, or is left out on purpose (shown in the
# table; docs/api-coverage.md).
BLOCKED_ON = {
    'np.matrix (not in wgpy)': 'asmatrix bmat'.split(),
    'left out: a Python function per element cannot run on the device (write it with wgpy '
    'operations or an ElementwiseKernel)': ['frompyfunc'],
    'left out: datetime64/timedelta64 (wgpy has no datetime dtypes)': (
        'busday_count busday_offset datetime_as_string datetime_data is_busday isnat'.split()),
    'left out: its result is a structured array (wgpy has no structured dtypes)': ['fromregex'],
    'left out: formatting of one host scalar (numpy\'s own)': (
        'format_float_positional format_float_scientific'.split()),
    'left out: NumPy\'s build, install and test introspection': (
        'show_config show_runtime test info get_include getbufsize setbufsize'.split()),
    'left out: DLPack (no device memory shared with other libraries in the browser)': (
        ['from_dlpack']),
    'left out: NumPy\'s host iterator (nditer)': ['nested_iters'],
    'left out: host memory pointers (the data lives on the device)': ['ctypes', 'data'],
}

# Semantics notes shown under the table (what a name does differently from NumPy on purpose).
NOTES = [
    '`geterr`/`seterr`/`errstate`/`geterrcall`/`seterrcall`: the settings are kept with NumPy\'s '
    'defaults and rules (errstate is a context manager and decorator), but wgpy never raises or '
    'warns on floating-point errors: GPU kernels have no such traps.',
    '`set_printoptions`/`get_printoptions`/`printoptions`/`array2string`/`array_repr`/'
    '`array_str`: with numpy installed they are numpy\'s (wgpy arrays print through numpy, as '
    'in CuPy); without numpy (Pyodide\'s minimal install) wgpy\'s own formatter prints with '
    'the default options only, and the formatting arguments raise NotImplementedError.',
    '`ndarray.byteswap`: integer and bool dtypes, on the device (library kernels); floats raise '
    'NotImplementedError (their swapped bytes are NaN payloads and subnormals that GPU floats '
    'do not keep).',
    '`ndarray.to_device`: the array\'s own device (or its backend\'s name) returns the array; '
    '`\'cpu\'` on a GPU backend returns a numpy array (a host copy).',
    '`ndarray.setflags(write=True)` on a broadcast view raises ValueError (NumPy allows it, '
    'with aliasing elements); `getfield`/`setfield` take only the element\'s own dtype at '
    'offset 0 (wgpy has no view(dtype)).',
    '`ndarray.flat`: a flatiter (get, set with NumPy\'s repetition of values, iteration, len, '
    'copy, index, coords); setting through a non-contiguous array writes back a C-order copy.',
    '`min_scalar_type`, `common_type`, `mintypecode`, `issubdtype`, `isdtype`: NumPy\'s '
    'answers (a 64-bit dtype where NumPy gives one), before wgpy\'s 64-bit array policy.',
    '`polydiv` reads the remainder\'s leading coefficients to trim its zeros (as NumPy); '
    '`polyfit` solves with wgpy.linalg.lstsq and reads the rank to warn as NumPy does; '
    '`piecewise` calls its functions on boolean-mask gets (one count read each).',
]


def _numpy_lists(np):
    mod = sorted(n for n in dir(np) if not n.startswith('_')
                 and callable(getattr(np, n)) and not isinstance(getattr(np, n), type))
    attrs = [n for n in dir(np.ndarray) if not n.startswith('_')]
    methods = sorted(n for n in attrs if callable(getattr(np.ndarray, n)))
    props = sorted(n for n in attrs if n not in methods)
    return mod, methods, props


def measure():
    import numpy as np
    import wgpy
    mod, methods, props = _numpy_lists(np)
    have_mod = [n for n in mod if callable(getattr(wgpy, n, None))
                and n not in MODULE_PLACEHOLDERS]
    have_meth = [n for n in methods if hasattr(wgpy.ndarray, n)]
    have_prop = [n for n in props if hasattr(wgpy.ndarray, n)]
    la = np.linalg
    lin = sorted(n for n in dir(la) if not n.startswith('_') and n != 'test'
                 and callable(getattr(la, n)) and not isinstance(getattr(la, n), type))
    wl = getattr(wgpy, 'linalg', None)
    have_lin = [n for n in lin if callable(getattr(wl, n, None)) and n not in LINALG_PLACEHOLDERS]
    rnd = sorted(n for n in dir(np.random) if not n.startswith('_') and n != 'test'
                 and callable(getattr(np.random, n)) and not isinstance(getattr(np.random, n), type))
    have_rnd = [n for n in rnd if callable(getattr(wgpy.random, n, None))]
    ff = sorted(n for n in dir(np.fft) if not n.startswith('_') and n != 'test' and callable(getattr(np.fft, n))
                and not isinstance(getattr(np.fft, n), type))
    wf = getattr(wgpy, 'fft', None)
    have_ff = [n for n in ff if callable(getattr(wf, n, None))]
    return {
        'fft': (ff, have_ff),
        'linalg': (lin, have_lin),
        'random': (rnd, have_rnd),
        'numpy': np.__version__,
        'module': (mod, have_mod),
        'ndarray': (methods, have_meth),
        'ndarray_attrs': (props, have_prop),
    }


def _why(name):
    for why, names in BLOCKED_ON.items():
        if name in names:
            return why
    return ''


def _issue11(r):
    return ', '.join('%d/%d' % (len(r[k][1]), len(r[k][0])) for k in ('random', 'linalg', 'fft'))


def _pct(a, b):
    return '%d%%' % round(100.0 * a / b) if b else '-'


def markdown(r):
    mod, have_mod = r['module']
    meth, have_meth = r['ndarray']
    props, have_prop = r['ndarray_attrs']
    lines = [
        '# NumPy API coverage',
        '',
        'Generated by `tools/api_coverage.py` against NumPy %s (do not edit by hand: rerun it).'
        % r['numpy'],
        '',
        'Module level: NumPy\'s public callables that are not classes. ndarray methods: '
        '`numpy.ndarray`\'s public callable attributes. A name counts when wgpy has it, whatever '
        'arguments it may still refuse. CuPy\'s counts are DPNP\'s comparison page\'s (NumPy '
        '2.4.1 against CuPy 13.6), as the project\'s issue 10 quotes them.',
        '',
        '| | wgpy | CuPy |',
        '|---|---|---|',
        '| module-level functions | %d of %d (%s) | %d of %d (%s) |' % (
            len(have_mod), len(mod), _pct(len(have_mod), len(mod)), CUPY['module'][0],
            CUPY['module'][1], _pct(*CUPY['module'])),
        '| ndarray methods | %d of %d (%s) | %d of %d (%s) |' % (
            len(have_meth), len(meth), _pct(len(have_meth), len(meth)), CUPY['ndarray'][0],
            CUPY['ndarray'][1], _pct(*CUPY['ndarray'])),
        '| ndarray other attributes | %d of %d | |' % (len(have_prop), len(props)),
        '| numpy.linalg functions | %d of %d (%s) | %d of %d (%s) |' % (
            len(r['linalg'][1]), len(r['linalg'][0]), _pct(len(r['linalg'][1]),
                                                           len(r['linalg'][0])),
            CUPY['linalg'][0], CUPY['linalg'][1], _pct(*CUPY['linalg'])),
        '| numpy.random functions | %d of %d (%s) | %d of %d (%s) |' % (
            len(r['random'][1]), len(r['random'][0]), _pct(len(r['random'][1]),
                                                          len(r['random'][0])),
            CUPY['random'][0], CUPY['random'][1], _pct(*CUPY['random'])),
        '| numpy.fft functions | %d of %d (%s) | %d of %d (%s) |' % (
            len(r['fft'][1]), len(r['fft'][0]), _pct(len(r['fft'][1]), len(r['fft'][0])),
            CUPY['fft'][0], CUPY['fft'][1], _pct(*CUPY['fft'])),
        '',
        'Issue 11 (random, linalg, fft): wgpy %s; CuPy %d/%d, %d/%d, %d/%d; goal >= 50, >= 28, '
        '18.' % (_issue11(r), CUPY['random'][0], CUPY['random'][1], CUPY['linalg'][0],
                 CUPY['linalg'][1], CUPY['fft'][0], CUPY['fft'][1]),
        '',
    ]
    for title, (names, have) in (('Module level', r['module']),
                                 ('ndarray methods', r['ndarray']),
                                 ('ndarray other attributes', r['ndarray_attrs']),
                                 ('numpy.linalg', r['linalg']),
                                 ('numpy.random (wgpy.random)', r['random']),
                                 ('numpy.fft (wgpy.fft)', r['fft'])):
        hs = set(have)
        lines += ['## %s' % title, '', '| name | wgpy | missing: why |', '|---|---|---|']
        for n in names:
            ok = n in hs
            lines.append('| `%s` | %s | %s |' % (n, 'yes' if ok else 'no', '' if ok else _why(n)))
        lines.append('')
    lines += ['## Notes', ''] + ['- ' + n for n in NOTES] + ['']
    return '\n'.join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--write', metavar='PATH', help='write the markdown table to PATH')
    p.add_argument('--quiet', action='store_true', help='totals only')
    args = p.parse_args(argv)
    r = measure()
    for key, label in (('module', 'module-level functions'), ('ndarray', 'ndarray methods'),
                       ('ndarray_attrs', 'ndarray other attributes'),
                       ('linalg', 'numpy.linalg functions'),
                       ('random', 'numpy.random functions'),
                       ('fft', 'numpy.fft functions')):
        names, have = r[key]
        cupy = CUPY.get(key)
        print('%-26s wgpy %3d of %3d (%s)%s' % (
            label, len(have), len(names), _pct(len(have), len(names)),
            '   CuPy %d of %d (%s)' % (cupy[0], cupy[1], _pct(*cupy)) if cupy else ''))
        if not args.quiet:
            missing = [n for n in names if n not in set(have)]
            if missing:
                print('  missing (%d): %s' % (len(missing), ' '.join(missing)))
    print('issue 11 (random, linalg, fft): wgpy %s   CuPy %d/%d, %d/%d, %d/%d   goal >= 50, '
          '>= 28, 18' % (_issue11(r), CUPY['random'][0], CUPY['random'][1], CUPY['linalg'][0],
                         CUPY['linalg'][1], CUPY['fft'][0], CUPY['fft'][1]))
    if args.write:
        os.makedirs(os.path.dirname(os.path.abspath(args.write)), exist_ok=True)
        with open(args.write, 'w') as f:
            f.write(markdown(r))
        print('wrote %s' % args.write)
    return 0


if __name__ == '__main__':
    sys.exit(main())
