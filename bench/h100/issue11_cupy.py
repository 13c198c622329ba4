"""Issue 11's workloads (bench/issue11_bench.py) timed with CuPy (cuRAND, cuSOLVER, cuFFT) on a
real GPU, for the same device session as wgpy over Dawn (bench/h100/run_issue11.sh).

    python3 bench/h100/issue11_cupy.py [--small] [--json OUT.json]

Same inputs, same timing (call + one-element read, median of 3 after a warm-up); CuPy has no
linalg.eig before v14 (skipped then)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
import issue11_bench  # noqa: E402

if __name__ == '__main__':
    issue11_bench.main(['--cupy'] + sys.argv[1:])
