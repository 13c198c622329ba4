"""cupyx.scipy: special (engine kernels) and linalg."""
from . import special  # noqa: F401
from . import linalg  # noqa: F401
