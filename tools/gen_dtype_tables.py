#!/usr/bin/env python3
"""Generate core/src/dtype/tables.c from the installed NumPy.

    python3 tools/gen_dtype_tables.py            # writes core/src/dtype/tables.c
    python3 tools/gen_dtype_tables.py --summary  # also prints what is unusual in NumPy's resolution

The tables are the ground truth for wgpy's dtype rules (DESIGN.md section 3, layer 1):

  * promote_types for the 14 dtypes (complex64 and complex128 included) (-1 where NumPy raises);
  * can_cast for each casting kind (no, equiv, safe, same_kind, unsafe) as bitmasks;
  * ufunc loop resolution for every op in WG_UNARY_OPS / WG_BINARY_OPS of core/include/wgpy.h
    (parsed from the header so that the table cannot drift from the enum), for every combination of
    operands where each operand is one of the 14 dtypes or a weak Python scalar (bool, int, float, complex),
    from NumPy's ``ufunc.resolve_dtypes``.

Weak Python scalars: ``resolve_dtypes`` accepts the Python types ``int`` and ``float`` as weak
(NEP 50) operands.  It refuses ``bool``: NumPy treats a Python bool as ``np.bool_`` (bool is the
lowest kind, so a "weak" bool and a strong bool behave alike), so a weak bool is resolved as the
bool dtype.  Every entry is cross-checked against an actual ufunc call on arrays / Python scalars.
"""
import os
import re
import sys
import warnings

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(ROOT, "core", "include", "wgpy.h")
OUT = os.path.join(ROOT, "core", "src", "dtype", "tables.c")

ERR = 0xFF
CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]  # order of wg_casting


def parse_xmacro(text, name):
    """The X(...) entries of `#define name(X) ...` in wgpy.h, as lists of stripped fields."""
    m = re.search(r"#define\s+" + name + r"\(X\)((?:[^\n]*\\\n)*[^\n]*\n)", text)
    assert m, "macro %s not found in wgpy.h" % name
    body = m.group(1).replace("\\\n", " ")
    body = re.sub(r"/\*.*?\*/", " ", body)
    return [[f.strip() for f in args.split(",")] for args in re.findall(r"\bX\(([^)]*)\)", body)]


def load_header():
    with open(HEADER) as f:
        text = f.read()
    dtypes = [(e[0], e[1]) for e in parse_xmacro(text, "WG_DTYPES")]
    unary = [(e[0], e[1], int(e[2])) for e in parse_xmacro(text, "WG_UNARY_OPS")]
    binary = [(e[0], e[1], int(e[2])) for e in parse_xmacro(text, "WG_BINARY_OPS")]
    assert all(a == 1 for _, _, a in unary) and all(a == 2 for _, _, a in binary)
    return dtypes, unary, binary


DTYPE_ENUMS, UNARY, BINARY = load_header()
DTYPES = [np.dtype(name) for _, name in DTYPE_ENUMS]
ND = len(DTYPES)  # 14: the 12 real dtypes, complex64, complex128
assert ND == 14
INDEX = {dt: i for i, dt in enumerate(DTYPES)}
# Operand codes: 0..ND-1 the dtypes (strong), then weak bool, weak int, weak float, weak complex.
NCODES = ND + 4
W_BOOL, W_INT, W_FLOAT, W_COMPLEX = ND, ND + 1, ND + 2, ND + 3
WEAK_FOR_RESOLVE = {W_BOOL: np.dtype(bool), W_INT: int, W_FLOAT: float, W_COMPLEX: complex}
WEAK_VALUE = {W_BOOL: True, W_INT: 1, W_FLOAT: 1.0, W_COMPLEX: 1.0 + 1.0j}
CODE_NAMES = [n for _, n in DTYPE_ENUMS] + ["weak bool", "weak int", "weak float", "weak complex"]


def resolve_arg(code):
    return DTYPES[code] if code < ND else WEAK_FOR_RESOLVE[code]


def call_arg(code):
    return np.ones(2, DTYPES[code]) if code < ND else WEAK_VALUE[code]


def dt_index(dt):
    if dt not in INDEX:
        raise AssertionError("numpy resolved to a dtype outside the 14: %r" % (dt,))
    return INDEX[dt]


def resolve(uf, codes):
    """(loop input indices..., output index), or None where NumPy raises TypeError."""
    try:
        res = uf.resolve_dtypes(tuple(resolve_arg(c) for c in codes) + (None,) * uf.nout)
    except TypeError:  # includes numpy's UFuncNoLoopError (a TypeError subclass)
        return None
    assert len(res) == len(codes) + 1, (uf.__name__, codes, res)
    if np.dtype(object) in res:
        # NumPy compares two Python ints with its object loop (exact for any size).  That is the
        # only object loop reachable here; the table records int64 (exact for every int64 value;
        # the Python layer compares larger ints itself).
        assert codes == (W_INT, W_INT) and res[2] == np.dtype(bool), (uf.__name__, codes, res)
        res = (np.dtype(np.int64), np.dtype(np.int64), res[2])
    return tuple(dt_index(d) for d in res)


