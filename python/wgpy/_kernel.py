"""User kernels with CuPy's API: ElementwiseKernel, ReductionKernel (CUDA-C source), fuse, memoize.

The engine parses, type-checks and lowers the CUDA-C (core/src/lang); this module only turns
Python arguments into engine handles and results back into arrays (docs/kernels.md).
"""

import ctypes
import functools

from . import _core, _lib
from ._core import ndarray, operand, _wrap, _release, _icache, _scache

CompileException = _lib.CompileException

_ctx = _lib.ctx
_wg_ukernel_launch = _lib.wg_ukernel_launch
_PH = ctypes.c_void_p
_PTRS_NEEDED = 1  # WG_PTRS_NEEDED


def _launch(call, ops, rc=None):
    """rc of call() (one engine launch; rc: the answer of a launch already made).  A kernel that
    loads through device pointers, on a backend whose reads arrive only after the host runs the
    stream, answers WG_PTRS_NEEDED: the arguments info[0] names are read here and the launch
    repeated (docs/cupy.md, "Device pointers")."""
    if rc is None:
        rc = call()
    if rc == _PTRS_NEEDED:
        mask = int(_core._info[0])
        vals = []
        for j, a in enumerate(ops):
            if mask >> j & 1:
                vals.extend(int(v) for v in a.ravel().tolist())
        buf = (ctypes.c_uint64 * max(len(vals), 1))(*vals)
        if _lib.wg_set_pointer_values(_ctx, len(vals), buf) < 0:
            raise _lib.error()
        rc = call()
        if rc == _PTRS_NEEDED:
            _lib.wg_set_pointer_values(_ctx, -1, buf)
            raise RuntimeError('wgpy: the kernel asked for its pointer values twice')
    return rc


def _text(s, what):
    if s is None:
        return b''
    if not isinstance(s, str):
        raise TypeError('%s must be a str, not %s' % (what, type(s).__name__))
    return s.encode('utf-8')


_FMAD_ON = ('--fmad=true', '-fmad=true', '--fmad=1', '--use_fast_math', '-use_fast_math')


def _contracts(options):
    """Do NVRTC options ask for fused multiply-adds?  The last --fmad wins, as NVRTC's."""
    if isinstance(options, str):
        options = (options,)
    on = False
    for o in options or ():
        o = str(o).strip()
        if o in _FMAD_ON:
            on = True
        elif o in ('--fmad=false', '-fmad=false', '--fmad=0'):
            on = False
    return on


class _UserKernel:
    """The engine's parsed kernel and its parameter list."""

    def _contract(self, options):
        """CUDA's fused multiply-add (--fmad=true, NVRTC's default, which wgpy makes opt-in:
        docs/kernels.md "Contraction") for this kernel's float32 a * b + c on webgpu."""
        if _contracts(options):
            _lib.wg_ukernel_set_contract(self._k, 1)

    def _init(self, handle_cell, rc):
        if rc < 0:
            raise _lib.error()
        self._k = handle_cell.value
        n = _lib.wg_ukernel_nparams(self._k)
        self.nin = _lib.wg_ukernel_nin(self._k)
        self.nout = n - self.nin
        info = (_lib.c_int32 * 4)()
        self.params = []
        for i in range(n):
            name = _lib.wg_ukernel_param(self._k, i, info)
            self.params.append((_lib._s(name), bool(info[0]), bool(info[1])))
        self.nargs = self.nin
        # the ctypes array types of a launch's handles, made once (a type per call cost 0.1 µs)
        self._argt = _PH * max(n, 1)
        self._outt = _PH * max(self.nout, 1)
        # and one argument array per kernel, refilled by slice each launch (the engine reads it
        # during the call only): 0.4 us for 14 handles against 1.6 us for a new array
        self._argbuf = self._argt()
        self.in_params_names = [p[0] for p in self.params[:self.nin]]
        self.out_params_names = [p[0] for p in self.params[self.nin:]]

    def __del__(self, _free=_lib.wg_ukernel_free):
        k = getattr(self, '_k', None)
        if k:
            self._k = None
            _free(k)

    def _handles(self, args, kind):
        n = len(args)
        if n != self.nin and n != self.nin + self.nout:
            raise TypeError('Wrong number of arguments for %r: %d given, %d inputs expected%s'
                            % (self.name, n, self.nin,
                               ' (optionally followed by %d outputs)' % self.nout
                               if self.nout else ''))
        # arrays and Python ints (a library kernel's sizes and strides: ten a pooling call) take
        # the short way; the rest goes through operand()
        ops, hs, nin, cache = [], [], self.nin, _core._icache
        for i, x in enumerate(args):
            t = type(x)
            if t is not ndarray:
                if i >= nin and not isinstance(x, ndarray):
                    raise TypeError('%s: output %r must be a wgpy.ndarray, not %s'
                                    % (self.name, self.params[i][0], type(x).__name__))
                if t is int:
                    a = cache.get(x)
                    x = _core._weak_int(x) if a is None else a
                else:
                    x = operand(x)
            ops.append(x)
            hs.append(x._h)
        arr = self._argbuf
        arr[:len(hs)] = hs
        return ops, arr

    def _results(self, args, outs):
        res = []
        nargs = len(args)
        for j in range(self.nout):
            h = outs[j]
            i = self.nin + j
            if i < nargs:
                _release(h)  # the caller's own array comes back
                res.append(args[i])
            else:
                if j:  # the launch wrote outs[0]'s info block itself (wgpy.h)
                    _lib.wg_info(_ctx, h)
                res.append(_wrap(h))
        return res


