# math sqrt/floor/ceil/trunc/exp/log/log2/log10/pow/fabs with typical values.
import math
for x in [0.0, 1.0, 2.0, 10.0, 0.5, 100.0, 1e-3]:
    print(x, math.sqrt(x), math.exp(x) if x < 50 else "big", math.fabs(-x))
for x in [1, 2, 8, 10, 1000, 0.5, math.e]:
    print(x, math.log(x), math.log2(x), math.log10(x), math.log(x, 2), math.log(x, 10))
print(math.log(8, 2), math.log(100, 10), math.log(1), math.log(27, 3))
print(math.pow(2, 10), math.pow(2.5, 2), math.pow(4, 0.5), math.pow(-8, 3), type(math.pow(2, 2)).__name__)
print(math.floor(2.5), math.floor(-2.5), math.ceil(2.1), math.ceil(-2.1), math.trunc(-2.9), math.trunc(2.9))
print(math.floor(5), math.ceil(5), type(math.ceil(1.2)).__name__)
print(math.sqrt(2) ** 2, math.exp(1) == math.e, math.exp(-1))
print(math.fabs(-3), math.fabs(3.5), type(math.fabs(-3)).__name__)
