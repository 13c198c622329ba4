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


# ---- fuse: trace once, replay with one engine call (graph/capture.c) ---------------------------
_wg_trace_begin = _lib.wg_trace_begin
_wg_trace_end = _lib.wg_trace_end
_wg_trace_known = _lib.wg_trace_known
_wg_trace_replay = _lib.fast('wg_trace_replay')
_wg_trace_free = _lib.wg_trace_free
_wg_trace_eager = _lib.wg_trace_eager
_wg_info = _lib.wg_info
_config_gen = _lib.config_gen
_HARR = {}
_FUSE_CACHE_MAX = 64
_UNCAPTURABLE = object()
_tracing = [False]  # a fused function called inside another's trace runs as it is (captured there)
_SCALARS = (bool, int, float, complex)


def _harr(n):
    t = _HARR.get(n)
    if t is None:
        t = _HARR[n] = ctypes.c_void_p * max(n, 1)
    return t


class _Template:
    """An engine template (wg_trace) and the shape of the function's result."""
    __slots__ = ('t', 'ctx', 'form', 'nout', 'keep')

    def __init__(self, t, ctx, form, nout, keep):
        self.t, self.ctx, self.form, self.nout, self.keep = t, ctx, form, nout, keep

    def __del__(self):
        t, self.t = self.t, None
        if t:
            try:
                _wg_trace_free(self.ctx, t)
            except Exception:  # interpreter shutdown
                pass


def _scalar_key(v):
    """A Python or NumPy scalar's part of a cache key: its type and exact value (-0.0 and each
    NaN payload apart, which == and hash would merge or never match)."""
    t = type(v)
    if t is float:
        return t, v.hex()
    if t is complex:
        return t, v.real.hex(), v.imag.hex()
    try:
        return t, v.tobytes()  # numpy scalars
    except AttributeError:
        return t, v


def _outside_arrays(func):
    """Where a function reaches arrays that are not its arguments: its closure cells and the
    global names its code uses.  A template reads such an array's buffer as it was traced, so
    the arrays' identities are part of the cache key (rebinding one traces again)."""
    code = getattr(func, '__code__', None)
    if code is None:
        return (), ()
    cells = tuple(func.__closure__ or ())
    g = getattr(func, '__globals__', {})
    return cells, (g, code.co_names)


def _outside_objs(src):
    cells, glob = src
    ids = []
    for c in cells:
        try:
            v = c.cell_contents
        except ValueError:
            continue
        if type(v) is ndarray:
            ids.append(v)
    if glob:
        g, names = glob
        for n in names:
            v = g.get(n)
            if type(v) is ndarray:
                ids.append(v)
    return ids


def _flatten_result(r):
    """(form, handles) of a function's result, or (None, None) when it is not an array or a
    tuple/list of arrays."""
    if type(r) is ndarray:
        return 'a', [r._h]
    if type(r) in (tuple, list) and r and all(type(x) is ndarray for x in r):
        return ('t' if type(r) is tuple else 'l'), [x._h for x in r]
    return None, None


