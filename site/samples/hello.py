"""hello: multiplies the page's JSON array by 2 on the GPU (the seed's first sample)."""
import json

import pythonIO
import wgpy as wp

data = pythonIO.config.get("data", [[1, 2], [3, 0.4]])
if isinstance(data, str):
    data = json.loads(data)
x = wp.asarray(data)
y = x * 2
out = y.tolist()
print(f"backend: {wp.get_backend_name()}")
print(f"x = {x.tolist()}  (dtype {x.dtype}, shape {x.shape})")
print(f"x * 2 = {out}")
pythonIO.result = {"backend": wp.get_backend_name(), "output": out}
