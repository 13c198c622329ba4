"""The seed's Mandelbrot kernel in CuPy's CUDA-C: one text that wgpy (through its engine, as WGSL on
Dawn) and CuPy (through NVRTC) both compile, so the comparison is of the two kernel paths."""
import os

ITERS = int(os.environ.get('MANDEL_ITERS', '500'))  # the slope over iterations: run_session9.sh
N = 1024
SOURCE = '''
c = 0;
float x = 0.0f, y = 0.0f;
for (int k = 0; k < %d; k++) {
    float nx = x * x - y * y + real;
    float ny = x * y * 2.0f + imag;
    x = nx;
    y = ny;
    if (x * x + y * y < 4.0f) c = c + 1;
}
''' % ITERS
PARAMS = ('float32 real, float32 imag', 'int32 c')


def grid(xp, n=N):
    xs = xp.linspace(-2.0, 0.5, n, dtype='float32')
    ys = xp.linspace(-1.2, 1.2, n, dtype='float32')
    real = xs[None, :] + xp.zeros((n, 1), dtype='float32')
    imag = ys[:, None] + xp.zeros((1, n), dtype='float32')
    return real, imag
