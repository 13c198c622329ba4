"""cupy.cuda.runtime: the functions Chainer calls, over the one wgpy device."""
import wgpy as _wgpy


class CUDARuntimeError(RuntimeError):
    pass


def deviceSynchronize():
    _wgpy.sync()


def getDeviceCount():
    return 1


def getDevice():
    return 0


def setDevice(device):
    if int(device) != 0:
        raise CUDARuntimeError('wgpy has one device (id 0), not %r' % (device,))


def runtimeGetVersion():
    return 0


def driverGetVersion():
    return 0


def memGetInfo():
    """(free, total) of the engine's pool: free = limit - used when a limit is set."""
    s = _wgpy.memory_pool_stats()
    total = s['limit_bytes'] or s['total_bytes']
    return max(total - s['used_bytes'], 0), total


def getDeviceProperties(device):
    return {'name': _wgpy.get_backend_name().encode(), 'totalGlobalMem': memGetInfo()[1]}


is_hip = False  # CuPy >= 8's name