class _Fused:
    """A function under fuse: per input signature, traced once into an engine template that
    later calls replay with one engine call (docs/kernels.md "fuse")."""

    def __init__(self, func, kernel_name):
        self.func = func
        self.kernel_name = kernel_name
        self.cache = {}
        self.outside = _outside_arrays(func)
        functools.update_wrapper(self, func)
        self._wgpy_fused = True

    def __get__(self, obj, objtype=None):  # a fused method binds like a function
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        func = self.func
        if _tracing[0]:
            return func(*args, **kwargs)
        key = [_config_gen[0], _ctx.value]
        arrays = []
        for a in args:
            t = type(a)
            if t is ndarray:
                arrays.append(a)
                key.append((a._dt, a._shape))
            elif t in _SCALARS or a is None:
                key.append(_scalar_key(a))
            else:
                try:
                    hash(a)
                except TypeError:
                    return func(*args, **kwargs)  # numpy arrays, lists...: as the function is
                key.append(_scalar_key(a))
        if kwargs:
            for k in sorted(kwargs):
                a = kwargs[k]
                if type(a) is ndarray:
                    arrays.append(a)
                    key.append((k, a._dt, a._shape))
                else:
                    try:
                        hash(a)
                    except TypeError:
                        return func(*args, **kwargs)
                    key.append((k, _scalar_key(a)))
        if not arrays:
            return func(*args, **kwargs)  # numpy arrays and scalars compute with numpy
        outside = _outside_objs(self.outside)
        if outside:
            key.append(tuple(map(id, outside)))
        key = tuple(key)
        tmpl = self.cache.get(key)
        if tmpl is _UNCAPTURABLE:
            _wg_trace_eager(_ctx)
            return func(*args, **kwargs)
        n = len(arrays)
        ins = _harr(n)(*[a._h for a in arrays])
        if tmpl is not None:
            outs = _harr(tmpl.nout)()
            rc = _wg_trace_replay(_ctx, tmpl.t, n, ins, tmpl.nout, outs)
            if rc < 0:
                raise _lib.error()
            if rc == 0:
                form = tmpl.form
                if form == 'a':
                    return _wrap(outs[0])  # the replay described outs[0] in the info block
                res = [_wrap(outs[0])]
                for h in outs[1:tmpl.nout]:
                    _wg_info(_ctx, h)
                    res.append(_wrap(h))
                return tuple(res) if form == 't' else res
            del self.cache[key]  # the inputs' layouts differ from the traced ones: trace again
        return self._trace(key, args, kwargs, n, ins, outside)

    def _trace(self, key, args, kwargs, n, ins, outside):
        t = _wg_trace_begin(_ctx, n, ins)
        if not t:
            raise _lib.error()
        _tracing[0] = True
        try:
            r = self.func(*args, **kwargs)
        except BaseException:
            _tracing[0] = False
            _wg_trace_end(_ctx, t, 0, None)
            _wg_trace_free(_ctx, t)
            raise
        _tracing[0] = False
        form, hs = _flatten_result(r)
        nout = len(hs) if hs else 0
        # the arrays from outside the call that the key follows: a template reading any other
        # (an attribute's, a container's) is refused, so a later call never reads a stale one
        k = len(outside)
        if _wg_trace_known(_ctx, t, k, _harr(k)(*[a._h for a in outside]) if k else None) < 0:
            _wg_trace_end(_ctx, t, 0, None)
            _wg_trace_free(_ctx, t)
            raise _lib.error()
        rc = _wg_trace_end(_ctx, t, nout, _harr(nout)(*hs) if hs else None)
        if rc < 0:
            _wg_trace_free(_ctx, t)
            raise _lib.error()
        if len(self.cache) >= _FUSE_CACHE_MAX:
            self.cache.clear()
        if rc == 1:
            # the outside arrays whose ids are in the key stay alive with it (ids are not reused)
            self.cache[key] = _Template(t, _ctx.value, form, nout, outside)
        else:
            _wg_trace_free(_ctx, t)
            self.cache[key] = _UNCAPTURABLE
        return r

    def clear_cache(self):
        self.cache.clear()


def fuse(*args, **kwargs):
    """CuPy's fuse decorator (`@fuse`, `@fuse()`, `@fuse(kernel_name=...)`).  With wgpy arrays,
    the first call per input signature (the arrays' dtypes and shapes, the other arguments'
    values, the backend and settings) runs the function while the engine traces it, and keeps
    the recorded work as a template; later calls replay it with one engine call, as if the
    function had been recorded op by op (docs/kernels.md "fuse").  A function the trace cannot
    capture (it reads a value, writes into an input, runs a library kernel...) runs op by op
    each call.  With numpy arrays or scalars only, it computes with numpy, as CuPy's fused
    functions do."""
    def wrap(func):
        return _Fused(func, kwargs.get('kernel_name'))

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
