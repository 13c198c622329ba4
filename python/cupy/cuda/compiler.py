"""cupy.cuda.compiler: the kernel language's CompileException (the engine compiles CUDA-C)."""
from wgpy import CompileException  # noqa: F401
