#!/usr/bin/env python3
"""Build a pure-Python Chainer 5.4.0 wheel from PyPI's sdist, with the minimal patch Python >= 3.12
(Pyodide 314 is 3.14) needs (docs/chainer.md says why, change by change).

    python3 tools/chainer_wheel.py [--out build/chainer] [--sdist PATH]

Downloads chainer==5.4.0's sdist with pip (setuptools < 70 in the build isolation: its setup.py
imports pkg_resources), unpacks it into a temporary directory, applies PATCHES (each one an exact
text replacement that must match once), and runs `pip wheel --no-deps` on it.  Writes
build/chainer/chainer-5.4.0-py3-none-any.whl.  Chainer's GPU code and kernels are not touched.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

VERSION = "5.4.0"

# (file, old text, new text, reason).  Nothing else in the sdist changes.  The process/thread
# iterators need no change: Pyodide 314 imports multiprocessing, multiprocessing.sharedctypes,
# multiprocessing.pool, threading and signal (checked 2026-12-05), so chainer.iterators imports.
PATCHES = [
    ("chainer/_environment_check.py",
     "import numpy.distutils.system_info\n",
     "try:  # wgpy patch: numpy.distutils is gone on Python >= 3.12 (and in Pyodide)\n"
     "    import numpy.distutils.system_info\n"
     "except ImportError:\n"
     "    pass\n",
     "numpy.distutils does not exist on Python >= 3.12"),
    ("chainer/_environment_check.py",
     "    if sys.platform != 'darwin':\n        return\n",
     "    if sys.platform != 'darwin' or not hasattr(numpy, 'distutils'):  # wgpy patch\n"
     "        return\n",
     "the macOS BLAS check needs numpy.distutils"),
]


def download(dest):
    cons = os.path.join(dest, "constraints.txt")
    with open(cons, "w") as f:
        f.write("setuptools<70\n")
    env = dict(os.environ, PIP_CONSTRAINT=cons)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                    "chainer==" + VERSION, "-d", dest], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return glob.glob(os.path.join(dest, "chainer-%s.tar.gz" % VERSION))[0]


def patch(src):
    for rel, old, new, _why in PATCHES:
        path = os.path.join(src, rel)
        with open(path) as f:
            text = f.read()
        if text.count(old) != 1:
            raise SystemExit("chainer_wheel: patch for %s does not match once" % rel)
        with open(path, "w") as f:
            f.write(text.replace(old, new))
        print("chainer_wheel: patched %s (%s)" % (rel, _why))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="build/chainer")
    ap.add_argument("--sdist")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = args.sdist or download(tmp)
        with tarfile.open(sdist) as t:
            t.extractall(tmp, filter="data") if hasattr(tarfile, "data_filter") else t.extractall(tmp)
        src = os.path.join(tmp, "chainer-" + VERSION)
        patch(src)
        cons = os.path.join(tmp, "constraints.txt")
        with open(cons, "w") as f:
            f.write("setuptools<70\n")
        env = dict(os.environ, PIP_CONSTRAINT=cons)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp, src],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        whl = glob.glob(os.path.join(tmp, "chainer-%s-*.whl" % VERSION))[0]
        dst = os.path.join(args.out, os.path.basename(whl))
        shutil.copyfile(whl, dst)
        print("chainer_wheel: wrote", dst)


if __name__ == "__main__":
    main()
