"""Backend choice: wgpy.get_backend_name(), wgpy.set_backend(name), WGPY_BACKEND.

Runs on every backend (cpu, loopback, webgpu, webgl2): the host or the environment picks one
(the browser host: webgpu, else webgl2, else cpu; docs/webgl2.md), Python reports it, and
set_backend switches while no array exists.
"""

import gc
import os

import pytest

import wgpy

KNOWN = ('cpu', 'loopback', 'webgpu', 'webgl2')


def _backend():
    return wgpy.get_backend_name()


def _other():
    """A backend that every host has: cpu, or loopback when cpu runs."""
    return 'loopback' if _backend() == 'cpu' else 'cpu'


def test_backend_name_is_what_was_asked_for():
    name = _backend()
    assert name in KNOWN
    assert wgpy.config.backend == name
    assert wgpy.get_config()['backend'] == name
    asked = os.environ.get('WGPY_BACKEND', '').strip().lower() or 'cpu'
    assert name == asked


def test_set_backend_bad_names():
    with pytest.raises(ValueError, match="unknown backend 'metal'"):
        wgpy.set_backend('metal')
    with pytest.raises(TypeError):
        wgpy.set_backend(3)
    assert _backend() in KNOWN


def test_set_backend_to_the_current_one_is_a_no_op():
    a = wgpy.arange(4)
    name = _backend()
    wgpy.set_backend(name.upper())
    assert _backend() == name
    assert a.tolist() == [0, 1, 2, 3]


def test_set_backend_refused_while_an_array_exists():
    name, other = _backend(), _other()
    a = wgpy.arange(4) + 1
    with pytest.raises(RuntimeError, match=r"set_backend\('%s'\): \d+ wgpy arrays? exists? on "
                                           r"the '%s' backend" % (other, name)):
        wgpy.set_backend(other)
    assert _backend() == name
    assert (a * 2).tolist() == [2, 4, 6, 8]


def test_set_backend_switches_and_back():
    name, other = _backend(), _other()
    x64 = wgpy.config.x64
    gc.collect()
    wgpy.set_backend(other)
    try:
        assert _backend() == other
        assert wgpy.config.x64 == x64
        x = wgpy.arange(6, dtype='float32').reshape(2, 3)
        assert (x.sum(axis=1) * 2).tolist() == [6.0, 24.0]
        del x
    finally:
        wgpy.set_backend(name)
    assert _backend() == name
    # the first backend works as before, twice over (its context is kept, not remade)
    for _ in range(2):
        y = wgpy.arange(6, dtype='float32').reshape(2, 3)
        assert (y.T + 1).sum(axis=0).tolist() == [6.0, 15.0]
        del y
        wgpy.set_backend(other)
        wgpy.set_backend(name)
    assert _backend() == name


def test_executor_backend_without_its_executor():
    """webgpu/webgl2 need the host's executor (the module _wgpy_<name>): a backend whose executor
    this host did not open is refused with RuntimeError, and the backend stays."""
    import importlib
    import sys
    if sys.platform != 'emscripten':
        pytest.skip('natively a missing executor is started in another process (docs/remote.md; '
                    'test_remote.py)')
    missing = []
    for b in wgpy._lib.EXECUTOR_BACKENDS:
        try:
            importlib.import_module('_wgpy_' + b)
        except ImportError:
            missing.append(b)
    if not missing:
        pytest.skip('this host registered every executor')
    name = _backend()
    gc.collect()
    with pytest.raises(RuntimeError, match=r"backend '%s' needs its executor" % missing[0]):
        wgpy.set_backend(missing[0])
    assert _backend() == name
