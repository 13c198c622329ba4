"""The engine binding: loads libwgpy, declares every function of core/include/wgpy.h, owns the one
context of this process, and turns engine errors into Python exceptions.

Nothing here knows an op or dtype number: the name tables are read from the engine at import.
The numbers that are part of the ABI itself (status codes, weak kinds, casting kinds, index item
kinds, the info-block layout, flags, backend ids) are the header's enums, repeated once here.

Everything other modules call in a hot path is a module global (a bound ctypes function or a
preallocated int64 buffer), so an operation costs one attribute lookup and one foreign call.
"""

import ctypes
import os
import struct
import sys
from ctypes import POINTER, c_char_p, c_double, c_int, c_int32, c_int64, c_void_p

# ---- ABI constants (wgpy.h) ----------------------------------------------------------------
ABI_VERSION = 1
MAX_NDIM = 16
INFO_SLOTS = 8 + 2 * MAX_NDIM
INFO_SHAPE = 8
INFO_STRIDES = 8 + MAX_NDIM
INFO_HANDOFF = 7  # 1: the engine asks for the stream to be handed over now (run ahead)

OK = 0
ERR_TYPE, ERR_VALUE, ERR_INDEX, ERR_AXIS, ERR_MEMORY = -1, -2, -3, -4, -5
ERR_NOTIMPL, ERR_OVERFLOW, ERR_BACKEND, ERR_ZERODIV, ERR_INTERNAL = -6, -7, -8, -9, -10
ERR_COMPILE = -11

WEAK_NONE, WEAK_BOOL, WEAK_INT, WEAK_FLOAT, WEAK_COMPLEX = 0, 1, 2, 3, 4

CASTING = {'no': 0, 'equiv': 1, 'safe': 2, 'same_kind': 3, 'unsafe': 4}

IDX_INT, IDX_SLICE, IDX_NEWAXIS, IDX_ELLIPSIS = 0, 1, 2, 3
IDX_NONE = -(1 << 63)

FLAG_C, FLAG_F, FLAG_OWNDATA, FLAG_WRITEABLE = 1, 2, 4, 8

BACKENDS = {'cpu': 0, 'loopback': 2, 'webgpu': 3, 'webgl2': 4}  # 'stream' (1): JavaScript hosts
# webgpu: the stream backend with WGSL, run by the JavaScript executor (docs/webgpu.md)
# webgl2: the stream backend with GLSL ES 3.00, run by the JavaScript executor (docs/webgl2.md)
# loopback: the cpu executor behind the command stream (encode, decode, replay) — for testing
EXECUTOR_BACKENDS = ('webgpu', 'webgl2')  # run by a host's executor, the module _wgpy_<name>

POOL_STATS = ('used_bytes', 'free_bytes', 'total_bytes', 'limit_bytes', 'n_allocs', 'n_reused',
              'peak_bytes')

# ---- loading ------------------------------------------------------------------------------


def _library_path():
    env = os.environ.get('WGPY_LIBRARY')
    if env:
        return env, [env]
    here = os.path.dirname(os.path.abspath(__file__))
    tried = [os.path.join(here, 'libwgpy.so')]
    # A source checkout: python/wgpy/ next to build/native/ (a development convenience).
    tried.append(os.path.join(os.path.dirname(os.path.dirname(here)), 'build', 'native',
                              'libwgpy.so'))
    for p in tried:
        if os.path.exists(p):
            return p, tried
    return tried[0], tried


library_path, _tried = _library_path()
try:
    lib = ctypes.CDLL(library_path)
except OSError as e:
    raise ImportError('wgpy: cannot load the engine library (%s); tried %s. Set WGPY_LIBRARY to '
                      'the path of libwgpy.so (make native builds build/native/libwgpy.so).'
                      % (e, ', '.join(_tried))) from None

_H = c_void_p          # wg_context* / wg_array*
_P64 = POINTER(c_int64)
_P32 = POINTER(c_int32)
_PH = POINTER(c_void_p)
_PU32 = POINTER(ctypes.c_uint32)  # wg_random's generator state

