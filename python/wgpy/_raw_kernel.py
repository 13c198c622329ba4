"""CuPy's RawKernel and RawModule: `extern "C" __global__` functions in CUDA-C, launched as
`k(grid, block, args)` (docs/kernels.md, section "RawKernel and RawModule").

The engine's CUDA-C front end (core/src/lang) parses the source, its `__global__` and
`__device__` functions, and lowers a launch to a statement kernel over the launch's threads
(wg_rawmodule_*, wg_rawkernel_launch); this module only turns Python arguments into engine
handles: grid/block as three ints, args as operands.
"""

import ctypes

from . import _lib
from ._core import _wrap, ndarray, operand

_ctx = _lib.ctx
_PH = ctypes.c_void_p
MAX_THREADS_PER_BLOCK = 1024


def _text(s, what):
    if not isinstance(s, str):
        raise TypeError('%s must be a str, not %s' % (what, type(s).__name__))
    if '\0' in s:  # the engine reads C strings: a NUL would cut the source short
        raise ValueError('%s contains a NUL character' % what)
    return s.encode('utf-8')


def _dims(v, what):
    """An int or a tuple of 1 to 3 ints, as three ints (the engine checks CUDA's limits)."""
    if isinstance(v, bool):
        raise TypeError('%s must be an int or a tuple of ints' % what)
    if hasattr(v, '__index__') and not isinstance(v, (tuple, list)):
        v = (v,)
    if not isinstance(v, (tuple, list)) or not 1 <= len(v) <= 3:
        raise TypeError('%s must be an int or a tuple of 1 to 3 ints' % what)
    out = []
    for x in v:
        if isinstance(x, bool) or not hasattr(x, '__index__'):
            raise TypeError('%s must be an int or a tuple of ints, not %s'
                            % (what, type(x).__name__))
        out.append(min(max(int(x.__index__()), -1), 2 ** 62))
    return (ctypes.c_int64 * 3)(*(out + [1] * (3 - len(out))))


class _Module:
    """The engine's parsed source (wg_rawmodule)."""

    def __init__(self, code, name):
        cell = _PH()
        if _lib.wg_rawmodule_new(_ctx, _text(code, 'code'), _text(name, 'name'),
                                 ctypes.byref(cell)) < 0:
            raise _lib.error()
        self._m = cell.value
        self.names = [_lib._s(_lib.wg_rawmodule_function(self._m, i))
                      for i in range(_lib.wg_rawmodule_nfunctions(self._m))]

    def get(self, name):
        if name.split('<')[0].strip() not in self.names:
            raise AttributeError("RawKernel: no __global__ function named %r in the source"
                                 % name)
        return _Function(self, name)

    def __del__(self, _free=_lib.wg_rawmodule_free):
        m = getattr(self, '_m', None)
        if m:
            self._m = None
            _free(m)


class _Function:
    """One __global__ function of a module: the engine's kernel (a wg_ukernel, which keeps its
    lowered variants) and its facts (wg_rawkernel_info)."""

    def __init__(self, mod, name):
        cell = _PH()
        if _lib.wg_rawmodule_get_function(_ctx, mod._m, _text(name, 'name'),
                                          ctypes.byref(cell)) < 0:
            raise _lib.error()
        self.k = cell.value
        self.info = (ctypes.c_int64 * 5)()
        _lib.wg_rawkernel_info(self.k, self.info)

    def __del__(self, _free=_lib.wg_ukernel_free):
        k = getattr(self, 'k', None)
        if k:
            self.k = None
            _free(k)


_FUNCTIONS = {}


def _function(code, name):
    """The function of (code, name), kept for the next RawKernel of the same source (as CuPy
    keeps compiled modules; a few hundred at most)."""
    f = _FUNCTIONS.get((code, name))
    if f is None:
        if len(_FUNCTIONS) >= 256:
            _FUNCTIONS.clear()
        f = _FUNCTIONS[(code, name)] = _Module(code, name).get(name)
    return f


