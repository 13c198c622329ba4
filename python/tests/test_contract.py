"""Contractions (issue 10): einsum and einsum_path against numpy — subscripts with ellipsis,
repeated labels (diagonals, traces), implicit output, broadcasting, both calling forms, dtype=,
out=, optimize= paths, and NumPy's errors.  (tensordot, inner, outer, kron, vdot, cross, vecdot,
matvec and vecmat are in test_statx.py; dot and matmul in test_matmul.py.)"""

import pytest

from wgpy import testing
from wgpy.testing import shaped_arange, shaped_random

close = testing.numpy_wgpy_allclose
eq = testing.numpy_wgpy_array_equal


def err():
    return testing.numpy_wgpy_array_equal(accept_error=True)


def R(xp, shape, dtype='float32', seed=0):
    return shaped_random(shape, xp, dtype, seed=seed, scale=4, low=-2)


CASES = [
    ('bij,bjk->bik', [(4, 3, 5), (4, 5, 2)]),
    ('ij,ij->i', [(6, 7), (6, 7)]),
    ('ii', [(4, 4)]),
    ('ii->i', [(4, 4)]),
    ('i,j->ij', [(3,), (4,)]),
    ('ij,jk', [(2, 3), (3, 4)]),
    ('ij,jk,kl->il', [(2, 3), (3, 4), (4, 5)]),
    ('...ij,...jk->...ik', [(2, 1, 3, 4), (5, 4, 2)]),
    ('iij->j', [(3, 3, 4)]),
    ('ijk->kji', [(2, 3, 4)]),
    ('i,i', [(5,), (5,)]),
    ('ij->', [(3, 4)]),
    ('ij,ij->ij', [(2, 1), (2, 3)]),
    (',', [(), ()]),
    ('i,', [(3,), ()]),
    ('ab,bc,cd,de->ae', [(2, 3), (3, 4), (4, 5), (5, 2)]),
    ('iI', [(2, 3)]),
    ('...', [(2, 3)]),
    ('i...->...', [(3, 4)]),
    ('ijk,ikl->jl', [(2, 3, 4), (2, 4, 5)]),
    ('ij,jk->ik', [(0, 3), (3, 4)]),
    ('ij,jk->ik', [(2, 0), (0, 4)]),
    ('bij,bjk->bik', [(1, 3, 5), (4, 5, 2)]),
    ('ijij->ij', [(2, 3, 2, 3)]),
    ('ij,kj->ik', [(3, 4), (5, 4)]),
    ('i,i,i', [(4,), (4,), (4,)]),
    ('ij,jk->ik', [(3, 1), (4, 2)]),
    ('ij,j->i', [(3, 4), (4,)]),
    ('j,ij->i', [(4,), (3, 4)]),
    ('ij->ji', [(3, 4)]),
    ('ab,cd->abcd', [(2, 3), (2, 2)]),
    ('i j , j k -> i k', [(2, 3), (3, 4)]),
    ('...i,...i', [(2, 3, 4), (3, 4)]),
    ('ij,jk,ki->', [(3, 4), (4, 5), (5, 3)]),
]


@pytest.mark.parametrize('subs,shapes', CASES)
@close(rtol=1e-4, atol=1e-4)
def test_einsum(xp, subs, shapes):
    ops = [R(xp, s, seed=k) for k, s in enumerate(shapes)]
    return xp.einsum(subs, *ops)


@pytest.mark.parametrize('dtype', ['int8', 'int16', 'int32', 'uint8', 'bool', 'float16'])
@eq()
def test_einsum_dtypes(xp, dtype):
    a = shaped_arange((3, 4), xp, dtype)
    b = shaped_arange((4, 2), xp, dtype, start=3)
    return (xp.einsum('ij,jk->ik', a, b), xp.einsum('ij,ij->i', a, a), xp.einsum('ij->', a),
            xp.einsum('ii->i', a[:, :3]))


@pytest.mark.parametrize('subs,shape', [('ii->i', (3, 3)), ('ij->ji', (2, 3)),
                                         ('...ii->...i', (2, 3, 3)), ('ijj->ij', (2, 3, 3)),
                                         ('ii->i', (0, 0))])
@pytest.mark.parametrize('dtype', ['float16', 'float32', 'int32'])
@eq()
def test_einsum_rearrangement_is_a_writeable_view(xp, subs, shape, dtype):
    # one operand only rearranged: NumPy returns a writeable view of it (base is the operand),
    # in the operand's dtype; writing through it writes the operand (Chainer's einsum backward)
    a = xp.zeros(shape, dtype)
    v = xp.einsum(subs, a)
    fill = shaped_arange(v.shape, xp, dtype)
    v[...] = fill
    return a, v.dtype, v.base is a, v.flags.writeable


@pytest.mark.parametrize('subs,shape', [('ii', (3, 3)), ('ijj->i', (2, 3, 3)), ('ij->', (2, 2))])
@eq()
def test_einsum_reduction_is_not_a_view(xp, subs, shape):
    a = shaped_arange(shape, xp, 'float32')
    r = xp.einsum(subs, a)
    return r, bool(xp.shares_memory(r, a))


@close()
def test_einsum_sublists(xp):
    a, b = R(xp, (3, 4)), R(xp, (4, 5), seed=1)
    return (xp.einsum(a, [0, 1], b, [1, 2], [0, 2]), xp.einsum(a, [0, 1], b, [1, 2]),
            xp.einsum(R(xp, (2, 3, 4)), [Ellipsis, 1], [Ellipsis]))


