"""cupy.cuda.cublas: importable (Chainer imports it); matrix products go through wgpy.matmul."""
CUBLAS_OP_N = 0
CUBLAS_OP_T = 1
CUBLAS_OP_C = 2
