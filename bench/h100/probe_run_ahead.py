"""Where a round of k sums of 64M float32 spends its time on the webgpu backend, with run ahead off
and at two hand-off thresholds: issuing (Python, the engine, and with run ahead the hand-offs),
wp.sync, and the read (the GPU finishing, one 4-byte readback).  The diagnostic behind
RUN_AHEAD_DEFAULT (python/wgpy/_config.py) and docs/benchmarks.md.

    scripts/wgpy --backend webgpu run bench/h100/probe_run_ahead.py [small]"""
import json
import sys
import time

import _wgpy_webgpu
import wgpy as wp
from wgpy import _core

small = len(sys.argv) > 1   # a CPU's software GPU: a smoke test of the script
n = (1 << 20) if small else (64 << 20)
x = wp.ones(n, dtype='float32')
x[0] = 2.0
float(x[0])

handoff = [0.0, 0]   # seconds in hand-offs, their number
_plain = _core._hand_off


def _timed_hand_off():
    t = time.perf_counter()
    _plain()
    handoff[0] += time.perf_counter() - t
    handoff[1] += 1


_core._hand_off = _timed_hand_off


def stats():
    return json.loads(_wgpy_webgpu.stats())


for ra in [None, (1 << 20, n * 2), (1 << 20, n * 4), (1 << 20, n * 8)]:
    wp.config.run_ahead = ra
    for k in ((1, 4) if small else (1, 100, 100, 100)):
        s0 = stats()
        handoff[:] = [0.0, 0]
        t0 = time.perf_counter()
        res = [x.sum() for _ in range(k)]
        t1 = time.perf_counter()
        wp.sync()
        t2 = time.perf_counter()
        float(res[-1])
        t3 = time.perf_counter()
        s1 = stats()
        enq = s1['enqueued'] - s0['enqueued']
        print('run ahead %-22s k=%3d  issue %6.2f ms  sync %6.2f ms  read %6.2f ms  per sum %.3f ms'
              '  | %d hand-offs of %.0f us (enqueue %.0f us)'
              % (ra, k, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3, (t3 - t0) * 1e3 / k,
                 handoff[1], handoff[0] * 1e6 / max(handoff[1], 1),
                 (s1['enqueueMs'] - s0['enqueueMs']) * 1e3 / max(enq, 1)), flush=True)
        del res