class RawKernel:
    """CuPy's RawKernel: a `__global__` function of CUDA-C source, launched as
    `k(grid, block, args)`.

    k = wgpy.RawKernel(r'''
    extern "C" __global__ void add(const float* x, const float* y, float* z, int n) {
        int i = blockDim.x * blockIdx.x + threadIdx.x;
        if (i < n) z[i] = x[i] + y[i];
    }''', 'add')
    k(((n + 127) // 128,), (128,), (x, y, z, np.int32(n)))
    """

    def __init__(self, code, name, options=(), backend='nvrtc', translate_cucomplex=False,
                 enable_cooperative_groups=False, jitify=False, *, _module=None):
        if not isinstance(code, str):
            raise TypeError('code must be a str, not %s' % type(code).__name__)
        if not isinstance(name, str):
            raise TypeError('name must be a str, not %s' % type(name).__name__)
        self.code = code
        self.name = name
        self.options = tuple(options)
        self.backend = backend
        self.translate_cucomplex = translate_cucomplex
        self.enable_cooperative_groups = enable_cooperative_groups
        self.jitify = jitify
        if enable_cooperative_groups:
            raise NotImplementedError('RawKernel %s: cooperative groups are not supported' % name)
        self._f = _module.get(name) if _module is not None else _function(code, name)

    @property
    def attributes(self):
        return {'max_threads_per_block': MAX_THREADS_PER_BLOCK, 'shared_size_bytes':
                self.shared_size_bytes, 'const_size_bytes': 0, 'local_size_bytes': 0,
                'num_regs': 0, 'ptx_version': 0, 'binary_version': 0, 'cache_mode_ca': 0,
                'max_dynamic_shared_size_bytes': 48 * 1024,
                'preferred_shared_memory_carveout': -1}

    @property
    def max_threads_per_block(self):
        return MAX_THREADS_PER_BLOCK

    @property
    def shared_size_bytes(self):
        return int(self._f.info[1])

    num_regs = const_size_bytes = local_size_bytes = property(lambda self: 0)
    max_dynamic_shared_size_bytes = property(lambda self: 48 * 1024)

    def __call__(self, grid, block, args, *, shared_mem=0, stream=None,
                 enable_cooperative_groups=False):
        g = _dims(grid, 'grid')
        b = _dims(block, 'block')
        if not isinstance(args, (tuple, list)):
            raise TypeError('args must be a tuple, not %s' % type(args).__name__)
        if isinstance(shared_mem, bool) or not isinstance(shared_mem, int) or shared_mem < 0:
            raise ValueError('shared_mem must be a non-negative int')
        ops = []
        for a in args:
            # a host array (numpy, a list) would be copied and the kernel's writes lost
            if not isinstance(a, (ndarray, int, float, bool)) and (
                    not hasattr(a, 'item') or isinstance(a, complex) or getattr(a, 'ndim', 0)):
                raise TypeError('%s: argument %r must be a wgpy.ndarray or a scalar, not %s'
                                % (self.name, a, type(a).__name__))
            ops.append(operand(a))
        arr = (_PH * max(len(ops), 1))(*[o._h for o in ops])
        from ._kernel import _launch
        if _launch(lambda: _lib.wg_rawkernel_launch(_ctx, self._f.k, g, b, min(shared_mem, 2 ** 62),
                                                    len(ops), arr), ops) < 0:
            raise _lib.error()

    def compile(self, log_stream=None):
        """Compiles now: a CompileException without a launch."""
        if _lib.wg_rawkernel_compile(_ctx, self._f.k) < 0:
            raise _lib.error()

    def __repr__(self):
        return '<wgpy.RawKernel %r>' % self.name


class RawModule:
    """CuPy's RawModule: a CUDA-C source with several `__global__` functions;
    get_function(name) gives each as a RawKernel."""

    def __init__(self, code=None, path=None, options=(), backend='nvrtc',
                 translate_cucomplex=False, enable_cooperative_groups=False,
                 name_expressions=None, jitify=False):
        if code is None:
            if path is None:
                raise TypeError('RawModule needs code= or path=')
            if path.endswith(('.cubin', '.ptx', '.fatbin')):
                raise NotImplementedError('RawModule: precompiled binaries (%s) cannot run in '
                                          'wgpy; give the CUDA-C source' % path)
            with open(path) as f:
                code = f.read()
        if not isinstance(code, str):
            raise TypeError('code must be a str, not %s' % type(code).__name__)
        self.code = code
        self.options = tuple(options)
        self.backend = backend
        self.name_expressions = name_expressions
        self._mod = _Module(code, 'module')
        self._kernels = {}

    def get_function(self, name):
        k = self._kernels.get(name)
        if k is None:
            k = self._kernels[name] = RawKernel(self.code, name, self.options, self.backend,
                                                _module=self._mod)
        return k

    def compile(self, log_stream=None):
        for name in self.name_expressions or ():
            self.get_function(name).compile()
        for name in self._mod.names:
            try:
                k = self.get_function(name)
            except NotImplementedError:  # a template: compiled by its name expressions
                continue
            k.compile()

    def get_global(self, name):
        """The module's `__constant__` variable `name` as device memory that every launch of
        its functions reads: under `import cupy` a MemoryPointer (CuPy's), in wgpy the 1-d
        device array itself (its length and dtype; a scalar is one element)."""
        return self._global_array(name)

    def _global_array(self, name):
        cell = _PH()
        if _lib.wg_rawmodule_get_global(_ctx, self._mod._m, _text(name, 'name'),
                                        ctypes.byref(cell)) < 0:
            raise _lib.error()
        return _wrap(cell.value)

    def get_texref(self, name):
        raise NotImplementedError('RawModule.get_texref: textures are not supported')

    def __repr__(self):
        return '<wgpy.RawModule>'