class ElementwiseKernel(_UserKernel):
    """CuPy's ElementwiseKernel: `operation` (CUDA-C) runs once per point of the broadcast shape
    of the non-raw arguments (or of size=), on every backend.

    k = wgpy.ElementwiseKernel('T x, T y', 'T z', 'z = x * x + y', 'squared_sum')
    z = k(x, y)
    """

    def __init__(self, in_params, out_params, operation, name='kernel', reduce_dims=True,
                 preamble='', no_return=False, return_tuple=False, loop_prep='', after_loop='',
                 **kwargs):
        self.name = name
        self.in_params = in_params
        self.out_params = out_params
        self.operation = operation
        self.preamble = preamble
        self.no_return = no_return
        self.return_tuple = return_tuple
        cell = _PH()
        rc = _lib.wg_ukernel_elementwise(
            _ctx, _text(in_params, 'in_params'), _text(out_params, 'out_params'),
            _text(operation, 'operation'), _text(name, 'name'), _text(preamble, 'preamble'),
            _text(loop_prep, 'loop_prep'), _text(after_loop, 'after_loop'), ctypes.byref(cell))
        self._init(cell, rc)
        self.options = tuple(kwargs.get('options', ()))
        self._contract(self.options)

    def __call__(self, *args, size=None, block_size=None, stream=None):
        # the common call (Chainer's kernels: 28 a CNN step), arrays and cached Python scalars
        # (23 of the 28 pass an int or a float: MomentumSGD's lr and momentum, im2col's sizes):
        # their handles straight into the argument array, no operand conversion; the rest
        # (a scalar not cached yet, a numpy value, a wrong output) takes _handles
        hs = []
        for x in args:
            t = type(x)
            if t is ndarray:
                hs.append(x._h)
                continue
            a = _icache.get(x) if t is int else _scache.get(x) if t is float and x else None
            if a is None:
                ops, arr = self._handles(args, 'elementwise')
                break
            hs.append(a._h)  # alive in its cache until the launch: nothing in between adds one
        else:
            if len(hs) != self.nin and len(hs) != self.nin + self.nout:
                self._handles(args, 'elementwise')  # raises its TypeError
            ops, arr = args, self._argbuf
            arr[:len(hs)] = hs
        outs = self._outt()
        if size is not None:
            size = int(size)
            if size < 0:
                raise ValueError('size must be non-negative')
        k, n, sz = self._k, len(args), -1 if size is None else size
        rc = _wg_ukernel_launch(_ctx, k, n, arr, sz, outs)
        if rc == _PTRS_NEEDED:
            rc = _launch(lambda: _wg_ukernel_launch(_ctx, k, n, arr, sz, outs), ops, rc)
        if rc < 0:
            raise _lib.error()
        del ops
        if self.nout == 1 and n == self.nin:  # one new result, described by the info block
            r = _wrap(outs[0])
            if self.no_return:
                return None
            return (r,) if self.return_tuple else r
        res = self._results(args, outs)
        if self.no_return:
            return None
        if len(res) == 1 and not self.return_tuple:
            return res[0]
        return tuple(res)

    def __repr__(self):
        return '<wgpy.ElementwiseKernel %r>' % self.name


