"""pytest configuration for the wgpy suite: golden record/replay and the native_only marker.

Natively (numpy installed)::

    PYTHONPATH=python WGPY_LIBRARY=build/native/libwgpy.so \\
        python3 -m pytest python/tests --golden-out build/golden.json

compares wgpy with numpy and records numpy's side of every comparison.  Inside Pyodide (no numpy)::

    pytest python/tests --golden-in build/golden.json

compares wgpy with the recording.  Tests marked ``native_only`` (hypothesis, subprocesses, numpy
interop) are skipped where numpy is missing or under Pyodide.  The 64-bit policy of both runs must
be the same: the recording holds it, and a replay under another policy stops at once.

This file imports neither numpy nor wgpy at import time.
"""

import os
import sys

import pytest

from wgpy import testing

_TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def _numpy_available():
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


IS_PYODIDE = sys.platform == 'emscripten'
NATIVE = not IS_PYODIDE and _numpy_available()


def pytest_addoption(parser):
    g = parser.getgroup('wgpy')
    g.addoption('--golden-out', metavar='PATH', default=None,
                help='record numpy\'s result of every comparison into PATH (JSON)')
    g.addoption('--golden-in', metavar='PATH', default=None,
                help='compare wgpy with the recording in PATH instead of calling numpy')
    g.addoption('--known-failures', metavar='PATH', default=None,
                help='a file of test ids (one a line, # comments) known to fail on this backend: '
                     'they still run, as strict xfail, so a fix shows up as XPASS and fails '
                     'the run until the list is updated')
    g.addoption('--sample', metavar='K', type=int, default=1,
                help='run every test function but only every K-th of its parametrizations '
                     '(the first always): the slow software-GPU runs cover every test at a '
                     'fraction of the cases, the native runs cover them all')
    g.addoption('--sample-functions', metavar='N', type=int, default=1,
                help='run only every N-th test function of each file, counted from --rotate '
                     '(a file with fewer functions keeps one): the slowest runs (software GPUs '
                     'in browsers) cover every file at a fraction of its functions, and a '
                     'different fraction at each rotation')
    g.addoption('--rotate', metavar='R', type=int, default=0,
                help='which of the N slices --sample-functions keeps (any integer; make test '
                     'passes the commit count, so consecutive commits run consecutive slices)')
    g.addoption('--shard', metavar='K/N', default=None,
                help='after every other selection, run only the tests whose index is K mod N: '
                     'N runs with K = 0..N-1 side by side run each selected test exactly once '
                     '(make test splits its single-threaded runs in two, one a core)')


def _x64():
    try:
        return testing.x64_enabled()
    except Exception as e:  # wgpy missing or broken: every test will say why
        return 'unknown (%s: %s)' % (type(e).__name__, e)


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'native_only: needs numpy, subprocesses or hypothesis; skipped under Pyodide '
        'and wherever numpy is missing')
    gin = config.getoption('--golden-in')
    gout = config.getoption('--golden-out')
    if gin and gout:
        raise pytest.UsageError('--golden-in and --golden-out exclude each other')
    if gin:
        try:
            meta = testing.golden.load(gin)
        except (OSError, ValueError) as e:
            raise pytest.UsageError('--golden-in %s: %s' % (gin, e))
        x64 = _x64()
        if meta.get('x64') != x64:
            raise pytest.UsageError(
                '--golden-in %s was recorded with wgpy x64=%r, this run has x64=%r: the 64-bit '
                'policy must be the same in both runs' % (gin, meta.get('x64'), x64))
    if gout:
        testing.golden.recording = {}


def pytest_report_header(config):
    lines = []
    n, k = config.getoption('--sample-functions'), config.getoption('--sample')
    if n > 1 or k > 1:
        lines.append('wgpy: sampled: every %d-th test function of each file (rotation %d), every '
                     '%d-th parametrization' % (n, config.getoption('--rotate'), k))
    if config.getoption('--shard'):
        lines.append('wgpy: shard %s of the selected tests' % config.getoption('--shard'))
    return lines + [_golden_header(config)]


def _golden_header(config):
    g = testing.golden
    if g.mode == 'replay':
        m = g.meta
        return 'wgpy: replaying %s (%d tests recorded, numpy %s, x64=%s)' % (
            config.getoption('--golden-in'), len(g.records), m.get('numpy'), m.get('x64'))
    out = config.getoption('--golden-out')
    return 'wgpy: comparing with numpy%s' % (' and recording into %s' % out if out else '')


def pytest_unconfigure(config):
    out = config.getoption('--golden-out')
    if out and testing.golden.recording is not None:
        import numpy
        d = os.path.dirname(os.path.abspath(out))
        os.makedirs(d, exist_ok=True)
        testing.golden.dump(out, {'x64': _x64(), 'numpy': numpy.__version__,
                                  'python': sys.version.split()[0]})


