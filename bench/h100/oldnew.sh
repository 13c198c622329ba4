# bench/h100/oldnew.sh — sourced (from the repository root) by the bench/h100/sNN_*.sh scripts
# that time main's library, Python and JavaScript at the session's start ("old") against this
# checkout's ("new") in one call.  Before sourcing, set LOCAL (non-empty: this machine,
# SwiftShader — no device set-up, no GPU warm-up).
#   old: .cch/base/python and .cch/base/js/src (`git archive` of main), .cch/libwgpy_old.so
#        (else OLD_LIB, else this checkout's build); BASE_DIR overrides .cch/base
#   new: this checkout's python/ and js/src, .cch/libwgpy_new.so (else build/native/libwgpy.so)
# Gives: R (the root), `wg old|new CMD...` (CMD on webgpu through the Node host with that side's
# Python, JS and library; extra variables: `wg new env NAME=VALUE CMD...`) and `gpu_warm`.
[ -n "${LOCAL:-}" ] || . bench/h100/setup_device.sh
R=$(pwd)
nvidia-smi --query-gpu=name,clocks.sm --format=csv,noheader 2>/dev/null
BASE=${BASE_DIR:-$R/.cch/base}
OLDROOT=$R
if [ -d "$BASE/js/src" ]; then OLDROOT=$BASE; [ -e "$BASE/node_modules" ] || ln -s "$R/node_modules" "$BASE/node_modules"; fi
OLDPY=$R/python; [ -d "$BASE/python" ] && OLDPY=$BASE/python
OLDLIB=$R/.cch/libwgpy_old.so; [ -e "$OLDLIB" ] || OLDLIB=${OLD_LIB:-$R/build/native/libwgpy.so}
NEWLIB=$R/.cch/libwgpy_new.so; [ -e "$NEWLIB" ] || NEWLIB=$R/build/native/libwgpy.so
echo "(old: $OLDPY, js of $OLDROOT, $OLDLIB; new: this checkout, $NEWLIB)"
wg() {
  local v=$1; shift
  case $v in
    old) WGPY_ROOT=$OLDROOT PYTHONPATH="$OLDPY" WGPY_LIBRARY="$OLDLIB" WGPY_BACKEND=webgpu "$@" ;;
    new) PYTHONPATH="$R/python" WGPY_LIBRARY="$NEWLIB" WGPY_BACKEND=webgpu "$@" ;;
    *) echo "wg: old or new, not $v" >&2; return 2 ;;
  esac
}
# The GPU idles at a low clock: ~1.5 s of back-to-back work first (on the device only).
gpu_warm() {
  [ -z "${LOCAL:-}" ] || return 0
  timeout 30 python3 -c "
import time, cupy as cp
a = cp.ones((4096, 4096), cp.float32); t = time.time()
while time.time() - t < 1.5:
    a @ a; cp.cuda.Device().synchronize()" 2>&1 | tail -1
}
