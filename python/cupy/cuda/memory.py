"""Memory pools over the engine's one pool (wgpy.MemoryPool: used/total bytes, set_limit,
free_all_blocks).  Pinned host memory is ordinary host memory here."""
import wgpy as _wgpy
from wgpy import MemoryPool, get_default_memory_pool  # noqa: F401


class OutOfMemoryError(MemoryError):
    pass


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
