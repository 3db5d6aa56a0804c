# min, max and math.prod over ranges (large ones too) walk the range instead of copying it.
import math
print(max(range(10 ** 8)), min(range(10 ** 7)), max(range(-5, 10 ** 7, 7)), min(range(10 ** 7, 0, -3)))
print(max(range(10, 0, -1)), min(range(10, 0, -1)), max(range(3, 4)), min(range(-2 ** 62, 2 ** 62, 2 ** 61)))
lo, hi = -9223372036854775807 - 1, 9223372036854775807
print(max(range(hi - 9, hi, 4)), min(range(lo, lo + 5, 2)), max(range(lo, hi, 2 ** 62)), len(range(lo, hi, 2 ** 62)))
print(max(range(0), default="none"), min(range(5, 5), default=None), max(range(3), default=9))
for f in (min, max):
    try:
        f(range(10, 0))
    except ValueError as e:
        print(type(e).__name__, e)
print(max(range(-10, 10), key=abs), min(range(-10, 10), key=abs), max(range(20), key=lambda x: x % 7))
print(min(range(20), key=lambda x: -(x % 5)), max(range(9, -1, -1), key=lambda x: x // 3))
calls = []
def key(x):
    calls.append(x)
    return x % 4
print(max(range(6), key=key), calls)
print(max(range(5), key=None), min(range(5), default=1, key=None))
try:
    max(range(3), key=lambda x: "a" if x == 2 else x)
except TypeError as e:
    print(type(e).__name__, e)
print(math.prod(range(1, 11)), math.prod(range(10 ** 6)), math.prod(range(0)), math.prod(range(5), start=2))
print(math.prod(range(-3, 0)), math.prod(range(1, 6), start=0.5), math.prod(range(2, 12, 3)))
print(max([3, 1, 2]), min((3, 1, 2)), max("bca"), min({5, 2, 9}), max(iter(range(4))))