# name: (restype, argtypes) for every function in wgpy.h
_SIGNATURES = {
    'wg_abi_version': (c_int, []),
    'wg_context_new': (_H, [c_int]),
    'wg_context_free': (None, [_H]),
    'wg_last_status': (c_int, [_H]),
    'wg_last_error': (c_char_p, [_H]),
    'wg_clear_error': (None, [_H]),
    'wg_info_block': (c_void_p, [_H]),
    'wg_set_release_queue': (None, [_H, _P64, c_int]),
    'wg_release_drain': (None, [_H]),
    'wg_set_x64': (None, [_H, c_int]),
    'wg_get_x64': (c_int, [_H]),
    'wg_backend_id': (c_int, [_H]),
    'wg_backend_name': (c_char_p, [_H]),
    'wg_set_fusion_limit': (None, [_H, c_int]),
    'wg_set_lazy': (None, [_H, c_int]),
    'wg_set_max_bindings': (None, [_H, c_int]),
    'wg_set_run_ahead': (None, [_H, c_int64, c_int64]),
    'wg_op_count': (c_int, []),
    'wg_op_name': (c_char_p, [c_int]),
    'wg_op_arity': (c_int, [c_int]),
    'wg_reduce_count': (c_int, []),
    'wg_reduce_name': (c_char_p, [c_int]),
    'wg_dtype_name': (c_char_p, [c_int]),
    'wg_dtype_size': (c_int, [c_int]),
    'wg_dtype_kind': (c_int, [c_int]),
    'wg_counter_count': (c_int, []),
    'wg_counter_name': (c_char_p, [c_int]),
    'wg_promote_types': (c_int, [c_int, c_int]),
    'wg_can_cast': (c_int, [c_int, c_int, c_int]),
    'wg_result_type': (c_int, [_H, c_int, _P32, _P32]),
    'wg_canonical_dtype': (c_int, [_H, c_int]),
    'wg_op_result_dtype': (c_int, [_H, c_int, c_int, _P32, _P32]),
    'wg_retain': (None, [_H]),
    'wg_release': (None, [_H]),
    'wg_info': (c_int, [_H, _H]),
    'wg_shares_buffer': (c_int, [_H, _H]),
    # ndarray.setflags, byteswap (breadth2)
    'wg_set_writeable': (c_int, [_H, _H, c_int]),
    'wg_byteswap': (_H, [_H, _H]),
    # ufunc.reduce of bitwise_and/or/xor (api/bitreduce.c)
    'wg_bitwise_reduce': (_H, [_H, c_int, _H, c_int, _P64, c_int]),
    'wg_buffer_id': (c_int64, [_H]),
    'wg_empty': (_H, [_H, c_int, c_int, _P64]),
    'wg_from_data': (_H, [_H, c_int, c_int, _P64, c_void_p]),
    'wg_from_strided': (_H, [_H, c_int, c_int, _P64, _P64, c_void_p]),
    'wg_scalar': (_H, [_H, c_int, c_int, c_int64, c_int, c_double]),
    'wg_full': (_H, [_H, c_int, c_int, _P64, _H]),
    'wg_arange': (_H, [_H, c_int, c_double, c_double, c_int64]),
    'wg_linspace': (_H, [_H, c_int, c_double, c_double, c_int64, c_int]),
    'wg_eye': (_H, [_H, c_int, c_int64, c_int64, c_int64]),
    'wg_read': (c_int, [_H, _H, c_void_p, c_int64]),
    'wg_sync': (c_int, [_H]),
    # capture and replay (graph/capture.c; wgpy.fuse)
    'wg_trace_begin': (c_void_p, [_H, c_int, _PH]),
    'wg_trace_end': (c_int, [_H, c_void_p, c_int, _PH]),
    'wg_trace_known': (c_int, [_H, c_void_p, c_int, _PH]),
    'wg_trace_reason': (c_char_p, [c_void_p]),
    'wg_trace_stat': (c_int64, [c_void_p, c_int]),
    'wg_trace_replay': (c_int, [_H, c_void_p, c_int, _PH, c_int, _PH]),
    'wg_trace_free': (None, [_H, c_void_p]),
    'wg_trace_eager': (None, [_H]),
    'wg_tracing': (c_int, [_H]),
    'wg_index': (_H, [_H, _H, c_int, _P64]),
    'wg_index_of': (_H, [_H, c_int, _P64]),
    'wg_reduce_of': (_H, [c_int, _H, c_int, _P64, c_int]),
    'wg_transpose': (_H, [_H, _H, c_int, _P64]),
    'wg_swapaxes': (_H, [_H, _H, c_int64, c_int64]),
    'wg_moveaxis': (_H, [_H, _H, c_int, _P64, _P64]),
    'wg_reshape': (_H, [_H, _H, c_int, _P64, c_int]),
    'wg_squeeze': (_H, [_H, _H, c_int, _P64]),
    'wg_expand_dims': (_H, [_H, _H, c_int, _P64]),
    'wg_broadcast_to': (_H, [_H, _H, c_int, _P64]),
    'wg_broadcast_shapes': (c_int, [_H, c_int, _PH, _P64]),
    'wg_unary': (_H, [_H, c_int, _H, _H, c_int]),
    'wg_binary': (_H, [_H, c_int, _H, _H, _H, c_int]),
    'wg_unop': (_H, [c_int, _H]),
    'wg_binop': (_H, [c_int, _H, _H]),
    'wg_binop_into': (_H, [c_int, _H, _H, _H]),
    'wg_where': (_H, [_H, _H, _H, _H, _H]),
    'wg_clip': (_H, [_H, _H, _H, _H, _H]),
    'wg_astype': (_H, [_H, _H, c_int, c_int, c_int]),
    'wg_copy': (_H, [_H, _H, c_int]),
    'wg_assign': (c_int, [_H, _H, _H]),
    'wg_reduce': (_H, [_H, c_int, _H, c_int, _P64, c_int, c_int, c_int64, _H]),
    'wg_matmul': (_H, [_H, _H, _H, _H]),
    'wg_dot': (_H, [_H, _H, _H, _H]),
    'wg_counters': (None, [_H, _P64]),
    'wg_counters_reset': (None, [_H]),
    'wg_pool_stats': (None, [_H, _P64]),
    'wg_pool_set_limit': (None, [_H, c_int64]),
    'wg_pool_free_all': (None, [_H]),
    'wg_stream_data': (c_void_p, [_H, _P64]),
    'wg_stream_consumed': (None, [_H]),
    'wg_executor_failed': (None, [_H]),
    'wg_ukernel_elementwise': (c_int, [_H, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p,
                                       c_char_p, c_char_p, _PH]),
    'wg_ukernel_reduction': (c_int, [_H, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p,
                                     c_char_p, c_char_p, c_char_p, c_char_p, _PH]),
    'wg_ukernel_free': (None, [c_void_p]),
    'wg_ukernel_nparams': (c_int, [c_void_p]),
    'wg_ukernel_nin': (c_int, [c_void_p]),
    'wg_ukernel_param': (c_char_p, [c_void_p, c_int, _P32]),
    'wg_ukernel_launch': (c_int, [_H, c_void_p, c_int, _PH, c_int64, _PH]),
    'wg_ukernel_reduce': (c_int, [_H, c_void_p, c_int, _PH, c_int, _P64, c_int, _PH]),
    # RawKernel / RawModule (core/src/lang: the CUDA-C front end)
    'wg_rawmodule_new': (c_int, [_H, c_char_p, c_char_p, _PH]),
    'wg_rawmodule_free': (None, [c_void_p]),
    'wg_rawmodule_nfunctions': (c_int, [c_void_p]),
    'wg_rawmodule_function': (c_char_p, [c_void_p, c_int]),
    'wg_rawmodule_get_function': (c_int, [_H, c_void_p, c_char_p, _PH]),
    'wg_rawmodule_get_global': (c_int, [_H, c_void_p, c_char_p, _PH]),
    'wg_ukernel_set_contract': (None, [c_void_p, c_int]),
    'wg_rawkernel_info': (c_int, [c_void_p, _P64]),
    'wg_rawkernel_compile': (c_int, [_H, c_void_p]),
    'wg_rawkernel_launch': (c_int, [_H, c_void_p, _P64, _P64, c_int64, c_int, _PH]),
    'wg_nkernel_elementwise': (c_int, [_H, c_int, c_char_p, c_char_p, c_char_p, c_char_p,
                                       c_char_p, c_char_p, _PH]),
    'wg_nkernel_reduction': (c_int, [_H, c_int, c_char_p, c_char_p, c_char_p, c_char_p,
                                     c_char_p, c_char_p, c_char_p, c_char_p, c_char_p, c_char_p,
                                     _PH]),
    'wg_nkernel_free': (None, [c_void_p]),
    'wg_nkernel_nin': (c_int, [c_void_p]),
    'wg_nkernel_nuniforms': (c_int, [c_void_p]),
    'wg_nkernel_uniform': (c_char_p, [c_void_p, c_int]),
    'wg_nkernel_launch': (c_int, [_H, c_void_p, c_int, _PH, POINTER(c_double), _PH]),
    'wg_nkernel_reduce': (c_int, [_H, c_void_p, c_int, _PH, POINTER(c_double), c_int, _P64,
                                  c_int, _PH]),
    # sorting, searching, set operations, quantiles (api/sort.c)
    'wg_sort': (c_int, [_H, _H, c_int64, _PH, _PH]),
    'wg_lexsort': (_H, [_H, c_int, _PH, c_int64]),
    'wg_searchsorted': (_H, [_H, _H, _H, c_int, _H]),
    'wg_isin': (_H, [_H, _H, _H, c_int]),
    'wg_unique': (c_int, [_H, _H, c_int, _PH, _PH, c_int64, _PH, _PH, _PH, _PH]),
    'wg_quantile': (_H, [_H, _H, c_int64, _H, c_int, c_int, c_int]),
    'wg_take_last': (_H, [_H, _H, _H]),
    # sort tuning (api/sort.c; docs/sorting.md, "Tiles in workgroup memory")
    'wg_set_sort_path': (c_int, [_H, c_int]),
    'wg_set_inline_literals': (c_int, [_H, c_int]),
    'wg_set_adapter_class': (None, [_H, c_int]),
    'wg_set_workgroup_storage': (None, [_H, c_int]),
    'wg_set_workgroup_invocations': (None, [_H, c_int]),
    'wg_set_subgroups': (None, [_H, c_int, c_int]),
    # FFT workgroup passes (api/fft.c; docs/fft.md "Workgroup passes")
    'wg_set_fft_path': (c_int, [_H, c_int]),
    'wg_set_scan_path': (c_int, [_H, c_int]),
    'wg_set_random_path': (c_int, [_H, c_int]),
    'wg_set_scan_block': (c_int, [_H, c_int]),
    # blocked LU/Cholesky (api/lapack_blocked.c; docs/linalg.md "Blocked factorizations")
    'wg_set_linalg_path': (c_int, [_H, c_int]),
    # contractions, statistics and histograms (issue 10; docs/contractions.md)
    'wg_einsum': (_H, [_H, c_char_p, c_int, _PH, c_int, _P32, c_int, c_int, _H]),
    'wg_einsum_path': (c_int, [_H, c_char_p, c_int, _PH, _P32, c_char_p, c_int64]),
    'wg_monotonicity': (_H, [_H, _H]),
    'wg_digitize': (_H, [_H, _H, _H, c_int, c_int]),
    'wg_bincount_length': (_H, [_H, _H, _H, c_int64]),
    'wg_bincount': (_H, [_H, _H, _H, c_int64, c_int]),
    'wg_histogramdd_counts': (_H, [_H, c_int, _PH, _PH, _H, c_int, c_int]),
    'wg_interp': (_H, [_H, _H, _H, _H, _H, _H]),
    'wg_correlate': (_H, [_H, _H, _H, c_int]),
    # numpy.linalg decompositions (api/lapack.c)
    'wg_linalg_solve': (c_int, [_H, _H, _H, _PH, _PH]),
    'wg_linalg_inv': (c_int, [_H, _H, _PH, _PH]),
    'wg_linalg_det': (c_int, [_H, _H, c_int, _PH, _PH]),
    'wg_linalg_cholesky': (c_int, [_H, _H, c_int, _PH, _PH]),
    'wg_linalg_qr': (c_int, [_H, _H, c_int, _PH, _PH]),
    'wg_linalg_eigh_init': (c_int, [_H, _H, c_int, c_int, _PH, _PH]),
    'wg_linalg_eigh_sweep': (c_int, [_H, _H, _H, _PH, _PH, _PH]),
    'wg_linalg_eigh_finish': (c_int, [_H, _H, _H, _PH, _PH]),
    'wg_linalg_svd_init': (c_int, [_H, _H, c_int, _PH]),
    'wg_linalg_svd_sweep': (c_int, [_H, _H, c_int64, _PH, _PH]),
    'wg_linalg_svd_finish': (c_int, [_H, _H, _H, c_int, c_int, _PH, _PH, _PH]),
    # linalg.eig / eigvals (api/lapack.c)
    'wg_linalg_eig_init': (c_int, [_H, _H, c_int, _PH, _PH, _PH, _PH]),
    'wg_linalg_eig_sweep': (c_int, [_H, _H, _H, _H, c_int64, c_int, _PH, _PH, _PH, _PH]),
    'wg_linalg_eig_finish': (c_int, [_H, _H, _H, _PH, _PH, _PH, _PH]),
    # complex matrices' real embedding (api/lapack_complex.c; docs/linalg.md)
    'wg_linalg_cemb': (c_int, [_H, _H, c_int, _PH]),
    'wg_linalg_cunemb': (c_int, [_H, _H, c_int, c_int64, _PH]),
    'wg_linalg_cpair_mean': (c_int, [_H, _H, _PH]),
    'wg_linalg_eig_complex': (c_int, [_H, _H, _H, _H, _PH, _PH]),
    'wg_linalg_ceigh_finish': (c_int, [_H, _H, _H, _PH, _PH, _PH]),
    'wg_linalg_ceigh_vectors': (c_int, [_H, _H, _H, _PH]),
    # scans and compaction (api/scan.c; docs/scans.md)
    'wg_accumulate': (_H, [_H, c_int, _H, c_int64, c_int, c_int, c_int, _H]),
    'wg_mask_scan': (_H, [_H, _H, _H]),
    'wg_read_size': (c_int, [_H, _H, c_void_p, c_int64]),
    'wg_compact': (_H, [_H, _H, c_int64]),
    'wg_unravel_coords': (_H, [_H, _H, c_int, _P64]),
    'wg_mask_take': (_H, [_H, _H, _H, c_int]),
    'wg_mask_fill': (c_int, [_H, _H, _H, _H, c_int]),
    'wg_putmask': (c_int, [_H, _H, _H, _H]),
    'wg_mask_assign': (c_int, [_H, _H, _H, _H]),
    # compaction from the segment scan (scanperf; api/scan.c, docs/scans.md)
    'wg_mask_segscan': (_H, [_H, _H, _H]),
    'wg_mask_select': (_H, [_H, _H, _H, c_int64, _H]),
    'wg_mask_fill_seg': (c_int, [_H, _H, _H, _H, _H, c_int]),
    # ---- advanced indexing, take/put, ufunc.at (issue 10; api/index.c) ----
    'wg_adv_get': (_H, [_H, _H, c_int, _P64, c_int, _PH, c_int]),
    'wg_adv_set': (c_int, [_H, _H, c_int, _P64, c_int, _PH, _H, c_int, c_int]),
    'wg_adv_bounds': (_H, [_H, _H, c_int, _P64, c_int, _PH]),
    'wg_adv_bounds_known': (c_int, [_H, _H, c_int, _P64, c_int, _PH]),
    'wg_adv_bounds_error': (c_int, [_H, _H, c_int, _P64, c_int, _PH, c_int64, c_int64]),
    # random numbers (core/src/api/random.c)
    'wg_random': (c_int, [_H, c_char_p, _PU32, c_int, _PH, _H]),
    'wg_random_permutation': (c_int, [_H, _PU32, _H]),
    'wg_random_choice': (c_int, [_H, _PU32, c_int64, _H, c_int, _H]),
    'wg_random_take_rows': (_H, [_H, _H, _H]),
    'wg_random_multinomial': (c_int, [_H, _PU32, c_int64, _H, _H]),
    # numpy.fft (core/src/api/fft.c, docs/fft.md)
    'wg_fft': (_H, [_H, _H, c_int, c_int64, c_int64, c_int, c_int]),
    'wg_random_dirichlet': (c_int, [_H, _PU32, _H, _H]),
    'wg_random_multivariate_normal': (c_int, [_H, _PU32, _H, _H, _H]),
    # complex dtypes (core/src/api/complex.c; docs/complex.md)
    'wg_scalar_complex': (_H, [_H, c_int, c_int, c_double, c_double]),
    'wg_real': (_H, [_H, _H]),
    'wg_imag': (_H, [_H, _H]),
    'wg_complex_pairs': (_H, [_H, _H]),
    'wg_pairs_complex': (_H, [_H, _H]),
    'wg_conjugate': (_H, [_H, _H, _H]),
    # device pointers: ndarray.data.ptr, kernels' pointer loads, cuBLAS's batched LU/inverse
    # (core/src/api/devptr.c, api/lapack.c; docs/cupy.md, "Device pointers")
    'wg_data_ptr': (c_int, [_H, _H, POINTER(ctypes.c_uint64), POINTER(ctypes.c_uint64), _P64]),
    'wg_ptr_view': (_H, [_H, ctypes.c_uint64, c_int, c_int, _P64, _P64]),
    'wg_set_pointer_values': (c_int, [_H, c_int64, POINTER(ctypes.c_uint64)]),
    'wg_cublas_getrf_batched': (c_int, [_H, c_int, c_int, POINTER(ctypes.c_uint64), c_int,
                                        ctypes.c_uint64, ctypes.c_uint64, c_int]),
    'wg_cublas_getri_batched': (c_int, [_H, c_int, c_int, POINTER(ctypes.c_uint64), c_int,
                                        ctypes.c_uint64, POINTER(ctypes.c_uint64), c_int,
                                        ctypes.c_uint64, c_int]),
}

