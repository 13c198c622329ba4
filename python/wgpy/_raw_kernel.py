"""CuPy's RawKernel and RawModule: `extern "C" __global__` functions in CUDA-C, launched as
`k(grid, block, args)` (docs/kernels.md, section "RawKernel").

A raw kernel is translated, by source rewriting that keeps line numbers (and columns, except
after a rewritten `__shared__` access), into the engine's kernel language and run as a statement
kernel whose iteration space is the launch's threads (blocks after one another, each block's
threads in CUDA's order): pointer parameters become raw parameters (`const T*`: raw inputs,
`T*`: raw outputs), scalars become parameters of their C type, and threadIdx/blockIdx/blockDim/
gridDim come from the point index and parameters of the launch.  The engine parses, checks,
lowers and runs it like any ElementwiseKernel, so errors name the kernel, line and column.

`__shared__` arrays are the engine's workgroup arrays (`__shared__ T a[n]`, one copy per block;
workgroup memory on the GPU), flattened to one dimension here; an array that an atomic updates
stays a storage scratch with one slice per block (a raw output).  `__syncthreads()` is the IR's
BARRIER.  The cpu backend's statement executor runs the threads of a block in lock step (a block
of the executor holds whole CUDA blocks, padded to a power of two), where BARRIER is a no-op; on
webgpu the kernel is a workgroup kernel (`__wg_block(B)`: one workgroup of B invocations per CUDA
block, BARRIER a storage and workgroup barrier); webgl2 refuses them (NotImplementedError).
"""

import os
import re

from . import _config
from ._core import ndarray
from ._kernel import ElementwiseKernel, CompileException

_C_TYPES = {
    'float': 'float32', 'double': 'float64', 'int': 'int32', 'signed int': 'int32',
    'unsigned int': 'uint32', 'unsigned': 'uint32', 'signed': 'int32',
    'long': 'int64', 'long int': 'int64', 'long long': 'int64', 'long long int': 'int64',
    'unsigned long': 'uint64', 'unsigned long long': 'uint64', 'unsigned long int': 'uint64',
    'unsigned long long int': 'uint64', 'short': 'int16', 'short int': 'int16',
    'unsigned short': 'uint16', 'unsigned short int': 'uint16', 'char': 'int8',
    'signed char': 'int8', 'unsigned char': 'uint8', 'bool': 'bool', 'size_t': 'uint64',
    'ptrdiff_t': 'int64', 'int8_t': 'int8', 'int16_t': 'int16', 'int32_t': 'int32',
    'int64_t': 'int64', 'uint8_t': 'uint8', 'uint16_t': 'uint16', 'uint32_t': 'uint32',
    'uint64_t': 'uint64', '__half': 'float16', 'half': 'float16',
}
_QUALIFIERS = ('const', 'volatile', '__restrict__', '__restrict', 'restrict')

# CUDA's limits, which wgpy keeps so that a launch valid here is valid on CUDA.
MAX_THREADS_PER_BLOCK = 1024
_MAX_BLOCK = (1024, 1024, 64)
_MAX_GRID = (2 ** 31 - 1, 65535, 65535)

_GEOM = ('__wg_P', '__wg_nt', '__wg_bx', '__wg_by', '__wg_bz', '__wg_gx', '__wg_gy', '__wg_gz')

_MACROS = '''
#define threadIdx_x (__wg_t % __wg_bx)
#define threadIdx_y ((__wg_t / __wg_bx) % __wg_by)
#define threadIdx_z (__wg_t / (__wg_bx * __wg_by))
#define blockIdx_x (__wg_sb % __wg_gx)
#define blockIdx_y ((__wg_sb / __wg_gx) % __wg_gy)
#define blockIdx_z (__wg_sb / (__wg_gx * __wg_gy))
#define blockDim_x __wg_bx
#define blockDim_y __wg_by
#define blockDim_z __wg_bz
#define gridDim_x __wg_gx
#define gridDim_y __wg_gy
#define gridDim_z __wg_gz
#define warpSize 32
'''

