#!/usr/bin/env bash
# scripts/setup.sh — install what building and testing wgpy needs.  Idempotent; fast when all is there.
#
#   scripts/setup.sh            everything below, in this order
#   scripts/setup.sh apt        Debian packages (apt-get update first, only when one is missing)
#   scripts/setup.sh pip        native Python packages pinned in requirements.txt
#   scripts/setup.sh npm        node_modules from package-lock.json (npm ci), when missing or stale
#   scripts/setup.sh pywheels   pure-Python wheels for pytest inside Pyodide -> build/pywheels/
#   scripts/setup.sh chainer    the Chainer 5.4.0 wheel from PyPI's sdist -> build/chainer/ (make chainer-wheel)
#
# Non-interactive: safe with CI=true and no stdin.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages.  chromium: the browser tests (make test-browser; driven by npm playwright-core).
# libvulkan1: the Vulkan loader Dawn (npm webgpu) needs for the webgpu backend in Node.
# glslang-tools: glslangValidator, which core/tests/test_glsl.c compiles the generated GLSL ES with.
# firefox-esr, webkit2gtk-driver (WebKitWebDriver + MiniBrowser), xvfb: make test-engines
# (docs/browsers.md; measured with firefox-esr 153.8.0esr, WebKitGTK 2.50.6).  Firefox is driven
# by npm puppeteer-core (pinned in package.json); its WebGPU runs on chromium's SwiftShader Vulkan
# ICD.  Not mesa-vulkan-drivers: Dawn (Node) rejects Debian 12's lavapipe (docs/browsers.md).
APT_PACKAGES="${WGPY_APT_PACKAGES:-clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 libvulkan1 glslang-tools chromium firefox-esr webkit2gtk-driver xvfb}"
PYTHON="${PYTHON:-python3}"
PYWHEELS_DIR="$ROOT/build/pywheels"
PYWHEELS_LIST="$ROOT/scripts/pyodide-wheels.txt"

log() { echo "setup: $*" >&2; }
die() { echo "setup: error: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
    else die "need root to run: $*"
    fi
}

setup_apt() {
    local missing=() pkg
    for pkg in $APT_PACKAGES; do
        if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" != "install ok installed" ]; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q </dev/null
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# Prints the requirement lines (name==version) of a pin file, comments and blanks removed.
pins() { sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$' || true; }

setup_pip() {
    command -v "$PYTHON" >/dev/null || die "$PYTHON not found"
    # One interpreter start checks every pin.
    local stale
    stale="$("$PYTHON" - "$ROOT/requirements.txt" <<'EOF'
import sys, re
from importlib import metadata
for line in open(sys.argv[1]):
    line = line.split('#', 1)[0].strip()
    if not line:
        continue
    name, _, want = line.partition('==')
    try:
        have = metadata.version(name)
    except metadata.PackageNotFoundError:
        have = None
    if have != want:
        print(f"{name}: have {have}, want {want}")
EOF
)"
    [ -z "$stale" ] && return 0
    log "pip: $(echo "$stale" | tr '\n' ';')"
    # PIP_BREAK_SYSTEM_PACKAGES: harmless under pyenv/venv, needed on a bare Debian python3.
    PIP_BREAK_SYSTEM_PACKAGES=1 "$PYTHON" -m pip install -q --disable-pip-version-check \
        -r "$ROOT/requirements.txt" </dev/null
}

# lock_matches_install: every package npm installed (node_modules/.package-lock.json) has the
# lock's version, and every non-optional package of the lock is installed.
lock_matches_install() {
    node -e '
const lock = require(process.argv[1]).packages, have = require(process.argv[2]).packages;
for (const [k, v] of Object.entries(lock)) {
  if (!k) continue;
  const h = have[k];
  if (h ? h.version !== v.version : !v.optional) process.exit(1);
}
for (const k of Object.keys(have)) if (!lock[k]) process.exit(1);' "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json"
}

npm_stale() {
    local hidden="$ROOT/node_modules/.package-lock.json"
    [ -f "$hidden" ] || return 0
    if [ "$ROOT/package-lock.json" -nt "$hidden" ] || [ "$ROOT/package.json" -nt "$hidden" ]; then
        # Newer by date is not newer by content: a fresh checkout or a git worktree with a
        # hard-linked node_modules has lock files younger than the install.  Reinstall only where
        # an installed package's version differs from the lock or a required one is missing.
        lock_matches_install || return 0
        touch "$hidden"
    fi
    # The pinned pyodide must be the installed one.
    local want have
    want="$(node -p "require('$ROOT/package-lock.json').packages['node_modules/pyodide'].version")"
    have="$(node -p "require('$ROOT/node_modules/pyodide/package.json').version" 2>/dev/null || echo none)"
    [ "$want" != "$have" ]
}

setup_npm() {
    command -v node >/dev/null || die "node not found (Node.js >= 20 is required)"
    command -v npm >/dev/null || die "npm not found"
    npm_stale || return 0
    log "npm: npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
    touch "$ROOT/node_modules/.package-lock.json"
}

setup_pywheels() {
    mkdir -p "$PYWHEELS_DIR"
    local missing=() req name ver norm
    for req in $(pins "$PYWHEELS_LIST"); do
        name="${req%%==*}"; ver="${req#*==}"
        norm="$(echo "$name" | tr 'A-Z-.' 'a-z__')"
        compgen -G "$PYWHEELS_DIR/${norm}-${ver}-*.whl" >/dev/null || missing+=("$req")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "pywheels: downloading ${missing[*]}"
    # Pure-Python wheels for Pyodide's Python 3.14; --no-deps because the list is complete and exact.
    "$PYTHON" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
        --python-version 3.14 --implementation py --abi none --platform any \
        -d "$PYWHEELS_DIR" "${missing[@]}" </dev/null
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(apt pip npm pywheels chainer)
for step in "${steps[@]}"; do
    case "$step" in
        apt) setup_apt ;;
        pip) setup_pip ;;
        chainer) make -C "$ROOT" --no-print-directory chainer-wheel ;;
        npm) setup_npm ;;
        pywheels) setup_pywheels ;;
        *) die "unknown step '$step' (apt, pip, npm, pywheels, chainer)" ;;
    esac
done
