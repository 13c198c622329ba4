#!/usr/bin/env bash
# tools/chainer_suite_device.sh — Chainer 5.4's whole GPU-marked suite (tests/chainer_tests) with
# our cupy on the cpu backend, spread over a many-core machine with pytest-xdist: the device
# machine's 16 cores run in ~4 minutes what takes hours on the 2-core development machine.
#
#   tools/chainer_suite_device.sh prepare    # here: .cch/ (pure-Python deps, Chainer, libwgpy.so, the tests)
#   bash tools/chainer_suite_device.sh run   # there (device `run`, carry [".cch"]); results in $OUT
#
# `run` prints each test's outcome (-rA through the junit file), so failures can be classed.
set -euo pipefail
case "${1:-}" in
prepare)
    rm -rf .cch /tmp/cch-wheels && mkdir -p .cch/site /tmp/cch-wheels
    pip download -q --no-deps --only-binary=:all: -d /tmp/cch-wheels pytest==9.2.0 pluggy==1.7.0 \
        iniconfig==2.3.1 packaging==26.4 filelock==4.3.2 six==1.17.0 typing_extensions==4.15.0 \
        mock==5.2.0 pytest-xdist==3.8.0 execnet==2.1.2
    pip download -q --no-deps --only-binary=:all: --platform any --python-version 3.12 \
        -d /tmp/cch-wheels protobuf==7.36.2
    for w in /tmp/cch-wheels/*.whl; do (cd .cch/site && python3 -m zipfile -e "$w" .); done
    cp -r build/chainer/site/* .cch/site/ && cp build/native/libwgpy.so .cch/
    tar -C "${CHAINER_TESTS_ROOT:-../shared/ext}" -cf .cch/tests.tar chainer-5.4.0-tests
    grep -qx '/.cch/' .git/info/exclude || echo '/.cch/' >> .git/info/exclude
    du -sh .cch ;;
run)
    R=$(pwd); mkdir -p /tmp/ct && tar -C /tmp/ct -xf .cch/tests.tar
    export PYTHONPATH="$R/.cch/site:$R/python" WGPY_LIBRARY="$R/.cch/libwgpy.so" WGPY_ENABLE_X64=1 \
        PYTHONDONTWRITEBYTECODE=1 PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION=python CHAINER_TEST_GPU_LIMIT=1
    cd /tmp/ct/chainer-5.4.0-tests
    timeout "${T:-420}" python3 -m pytest -p no:cacheprovider -m gpu -p no:warnings -n "$(nproc)" \
        -v --junitxml="${OUT:-/tmp}/chainer.xml" tests/chainer_tests > "${OUT:-/tmp}/chainer.log" 2>&1 && rc=0 || rc=$?
    echo "rc=$rc"; tail -3 "${OUT:-/tmp}/chainer.log" ;;
*) echo "usage: $0 prepare|run" >&2; exit 2 ;;
esac