# Runs before the body (ElementwiseKernel's loop_prep): the thread's index within its block and
# its block's linear index; the padding threads of a block (see _launch) end at once.
_PREP = ('const unsigned int __wg_t = (unsigned int)(i % __wg_P); '
         'const unsigned int __wg_sb = (unsigned int)(i / __wg_P); '
         'if (__wg_t >= __wg_nt) return;')
# The same for a workgroup kernel of %d threads per block (docs/kernels.md, "RawKernel"): no
# padding threads, and no early return (a barrier after it would not be uniform).
_PREP_WG = ('const unsigned int __wg_t = (unsigned int)(i %% __wg_P); '
            'const unsigned int __wg_sb = (unsigned int)(i / __wg_P); '
            '__wg_block(%d);')


def _blank(s):
    """s with every character but newlines turned into a space (keeps lines and columns)."""
    return re.sub(r'[^\n]', ' ', s)


def _strip_comments(code):
    out = []
    i, n = 0, len(code)
    while i < n:
        if code.startswith('//', i):
            j = code.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif code.startswith('/*', i):
            j = code.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(_blank(code[i:j]))
            i = j
        elif code[i] == '"':
            j = i + 1
            while j < n and code[j] != '"' and code[j] != '\n':
                j += 2 if code[j] == '\\' else 1
            out.append(code[i:j + 1])
            i = j + 1
        else:
            out.append(code[i])
            i += 1
    return ''.join(out)


def _match(s, i, open_, close):
    """Index of the bracket closing s[i] (== open_), or -1."""
    depth = 0
    for j in range(i, len(s)):
        c = s[j]
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _line_col(s, pos):
    line = s.count('\n', 0, pos) + 1
    col = pos - (s.rfind('\n', 0, pos) + 1) + 1
    return line, col


def _compile_error(name, code, pos, what):
    line, col = _line_col(code, pos)
    text = code[pos:pos + 20].split('\n')[0]
    return CompileException('%s:%d:%d: %s: `%s`' % (name, line, col, what, text))


class _Global:
    """One `__global__` function of a source: its span, name, parameters and body."""

    def __init__(self, start, end, name, params_span, body_span):
        self.start, self.end = start, end
        self.name = name
        self.params_span = params_span
        self.body_span = body_span


def _find_globals(code, modname):
    """The `__global__` functions of code (comments already blanked)."""
    found = []
    for m in re.finditer(r'\b__global__\b', code):
        start = m.start()
        pre = re.search(r'(extern\s*"C"\s*)?(template\s*<[^>]*>\s*)?$', code[:start])
        if pre and pre.group(2):
            raise NotImplementedError('RawKernel: template __global__ functions are not supported'
                                      ' (line %d)' % _line_col(code, start)[0])
        if pre and pre.group(1):
            start = pre.start()
        p = code.find('(', m.end())
        if p < 0:
            raise _compile_error(modname, code, m.start(), 'expected a function after __global__')
        head = code[m.end():p].split()
        if not head or not re.match(r'^[A-Za-z_]\w*$', head[-1]):
            raise _compile_error(modname, code, m.start(), 'expected a function name')
        name = head[-1]
        q = _match(code, p, '(', ')')
        if q < 0:
            raise _compile_error(modname, code, p, 'unbalanced `(`')
        b = q + 1
        while b < len(code) and code[b].isspace():
            b += 1
        if b >= len(code) or code[b] != '{':
            raise _compile_error(modname, code, b if b < len(code) else q,
                                 'expected `{` after the parameters of %s' % name)
        e = _match(code, b, '{', '}')
        if e < 0:
            raise _compile_error(modname, code, b, 'unbalanced `{`')
        found.append(_Global(start, e + 1, name, (p + 1, q), (b + 1, e)))
    return found


def _c_dtype(words, name, code, pos):
    key = ' '.join(words)
    if key in _C_TYPES:
        return _C_TYPES[key]
    if key.startswith('complex') or 'complex' in key:
        raise NotImplementedError('RawKernel %s: complex parameters are not supported' % name)
    raise _compile_error(name, code, pos, 'unknown parameter type')


