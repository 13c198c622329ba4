"""NumPy's ufunc exception classes, for wgpy's errors that NumPy raises as them.

NumPy raises a ``numpy._core._exceptions.UFuncTypeError`` (a TypeError) for a ufunc without a loop
for the operands' dtypes (``asarray([1]) + "a"``) and for a casting error in a ufunc
(``int_array += float_array``, ``add(i32, 1.5, out=i32)``, ``add(f, 1, dtype=int32)``).  wgpy's
exceptions for these are instances of NumPy's classes when numpy is importable, so that
``except np._core._exceptions.UFuncTypeError`` catches them, and of stand-ins of the same names
(TypeError subclasses) when it is not.  Their message is the engine's (NumPy's text).

The engine reports all of them as WG_ERR_TYPE; which one it is shows in its message, whose first
words are NumPy's (``classify``).
"""

import re

from . import _lib

np = _lib.np

_NAMES = ('UFuncTypeError', '_UFuncNoLoopError', '_UFuncCastingError', '_UFuncInputCastingError',
          '_UFuncOutputCastingError')


def _numpy_classes():
    if np is None:
        return {}
    import importlib
    for mod in ('numpy._core._exceptions', 'numpy.core._exceptions'):
        try:
            m = importlib.import_module(mod)
        except ImportError:
            continue
        found = {n: getattr(m, n, None) for n in _NAMES}
        if all(isinstance(c, type) and issubclass(c, TypeError) for c in found.values()):
            return found
    return {}


def _ufunc(name):
    """The ufunc an error names: NumPy's (as NumPy's errors hold it) when numpy is importable,
    else wgpy's function of that name."""
    if not name:
        return None
    if np is not None:
        f = getattr(np, name, None)
        if f is not None:
            return f
    import sys
    return getattr(sys.modules.get('wgpy'), name, None)


def _nin(name):
    """The number of inputs of the engine's op name (NumPy's out_i is nin + the output's index)."""
    i = _lib.OPS.get(name)
    return _lib.OP_ARITY[i] if i is not None else 1


class _Message:
    """Mixin: a wgpy exception carrying the engine's message and NumPy's attributes (``ufunc``,
    ``dtypes``, ``casting``, ``from_``, ``to``, ``out_i``/``in_i`` where they apply); NumPy's own
    __init__ and __str__ (which format from a numpy ufunc object) are not used."""

    def __init__(self, msg='', ufunc_name=None, **attrs):
        TypeError.__init__(self, msg)
        self._msg = msg
        self.ufunc_name = ufunc_name
        self.ufunc = _ufunc(ufunc_name)
        for k, v in attrs.items():
            setattr(self, k, v)

    def __str__(self):
        return self._msg

    def __reduce__(self):
        return (type(self), (self._msg,))


def _make():
    """NumPy's tree of ufunc errors, each class also a subclass of NumPy's of its name (when
    numpy is importable); like NumPy's, the subclasses call themselves UFuncTypeError (__name__)
    and keep their own name in __qualname__."""
    npc = _numpy_classes()
    tree = {'UFuncTypeError': None, '_UFuncNoLoopError': 'UFuncTypeError',
            '_UFuncCastingError': 'UFuncTypeError',
            '_UFuncInputCastingError': '_UFuncCastingError',
            '_UFuncOutputCastingError': '_UFuncCastingError'}
    classes = {}
    for n in _NAMES:
        parent = tree[n]
        if parent is None:
            bases = (_Message, npc[n] if npc else TypeError)
        else:
            bases = (classes[parent],) + ((npc[n],) if npc else ())
        c = type(n, bases, {'__module__': __name__, '__doc__': 'wgpy\'s %s (a TypeError%s).' % (
            n, ', and numpy\'s class of this name' if npc else '')})
        c.__qualname__ = n
        c.__name__ = 'UFuncTypeError'
        classes[n] = c
    return classes


_CLASSES = _make()
globals().update(_CLASSES)  # by their __qualname__ here, for pickle
if np is not None:
    ComplexWarning = np.exceptions.ComplexWarning
else:
    class ComplexWarning(RuntimeWarning):
        """Casting complex values to real discards the imaginary part (NumPy's warning)."""

UFuncTypeError = _CLASSES['UFuncTypeError']
UFuncNoLoopError = _CLASSES['_UFuncNoLoopError']
UFuncCastingError = _CLASSES['_UFuncCastingError']
UFuncInputCastingError = _CLASSES['_UFuncInputCastingError']
UFuncOutputCastingError = _CLASSES['_UFuncOutputCastingError']

_DT = r"dtype\('(\w+)'\)"
_OUTPUT = re.compile(r"Cannot cast ufunc '(\w+)' output from %s to %s with casting rule '(\w+)'"
                     % (_DT, _DT))
_INPUT = re.compile(r"Cannot cast ufunc '(\w+)' input (\d+) from %s to %s with casting rule "
                    r"'(\w+)'" % (_DT, _DT))
_NOLOOP = re.compile(r"ufunc '(\w+)' did not contain a loop with signature matching types")


def _dtype(name):
    try:
        return _lib.np.dtype(name) if np is not None else name
    except TypeError:
        return name


def classify(msg):
    """The exception for an engine TypeError with message msg: one of NumPy's ufunc errors, or
    None (a plain TypeError)."""
    m = _OUTPUT.match(msg)
    if m:
        return UFuncOutputCastingError(msg, ufunc_name=m.group(1), casting=m.group(4),
                                       from_=_dtype(m.group(2)), to=_dtype(m.group(3)),
                                       out_i=_nin(m.group(1)))
    m = _INPUT.match(msg)
    if m:
        return UFuncInputCastingError(msg, ufunc_name=m.group(1), casting=m.group(5),
                                      from_=_dtype(m.group(3)), to=_dtype(m.group(4)),
                                      in_i=int(m.group(2)))
    m = _NOLOOP.match(msg)
    if m:
        return UFuncNoLoopError(msg, ufunc_name=m.group(1))
    return None


def no_loop(name, dtypes):
    """NumPy's error for a ufunc given an operand wgpy has no dtype for (a str): dtypes are the
    operands' dtype reprs."""
    return UFuncNoLoopError("ufunc '%s' did not contain a loop with signature matching types "
                            "(%s) -> None" % (name, ', '.join(dtypes)), ufunc_name=name)
