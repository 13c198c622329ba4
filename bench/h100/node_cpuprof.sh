#!/usr/bin/env bash
# NODE=bench/h100/node_cpuprof.sh: the remote Node host under V8's sampling profiler (a
# .cpuprofile in $CPUPROF_DIR, default /tmp/wgpy-cpuprof, when the host exits); read it with
# bench/h100/cpuprof_top.py.
exec node --cpu-prof --cpu-prof-dir="${CPUPROF_DIR:-/tmp/wgpy-cpuprof}" "$@"