def actual(uf, codes):
    """The result dtype of really calling the ufunc, or None where it raises TypeError."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = uf(*[call_arg(c) for c in codes])
    except TypeError:
        return None
    return dt_index(np.asarray(r).dtype)


def build():
    promote = [[-1] * ND for _ in range(ND)]
    for i, a in enumerate(DTYPES):
        for j, b in enumerate(DTYPES):
            try:
                promote[i][j] = dt_index(np.promote_types(a, b))
            except TypeError:
                pass
    cast = [[0] * ND for _ in CASTINGS]
    for k, casting in enumerate(CASTINGS):
        for i, a in enumerate(DTYPES):
            for j, b in enumerate(DTYPES):
                if np.can_cast(a, b, casting=casting):
                    cast[k][i] |= 1 << j

    unary = []
    for _, name, _ in UNARY:
        uf = getattr(np, name)
        assert isinstance(uf, np.ufunc) and uf.nin == 1 and uf.nout == 1, name
        rows = []
        for c in range(NCODES):
            r = resolve(uf, (c,))
            a = actual(uf, (c,))
            assert (r is None) == (a is None) and (r is None or r[-1] == a), \
                (name, CODE_NAMES[c], r, a)
            rows.append(r)
        unary.append(rows)

    binary = []
    for _, name, _ in BINARY:
        uf = getattr(np, name)
        assert isinstance(uf, np.ufunc) and uf.nin == 2 and uf.nout == 1, name
        rows = []
        for c0 in range(NCODES):
            row = []
            for c1 in range(NCODES):
                r = resolve(uf, (c0, c1))
                a = actual(uf, (c0, c1))
                assert (r is None) == (a is None) and (r is None or r[-1] == a), \
                    (name, CODE_NAMES[c0], CODE_NAMES[c1], r, a)
                row.append(r)
            rows.append(row)
        binary.append(rows)
    return promote, cast, unary, binary


def check(promote, cast, unary, binary):
    """Hand-picked cases, written from NumPy 2.4's documented/observed behaviour."""
    I = {n: i for i, (_, n) in enumerate(DTYPE_ENUMS)}
    U = {n: i for i, (_, n, _) in enumerate(UNARY)}
    B = {n: i for i, (_, n, _) in enumerate(BINARY)}
    assert binary[B["add"]][I["float32"]][W_COMPLEX] == (I["complex64"],) * 3
    assert binary[B["add"]][I["int8"]][W_COMPLEX] == (I["complex128"],) * 3
    assert unary[U["absolute"]][I["complex64"]] == (I["complex64"], I["float32"])
    assert binary[B["true_divide"]][I["int8"]][I["int8"]] == (I["float64"],) * 3
    assert unary[U["sqrt"]][I["int8"]] == (I["float16"], I["float16"])
    assert binary[B["left_shift"]][W_FLOAT][I["int8"]] is None
    assert binary[B["left_shift"]][I["int8"]][W_FLOAT] is None
    assert unary[U["floor"]][I["int8"]] == (I["int8"], I["int8"])
    assert binary[B["add"]][I["int8"]][W_INT] == (I["int8"],) * 3
    assert binary[B["add"]][I["uint8"]][W_INT] == (I["uint8"],) * 3
    assert binary[B["add"]][I["int8"]][W_FLOAT] == (I["float64"],) * 3
    assert binary[B["add"]][I["float16"]][W_FLOAT] == (I["float16"],) * 3
    assert binary[B["add"]][I["bool"]][W_INT] == (I["int64"],) * 3
    assert binary[B["add"]][W_INT][W_FLOAT] == (I["float64"],) * 3
    assert binary[B["subtract"]][I["bool"]][I["bool"]] is None
    assert binary[B["equal"]][I["int64"]][I["uint64"]] == (I["int64"], I["uint64"], I["bool"])
    assert promote[I["int64"]][I["uint64"]] == I["float64"]
    assert cast[CASTINGS.index("same_kind")][I["float64"]] & (1 << I["float16"])
    assert not cast[CASTINGS.index("safe")][I["int64"]] & (1 << I["uint64"])
    assert binary[B["add"]][W_BOOL] == binary[B["add"]][I["bool"]]


