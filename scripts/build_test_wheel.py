#!/usr/bin/env python3
"""Build the wgpy_test wheel: wgpy's pytest suite (python/tests) and, when present, numpy's recorded
results (build/golden.json) as the directory wgpy_test/ in a pure-Python wheel, for the browser
test page (site/test/).  Standard library only.

    python3 scripts/build_test_wheel.py --tests python/tests --golden build/golden.json --out dist/wheels

wgpy_test/ has no __init__.py on purpose: pytest imports its files as it does from python/tests
(rootdir-relative, conftest.py beside them).
"""
import argparse
import base64
import hashlib
import os
import sys
import zipfile

NAME, TAG = "wgpy_test", "py3-none-any"
EPOCH = (1980, 1, 1, 0, 0, 0)


def rec(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tests", default="python/tests")
    ap.add_argument("--golden", default="build/golden.json")
    ap.add_argument("--version", default="0.1.0")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    files = []
    for fn in sorted(os.listdir(a.tests)):
        p = os.path.join(a.tests, fn)
        if os.path.isfile(p) and (fn.endswith((".py", ".txt"))):
            files.append(("%s/%s" % (NAME, fn), p))
    if not files:
        sys.exit("build_test_wheel: no tests in %s" % a.tests)
    if os.path.isfile(a.golden):
        files.append(("%s/golden.json" % NAME, a.golden))
    dist = "%s-%s.dist-info" % (NAME, a.version)
    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, "%s-%s-%s.whl" % (NAME, a.version, TAG))
    records = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def put(arc, data):
            zi = zipfile.ZipInfo(arc, EPOCH)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
            records.append("%s,%s,%d" % (arc, rec(data), len(data)))
        for arc, p in files:
            with open(p, "rb") as f:
                put(arc, f.read())
        put(dist + "/METADATA", ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
                                 "Summary: wgpy's test suite for the browser test page\n" % (NAME, a.version)).encode())
        put(dist + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: wgpy build_test_wheel\nRoot-Is-Purelib: true\n"
                              "Tag: %s\n" % TAG).encode())
        put(dist + "/top_level.txt", (NAME + "\n").encode())
        records.append(dist + "/RECORD,,")
        zi = zipfile.ZipInfo(dist + "/RECORD", EPOCH)
        z.writestr(zi, "\n".join(records) + "\n")
    golden = "with" if os.path.isfile(a.golden) else "WITHOUT"
    print("build_test_wheel: %s (%d files, %s %s)" % (path, len(files), golden, a.golden))


if __name__ == "__main__":
    main()
