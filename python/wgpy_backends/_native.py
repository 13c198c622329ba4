"""The seed's native kernels: ElementwiseKernel / ReductionKernel with a body in the backend's own
shading language (WGSL on webgpu, GLSL ES 3.00 on webgl2), in the published wgpy's API.

The engine parses the parameter lists, binds the types at each call and generates the code around
the body (core/src/api/nkernel.c, core/src/codegen/native.c); this module only turns Python
arguments into engine handles.  On a backend that does not run the body's language a call raises
NotImplementedError naming the kernel and the backend.
"""

import ctypes

from wgpy import _core, _lib
from wgpy._kernel import _text  # kernel source arguments as UTF-8 (str or None)
from wgpy._core import ndarray, operand, _wrap, _release  # noqa: F401

_ctx = _lib.ctx
_PH = ctypes.c_void_p

WGSL = 1  # wgpy.h: WG_LANG_WGSL
GLSL = 2  # WG_LANG_GLSL


def _uniform_text(uniforms):
    """uniforms as the published wgpy takes them: a str ("f32 scale, i32 n"), None, or a list of
    items with .name and .native_type (WebGPUMetaBufferItem) or (name, type) pairs."""
    if uniforms is None:
        return ''
    if isinstance(uniforms, str):
        return uniforms
    if isinstance(uniforms, (list, tuple)):
        parts = []
        for u in uniforms:
            if hasattr(u, 'name') and hasattr(u, 'native_type'):
                parts.append('%s %s' % (u.native_type, u.name))
            else:
                name, typ = u
                parts.append('%s %s' % (typ, name))
        return ', '.join(parts)
    raise TypeError('uniforms must be str or a list of uniform definitions, but got %s'
                    % type(uniforms).__name__)


class _NativeKernel:
    _lang = WGSL

    def _init(self, cell, rc):
        if rc < 0:
            raise _lib.error()
        self._k = cell.value
        self.nin = _lib.wg_nkernel_nin(self._k)
        self.nout = 1
        n = _lib.wg_nkernel_nuniforms(self._k)
        self._uniform_names = [_lib._s(_lib.wg_nkernel_uniform(self._k, i)) for i in range(n)]

    def __del__(self, _free=_lib.wg_nkernel_free):
        k = getattr(self, '_k', None)
        if k:
            self._k = None
            _free(k)

    def _args(self, arrays):
        n = len(arrays)
        if n == self.nin + 1 and arrays[-1] is None:  # the published wgpy: an output of None
            arrays = arrays[:-1]
            n -= 1
        if n != self.nin and n != self.nin + 1:
            raise TypeError('Wrong number of arguments for %r: %d given, %d inputs expected '
                            '(optionally followed by the output)' % (self.name, n, self.nin))
        if n > self.nin and not isinstance(arrays[-1], ndarray):
            raise TypeError('%s: the output must be a wgpy.ndarray, not %s'
                            % (self.name, type(arrays[-1]).__name__))
        ops = [operand(x) for x in arrays]
        arr = (_PH * max(n, 1))(*[a._h for a in ops])
        return ops, arr, n

    def _uniforms(self, uniforms):
        names = self._uniform_names
        if not names:
            return None
        if uniforms is None:
            raise ValueError('%s: uniforms %s must be given (uniforms={...})'
                             % (self.name, ', '.join(names)))
        vals = []
        for nm in names:
            if nm not in uniforms:
                raise KeyError('uniform %s is not found' % nm)
            vals.append(float(uniforms[nm]))
        return (ctypes.c_double * len(vals))(*vals)

    def _result(self, arrays, n, cell):
        if n > self.nin:
            _release(cell.value)
            out = arrays[self.nin]
        else:
            _lib.wg_info(_ctx, cell.value)
            out = _wrap(cell.value)
        if self.no_return:
            return None
        if self.return_tuple:
            return (out,)
        return out


class ElementwiseKernel(_NativeKernel):
    """ElementwiseKernel(in_params, out_params, operation, name, uniforms="", preamble="")

    `operation` runs once per point of the broadcast shape of the non-raw inputs; see
    docs/kernels.md ("The seed's native kernels") for what it sees."""

    def __init__(self, in_params, out_params, operation, name='kernel', uniforms='', preamble='',
                 no_return=False, return_tuple=False):
        self.in_params = in_params
        self.out_params = out_params
        self.operation = operation
        self.name = name
        self.uniforms = uniforms
        self.preamble = preamble
        self.no_return = no_return
        self.return_tuple = return_tuple
        cell = _PH()
        rc = _lib.wg_nkernel_elementwise(
            _ctx, self._lang, _text(in_params, 'in_params'), _text(out_params, 'out_params'),
            _text(operation, 'operation'), _text(name, 'name'),
            _text(_uniform_text(uniforms), 'uniforms'), _text(preamble, 'preamble'),
            ctypes.byref(cell))
        self._init(cell, rc)

    def __call__(self, *arrays, uniforms=None, size=None):
        if size is not None:
            raise ValueError('%s: size= is not supported by native kernels (the published wgpy '
                             'neither)' % self.name)
        ops, arr, n = self._args(arrays)
        vals = self._uniforms(uniforms)
        cell = _PH()
        rc = _lib.wg_nkernel_launch(_ctx, self._k, n, arr, vals, ctypes.byref(cell))
        if rc < 0:
            raise _lib.error()
        del ops
        return self._result(arrays, n, cell)

    def __repr__(self):
        return '<%s.ElementwiseKernel %r>' % (type(self).__module__, self.name)


class ReductionKernel(_NativeKernel):
    """ReductionKernel(in_params, out_params, map_expr, reduce_expr, post_map_expr, identity, name,
    reduce_type=None, uniforms="", preamble="")

    Per output element: a = identity; for each reduced element (C order) b = (map_expr),
    a = (reduce_expr); then post_map_expr writes the output from a."""

    def __init__(self, in_params, out_params, map_expr, reduce_expr, post_map_expr, identity,
                 name='reduce_kernel', reduce_type=None, uniforms='', preamble='',
                 no_return=False, return_tuple=False):
        self.in_params = in_params
        self.out_params = out_params
        self.name = name
        self.no_return = no_return
        self.return_tuple = return_tuple
        cell = _PH()
        rc = _lib.wg_nkernel_reduction(
            _ctx, self._lang, _text(in_params, 'in_params'), _text(out_params, 'out_params'),
            _text(map_expr, 'map_expr'), _text(reduce_expr, 'reduce_expr'),
            _text(post_map_expr, 'post_map_expr'),
            _text(identity if identity is None or isinstance(identity, str) else str(identity),
                  'identity'),
            _text(name, 'name'), _text(reduce_type, 'reduce_type'),
            _text(_uniform_text(uniforms), 'uniforms'), _text(preamble, 'preamble'),
            ctypes.byref(cell))
        self._init(cell, rc)

    def __call__(self, *arrays, axis=None, keepdims=False, uniforms=None):
        ops, arr, n = self._args(arrays)
        naxes, axes = _core.axes_arg(axis)
        vals = self._uniforms(uniforms)
        cell = _PH()
        rc = _lib.wg_nkernel_reduce(_ctx, self._k, n, arr, vals, naxes, axes,
                                    1 if keepdims else 0, ctypes.byref(cell))
        if rc < 0:
            raise _lib.error()
        del ops
        return self._result(arrays, n, cell)

    def __repr__(self):
        return '<%s.ReductionKernel %r>' % (type(self).__module__, self.name)
