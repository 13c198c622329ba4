"""cupy.cuda over wgpy: one device (id 0, the engine context), one in-order queue.

Streams and events keep order by construction (everything goes to the one queue), so their
synchronize is wgpy.sync().  Memory pools report and limit the engine's pool.
"""
import contextlib

import wgpy as _wgpy
from wgpy import Device  # noqa: F401  (wgpy's device class: id 0, a context manager)

from . import runtime  # noqa: F401
from . import driver  # noqa: F401
from . import memory  # noqa: F401
from . import pinned_memory  # noqa: F401
from . import cublas  # noqa: F401
from . import compiler  # noqa: F401
from . import device  # noqa: F401
from . import nvtx  # noqa: F401
from . import memory_hook  # noqa: F401
from .stream import Stream, Event, get_current_stream, get_elapsed_time  # noqa: F401
from .memory import (MemoryPool, PinnedMemoryPool, alloc_pinned_memory,  # noqa: F401
                     set_allocator, set_pinned_memory_allocator)
from .device import get_device_id  # noqa: F401
from .compiler import CompileException  # noqa: F401

nvtx_enabled = False
cudnn_enabled = False


def is_available():
    return True


def get_cuda_path():
    return None


@contextlib.contextmanager
def profile():
    yield


def runtime_info():
    return 'wgpy %s (backend %s)' % (_wgpy.__version__, _wgpy.get_backend_name())
