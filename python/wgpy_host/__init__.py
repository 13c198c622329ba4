"""wgpy_host: the one Python driver that JavaScript hosts use to run Python inside Pyodide.

Both hosts call ``wgpy_host.main(...)``: the browser worker (js/src/browser/wgpy-worker.js) and the
Node runner (js/src/node/wgpy-node.mjs, scripts/wgpy).  It runs a script, a module, source code or
pytest, turns SystemExit and exceptions into an exit status (printing the traceback without the
driver's own frames, like ``python3 script.py``), and returns a JSON summary.

Data in and out (the page API, docs/site.md): while the target runs, ``import pythonIO`` gives
    pythonIO.config     the JSON value the page passed (dicts allow attribute access too)
    pythonIO.result     set it to a JSON-able value: the page's promise resolves with it
    pythonIO.progress(fraction, text='')     a progress bar on the page
    pythonIO.emit(kind, data=None, buffer=None)   any event for the page (a plot point, an image:
                        buffer is bytes-like and arrives as a Uint8Array)
Nothing here imports wgpy: a script chooses when to (environment variables set by pytest's
conftest must come first).
"""
import json
import os
import runpy
import sys
import time
import traceback
import types

__all__ = ["main", "Config"]


class Config(dict):
    """A JSON object whose keys also read as attributes (``pythonIO.config.sizes``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _hook(obj):
    return Config(obj)


def _to_js_buffer(buffer):
    try:
        from pyodide.ffi import to_js
    except ImportError:  # not in Pyodide (a native test): hand back bytes
        return bytes(buffer)
    return to_js(memoryview(buffer).cast("B"))


def _make_io(config, emit):
    mod = types.ModuleType("pythonIO")
    mod.config = config
    mod.result = None

    def send(kind, data=None, buffer=None):
        if emit is None:
            return
        payload = json.dumps(data)
        if buffer is not None:
            emit(kind, payload, _to_js_buffer(buffer))
        else:
            emit(kind, payload)

    def progress(fraction, text=""):
        send("progress", {"fraction": float(fraction), "text": str(text)})

    mod.emit = send
    mod.progress = progress
    return mod


def _pytest_tally(send):
    """A pytest plugin: outcomes per file (for the test page) and pytest's own totals."""

    class Tally:
        counts = {}
        files = {}
        collected = 0

        def pytest_collection_finish(self, session):
            Tally.collected = len(session.items)
            send("collected", {"total": Tally.collected})

        def pytest_runtest_logreport(self, report):
            if report.when != "call" and not (report.when == "setup" and report.outcome != "passed") \
                    and not (report.when == "teardown" and report.outcome == "failed"):
                return
            outcome = report.outcome
            if hasattr(report, "wasxfail"):
                outcome = "xfailed" if report.outcome == "skipped" else "xpassed"
            elif report.when != "call" and outcome == "failed":
                outcome = "error"
            f = report.nodeid.split("::", 1)[0]
            per = Tally.files.setdefault(f, {})
            per[outcome] = per.get(outcome, 0) + 1
            send("test", {"nodeid": report.nodeid, "file": f, "outcome": outcome})

        def pytest_terminal_summary(self, terminalreporter):
            for k, v in terminalreporter.stats.items():
                if k:
                    Tally.counts[k] = len(v)

    return Tally


def main(mode, target=None, argv0=None, args=(), cwd=None, script_dir=None, config=None,
         emit=None):
    """Run target; returns a JSON string: exitCode, seconds, error (the traceback of an uncaught
    exception, else null), result (pythonIO.result), and for pytest counts (pytest's tally) and
    files (outcomes per test file).

    mode: 'script' (target: a path), 'module' (a module name), 'code' (source), 'pytest' (args).
    config: a JSON string (pythonIO.config).  emit(kind, json[, buffer]): a host callback."""
    args = list(args or ())
    sys.dont_write_bytecode = True  # never drop cpython-314 .pyc files into a host tree
    if cwd:
        os.makedirs(cwd, exist_ok=True)
        os.chdir(cwd)
    io = _make_io(json.loads(config, object_hook=_hook) if config else Config(), emit)
    sys.modules["pythonIO"] = io
    out = {"exitCode": 0, "error": None}
    t0 = time.perf_counter()

    def status(code):
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1

    try:
        if mode == "pytest":
            sys.argv = ["pytest", *args]
            import pytest

            tally = _pytest_tally(io.emit)
            out["exitCode"] = int(pytest.main(args, plugins=[tally()]))
            out["counts"] = dict(tally.counts)
            out["files"] = tally.files
            out["collected"] = tally.collected
        elif mode == "script":
            sys.argv = [argv0 or target, *args]
            sys.path.insert(0, script_dir or os.path.dirname(os.path.abspath(target)))
            runpy.run_path(target, run_name="__main__")
        elif mode == "module":
            sys.argv = [target, *args]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        elif mode == "code":
            sys.argv = ["-c", *args]
            if "" not in sys.path:
                sys.path.insert(0, "")
            exec(compile(target, "<string>", "exec"),
                 {"__name__": "__main__", "__builtins__": __builtins__})
        else:
            raise ValueError("wgpy_host.main: unknown mode %r" % (mode,))
    except SystemExit as e:
        out["exitCode"] = status(e.code)
    except BaseException as e:  # noqa: B902  (the host wants every failure as a status)
        tb = e.__traceback__
        here = os.path.abspath(__file__)

        def ours(name):
            return name in ("<exec>", runpy.__file__, here, __file__) or name.startswith("<frozen runpy")

        while tb is not None and ours(tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        text = "".join(traceback.format_exception(type(e), e, tb))
        sys.stderr.write(text)
        out["exitCode"] = 1
        out["error"] = text
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
    out["seconds"] = time.perf_counter() - t0
    try:
        out["result"] = json.loads(json.dumps(io.result))
    except (TypeError, ValueError) as e:
        out["result"] = None
        out["resultError"] = "pythonIO.result is not JSON-able: %s" % e
    return json.dumps(out)
