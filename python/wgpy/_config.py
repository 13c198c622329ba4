"""wgpy.config: the process-wide switches (64-bit types, laziness, fusion limit, run ahead,
backend)."""

import gc
import os

from . import _core, _dtypes, _lib

_ctx = _lib.ctx


def enable_x64(enabled=True):
    """Turn 64-bit types on (float64/int64/uint64 arrays are real 64-bit) or off (requests for
    them give float32/int32/uint32, with a warning the first time)."""
    _lib.wg_set_x64(_ctx, 1 if enabled else 0)
    _lib.config_gen[0] += 1
    _lib.refresh_canonical()
    _core.clear_scalar_cache()


def x64_enabled():
    return bool(_lib.wg_get_x64(_ctx))


def get_backend_name():
    """The backend that runs wgpy's kernels: 'cpu', 'webgpu', 'webgl2' (or 'loopback')."""
    return _lib.wg_backend_name(_ctx).decode()


# Run ahead (docs/architecture.md): a reduction or matmul of at least 2**20 input elements runs
# when recorded; once 2**28 elements of such work are recorded (~0.4 ms of an H100's bandwidth,
# several times the host's cost of a hand-off; bench/h100/probe_run_ahead.py) the stream goes to
# the GPU without waiting.
RUN_AHEAD_DEFAULT = (1 << 20, 1 << 28)
# An executor in a process of its own (the Node host, docs/remote.md) encodes on another core:
# there every reduction and matmul of 4096 input elements or more runs when recorded and is
# handed over at once, so the executor's encoding and the GPU's work overlap Python's recording
# (a training step's ~70 launches were all encoded after its loss read).  The executor may
# decline a hand-off while enough is in flight (its ready(), _remote.py): then back-to-back
# reductions go over together.
RUN_AHEAD_OWN_PROCESS = (4096, 1)
_DEFAULT = 'default'  # config._run_ahead: the default for the executor in use


def _run_ahead_default():
    if getattr(_lib._executor, 'own_process', False):
        return RUN_AHEAD_OWN_PROCESS
    return RUN_AHEAD_DEFAULT


def _run_ahead_from_env():
    """WGPY_RUN_AHEAD: unset (the default), 0/off, or MIN,HANDOFF (two integers)."""
    v = os.environ.get('WGPY_RUN_AHEAD', '').strip().lower()
    if not v:
        return _DEFAULT
    if v in ('0', 'off', 'no', 'false'):
        return None
    try:
        lo, hi = (int(t) for t in v.split(','))
    except ValueError:
        raise ValueError('wgpy: WGPY_RUN_AHEAD=%r: expected 0, off, or MIN,HANDOFF (two '
                         'integers)' % v) from None
    return _check_run_ahead((lo, hi))


def _check_run_ahead(value):
    if value is None or value is False:
        return None
    try:
        lo, hi = value
        lo, hi = int(lo), int(hi)
    except (TypeError, ValueError):
        raise TypeError('wgpy.config.run_ahead: None or a pair (min_work, handoff_work) of '
                        'positive ints, not %r' % (value,)) from None
    if lo < 1 or hi < 1:
        raise ValueError('wgpy.config.run_ahead: min_work and handoff_work must be >= 1, got %r'
                         % ((lo, hi),))
    return lo, hi


def _apply_run_ahead():
    """Only where a hand-off can go on without waiting: an executor with enqueue() (webgpu in a
    worker or in Node), or loopback (which replays at the hand-off; for tests)."""
    ra = config.run_ahead  # (the default resolved for the executor now in use)
    able = _lib._enqueue is not None or get_backend_name() == 'loopback'
    lo, hi = ra if ra and able else (0, 0)
    _lib.wg_set_run_ahead(_ctx, lo, hi)


def _live_arrays():
    gc.collect()
    n = 0
    for o in gc.get_objects():
        if type(o) is _core.ndarray or isinstance(o, _core.ndarray):
            if getattr(o, '_h', None):
                n += 1
    return n


