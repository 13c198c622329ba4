#!/usr/bin/env bash
# tools/run_chainer_tests.sh — Chainer 5.4.0's own GPU-marked tests (shared/ext, run in place, never
# copied) with our cupy (python/cupy over wgpy), natively, 64-bit types on.
#
#   tools/run_chainer_tests.sh [PYTEST ARGS...]   default: functions_tests/activation_tests
#
# Needs `make native chainer-wheel`.  Not part of `make test`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TESTS="${CHAINER_TESTS:-$ROOT/../shared/ext/chainer-5.4.0-tests}"
[ -d "$TESTS" ] || TESTS=/work/shared/ext/chainer-5.4.0-tests
[ -f "$ROOT/build/native/libwgpy.so" ] || { echo "run_chainer_tests: make native first" >&2; exit 2; }
[ -d "$ROOT/build/chainer/site/chainer" ] || { echo "run_chainer_tests: make chainer-wheel first" >&2; exit 2; }
case " $* " in *" tests/"*) ;; *) set -- "$@" tests/chainer_tests/functions_tests/activation_tests ;; esac
cd "$TESTS"
export PYTHONPATH="$ROOT/python:$ROOT/build/chainer/site" WGPY_LIBRARY="$ROOT/build/native/libwgpy.so"
export WGPY_ENABLE_X64="${WGPY_ENABLE_X64:-1}" PYTHONDONTWRITEBYTECODE=1
# one device: tests that need more GPUs (@multi_gpu(2)) are skipped, as Chainer provides
export CHAINER_TEST_GPU_LIMIT="${CHAINER_TEST_GPU_LIMIT:-1}"
# webgpu / webgl2 (through the remote executors, docs/remote.md): the float32 parameterizations
case "${WGPY_BACKEND:-cpu}" in
webgpu|webgl2)
    export WGPY_ENABLE_X64=0 PYTHONPATH="$PYTHONPATH:$ROOT/tools"
    set -- -p chainer_float32_only "$@" ;;
esac
exec "${PYTHON:-python3}" -m pytest -p no:cacheprovider -m gpu -q -p no:warnings "$@"