@close()
def test_einsum_dtype_out(xp):
    a = shaped_arange((3, 4), xp, 'int16')
    b = shaped_arange((4,), xp, 'int8')
    out = xp.zeros((3,), dtype='float32')
    r = xp.einsum('ij,j->i', a, b, out=out)
    return xp.einsum('ij,j->i', a, b, dtype='float32'), r, out, r is out


@pytest.mark.parametrize('opt', [False, True, 'greedy', 'optimal'])
@close(rtol=1e-4)
def test_einsum_optimize(xp, opt):
    ops = [R(xp, (2, 3)), R(xp, (3, 4), seed=1), R(xp, (4, 5), seed=2)]
    return xp.einsum('ij,jk,kl->il', *ops, optimize=opt)


@close(rtol=1e-4)
def test_einsum_explicit_path(xp):
    ops = [R(xp, (2, 3)), R(xp, (3, 4), seed=1), R(xp, (4, 5), seed=2)]
    return (xp.einsum('ij,jk,kl->il', *ops, optimize=['einsum_path', (0, 2), (0, 1)]),
            xp.einsum('ij,jk,kl->il', *ops, optimize=['einsum_path', (0, 1, 2)]))


@pytest.mark.parametrize('subs,shapes', [
    ('ij,jk,kl->il', [(2, 3), (3, 4), (4, 5)]),
    ('ij,jk->ik', [(2, 3), (3, 4)]),
    ('i', [(3,)]),
])
def test_einsum_path(subs, shapes):
    import wgpy as wp
    ops = [wp.ones(s) for s in shapes]
    path, text = wp.einsum_path(subs, *ops)
    expect = {'ij,jk,kl->il': ['einsum_path', (1, 2), (0, 1)],
              'ij,jk->ik': ['einsum_path', (0, 1)], 'i': ['einsum_path', (0,)]}[subs]
    assert path == expect
    assert 'Complete contraction' in text
    p2, _ = wp.einsum_path(subs, *ops, optimize=False)
    assert p2 == ['einsum_path', tuple(range(len(shapes)))]


@pytest.mark.parametrize('subs,shapes', [
    ('ij,jk', [(2, 3), (4, 5)]),       # sizes differ
    ('i$', [(3,)]),                    # not a letter
    ('ij', [(3,)]),                    # too many subscripts
    ('i', [(3, 4)]),                   # too few, no ellipsis
    ('ij->k', [(2, 3)]),               # output label not in the inputs
    ('ij->ii', [(2, 3)]),              # repeated output label
    ('ii', [(2, 3)]),                  # diagonal of unequal axes
    ('ij,jk', [(2, 3)]),               # fewer operands than terms
    ('i', [(3,), (3,)]),               # more operands than terms
    ('i..', [(3,)]),                   # a stray '.'
    ('...i->i', [(2, 3)]),             # ellipsis axes with no ellipsis in the output
    ('i-j', [(3,)]),                   # a stray '-'
    ('i->i->i', [(3,)]),
])
@err()
def test_einsum_errors(xp, subs, shapes):
    return xp.einsum(subs, *[R(xp, s) for s in shapes])


@err()
def test_einsum_cast_error(xp):
    return xp.einsum('i,i', R(xp, (3,)), R(xp, (3,)), dtype='int32')


# ---- properties (hypothesis, native only) ----------------------------------------------------------
@pytest.mark.native_only
def test_einsum_property():
    """Random subscripts (1-3 operands, repeated labels, ellipsis, explicit and implicit outputs,
    length-1 broadcasting) against numpy: same shape, dtype and values, or both raise
    ValueError."""
    try:
        from hypothesis import HealthCheck, given, settings, strategies as st
    except ImportError as e:
        pytest.skip('hypothesis: %s' % e)
    import numpy as np
    import wgpy as wp

    letters = 'abcdeA'
    sizes = {c: k + 1 for k, c in enumerate(letters)}

    @settings(max_examples=150, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def prop(data):
        n = data.draw(st.integers(1, 3))
        terms, ops = [], []
        ell = data.draw(st.booleans())
        ell_shape = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2)))
        for i in range(n):
            t = data.draw(st.lists(st.sampled_from(letters), max_size=3))
            shape = [sizes[c] if not data.draw(st.integers(0, 6)) == 0 else 1 for c in t]
            # a repeated label must keep one length within an operand
            for j, c in enumerate(t):
                if t.index(c) != j:
                    shape[j] = shape[t.index(c)]
            use_ell = ell and data.draw(st.booleans())
            term = ''.join(t)
            if use_ell:
                term = '...' + term
                shape = list(ell_shape[data.draw(st.integers(0, len(ell_shape))):]) + shape
            terms.append(term)
            ops.append((np.arange(int(np.prod(shape))) % 7 - 3).astype('float32').reshape(shape))
        subs = ','.join(terms)
        if data.draw(st.booleans()):
            pool = sorted(set(''.join(terms)) - {'.'})
            out = data.draw(st.lists(st.sampled_from(pool), unique=True, max_size=3)) \
                if pool else []
            subs += '->' + ('...' if any('...' in t for t in terms) else '') + ''.join(out)
        try:
            e = np.einsum(subs, *ops)
        except ValueError:
            with pytest.raises(ValueError):
                wp.einsum(subs, *[wp.asarray(o) for o in ops])
            return
        g = wp.einsum(subs, *[wp.asarray(o) for o in ops])
        assert g.shape == e.shape, subs
        assert g.dtype == e.dtype, subs
        assert np.allclose(g.get(), e, rtol=1e-5, atol=1e-4), subs

    prop()
