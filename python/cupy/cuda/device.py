"""cupy.cuda.device: the one device."""
from wgpy import Device  # noqa: F401


def get_device_id():
    return 0


def get_cublas_handle():
    return 0


# Device().cublas_handle (Chainer passes it to cupy.cuda.cublas, which ignores it)
Device.cublas_handle = 0