# entry points an engine may lack (an older library run through this package, as the H100
# scripts' before/after calls do): the shell then goes without them
_OPTIONAL = {'wg_set_subgroups', 'wg_set_workgroup_invocations'}
_missing = []
for _name, (_res, _args) in _SIGNATURES.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        if _name not in _OPTIONAL:
            _missing.append(_name)
        continue
    _f.restype = _res
    _f.argtypes = _args
    globals()[_name] = _f
if _missing:
    raise ImportError('wgpy: %s lacks %s (an engine older or newer than this package?)'
                      % (library_path, ', '.join(_missing)))

if wg_abi_version() != ABI_VERSION:  # noqa: F821 (bound above)
    raise ImportError('wgpy: %s has ABI version %d, this package needs %d'
                      % (library_path, wg_abi_version(), ABI_VERSION))  # noqa: F821

# ---- argtype-free twins for the hot path (32-bit pointers only) --------------------------------
# Inside Pyodide (wasm32) a ctypes call with argtypes costs ~30% more than one without.  Where a
# function's parameters are all pointers and C ints, a Python int, None or a ctypes array converts
# correctly without argtypes *when pointers are 32 bits*, so the hot path calls a twin without
# them.  Natively (64-bit pointers) fast(name) is the declared function itself.
# WGPY_CTYPES_STRICT=1 turns the twins off.
_FAST_OK = (c_int, _H, _P64, _P32, _PH)
_use_fast = (ctypes.sizeof(c_void_p) == 4
             and os.environ.get('WGPY_CTYPES_STRICT', '').strip() not in ('1', 'true', 'yes'))