def _parse_params(g, code):
    """[(name, dtype, kind)] with kind 'in' (const pointer), 'out' (pointer), 'scalar'."""
    a, b = g.params_span
    text = code[a:b]
    params = []
    if not text.strip() or text.strip() == 'void':
        return params
    pos = a
    for piece in text.split(','):
        m = re.match(r'\s*', piece)
        ppos = pos + m.end()
        toks = re.findall(r'[A-Za-z_]\w*|\*|&|\[|\]', piece)
        pos += len(piece) + 1
        if not toks or not re.match(r'^[A-Za-z_]\w*$', toks[-1]):
            raise _compile_error(g.name, code, ppos, 'expected a parameter name')
        pname = toks[-1]
        rest = toks[:-1]
        nptr = rest.count('*')
        if nptr > 1 or '&' in rest or '[' in rest:
            raise NotImplementedError('RawKernel %s: parameter %s: only scalars and pointers '
                                      '(T*) are supported' % (g.name, pname))
        star = rest.index('*') if nptr else len(rest)
        is_const = 'const' in rest[:star]
        words = [w for w in rest if w not in _QUALIFIERS and w != '*']
        if not words:
            raise _compile_error(g.name, code, ppos, 'expected a parameter type')
        dt = _c_dtype(words, g.name, code, ppos)
        params.append((pname, dt, ('in' if is_const else 'out') if nptr else 'scalar'))
    return params


_BUILTIN_RE = re.compile(r'\b(threadIdx|blockIdx|blockDim|gridDim)(\s*\.\s*)([xyz])\b')
_SHARED_RE = re.compile(r'(\bextern\s+)?\b__shared__\s+([^;\[]*?)\s*\b([A-Za-z_]\w*)\s*'
                        r'((?:\[[^\]]*\]\s*)+);')


def _rewrite_builtins(body):
    # threadIdx.x -> threadIdx_x: the same length, so columns stay.
    def rep(m):
        return m.group(1) + '_' + ' ' * (len(m.group(2)) - 1) + m.group(3)
    return _BUILTIN_RE.sub(rep, body)


def _rewrite_shared_access(s, name, dims, length, scratch):
    """name[e1][e2]... -> name[(e1) * d2 + (e2)] (recursively inside); scratch: the array is a
    storage scratch with one slice per block, name[__wg_sb * length + ...]."""
    out = []
    i = 0
    pat = re.compile(r'\b%s\s*\[' % re.escape(name))
    while True:
        m = pat.search(s, i)
        if not m:
            out.append(s[i:])
            return ''.join(out)
        out.append(s[i:m.start()])
        idx = []
        j = m.end() - 1
        while len(idx) < len(dims):
            k = _match(s, j, '[', ']')
            if k < 0:
                break
            idx.append(_rewrite_shared_access(s[j + 1:k], name, dims, length, scratch))
            j = k + 1
            nxt = re.match(r'\s*\[', s[j:])
            if len(idx) < len(dims) and nxt:
                j += nxt.end() - 1
            else:
                break
        if len(idx) != len(dims):
            # a partial index (a row of a 2-D array): not translated
            raise NotImplementedError('RawKernel: __shared__ array %s must be indexed with all '
                                      'of its %d dimensions' % (name, len(dims)))
        flat = '(%s)' % idx[0]
        for d, e in zip(dims[1:], idx[1:]):
            flat = '(%s * %d + (%s))' % (flat, d, e)
        out.append('%s[__wg_sb * %s + %s]' % (name, length, flat) if scratch
                   else '%s[%s]' % (name, flat))
        i = j


