"""cupy.cuda.cublas: importable (Chainer imports it); matrix products go through wgpy.matmul.

The batched LU and inverse entry points Chainer's det/inv call take device pointers (arrays of
matrix pointers, the pivot and info arrays: docs/cupy.md, "Device pointers"); the engine resolves
them and runs its own LU (wg_cublas_getrf_batched / wg_cublas_getri_batched).  The handle is
ignored (Device().cublas_handle is 0)."""
import wgpy as _wgpy
from wgpy import _lib

CUBLAS_OP_N = 0
CUBLAS_OP_T = 1
CUBLAS_OP_C = 2

_F32 = _F64 = None


def _codes():
    global _F32, _F64
    if _F32 is None:
        from wgpy import _dtypes
        _F32 = _dtypes.requested('float32')
        _F64 = _dtypes.requested('float64')
    return _F32, _F64


class CUBLASError(RuntimeError):
    pass


def _check(rc):
    if rc < 0:
        raise _lib.error()


def _ptrs(array_ptr, batch):
    """The batch matrix pointers of the device array array_ptr points to (read: a sync)."""
    import ctypes
    batch = max(int(batch), 0)
    vals = _wgpy._core._ptr_view(int(array_ptr), None, 0, (batch,)).tolist() if batch else []
    return (ctypes.c_uint64 * max(batch, 1))(*[int(v) for v in vals])


def _getrf(code, n, Aarray, lda, PivotArray, infoArray, batchSize):
    _check(_lib.wg_cublas_getrf_batched(_wgpy._core.ctx, code, int(n),
                                        _ptrs(Aarray, batchSize), int(lda), int(PivotArray),
                                        int(infoArray), int(batchSize)))


def _getri(code, n, Aarray, lda, PivotArray, Carray, ldc, infoArray, batchSize):
    _check(_lib.wg_cublas_getri_batched(_wgpy._core.ctx, code, int(n),
                                        _ptrs(Aarray, batchSize), int(lda), int(PivotArray),
                                        _ptrs(Carray, batchSize), int(ldc), int(infoArray),
                                        int(batchSize)))


def sgetrfBatched(handle, n, Aarray, lda, PivotArray, infoArray, batchSize):
    """LU with partial pivoting of batchSize float32 n x n column-major matrices, in place."""
    _getrf(_codes()[0], n, Aarray, lda, PivotArray, infoArray, batchSize)


def dgetrfBatched(handle, n, Aarray, lda, PivotArray, infoArray, batchSize):
    """float64 sgetrfBatched (float32 with 64-bit types off)."""
    _getrf(_codes()[1], n, Aarray, lda, PivotArray, infoArray, batchSize)


def sgetriBatched(handle, n, Aarray, lda, PivotArray, Carray, ldc, infoArray, batchSize):
    """The inverses of the matrices sgetrfBatched factored, written to the matrices of Carray."""
    _getri(_codes()[0], n, Aarray, lda, PivotArray, Carray, ldc, infoArray, batchSize)


def dgetriBatched(handle, n, Aarray, lda, PivotArray, Carray, ldc, infoArray, batchSize):
    _getri(_codes()[1], n, Aarray, lda, PivotArray, Carray, ldc, infoArray, batchSize)
