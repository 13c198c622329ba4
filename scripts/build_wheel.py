#!/usr/bin/env python3
"""Build the wgpy wheel for Pyodide: python/wgpy (+ python/wgpy_backends, python/cupy, python/cupyx when present) and the
wasm side module as wgpy/libwgpy.so.  Standard library only.

    python3 scripts/build_wheel.py --python python --lib build/wasm/libwgpy.so --out build/dist

The wheel is reproducible: entries are sorted and stamped with a fixed time (SOURCE_DATE_EPOCH if
set, else 1980-01-01), so the same inputs give the same bytes.
"""
import argparse
import base64
import hashlib
import os
import sys
import time
import zipfile

NAME = "wgpy"
PACKAGES = ("wgpy", "wgpy_backends", "wgpy_host", "cupy", "cupyx")  # wgpy is required; the others go in when present
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".so", ".o", ".d", ".dylib", ".dll")
SUMMARY = "NumPy/CuPy-compatible GPU arrays for Python in the browser (Pyodide)"


def record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def package_files(pyroot, package):
    """(archive name, path) for every file of a package directory, sorted."""
    top = os.path.join(pyroot, package)
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for fn in sorted(filenames):
            if fn.endswith(SKIP_SUFFIXES) or fn.startswith("."):
                continue
            path = os.path.join(dirpath, fn)
            arc = os.path.relpath(path, pyroot).replace(os.sep, "/")
            out.append((arc, path))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", default="python", help="directory holding the packages (default: python)")
    ap.add_argument("--lib", required=True, help="the wasm side module to ship as wgpy/libwgpy.so")
    ap.add_argument("--fastops", help="the fast operators' side module, shipped as wgpy/libwgpy_fastops.so")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--platform", default="pyemscripten_2026_0_wasm32")
    ap.add_argument("--out", default="build/dist")
    args = ap.parse_args(argv)

    if not os.path.isfile(os.path.join(args.python, NAME, "__init__.py")):
        sys.exit(f"build_wheel: {args.python}/{NAME}/__init__.py not found")
    if not os.path.isfile(args.lib):
        sys.exit(f"build_wheel: {args.lib} not found (make wasm)")
    with open(args.lib, "rb") as f:
        if f.read(4) != b"\0asm":
            sys.exit(f"build_wheel: {args.lib} is not a WebAssembly module")

    tag = f"py3-none-{args.platform}"
    distinfo = f"{NAME}-{args.version}.dist-info"
    wheel_name = f"{NAME}-{args.version}-{tag}.whl"

    entries = []  # (archive name, bytes)
    present = []
    for pkg in PACKAGES:
        if os.path.isfile(os.path.join(args.python, pkg, "__init__.py")):
            present.append(pkg)
            for arc, path in package_files(args.python, pkg):
                with open(path, "rb") as f:
                    entries.append((arc, f.read()))
    with open(args.lib, "rb") as f:
        entries.append((f"{NAME}/libwgpy.so", f.read()))
    if args.fastops:
        with open(args.fastops, "rb") as f:
            entries.append((f"{NAME}/libwgpy_fastops.so", f.read()))

    metadata = (
        "Metadata-Version: 2.1\n"
        f"Name: {NAME}\n"
        f"Version: {args.version}\n"
        f"Summary: {SUMMARY}\n"
        "Requires-Python: >=3.11\n"
        "License: MIT\n"
        "Classifier: Programming Language :: C\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Operating System :: OS Independent\n"
    )
    wheel = (
        "Wheel-Version: 1.0\n"
        "Generator: wgpy scripts/build_wheel.py\n"
        "Root-Is-Purelib: false\n"
        f"Tag: {tag}\n"
    )
    entries.sort()
    entries.append((f"{distinfo}/METADATA", metadata.encode()))
    entries.append((f"{distinfo}/WHEEL", wheel.encode()))
    entries.append((f"{distinfo}/top_level.txt", "".join(p + "\n" for p in present).encode()))
    record_lines = [f"{arc},{record_hash(data)},{len(data)}" for arc, data in entries]
    record_lines.append(f"{distinfo}/RECORD,,")
    entries.append((f"{distinfo}/RECORD", ("\n".join(record_lines) + "\n").encode()))

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", 315532800))  # 1980-01-01, zip's earliest
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    os.makedirs(args.out, exist_ok=True)
    dest = os.path.join(args.out, wheel_name)
    tmp = dest + ".tmp"
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for arc, data in entries:
            info = zipfile.ZipInfo(arc, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    os.replace(tmp, dest)
    nfiles = len(entries) - 4
    print(f"build_wheel: {dest} ({', '.join(present)}; {nfiles} files, "
          f"libwgpy.so {len(dict(entries)[f'{NAME}/libwgpy.so'])} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