def fast(name):
    f = getattr(lib, name)
    res, args = _SIGNATURES[name]
    if not _use_fast or any(a not in _FAST_OK for a in args):
        return f
    twin = lib._FuncPtr((name, lib))  # a second function object for the same symbol
    twin.restype = res
    return twin


# ---- the fast operators (python/ext/fastops.c) --------------------------------------------------
# libwgpy_fastops.so beside libwgpy.so: `x + y` and the wrapping of a result in C (in Pyodide a
# ctypes call costs ~0.5 us).  Loaded with PyDLL (it calls the Python C API, so the GIL stays
# held).  _core builds its configuration; WGPY_FASTOPS=0, or no such file: the Python path.
def _fastops_init():
    if os.environ.get('WGPY_FASTOPS', '').strip().lower() in ('0', 'false', 'no'):
        return None
    path = os.path.join(os.path.dirname(os.path.abspath(library_path)), 'libwgpy_fastops.so')
    if not os.path.exists(path):
        return None
    f = ctypes.PyDLL(path).wgpy_fastops_init
    f.restype, f.argtypes = ctypes.py_object, [ctypes.py_object]
    return f


fastops_init = _fastops_init()


def address_of(f):
    """A ctypes function's address (a function pointer; in wasm, its table index)."""
    return ctypes.cast(f, c_void_p).value