def set_backend(name):
    """Run wgpy on backend name from now on: 'cpu', 'webgpu' or 'webgl2' ('loopback' for tests).

    Allowed while no wgpy array exists (before the first one is made, or once all are freed):
    each backend has its own engine context, and arrays of one cannot be used with another.
    Otherwise RuntimeError, and the backend stays.  'webgpu' and 'webgl2' need their
    executor from the JavaScript host (the module _wgpy_<name>, registered by the browser host
    for the backend it opened, or by scripts/wgpy --backend webgpu in Node): without it,
    RuntimeError.  Settings (x64, lazy, fusion limit) carry over.  Same as WGPY_BACKEND=name
    before import."""
    if not isinstance(name, str):
        raise TypeError('wgpy.set_backend: name must be a str, not %s' % type(name).__name__)
    want = name.strip().lower()
    if want not in _lib.BACKENDS:
        raise ValueError('wgpy.set_backend: unknown backend %r (choose from: %s)'
                         % (name, ', '.join(sorted(_lib.BACKENDS))))
    have = get_backend_name()
    if want == have:
        return
    _core.clear_scalar_cache()
    live = _live_arrays()
    if live:
        raise RuntimeError(
            'wgpy.set_backend(%r): %d wgpy array%s exist%s on the %r backend; choose the backend '
            'before making arrays (or free them all first), or set WGPY_BACKEND before importing '
            'wgpy' % (name, live, '' if live == 1 else 's', 's' if live == 1 else '', have))
    if want in _lib.EXECUTOR_BACKENDS:
        try:
            _lib.open_executor(want)
        except ImportError as e:
            raise RuntimeError(str(e)) from None
    _core._info = _lib.switch_context(want)
    _lib.config_gen[0] += 1
    _core._infov = _lib.info_view
    if _core._fast_set_info is not None:
        import ctypes
        _core._fast_set_info(ctypes.addressof(_lib.info))
    _core._wg_read = _lib.wg_read
    _core.clear_scalar_cache()
    _lib.wg_set_lazy(_ctx, 1 if config.lazy else 0)
    if config.fusion_limit is not None:
        _lib.wg_set_fusion_limit(_ctx, config.fusion_limit)
    _apply_run_ahead()


class Config:
    """``wgpy.config``: ``config.x64`` (read/write), ``config.enable_x64(flag)``,
    ``config.lazy``, ``config.fusion_limit``; read-only ``backend`` and ``library``."""

    enable_x64 = staticmethod(enable_x64)
    x64_enabled = staticmethod(x64_enabled)

    def __init__(self):
        object.__setattr__(self, '_lazy', True)
        object.__setattr__(self, '_fusion_limit', None)
        object.__setattr__(self, '_run_ahead', _run_ahead_from_env())

    @property
    def x64(self):
        return x64_enabled()

    @x64.setter
    def x64(self, value):
        enable_x64(bool(value))

    @property
    def lazy(self):
        return self._lazy

    @lazy.setter
    def lazy(self, value):
        _lib.wg_set_lazy(_ctx, 1 if value else 0)
        _lib.config_gen[0] += 1
        object.__setattr__(self, '_lazy', bool(value))

    def set_lazy(self, value=True):
        self.lazy = value

    @property
    def fusion_limit(self):
        return self._fusion_limit

    @fusion_limit.setter
    def fusion_limit(self, n):
        _lib.wg_set_fusion_limit(_ctx, int(n))
        _lib.config_gen[0] += 1
        object.__setattr__(self, '_fusion_limit', int(n))

    def set_fusion_limit(self, n):
        self.fusion_limit = n

    @property
    def run_ahead(self):
        """None (off), or (min_work, handoff_work): see RUN_AHEAD_DEFAULT.  Takes effect on the
        webgpu backend where its executor can run a chunk without waiting, and on loopback.
        Unset, RUN_AHEAD_OWN_PROCESS where the executor runs in a process of its own."""
        ra = self._run_ahead
        return _run_ahead_default() if ra == _DEFAULT else ra

    @run_ahead.setter
    def run_ahead(self, value):
        object.__setattr__(self, '_run_ahead', _check_run_ahead(value))
        _apply_run_ahead()

    @property
    def backend(self):
        return get_backend_name()

    @property
    def library(self):
        return _lib.library_path

    @staticmethod
    def reset_warnings():
        """Make the 64-bit warning fire again (for tests)."""
        _dtypes.reset_warnings()

    def __setattr__(self, name, value):
        if not hasattr(type(self), name):
            raise AttributeError('wgpy.config has no setting %r' % name)
        object.__setattr__(self, name, value)

    def as_dict(self):
        return {'backend': self.backend, 'x64': self.x64, 'lazy': self.lazy,
                'fusion_limit': self.fusion_limit, 'run_ahead': self.run_ahead, 'library': self.library,
                'numpy': _lib.np is not None}

    def __repr__(self):
        return 'wgpy.config(%s)' % ', '.join('%s=%r' % kv for kv in self.as_dict().items())


config = Config()
_apply_run_ahead()


def get_config():
    return config.as_dict()
