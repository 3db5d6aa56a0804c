# time.time/monotonic/perf_counter return floats that do not go backwards; sleep(0) returns None.
import time
t0 = time.time()
m0 = time.monotonic()
p0 = time.perf_counter()
print(type(t0).__name__, type(m0).__name__, type(p0).__name__)
print(time.sleep(0))
total = 0
for i in range(10000):
    total += i
t1 = time.time()
m1 = time.monotonic()
p1 = time.perf_counter()
print(m1 >= m0, p1 >= p0, t1 >= t0 - 1, total)
print(t0 > 1.6e9, (p1 - p0) >= 0, isinstance(p1 - p0, float))
stamps = [time.monotonic() for _ in range(50)]
print(all(a <= b for a, b in zip(stamps, stamps[1:])))
elapsed = time.perf_counter() - p0
print(elapsed >= 0, elapsed < 60)