# Bumped by every setting that changes what operations record (x64, lazy, the fusion limit, the
# backend): wgpy.fuse's templates were traced under the settings of their generation.
config_gen = [0]

# ---- the context ----------------------------------------------------------------------------
backend_name_requested = os.environ.get('WGPY_BACKEND', 'cpu').strip().lower() or 'cpu'
if backend_name_requested not in BACKENDS:
    raise ImportError('wgpy: WGPY_BACKEND=%r is not available here (choose from: %s)'
                      % (backend_name_requested, ', '.join(sorted(BACKENDS))))


def open_executor(name):
    """The host's executor for backend name (the module _wgpy_<name> that the JavaScript host
    registered), or ImportError saying how to get one."""
    import importlib
    try:
        return importlib.import_module('_wgpy_' + name)
    except ImportError:
        if sys.platform != 'emscripten':  # native CPython: an executor in another process
            from . import _remote
            return _remote.open_remote(name)
        raise ImportError(
            'wgpy: backend %r needs its executor from the JavaScript host (the module _wgpy_%s): '
            'run under Pyodide in a host that opened it (the browser host with backend %r or '
            "'auto'%s)" % (name, name, name,
                           '; scripts/wgpy --backend webgpu in Node' if name == 'webgpu' else
                           '; Node has no WebGL, so only a browser can')) from None


