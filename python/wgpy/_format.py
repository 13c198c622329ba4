"""repr()/str() of arrays when numpy is not installed: numpy's layout, simplified (no
summarization of large arrays, no line wrapping).  With numpy present, ndarray uses numpy's own
formatting instead."""

import decimal
import math
import struct

from . import _core, _dtypes

_SHOW_DTYPE_NOT = ('float64', 'int64', 'bool')


def _shortest(v, fmt, digits):
    """Shortest decimal that round-trips through the float format (numpy's float32 repr)."""
    if v != v or v in (float('inf'), float('-inf')):
        return repr(v)
    for p in range(1, digits + 1):
        s = '%.*g' % (p, v)
        if struct.unpack(fmt, struct.pack(fmt, float(s)))[0] == v:
            return s
    return repr(v)


def _sci(vals, name):
    """numpy's scientific layout: one mantissa precision for all, '1.e-01' style."""
    fmt = {'float32': '<f', 'float16': '<e'}.get(name)
    prec = 0
    for v in vals:
        if v != v or v in (float('inf'), float('-inf')):
            continue
        for p in range(0, 17):
            s = '%.*e' % (p, v)
            back = float(s)
            if fmt:
                back = struct.unpack(fmt, struct.pack(fmt, back))[0]
            if back == v:
                break
        prec = max(prec, p)
    out = []
    for v in vals:
        if v != v:
            out.append('nan')
        elif v in (float('inf'), float('-inf')):
            out.append('inf' if v > 0 else '-inf')
        else:
            m, _, e = ('%.*e' % (prec, v)).partition('e')
            if '.' not in m:
                m += '.'
            out.append(m + 'e' + e)
    w = max(len(s) for s in out)
    return [s.rjust(w) for s in out]


def _float_strs(vals, name, plus=False):
    inf = float('inf')
    nz = [abs(v) for v in vals if v == v and v not in (inf, -inf) and v != 0]
    # numpy's rule for switching to scientific notation
    if nz and (max(nz) >= 1e16 or min(nz) < 1e-4 or max(nz) / min(nz) > 1e3):
        return _sci(vals, name)
    out = []
    for v in vals:
        if v != v:
            out.append('nan')
            continue
        if v in (inf, -inf):
            out.append('inf' if v > 0 else '-inf')
            continue
        if name == 'float32':
            s = _shortest(v, '<f', 9)
        elif name == 'float16':
            s = _shortest(v, '<e', 5)
        else:
            s = repr(v)
        s = format(decimal.Decimal(s), 'f')
        if s.startswith('-') and float(s) == 0 and math.copysign(1.0, v) > 0:
            s = s[1:]
        if '.' not in s:
            s += '.'
        out.append(s)
    if plus:  # the imaginary parts of complex values: numpy's sign='+'
        out = [s if s.startswith('-') else '+' + s for s in out]
    ints = [s.split('.')[0] if '.' in s else s for s in out]
    fracs = [s.split('.')[1] if '.' in s else '' for s in out]
    nums = [k for k, s in enumerate(out) if '.' in s]
    wi = max((len(ints[k]) for k in nums), default=0)
    wf = max((len(fracs[k]) for k in nums), default=0)
    special = max((len(s) for s in out if '.' not in s), default=0)
    wi = max(wi, special - 1 - wf)
    res = []
    for s, i, f in zip(out, ints, fracs):
        if '.' in s:
            res.append(i.rjust(wi) + '.' + f.ljust(wf))
        else:  # nan / inf
            res.append(s.rjust(wi + 1 + wf))
    return res


def _strs(flat, name, kind):
    if kind == 'c':
        part = 'float32' if name == 'complex64' else 'float64'
        re = _float_strs([v.real for v in flat], part)
        im = _float_strs([v.imag for v in flat], part, plus=True)
        out = []
        for r, i in zip(re, im):
            sp = len(i.rstrip())
            out.append(r + i[:sp] + 'j' + i[sp:])
        return out
    if kind == 'f':
        return _float_strs(flat, name)
    if kind == 'b':
        s = [str(bool(v)) for v in flat]
        w = 5 if any(x == 'False' for x in s) else 4
        return [x.rjust(w) for x in s]
    s = [str(v) for v in flat]
    w = max((len(x) for x in s), default=0)
    return [x.rjust(w) for x in s]


def _layout(strs, shape, sep, indent):
    if not shape:
        return strs[0]
    it = iter(strs)

    def rec(depth):
        n = shape[depth]
        if depth == len(shape) - 1:
            return '[' + sep.join(next(it) for _ in range(n)) + ']'
        parts = [rec(depth + 1) for _ in range(n)]
        newlines = '\n' * (len(shape) - depth - 1)
        joiner = sep.rstrip() + newlines + ' ' * (indent + depth + 1)
        return '[' + joiner.join(parts) + ']'
    return rec(0)


def _parts(a):
    flat = _core._read_flat(a)
    d = a.dtype
    return _strs(flat, d.name, d.kind), d


def array_repr(a):
    strs, d = _parts(a)
    shape = a.shape
    if a.size == 0:
        body = '[]' if len(shape) == 1 else '[]'
        extra = ', shape=%s' % (shape,) if len(shape) != 1 else ''
        return 'array(%s%s, dtype=%s)' % (body, extra, d.name)
    body = _layout(strs, shape, ', ', len('array('))
    if d.name in _SHOW_DTYPE_NOT:
        return 'array(%s)' % body
    return 'array(%s, dtype=%s)' % (body, d.name)


def array_str(a):
    strs, d = _parts(a)
    if a.size == 0:
        return '[]'
    return _layout(strs, a.shape, ' ', 0)


_ = _dtypes  # imported for its side effect of being initialized first
