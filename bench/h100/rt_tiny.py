"""A tiny op and its read, 500 times (ms each): the round trip to profile with node --cpu-prof."""
import wgpy as wp, time
t16 = wp.ones(16, dtype='float32')
for _ in range(20): float((t16 + 1)[0])
t0=time.perf_counter()
for _ in range(500): float((t16 + 1)[0])
print((time.perf_counter()-t0)/500*1e3, 'ms')