_executor = None  # the executor module while the backend is one of EXECUTOR_BACKENDS
_executor_name = None
_enqueue = None   # its enqueue(ptr, n), where it can run a chunk without waiting (run ahead)
_ready = None     # its ready(): may a chunk be handed over now (None: always)
if backend_name_requested in EXECUTOR_BACKENDS:
    _executor = open_executor(backend_name_requested)
    _executor_name = backend_name_requested
    _enqueue = getattr(_executor, 'enqueue', None)
    _ready = getattr(_executor, 'ready', None)

_ctx_ptr = wg_context_new(BACKENDS[backend_name_requested])  # noqa: F821
if not _ctx_ptr:
    raise ImportError('wgpy: wg_context_new(%s) failed (an engine without this backend?)'
                      % backend_name_requested)


def _tell_limits(c, ex):
    """The host's device binds at most ex.max_bindings storage buffers / textures per kernel."""
    n = getattr(ex, 'max_bindings', None) if ex is not None else None
    if n:
        wg_set_max_bindings(c, int(n))  # noqa: F821
    # a CPU implementation of the API (SwiftShader): the executor's rule, js/src/webgpu/executor.mjs
    if ex is not None and getattr(ex, 'cpu_like', False):
        wg_set_adapter_class(c, 1)  # noqa: F821
    # the device's workgroup memory: larger tiles where it allows (the radix sort's)
    m = getattr(ex, 'wg_storage', None) if ex is not None else None
    if m:
        wg_set_workgroup_storage(c, int(m))  # noqa: F821
    # ... and the threads a workgroup may have: the FFT's 512-thread tiles
    m = getattr(ex, 'wg_invocations', None) if ex is not None else None
    if m and 'wg_set_workgroup_invocations' in globals():
        wg_set_workgroup_invocations(c, int(m))  # noqa: F821
    # the device's subgroup sizes, where the host enabled `subgroups`: warps as subgroups
    sg = getattr(ex, 'subgroups', None) if ex is not None else None
    if sg and 'wg_set_subgroups' in globals():
        wg_set_subgroups(c, int(sg[0]), int(sg[1]))  # noqa: F821


_tell_limits(_ctx_ptr, _executor)

# ---- the release queue (wg_set_release_queue) -----------------------------------------------
# An ndarray's finalizer appends its handle here instead of calling wg_release: the engine
# releases the waiting handles first thing at its next entry where liveness or memory shows
# (wgpy.h wg_set_release_queue lists them: elementwise operations, reductions, matmul, views,
# creation, kernel launches, sync, read, counters, pool statistics, the trace calls), so the graph
# sees every release before the operation that follows it, one crossing less per operation.
# One queue in the shell's memory serves every context (a handle is released into its own).
# WGPY_RELEASE_QUEUE=0 turns it off (every finalizer calls wg_release, as before).
RELQ_CAP = (0 if os.environ.get('WGPY_RELEASE_QUEUE', '').strip().lower() in ('0', 'false', 'no')
            else 64)
relq = (c_int64 * (RELQ_CAP + 1))()
relq_view = memoryview(relq).cast('B').cast('q')


def _attach_release_queue(c):
    wg_set_release_queue(c, relq, RELQ_CAP)  # noqa: F821


_attach_release_queue(_ctx_ptr)
# The context lives as long as the process: arrays may be released during interpreter shutdown,
# after this module is gone, so it is never freed.  Everyone holds this one c_void_p object:
# wgpy.set_backend (only while no array exists) sets its value to another backend's context.
ctx = c_void_p(_ctx_ptr)

# ---- executor backends: run the command stream in the JavaScript executor at every sync point --
_stream_n = c_int64()
_wg_read_engine = wg_read  # noqa: F821
_wg_sync_engine = wg_sync  # noqa: F821
_run_sync = None


def _wait(promise):
    """A JavaScript Promise's value, waiting through JSPI (pyodide.ffi.run_sync)."""
    global _run_sync
    if _run_sync is None:
        from pyodide.ffi import run_sync as _run_sync
    return _run_sync(promise)


def run_stream():
    """Hand the pending commands to the executor and wait for them; READs land in wasm memory.
    The executor's run() returns null or an error message (webgl2, the main-thread channel), or
    a Promise of it (webgpu in a worker or in Node: waited for with run_sync, which needs JSPI).
    An error of a chunk handed over earlier without waiting (hand_off) is reported here."""
    if _executor is None:
        return
    p = wg_stream_data(ctx, ctypes.byref(_stream_n))  # noqa: F821
    n = _stream_n.value
    if not n:
        return
    _run_chunk(_executor.run, p, n)