class _Translated:
    """A __global__ function as an ElementwiseKernel plus the launch's argument layout."""

    def __init__(self, code, g, globals_, preamble):
        self.name = g.name
        defines = dict(re.findall(r'(?m)^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+(.+?)\s*$',
                                  code))
        self.params = _parse_params(g, code)
        a, b = g.body_span
        body = _rewrite_builtins(code[a:b])
        self.uses_sync = bool(re.search(r'\b__syncthreads\s*\(\s*\)', body))
        for bad in ('__syncwarp', '__shfl', '__ballot', '__any_sync', '__all_sync',
                    'cooperative_groups', '__threadfence'):
            if re.search(r'\b%s' % bad, body):
                raise NotImplementedError('RawKernel %s: %s is not supported' % (g.name, bad))
        # __shared__ declarations: workgroup arrays (the engine's `__shared__ T a[n]`, one per
        # workgroup); an array that an atomic updates stays a storage scratch with one slice per
        # block (a raw output), since workgroup arrays have no atomics
        self.shared = []  # (name, dtype, length or None for extern [], dims)
        self.scratch = set()  # names of the shared arrays kept as storage scratch
        decls = list(_SHARED_RE.finditer(body))
        for m in decls:
            words = [w for w in m.group(2).split() if w not in _QUALIFIERS]
            dt = _c_dtype(words, g.name, code, a + m.start())
            dims_text = re.findall(r'\[([^\]]*)\]', m.group(4))
            if m.group(1):
                if len(dims_text) != 1 or dims_text[0].strip():
                    raise _compile_error(g.name, code, a + m.start(),
                                         'extern __shared__ arrays are declared `T name[]`')
                dims, length = [None], None
            else:
                try:
                    dims = [_const_int(d, defines) for d in dims_text]
                except ValueError:
                    raise NotImplementedError(
                        'RawKernel %s: __shared__ array %s needs integer literal sizes'
                        % (g.name, m.group(3))) from None
                if any(d <= 0 for d in dims):
                    raise _compile_error(g.name, code, a + m.start(), 'bad array size')
                length = 1
                for d in dims:
                    length *= d
            self.shared.append((m.group(3), dt, length, dims))
            if re.search(r'\batomic\w*\s*\(\s*&\s*%s\s*\[' % re.escape(m.group(3)), body):
                self.scratch.add(m.group(3))
        names = []
        for m, (sname, dt, length, _) in reversed(list(zip(decls, self.shared))):
            rep = _blank(m.group(0))
            if sname not in self.scratch:
                # (the name is put back after the accesses are rewritten)
                decl = '__shared__ %s \x01[%s];' % (dt, length if length else '__wg_dsn_len')
                rep = decl + rep[len(decl):]
                names.append(sname)
            body = body[:m.start()] + rep + body[m.end():]
        for sname, _, length, dims in self.shared:
            if sname in self.scratch:
                body = _rewrite_shared_access(body, sname, dims if length else [0],
                                              length if length else '__wg_dsn', True)
            elif len(dims) > 1:
                body = _rewrite_shared_access(body, sname, dims, length, False)
        for sname in reversed(names):  # the declarations in source order
            body = body.replace('\x01', sname, 1)
        # the operation: the whole source blanked but for the body (same lines and columns)
        op = _blank(code[:a]) + body + _blank(code[b:])
        ins, outs = [], []
        for pname, dt, kind in self.params:
            if kind == 'out':
                outs.append('raw %s %s' % (dt, pname))
            else:
                ins.append(('raw %s %s' if kind == 'in' else '%s %s') % (dt, pname))
        ins += ['uint32 %s' % gname for gname in _GEOM]
        self.scratch_dynamic = any(length is None and sname in self.scratch
                                   for sname, _, length, _ in self.shared)
        if self.scratch_dynamic:
            ins.append('uint32 __wg_dsn')
        outs += ['raw %s %s' % (dt, sname) for sname, dt, _, _ in self.shared
                 if sname in self.scratch]
        self.dynamic_shared = any(length is None for _, _, length, _ in self.shared)
        self.workgroup_arrays = any(sname not in self.scratch for sname, _, _, _ in self.shared)
        # the macros go first (device functions use them too); a message about the preamble
        # gets its line in the user's source back (_fix_line)
        self._spec = (', '.join(ins), ', '.join(outs), op, g.name, _MACROS + preamble)
        self._kernels = {}
        self.kernel = self.kernel_for(None)

    def kernel_for(self, block, dsn_len=1):
        """The ElementwiseKernel; block=None: the cpu form without workgroups (padding threads
        end at once), ('cpu', P): the cpu form as a workgroup kernel of P (a power of two, padded)
        points for workgroup arrays, else a workgroup kernel of `block` threads (no padding; the
        GPU runs each CUDA block as one workgroup, whose __syncthreads() is a barrier).
        dsn_len: the elements of an `extern __shared__` workgroup array."""
        key = (block, dsn_len if self.dynamic_shared else 1)
        k = self._kernels.get(key)
        if k is None:
            ins, outs, op, name, pre = self._spec
            if block is None:
                prep = _PREP
            elif isinstance(block, tuple):
                prep = _PREP + ' __wg_block(%d);' % block[1]
            else:
                prep = _PREP_WG % block
            if self.dynamic_shared:
                # in _MACROS' first (empty) line: a message about the preamble keeps its line
                pre = '#define __wg_dsn_len %d\n' % max(dsn_len, 1) + pre[1:]
            try:
                k = ElementwiseKernel(ins, outs, op, name, preamble=pre, loop_prep=prep)
            except CompileException as e:
                raise _fix_line(e) from None
            self._kernels[key] = k
        return k


