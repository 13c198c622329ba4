"""cupy.fft: wgpy has no FFT yet; every function raises NotImplementedError naming itself."""


def _missing(name):
    def f(*args, **kwargs):
        raise NotImplementedError('wgpy: cupy.fft.%s is not implemented' % name)
    f.__name__ = name
    return f


for _name in ('fft', 'ifft', 'fft2', 'ifft2', 'fftn', 'ifftn', 'rfft', 'irfft', 'rfft2', 'irfft2',
              'rfftn', 'irfftn', 'hfft', 'ihfft', 'fftfreq', 'rfftfreq', 'fftshift', 'ifftshift'):
    globals()[_name] = _missing(_name)
del _name