def hand_off():
    """Run ahead (docs/architecture.md): the engine has recorded enough GPU work (the info
    block's INFO_HANDOFF slot), so the stream goes to the executor now and Python goes on while
    the GPU works.  executor.enqueue() returns true once the chunk is encoded and submitted (its
    errors are then reported by the next run), or a Promise to wait for (a kernel to compile, or a
    malformed chunk).  The loopback backend replays its stream inside wg_stream_data.
    An executor with ready() may decline while it has enough in flight: the stream then grows
    until a later array-making call finds it ready (the info block's slot stays set) or a read
    runs it."""
    if _ready is not None and not _ready():
        return
    p = wg_stream_data(ctx, ctypes.byref(_stream_n))  # noqa: F821
    n = _stream_n.value
    if n and _executor is not None:
        _run_chunk(_enqueue if _enqueue is not None else _executor.run, p, n)


def _run_chunk(run, p, n):
    try:
        err = run(p, n)
        if err is True:
            err = None
        elif getattr(err, 'then', None) is not None:
            err = _wait(err)
    except Exception as e:  # a JavaScript exception, or JSPI missing
        err = '%s executor: %s: %s' % (_executor_name, type(e).__name__, e)
    finally:
        wg_stream_consumed(ctx)  # noqa: F821
    if err:
        wg_executor_failed(ctx)  # noqa: F821
        raise RuntimeError(str(err))


def _wg_read_exec(c, a, dst, nbytes):
    rc = _wg_read_engine(c, a, dst, nbytes)
    if rc >= 0:
        run_stream()
    return rc


def _wg_sync_exec(c):
    rc = _wg_sync_engine(c)
    if rc >= 0:
        run_stream()
    return rc


def _bind_entry_points():
    """wg_read / wg_sync: the engine's, or with the executor run after them."""
    global wg_read, wg_sync
    if _executor is not None:
        wg_read, wg_sync = _wg_read_exec, _wg_sync_exec
    else:
        wg_read, wg_sync = _wg_read_engine, _wg_sync_engine


_bind_entry_points()


_contexts = {backend_name_requested: _ctx_ptr}  # one context per backend, for the process's life


def switch_context(name):
    """Make backend name's context the current one (wgpy.set_backend checks first that no array
    exists).  Each backend keeps one context for the process's life: an executor's buffer
    handles and kernel ids belong to that context, so switching back reuses it.  Returns the
    info block of the new current context; the caller rebinds its copies."""
    global _executor, _executor_name, _enqueue, _ready, info, info_view, backend_name_requested
    if name not in BACKENDS:
        raise ValueError('wgpy: unknown backend %r (choose from: %s)'
                         % (name, ', '.join(sorted(BACKENDS))))
    ex = open_executor(name) if name in EXECUTOR_BACKENDS else None
    new = _contexts.get(name)
    if new is None:
        new = wg_context_new(BACKENDS[name])  # noqa: F821
        if not new:
            raise RuntimeError('wgpy: wg_context_new(%s) failed (an engine without this '
                               'backend?)' % name)
        _contexts[name] = new
        _tell_limits(new, ex)
        _attach_release_queue(new)
    x64 = wg_get_x64(ctx)  # noqa: F821
    # the old context: run what is pending and give back its free buffers (to its executor too)
    try:
        check(wg_sync(ctx))
        wg_pool_free_all(ctx)  # noqa: F821
        run_stream()
    finally:
        ctx.value = new
        _executor, _executor_name = ex, (name if ex is not None else None)
        _enqueue = getattr(ex, 'enqueue', None)
        _ready = getattr(ex, 'ready', None)
        backend_name_requested = name
        _bind_entry_points()
        wg_set_x64(ctx, x64)  # noqa: F821
        info = (c_int64 * INFO_SLOTS).from_address(wg_info_block(ctx))  # noqa: F821
        info_view = _int64_view(info)
        refresh_canonical()
    return info


def _int64_view(block):
    """A memoryview of the info block: indexing it costs half a ctypes array's, which every
    array-making call pays five times (_core._wrap)."""
    return memoryview(block).cast('B').cast('q')


# The info block, read in place after every array-making call.
info = (c_int64 * INFO_SLOTS).from_address(wg_info_block(ctx))  # noqa: F821
info_view = _int64_view(info)
# A shape of n dimensions, read from the info block in one call (info_shape[n].unpack_from)
info_shape = tuple(struct.Struct('=%dq' % n) for n in range(MAX_NDIM + 1))

# ---- name tables ----------------------------------------------------------------------------


def _s(b):
    return b.decode('utf-8', 'replace') if b else ''


OP_NAMES = [_s(wg_op_name(i)) for i in range(wg_op_count())]  # noqa: F821
OP_ARITY = [wg_op_arity(i) for i in range(len(OP_NAMES))]  # noqa: F821
OPS = {n: i for i, n in enumerate(OP_NAMES)}


def _public_ops():
    """The ufuncs: the header lists the unary ops, then the binary ops, then engine-only ops.
    The public ones are the leading run of arity-1 ops followed by the run of arity-2 ops."""
    unary, binary = [], []
    for i, (n, a) in enumerate(zip(OP_NAMES, OP_ARITY)):
        if a == 1 and not binary:
            unary.append(n)
        elif a == 2:
            binary.append(n)
        else:
            break
    return unary, binary


UNARY_OPS, BINARY_OPS = _public_ops()