def _const_int(text, defines, depth=0):
    """The value of an integer constant expression of literals and #define'd names."""
    if depth > 16:
        raise ValueError(text)
    def name(m):
        if m.group(0) in defines:
            return '(%d)' % _const_int(defines[m.group(0)], defines, depth + 1)
        raise ValueError(text)
    t = re.sub(r'\b(\d+)[uUlL]*\b', r'\1', text)
    t = re.sub(r'\b[A-Za-z_]\w*\b', name, t)
    if not re.match(r'^[\d\s()+\-*/%<>]*$', t):
        raise ValueError(text)
    return int(eval(t.replace('/', '//'), {'__builtins__': {}}))  # digits and operators only


def _fix_line(e):
    """A CompileException about the preamble (the source around the kernel, after _MACROS),
    with the line in the user's source."""
    m = re.match(r'^(.*?):(\d+):(\d+): (.* in preamble: .*)$', str(e), re.S)
    if not m:
        return e
    line = int(m.group(2)) - _MACROS.count('\n')
    return CompileException('%s:%d:%s: %s' % (m.group(1), line, m.group(3),
                                               m.group(4).replace(' in preamble', '')))


def _dims(v, what, limits):
    if isinstance(v, bool):
        raise TypeError('%s must be an int or a tuple of ints' % what)
    if isinstance(v, int) or hasattr(v, '__index__') and not isinstance(v, (tuple, list)):
        v = (int(v.__index__()),)
    if not isinstance(v, (tuple, list)) or not 1 <= len(v) <= 3:
        raise TypeError('%s must be an int or a tuple of 1 to 3 ints' % what)
    out = []
    for x in v:
        if isinstance(x, bool) or not hasattr(x, '__index__'):
            raise TypeError('%s must be an int or a tuple of ints, not %s'
                            % (what, type(x).__name__))
        out.append(int(x.__index__()))
    out += [1] * (3 - len(out))
    for d, (x, lim) in enumerate(zip(out, limits)):
        if x < 1 or x > lim:
            raise ValueError('%s.%s = %d is out of range (1 to %d)' % (what, 'xyz'[d], x, lim))
    return out