def _known_failures(config, items):
    path = config.getoption('--known-failures')
    if not path:
        return
    with open(path) as f:
        known = {}
        for line in f:
            line = line.split('#', 1)[0].strip()
            if line:
                tid, _, why = line.partition(' ')
                known[tid] = why.strip() or 'known failure on this backend'
    for item in items:
        tid = item.nodeid.split('python/tests/', 1)[-1]
        if tid in known:
            item.add_marker(pytest.mark.xfail(reason=known[tid], strict=True))


def _sample(config, items):
    k = config.getoption('--sample')
    if k <= 1:
        return
    seen = {}
    keep, drop = [], []
    for item in items:
        fn = item.nodeid.split('[', 1)[0]
        i = seen.get(fn, 0)
        seen[fn] = i + 1
        (keep if i % k == 0 else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _sample_functions(config, items):
    n = config.getoption('--sample-functions')
    if n <= 1:
        return
    r = config.getoption('--rotate')
    files = {}
    for item in items:
        fns = files.setdefault(item.nodeid.split('::', 1)[0], [])
        fn = item.nodeid.split('[', 1)[0]
        if not fns or fns[-1] != fn:
            fns.append(fn)
    chosen = set()
    for fns in files.values():
        pick = [fn for j, fn in enumerate(fns) if (j - r) % n == 0]
        chosen.update(pick or [fns[r % len(fns)]])
    keep = [it for it in items if it.nodeid.split('[', 1)[0] in chosen]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[it for it in items if it.nodeid.split('[', 1)[0] not in chosen])
        items[:] = keep


def _shard(config, items):
    spec = config.getoption('--shard')
    if not spec:
        return
    try:
        k, n = (int(x) for x in spec.split('/'))
    except ValueError:
        raise pytest.UsageError('--shard %s: K/N expected, e.g. 0/2' % spec)
    if not 0 <= k < n:
        raise pytest.UsageError('--shard %s: K must be in 0..N-1' % spec)
    # interleaved, not contiguous: a file's slow and fast tests fall to both shards alike
    keep = items[k::n]
    if len(keep) < len(items):
        chosen = set(map(id, keep))
        config.hook.pytest_deselected(items=[it for it in items if id(it) not in chosen])
        items[:] = keep


def pytest_collection_modifyitems(config, items):
    _sample_functions(config, items)
    _sample(config, items)
    _shard(config, items)
    _known_failures(config, items)
    if NATIVE:
        return
    why = 'native_only: %s' % ('Pyodide' if IS_PYODIDE else 'numpy is not installed')
    skip = pytest.mark.skip(reason=why)
    for item in items:
        if item.get_closest_marker('native_only') is not None:
            item.add_marker(skip)


def golden_key(item):
    """A test's key in the recording: its file relative to python/tests and the rest of its node
    id, so that it does not depend on pytest's rootdir."""
    path = str(getattr(item, 'path', None) or item.fspath)
    rel = os.path.relpath(path, _TESTS_DIR).replace(os.sep, '/')
    rest = item.nodeid.split('::', 1)[1] if '::' in item.nodeid else item.nodeid
    return rel + '::' + rest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    testing.golden.begin(golden_key(item),
                         use_golden=item.get_closest_marker('native_only') is None)
    try:
        return (yield)
    finally:
        testing.golden.end()


@pytest.fixture
def x64():
    """Runs the test with wgpy's 64-bit types on (``wgpy.config.x64``), restoring the policy
    afterwards."""
    import wgpy
    before = wgpy.config.x64
    wgpy.config.x64 = True
    try:
        yield
    finally:
        wgpy.config.x64 = before


@pytest.fixture
def x64_off():
    """Runs the test with wgpy's 64-bit types off (the default policy)."""
    import wgpy
    before = wgpy.config.x64
    wgpy.config.x64 = False
    try:
        yield
    finally:
        wgpy.config.x64 = before


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """How many random programs the differential test (test_differential.py) ran."""
    mod = sys.modules.get('test_differential') or next(
        (m for n, m in list(sys.modules.items()) if n.endswith('.test_differential')), None)
    stats = getattr(mod, 'STATS', None)
    if not stats or not stats.get('programs') and not stats.get('skipped'):
        return
    terminalreporter.write_line(
        'wgpy differential test: %d random programs (%d lines, seed %d) compared with numpy in '
        '%.1f s%s' % (stats['programs'], stats['lines'], getattr(mod, 'SEED', -1),
                      stats['seconds'],
                      ', %d skipped' % stats['skipped'] if stats.get('skipped') else ''))
