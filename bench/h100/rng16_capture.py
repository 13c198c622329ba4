"""rng16_capture.py — one call each of the lane kernels bench/h100/rng16_ladder.mjs varies
(standard_normal, random_sample, randint of N float32 / int32, the workgroup form forced), run with
WGPY_WEBGPU_DUMP=FILE so that the file holds their WGSL and argument words (docs/random.md,
"Session 16").

    WGPY_WEBGPU_DUMP=/tmp/x.jsonl WGPY_BACKEND=webgpu PYTHONPATH=python WGPY_LIBRARY=... \\
        python3 bench/h100/rng16_capture.py N
"""
import sys

import wgpy as wp


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 16 << 20
    rs = wp.random.RandomState(12345)
    wp.random._set_random_path('workgroup')
    for f in (lambda: rs.standard_normal(n, dtype='float32'), lambda: rs.random_sample(n, dtype='float32'),
              lambda: rs.randint(0, 1000, size=n, dtype='int32')):
        a = f()
        a[:1].tolist()
        del a


if __name__ == '__main__':
    main()