def _binop_form(name):
    """wg_binop_<name>(a, b) (wgpy.h): a binary ufunc without dtype=/out=, two arguments."""
    fn = 'wg_binop_' + name
    _SIGNATURES[fn] = (_H, [_H, _H])
    f = getattr(lib, fn)
    f.restype, f.argtypes = _H, [_H, _H]
    return fast(fn)


# the operators' calls by op code (x + y: BINOP_FORMS[OPS['add']](x, y))
BINOP_FORMS = {OPS[n]: _binop_form(n) for n in BINARY_OPS}

REDUCE_NAMES = [_s(wg_reduce_name(i)) for i in range(wg_reduce_count())]  # noqa: F821
REDUCE = {n: i for i, n in enumerate(REDUCE_NAMES)}

COUNTER_NAMES = [_s(wg_counter_name(i)) for i in range(wg_counter_count())]  # noqa: F821


def _dtype_table():
    known = ('bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
             'float16', 'float32', 'float64', 'complex64', 'complex128')
    names = []
    for i in range(64):
        n = _s(wg_dtype_name(i))  # noqa: F821
        if n not in known or wg_dtype_size(i) <= 0:  # noqa: F821
            break
        names.append(n)
    return names


DTYPE_NAMES = _dtype_table()
DTYPES = {n: i for i, n in enumerate(DTYPE_NAMES)}
DTYPE_SIZE = [wg_dtype_size(i) for i in range(len(DTYPE_NAMES))]  # noqa: F821
DTYPE_KIND = [chr(wg_dtype_kind(i)) for i in range(len(DTYPE_NAMES))]  # noqa: F821

# ---- reusable buffers (single-threaded use: filled right before the call that reads them) ----
NBUF = 64
buf0 = (c_int64 * NBUF)()
buf1 = (c_int64 * NBUF)()
items = (c_int64 * (4 * NBUF))()
i32a = (c_int32 * NBUF)()
i32b = (c_int32 * NBUF)()


def i64(buf, seq):
    """Fill buf with seq (ints) and return it, or a fresh array when seq does not fit."""
    n = len(seq)
    if n <= NBUF:
        buf[:n] = seq
        return buf
    return (c_int64 * n)(*seq)


# numpy: optional everywhere.  WGPY_NO_NUMPY=1 makes wgpy behave as if it were missing (tests).
np = None
if os.environ.get('WGPY_NO_NUMPY', '').strip() not in ('1', 'true', 'yes'):
    try:
        import numpy as np  # noqa: F811
    except ImportError:
        np = None

# ---- errors -------------------------------------------------------------------------------
AxisError = None
if np is not None:
    try:
        from numpy.exceptions import AxisError
    except ImportError:  # numpy older than 1.25
        AxisError = getattr(np, 'AxisError', None)
if AxisError is None:
    class AxisError(ValueError, IndexError):
        """An axis argument out of range (numpy.exceptions.AxisError when numpy is present)."""
    AxisError.__module__ = 'wgpy'



class CompileException(Exception):
    """A user kernel's source does not compile (CuPy's cupy.cuda.compiler.CompileException).
    The message names the kernel, the line and column, and the offending text."""


CompileException.__module__ = 'wgpy'

_EXC = {
    ERR_COMPILE: CompileException,
    ERR_TYPE: TypeError, ERR_VALUE: ValueError, ERR_INDEX: IndexError, ERR_AXIS: AxisError,
    ERR_MEMORY: MemoryError, ERR_NOTIMPL: NotImplementedError, ERR_OVERFLOW: OverflowError,
    ERR_BACKEND: RuntimeError, ERR_ZERODIV: ZeroDivisionError, ERR_INTERNAL: RuntimeError,
}


def error():
    """The pending engine error as an exception (and clear it)."""
    st = wg_last_status(ctx)  # noqa: F821
    msg = _s(wg_last_error(ctx))  # noqa: F821
    wg_clear_error(ctx)  # noqa: F821
    if st == OK:
        return RuntimeError('wgpy: the engine failed without saying why (a bug in wgpy)')
    exc = _EXC.get(st, RuntimeError)
    if st == ERR_VALUE and msg.startswith('LinAlgError: '):  # api/lapack.c
        from .linalg import LinAlgError
        return LinAlgError(msg[13:])
    if exc is AxisError:
        try:
            return AxisError(msg)
        except TypeError:
            return ValueError(msg)
    if st == ERR_INTERNAL:
        msg = 'wgpy internal error: ' + msg
    if st == ERR_TYPE:
        from . import _exceptions  # NumPy's ufunc errors (UFuncTypeError...), by the message
        e = _exceptions.classify(msg)
        if e is not None:
            return e
    return exc(msg)


def check(rc):
    if rc < 0:
        raise error()
    return rc


# ---- 64-bit policy ----------------------------------------------------------------------
canonical = []  # canonical[dtype] under the current policy


def refresh_canonical():
    canonical[:] = [wg_canonical_dtype(ctx, i) for i in range(len(DTYPE_NAMES))]  # noqa: F821


if os.environ.get('WGPY_ENABLE_X64', '').strip().lower() in ('1', 'true', 'yes', 'on'):
    wg_set_x64(ctx, 1)  # noqa: F821
refresh_canonical()

IS_PYODIDE = sys.platform == 'emscripten'