def emit(promote, cast, unary, binary):
    L = []
    w = L.append
    w("/* GENERATED FILE - do not edit.")
    w(" * Made by tools/gen_dtype_tables.py from NumPy %s:  python3 tools/gen_dtype_tables.py" %
      np.__version__)
    w(" * Dtype indices are wg_dtype; operand codes %d..%d are weak bool/int/float/complex Python"
      % (ND, ND + 3))
    w(" * scalars;")
    w(" * 0xFF (promote: -1) marks a combination where NumPy raises TypeError. */")
    w('#include "dtype.h"')
    w("")
    w("/* The op order these tables were made for; a changed wgpy.h fails here: regenerate. */")
    for i, (e, _) in enumerate(DTYPE_ENUMS):
        w("_Static_assert(WG_%s == %d, \"tables.c is stale: run tools/gen_dtype_tables.py\");" % (e, i))
    for i, (e, _, _) in enumerate(UNARY + BINARY):
        w("_Static_assert(WG_OP_%s == %d, \"tables.c is stale: run tools/gen_dtype_tables.py\");" % (e, i))
    w("#define WG_X_(E, name, arity) +1")
    w("_Static_assert(0 WG_UNARY_OPS(WG_X_) == %d, \"tables.c is stale: run tools/gen_dtype_tables.py\");"
      % len(UNARY))
    w("_Static_assert(0 WG_BINARY_OPS(WG_X_) == %d, \"tables.c is stale: run tools/gen_dtype_tables.py\");"
      % len(BINARY))
    w("#undef WG_X_")
    w("")
    w("/* declared again (extern) in dtype.c */")
    w("WG_INTERNAL extern const int8_t wgD_tab_promote[%d][%d];" % (ND, ND))
    w("WG_INTERNAL extern const uint16_t wgD_tab_can_cast[5][%d];" % ND)
    w("WG_INTERNAL extern const uint8_t wgD_tab_unary[%d][%d][2];" % (len(UNARY), NCODES))
    w("WG_INTERNAL extern const uint8_t wgD_tab_binary[%d][%d][%d][3];" % (len(BINARY), NCODES, NCODES))
    w("")
    w("/* np.promote_types(a, b) */")
    w("const int8_t wgD_tab_promote[%d][%d] = {" % (ND, ND))
    for i, row in enumerate(promote):
        w("    {%s}, /* %s */" % (", ".join("%2d" % v for v in row), DTYPE_ENUMS[i][1]))
    w("};")
    w("")
    w("/* np.can_cast(from, to, casting): bit `to` of [casting][from] */")
    w("const uint16_t wgD_tab_can_cast[5][%d] = {" % ND)
    for k, rows in enumerate(cast):
        w("    { /* %s */" % CASTINGS[k])
        w("        " + ", ".join("0x%04x" % v for v in rows))
        w("    },")
    w("};")
    w("")
    w("/* unary: [op][operand code] = {loop input dtype, output dtype} */")
    w("const uint8_t wgD_tab_unary[%d][%d][2] = {" % (len(UNARY), NCODES))
    for (e, name, _), rows in zip(UNARY, unary):
        cells = ["{%d,%d}" % r if r else "{255,255}" for r in rows]
        w("    { /* %s */ %s }," % (name, ",".join(cells)))
    w("};")
    w("")
    w("/* binary: [op][code of operand 0][code of operand 1] = {loop in0, loop in1, output} */")
    w("const uint8_t wgD_tab_binary[%d][%d][%d][3] = {" % (len(BINARY), NCODES, NCODES))
    for (e, name, _), rows in zip(BINARY, binary):
        w("    { /* %s */" % name)
        for c0, row in enumerate(rows):
            cells = ["{%d,%d,%d}" % r if r else "{255,255,255}" for r in row]
            w("        {%s}, /* %s */" % (",".join(cells), CODE_NAMES[c0]))
        w("    },")
    w("};")
    return "\n".join(L) + "\n"


def summary(promote, cast, unary, binary):
    """Print where NumPy's loop resolution is not 'promote, then the same-type loop'."""
    n = [name for _, name in DTYPE_ENUMS] + ["Wbool", "Wint", "Wfloat", "Wcomplex"]
    for (_, name, _), rows in zip(UNARY, unary):
        odd = []
        for c, r in enumerate(rows):
            if r is None:
                odd.append("%s:ERR" % n[c])
            elif c < ND and (r[0] != c or r[1] != c):
                odd.append("%s->(%s)%s" % (n[c], n[r[0]], n[r[1]]))
            elif c >= ND:
                odd.append("%s->(%s)%s" % (n[c], n[r[0]], n[r[1]]))
        print("%-12s %s" % (name, " ".join(odd)))
    for (_, name, _), rows in zip(BINARY, binary):
        odd = []
        for c0 in range(NCODES):
            for c1 in range(NCODES):
                r = rows[c0][c1]
                if c0 < ND and c1 < ND:
                    p = promote[c0][c1]
                    if r is None:
                        odd.append("%s,%s:ERR" % (n[c0], n[c1]))
                    elif r[0] != p or r[1] != p or r[2] != p:
                        odd.append("%s,%s->(%s,%s)%s" % (n[c0], n[c1], n[r[0]], n[r[1]], n[r[2]]))
        print("%-14s %d unusual: %s" % (name, len(odd), " ".join(odd[:40])))


def main():
    tabs = build()
    check(*tabs)
    text = emit(*tabs)
    with open(OUT, "w") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (os.path.relpath(OUT, ROOT), len(text)), file=sys.stderr)
    if "--summary" in sys.argv:
        summary(*tabs)


if __name__ == "__main__":
    main()
