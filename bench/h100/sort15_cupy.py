"""CuPy's sort and argsort of float32 and int32 (session 15's lines): bench/h100/sort_cupy.py with
--dtypes float32,int32.   python3 bench/h100/sort15_cupy.py [n ...]"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sort_cupy import main  # noqa: E402

if __name__ == '__main__':
    main(['--dtypes', 'float32,int32'] + sys.argv[1:])
