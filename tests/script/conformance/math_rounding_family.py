# floor/ceil/trunc/round/int and // compared on positive, negative and halfway values.
import math
vals = [2.5, -2.5, 3.5, -3.5, 2.4999, -0.5, 0.5, 7.0, -7.0, 1e-9, -1e-9]
print("%8s %6s %6s %6s %6s %6s %8s" % ("v", "floor", "ceil", "trunc", "round", "int", "v//1"))
for v in vals:
    print("%8s %6d %6d %6d %6d %6d %8s" % (v, math.floor(v), math.ceil(v), math.trunc(v), round(v), int(v), v // 1))
print(math.floor(-0.0), math.ceil(-0.0), round(-0.0), -0.0 // 1)
print([round(x, 1) for x in (0.05, 0.15, 0.25, 0.35, 0.45)])
print([math.floor(x * 10) / 10 for x in (0.05, 0.15, 0.25)])
print(math.ceil(10 / 3), -(-10 // 3), math.floor(-10 / 3), -10 // 3)
print(math.trunc(-7 / 2), int(-7 / 2), round(-7 / 2), math.floor(-7 / 2))