class RawKernel:
    """CuPy's RawKernel: a `__global__` function of CUDA-C source, launched as
    `k(grid, block, args)`.

    k = wgpy.RawKernel(r'''
    extern "C" __global__ void add(const float* x, const float* y, float* z, int n) {
        int i = blockDim.x * blockIdx.x + threadIdx.x;
        if (i < n) z[i] = x[i] + y[i];
    }''', 'add')
    k((n + 127) // 128,), (128,), (x, y, z, np.int32(n)))
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
        mod = _module if _module is not None else _source(code, name)
        self._t = mod.translate(name)

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
        from . import _dtypes
        return sum(length * _dtypes.SIZE[_dtypes.NAMES.index(dt)]
                   for _, dt, length, _ in self._t.shared if length)

    @property
    def num_regs(self):
        return 0

    @property
    def const_size_bytes(self):
        return 0

    @property
    def local_size_bytes(self):
        return 0

    @property
    def max_dynamic_shared_size_bytes(self):
        return 48 * 1024

    def __call__(self, grid, block, args, *, shared_mem=0, stream=None, enable_cooperative_groups=False):
        t = self._t
        g = _dims(grid, 'grid', _MAX_GRID)
        b = _dims(block, 'block', _MAX_BLOCK)
        nt = b[0] * b[1] * b[2]
        if nt > MAX_THREADS_PER_BLOCK:
            raise ValueError('block (%d, %d, %d) has %d threads; at most %d are allowed'
                             % (b[0], b[1], b[2], nt, MAX_THREADS_PER_BLOCK))
        if not isinstance(args, (tuple, list)):
            raise TypeError('args must be a tuple, not %s' % type(args).__name__)
        if len(args) != len(t.params):
            raise TypeError('Wrong number of arguments for %r: %d given, %d expected'
                            % (t.name, len(args), len(t.params)))
        if not isinstance(shared_mem, int) or shared_mem < 0:
            raise ValueError('shared_mem must be a non-negative int')
        sync = t.uses_sync or bool(t.shared)
        kernel = t.kernel
        backend = _config.get_backend_name()
        dsn_len = 1
        if t.dynamic_shared:
            dt = [dt for _, dt, length, _ in t.shared if length is None][0]
            dsn_len = shared_mem // _itemsize(dt)
        if sync and backend == 'webgpu':
            # one workgroup per CUDA block (workgroup arrays, barriers in the workgroup)
            P = nt
            kernel = t.kernel_for(nt, dsn_len)
        elif sync:
            if backend not in ('cpu', 'loopback'):
                raise NotImplementedError(
                    'RawKernel %s: %s is not supported on the %s backend'
                    % (t.name, '__shared__ memory' if t.shared else '__syncthreads()', backend))
            env = os.environ.get('WGPY_CPU_STMT_BLOCK', '').strip()
            if env and (not env.isdigit() or int(env) < MAX_THREADS_PER_BLOCK):
                raise NotImplementedError(
                    'RawKernel %s: __shared__/__syncthreads() need WGPY_CPU_STMT_BLOCK unset'
                    % t.name)
            # a block of the cpu executor (1024 points) holds whole CUDA blocks, whose threads
            # then run in lock step: pad the block to a power of two
            P = 1
            while P < nt:
                P *= 2
            if t.workgroup_arrays:
                kernel = t.kernel_for(('cpu', P), dsn_len)
        else:
            P = nt
        ins, outs = [], []
        for (pname, dt, kind), a in zip(t.params, args):
            if kind == 'scalar':
                if isinstance(a, ndarray):
                    raise TypeError('%s: argument %s is a scalar parameter (%s), not an array'
                                    % (t.name, pname, dt))
                ins.append(_scalar(a, dt, t.name, pname))
            else:
                if not isinstance(a, ndarray):
                    raise TypeError('%s: argument %s must be a wgpy.ndarray (%s*), not %s'
                                    % (t.name, pname, dt, type(a).__name__))
                (ins if kind == 'in' else outs).append(a)
        nblocks = g[0] * g[1] * g[2]
        ins += [_scalar(v, 'uint32', t.name, '') for v in (P, nt, b[0], b[1], b[2],
                                                             g[0], g[1], g[2])]
        if t.scratch_dynamic:
            ins.append(_scalar(dsn_len, 'uint32', t.name, ''))
        for sname, dt, length, _ in t.shared:
            if sname in t.scratch:
                length = dsn_len if length is None else length
                outs.append(_core_zeros(nblocks * max(length, 1), dt))
        try:
            kernel(*(ins + outs), size=nblocks * P)
        except CompileException as e:
            raise _fix_line(e) from None

    def compile(self, log_stream=None):
        pass

    def __repr__(self):
        return '<wgpy.RawKernel %r>' % self.name


def _itemsize(dt):
    from . import _dtypes
    return _dtypes.SIZE[_dtypes.NAMES.index(dt)]


def _core_zeros(n, dt):
    from . import zeros
    return zeros(n, dtype=dt)


def _scalar(v, dt, kname, pname):
    """v as a Python number of the parameter's kind (the engine casts it to the C type, as the
    bytes of a numpy scalar of that type would be on CUDA)."""
    if not isinstance(v, (int, float, bool)):
        if isinstance(v, ndarray) or not hasattr(v, 'item'):
            raise TypeError('%s: argument %s must be a scalar, not %s'
                            % (kname, pname, type(v).__name__))
        v = v.item()
        if not isinstance(v, (int, float, bool)):
            raise TypeError('%s: argument %s must be a real scalar' % (kname, pname))
    if dt == 'bool':
        return bool(v)
    if dt.startswith(('int', 'uint')):
        return int(v)
    return float(v)


class _Source:
    """A parsed module source: its __global__ functions, the rest as a preamble."""

    def __init__(self, code, modname):
        self.code = code
        self.name = modname
        clean = _strip_comments(code)
        self.globals = _find_globals(clean, modname)
        pre = clean
        for g in self.globals:
            pre = pre[:g.start] + _blank(pre[g.start:g.end]) + pre[g.end:]
        # extern "C" { ... } blocks around the functions; #include lines
        for m in reversed(list(re.finditer(r'\bextern\s*"C"\s*\{', pre))):
            e = _match(pre, m.end() - 1, '{', '}')
            if e >= 0:
                pre = pre[:e] + ' ' + pre[e + 1:]
            pre = pre[:m.start()] + _blank(m.group(0)) + pre[m.end():]
        pre = re.sub(r'(?m)^[ \t]*#[ \t]*(include|pragma)\b.*$', lambda m: _blank(m.group(0)), pre)
        self.clean = clean
        self.preamble = _rewrite_builtins(pre)
        self._cache = {}

    def translate(self, name):
        if '<' in name:
            raise NotImplementedError('RawModule: template kernels (%s) are not supported' % name)
        t = self._cache.get(name)
        if t is None:
            for g in self.globals:
                if g.name == name:
                    t = self._cache[name] = _Translated(self.clean, g, self.globals,
                                                        self.preamble)
                    break
            else:
                raise AttributeError("RawKernel: no __global__ function named %r in the source"
                                     % name)
        return t


_SOURCES = {}


def _source(code, name):
    """The parsed source (kept for the next RawKernel of the same code, as CuPy keeps compiled
    modules; a few hundred at most)."""
    key = (code, name)
    src = _SOURCES.get(key)
    if src is None:
        if len(_SOURCES) >= 256:
            _SOURCES.clear()
        src = _SOURCES[key] = _Source(code, name)
    return src


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
        self._src = _Source(code, 'module')
        self._kernels = {}

    def get_function(self, name):
        k = self._kernels.get(name)
        if k is None:
            k = RawKernel.__new__(RawKernel)
            k.code, k.name, k.options = self.code, name, self.options
            k.backend, k.translate_cucomplex = self.backend, False
            k.enable_cooperative_groups, k.jitify = False, False
            k._t = self._src.translate(name)
            self._kernels[name] = k
        return k

    def compile(self, log_stream=None):
        for g in self._src.globals:
            self.get_function(g.name)

    def get_global(self, name):
        raise NotImplementedError('RawModule.get_global: __device__ globals are not supported')

    def get_texref(self, name):
        raise NotImplementedError('RawModule.get_texref: textures are not supported')

    def __repr__(self):
        return '<wgpy.RawModule>'