class ReductionKernel(_UserKernel):
    """CuPy's ReductionKernel: map_expr per input element, reduce_expr folding `a` and `b`,
    post_map_expr writing the outputs from `a`, over `axis` (all axes by default)."""

    def __init__(self, in_params, out_params, map_expr, reduce_expr, post_map_expr, identity,
                 name='reduce_kernel', reduce_type=None, reduce_dims=True, preamble='',
                 options=(), **kwargs):
        self.name = name
        self.in_params = in_params
        self.out_params = out_params
        cell = _PH()
        rc = _lib.wg_ukernel_reduction(
            _ctx, _text(in_params, 'in_params'), _text(out_params, 'out_params'),
            _text(map_expr, 'map_expr'), _text(reduce_expr, 'reduce_expr'),
            _text(post_map_expr, 'post_map_expr'),
            _text(identity if identity is None or isinstance(identity, str) else str(identity),
                  'identity'),
            _text(name, 'name'), _text(reduce_type, 'reduce_type'), _text(preamble, 'preamble'),
            ctypes.byref(cell))
        self._init(cell, rc)
        self.options = tuple(options)
        self._contract(self.options)

    def __call__(self, *args, out=None, axis=None, keepdims=False, stream=None):
        if out is not None:
            if len(args) != self.nin:
                raise TypeError('%s: out= and output arguments both given' % self.name)
            args = args + (out if isinstance(out, tuple) else (out,))
        ops, arr = self._handles(args, 'reduction')
        naxes, axes = _core.axes_arg(axis)
        outs = self._outt()
        rc = _launch(lambda: _lib.wg_ukernel_reduce(_ctx, self._k, len(args), arr, naxes, axes,
                                                    1 if keepdims else 0, outs), ops)
        if rc < 0:
            raise _lib.error()
        del ops
        res = self._results(args, outs)
        return res[0] if len(res) == 1 else tuple(res)

    def __repr__(self):
        return '<wgpy.ReductionKernel %r>' % self.name


def fuse(*args, **kwargs):
    """CuPy's fuse decorator (`@fuse`, `@fuse()`, `@fuse(kernel_name=...)`).  wgpy's lazy graph
    already fuses the elementwise operations a function records into one kernel, and the
    reductions that end them, so the function is called as it is: with wgpy arrays it runs on the
    GPU, with numpy arrays or scalars it computes with numpy, as CuPy's fused functions do."""
    def wrap(func):
        @functools.wraps(func)
        def fused(*a, **kw):
            return func(*a, **kw)
        fused._wgpy_fused = True
        return fused

    if len(args) == 1 and callable(args[0]) and not kwargs:
        return wrap(args[0])
    return wrap


def memoize(for_each_device=False):
    """CuPy's memoize: caches a function's result per positional arguments (and keyword
    arguments), which must be hashable.  One device, so for_each_device changes nothing."""
    def decorator(func):
        cache = {}

        @functools.wraps(func)
        def wrapper(*a, **kw):
            key = (a, tuple(sorted(kw.items()))) if kw else a
            try:
                return cache[key]
            except KeyError:
                r = cache[key] = func(*a, **kw)
                return r
            except TypeError:
                raise TypeError('memoize: arguments must be hashable') from None
        wrapper.cache_clear = cache.clear
        return wrapper
    return decorator


def clear_memo():
    """CuPy's clear_memo: nothing global is memoized by wgpy itself."""


def _set_inline_literals(on):
    """Whether the literals of a kernel's source are constants of the generated shader (the
    default: the GPU's compiler sees trip counts) or argument words; returns the previous setting.
    For A/B benchmarks (bench/h100/kernel_bench.py --literals-as-words): results are the same."""
    return bool(_lib.wg_set_inline_literals(_core.ctx, 1 if on else 0))
