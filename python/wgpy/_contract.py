"""einsum and einsum_path (issue 10): the subscripts are parsed and the contraction lowered by the
engine (core/src/api/einsum.c: diagonals as views, batched matmuls, fused multiply-and-sum
reductions); this file only normalizes the arguments (NumPy's interleaved operand/sublist form,
optimize=, dtype=, out=) and formats einsum_path's report."""

import ctypes as _ct
import math as _math

from . import _core, _dtypes, _lib
from ._core import ndarray

__all__ = []
_export = _core.exporter(globals())

_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'


def _arr(a):
    return a if isinstance(a, ndarray) else _core.asarray_impl(a)


def _sublist(sub):
    out = []
    for s in sub:
        if s is Ellipsis:
            out.append('...')
            continue
        try:
            k = int(s)
        except (TypeError, ValueError):
            raise TypeError('For this input type lists must contain either int or Ellipsis')
        if not 0 <= k < 52:
            raise ValueError('subscript is not within the valid range [0, 52)')
        out.append(_LETTERS[k])
    return ''.join(out)


def _parse_args(operands):
    """(subscripts, [ndarray...]) from einsum's two calling forms."""
    if not operands:
        raise ValueError('No input operands')
    if isinstance(operands[0], str):
        subs, ops = operands[0], list(operands[1:])
    else:
        ops, terms = [], []
        rest = list(operands)
        while len(rest) >= 2:
            ops.append(rest.pop(0))
            terms.append(_sublist(rest.pop(0)))
        subs = ','.join(terms)
        if rest:
            subs += '->' + _sublist(rest.pop(0))
    if not ops:
        raise ValueError('No input operands')
    return subs, [_arr(o) for o in ops]


def _handles(ops):
    return (_ct.c_void_p * len(ops))(*[o._h for o in ops])


def _greedy(subs, ops):
    n = len(ops)
    path = (_ct.c_int32 * max(2 * (n - 1), 1))()
    norm = _ct.create_string_buffer(1024)
    steps = _lib.check(_lib.wg_einsum_path(_lib.ctx, subs.encode('latin-1'), n, _handles(ops),
                                           path, norm, 1024))
    return [(path[2 * s], path[2 * s + 1]) for s in range(steps)], norm.value.decode()


def _pairs(path, n):
    """A NumPy contraction list (tuples of any length) as the engine's pairwise steps."""
    ids = list(range(n))     # NumPy's list of operands (ids), as the path sees it
    mine = list(range(n))    # the engine's list
    nxt = n
    pairs = []
    for step in path:
        try:
            idx = [int(i) for i in step]
        except TypeError:
            raise TypeError('einsum: a contraction path step must be a tuple of ints, not %r'
                            % (step,))
        if not idx or len(set(idx)) != len(idx) or any(not 0 <= i < len(ids) for i in idx):
            raise ValueError('einsum: invalid contraction %r in the path' % (step,))
        group = [ids[i] for i in idx]
        for i in sorted(idx, reverse=True):
            del ids[i]
        cur = group[0]
        for g in group[1:]:
            i, j = mine.index(cur), mine.index(g)
            pairs.append((i, j))
            mine = [m for m in mine if m not in (cur, g)] + [nxt]
            cur = nxt
            nxt += 1
        ids.append(cur)
    if len(ids) != 1:
        raise ValueError('einsum: the path leaves %d operands uncontracted' % len(ids))
    return pairs


def _path_arg(optimize, subs, ops):
    """The pairs to run, or None for the engine's greedy order."""
    if isinstance(optimize, (list, tuple)) and optimize and optimize[0] == 'einsum_path':
        return _pairs(optimize[1:], len(ops))
    if optimize in (False, True, None) or optimize in ('greedy', 'optimal'):
        return None
    if isinstance(optimize, str):
        raise TypeError('Did not understand the path: %s' % optimize)
    raise TypeError('Did not understand the path (optimize): %r' % (optimize,))


@_export
def einsum(*operands, out=None, dtype=None, order='K', casting='safe', optimize=False):
    """NumPy's einsum: any subscripts (ellipsis, repeated labels, implicit output), both
    calling forms, dtype=, casting=, out= and optimize= (False, True, 'greedy', 'optimal' or an
    einsum_path list; the engine always contracts pairwise, in the path's order or greedily)."""
    subs, ops = _parse_args(operands)
    if casting not in _lib.CASTING:
        raise ValueError("casting must be one of 'no', 'equiv', 'safe', 'same_kind', or "
                         "'unsafe'")
    if order not in ('K', 'A', 'C', 'F', None):
        raise ValueError("order must be one of 'C', 'F', 'A', or 'K' (got %r)" % (order,))
    pairs = _path_arg(optimize, subs, ops)
    if pairs is None:
        nsteps, parr = -1, None
    else:
        nsteps = len(pairs)
        parr = (_ct.c_int32 * max(2 * nsteps, 1))(*[i for p in pairs for i in p])
    dt = -1 if dtype is None else _dtypes.requested(dtype)
    o = None if out is None else _core._out_arg(out)
    h = _lib.wg_einsum(_lib.ctx, subs.encode('latin-1'), len(ops), _handles(ops), nsteps, parr,
                       dt, _lib.CASTING[casting], None if o is None else o._h)
    if o is not None:
        return _core._done_out(h, o)
    if len(ops) == 1 and h and _lib.wg_shares_buffer(h, ops[0]._h):
        # one operand only rearranged (diagonals, transposes) comes back a view of it, as NumPy's
        return _core._view(h, ops[0])
    return _core._wrap(h)


@_export
def einsum_path(*operands, optimize='greedy', einsum_call=False):
    """NumPy's einsum_path: (['einsum_path', (i, j), ...], report).  'greedy' and 'optimal' give
    the engine's greedy pairs (the order einsum runs); False one contraction of everything."""
    subs, ops = _parse_args(operands)
    if isinstance(optimize, tuple) and len(optimize) == 2 and isinstance(optimize[0], str):
        optimize = optimize[0]  # (strategy, memory_limit)
    pairs, norm = _greedy(subs, ops)
    n = len(ops)
    if isinstance(optimize, (list, tuple)) and optimize and optimize[0] == 'einsum_path':
        _pairs(optimize[1:], n)  # checked
        path = list(optimize)
    elif optimize is False or n == 1:
        path = ['einsum_path', tuple(range(n))]
    elif optimize in (True, 'greedy', 'optimal'):
        path = ['einsum_path'] + pairs
    else:
        raise TypeError('Did not understand the path: %s' % (optimize,))
    inputs, output = norm.split('->')
    terms = inputs.split(',')
    sizes = {}
    for t, o in zip(terms, ops):
        for c, s in zip(t, o.shape):
            if c != '.':
                sizes[c] = max(sizes.get(c, 1), s)
    labels = set(''.join(terms)) - {'.'}
    naive = _math.prod(sizes[c] for c in labels) if labels else 1
    lines = ['  Complete contraction:  %s' % norm,
             '         Naive scaling:  %d' % len(labels),
             '      Naive FLOP count:  %.3e' % (naive * max(n, 1)),
             '--------------------------------------------------------------------------',
             'contraction order (pairs of the operand list; each result goes last)',
             '--------------------------------------------------------------------------']
    for step in path[1:]:
        lines.append('   %s' % (step,))
    return path, '\n'.join(lines)
