"""Memory pools over the engine's one pool (wgpy.MemoryPool: used/total bytes, set_limit,
free_all_blocks).  Pinned host memory is ordinary host memory here."""
import wgpy as _wgpy
from wgpy import MemoryPool, get_default_memory_pool  # noqa: F401


class OutOfMemoryError(MemoryError):
    pass


# ---- device pointers (docs/cupy.md, "Device pointers") -----------------------------------------
# `ndarray.data` is a MemoryPointer whose `ptr` is the engine's address of the array's first
# element (wg_data_ptr): stable while the array's buffer lives, resolved back to that buffer where
# a kernel loads through it (`reinterpret_cast<const T*>(p)[k]`) or cuBLAS's batched functions get
# arrays of pointers (cupy.cuda.cublas).  Everything here is one engine call.

class Memory:
    """CuPy's Memory: the buffer's range (ptr, size) in the engine's address space."""

    def __init__(self, ptr, size):
        self.ptr = ptr
        self.size = size
        self.device_id = 0

    @property
    def device(self):
        return _wgpy.Device(0)

    def __int__(self):
        return self.ptr


class MemoryPointer:
    """CuPy's MemoryPointer(mem, offset): ptr = mem.ptr + offset, arithmetic as CuPy's."""

    def __init__(self, mem, offset):
        self.mem = mem
        self.ptr = mem.ptr + offset if mem is not None else offset
        self.device_id = 0

    @property
    def device(self):
        return _wgpy.Device(0)

    def __int__(self):
        return self.ptr

    __index__ = __int__

    def __add__(self, offset):
        return MemoryPointer(self.mem, self.ptr - self.mem.ptr + int(offset))

    __radd__ = __add__

    def __iadd__(self, offset):
        self.ptr += int(offset)
        return self

    def __sub__(self, offset):
        return self + -int(offset)

    def __isub__(self, offset):
        self.ptr -= int(offset)
        return self

    def __repr__(self):
        return '<MemoryPointer 0x%x>' % self.ptr

    def _view(self, size):
        """The bytes [ptr, ptr + size) as a 1-d view in the dtype of the array they are in."""
        return _wgpy._core._ptr_view(self.ptr, None, size)

    def copy_from_device(self, src, size):
        """Copies size bytes from the device memory src (a device copy)."""
        if size <= 0:
            return
        dst = self._view(size)
        dst[...] = _wgpy._core._ptr_view(int(src), dst.dtype, size)

    def copy_from_device_async(self, src, size, stream=None):
        self.copy_from_device(src, size)

    def copy_to_host(self, mem, size):
        """Copies size bytes to host memory mem (an address, a ctypes pointer or buffer)."""
        import ctypes
        if size <= 0:
            return
        data = self._view(size).tobytes()
        addr = mem if isinstance(mem, int) else getattr(mem, 'value', None)
        if addr is None:
            addr = ctypes.addressof(mem) if isinstance(mem, ctypes._SimpleCData) or hasattr(
                mem, '_b_base_') else ctypes.cast(mem, ctypes.c_void_p).value
        ctypes.memmove(addr, data, size)

    def copy_to_host_async(self, mem, size, stream=None):
        self.copy_to_host(mem, size)

    def copy_from_host(self, mem, size):
        """Copies size bytes from host memory mem (an address, a ctypes pointer or buffer)."""
        import ctypes
        if size <= 0:
            return
        addr = mem if isinstance(mem, int) else getattr(mem, 'value', None)
        if addr is None:
            addr = ctypes.cast(mem, ctypes.c_void_p).value
        data = ctypes.string_at(addr, size)
        dst = self._view(size)
        dst[...] = _wgpy.frombuffer(data, dst.dtype)

    def copy_from_host_async(self, mem, size, stream=None):
        self.copy_from_host(mem, size)

    def memset(self, value, size):
        """Sets size bytes to value: any value for 1-byte data, 0 for any dtype."""
        if size <= 0:
            return
        dst = self._view(size)
        if value != 0 and dst.itemsize != 1:
            raise NotImplementedError('wgpy: memset of a %s array to a nonzero byte is not '
                                      'supported' % dst.dtype)
        dst.fill(value)

    def memset_async(self, value, size, stream=None):
        self.memset(value, size)


def _ndarray_data(self):
    """CuPy's ndarray.data: a MemoryPointer to the array's first element."""
    ptr, base, size = _wgpy._core._data_ptr(self)
    return MemoryPointer(Memory(base, size), ptr - base)


class PinnedMemoryPool:
    """No pinned memory in the browser or the cpu backend: host buffers are ordinary numpy
    arrays, so this pool holds nothing and reports zero."""

    def malloc(self, size):
        return PinnedMemoryPointer(size)

    def used_bytes(self):
        return 0

    def free_bytes(self):
        return 0

    def total_bytes(self):
        return 0

    def n_free_blocks(self):
        return 0

    def free_all_blocks(self):
        pass


class PinnedMemoryPointer:
    def __init__(self, size):
        self.mem = bytearray(size)
        self.size = size
        self.ptr = 0

    def __int__(self):
        return 0


_PINNED = PinnedMemoryPool()


def get_default_pinned_memory_pool():
    return _PINNED


def alloc_pinned_memory(size):
    return PinnedMemoryPointer(size)


def set_allocator(allocator=None):
    """Only the default (the engine's pool) or None; another allocator cannot be plugged in."""
    if allocator is not None and getattr(allocator, '__self__', None) is not get_default_memory_pool():
        raise NotImplementedError('wgpy: set_allocator with a custom allocator is not supported')


def set_pinned_memory_allocator(allocator=None):
    pass


def malloc_managed(size):
    raise NotImplementedError('wgpy: managed memory is not supported')
