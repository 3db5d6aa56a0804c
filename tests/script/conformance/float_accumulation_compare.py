# Float accumulation error, comparisons with tolerance, and integer-valued floats.
import math
total = 0.0
for _ in range(1000):
    total += 0.001
print(total, total == 1.0, math.isclose(total, 1.0), abs(total - 1.0) < 1e-9)
print(sum([0.001] * 1000), math.fsum([0.001] * 1000))
x = 0.0
steps = []
while x < 1.0:
    steps.append(round(x, 10))
    x += 0.25
print(steps, x)
vals = [2.0, 2.5, -3.0, 1e10, float("inf")]
print([v == int(v) if math.isfinite(v) else "inf" for v in vals])
print(1e16 + 1 == 1e16, 2.0 ** 53 + 1 == 2.0 ** 53, 2 ** 53 + 1 == 2 ** 53)
print(0.1 + 0.2 > 0.3, 0.1 + 0.2 - 0.3, (0.1 + 0.2) * 10 == 3.0)
a, b = 1e-20, 1.0
print(a + b - b, a + (b - b), (a + b) - b == 0.0)
print(sorted([0.3, 0.1 + 0.2, 0.30000000000000001]))
print(max(0.1 + 0.2, 0.3), min(-0.0, 0.0), max(-0.0, 0.0))
