# Converting between float and int: truncation, floor, ceil and exactness.
import math
for v in [2.7, -2.7, 2.5, -2.5, 0.9999, -0.0001, 1e15 + 0.5]:
    print(v, int(v), math.floor(v), math.ceil(v), math.trunc(v), round(v))
print(int(1e18), int(-1e18), int(123456789012.9))
print(float(123456789012345678), float(2 ** 62))
print(int("12") + int(12.9), int(float("3.99")))
print(7 / 2, 7 // 2, int(7 / 2), round(7 / 2))
print(math.floor(-0.5), math.ceil(-0.5), type(math.floor(1.5)).__name__)
print(10 ** 15 / 7, 10 ** 15 // 7)
print(1e16 == 10 ** 16, 0.1 == 1 / 10, 2 ** 0.5 * 2 ** 0.5 == 2)
print(abs(2 ** 0.5 * 2 ** 0.5 - 2) < 1e-12)
