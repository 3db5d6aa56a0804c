# lru_cache and cache memoize calls; cache_info fields, maxsize eviction and cache_clear.
from functools import lru_cache, cache
calls = []
@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(80), len(calls))
info = fib.cache_info()
print(info.hits, info.misses, info.maxsize, info.currsize)
@lru_cache(maxsize=2)
def square(x):
    print("  computing", x)
    return x * x
for v in [1, 2, 1, 3, 2, 1]:
    print(v, square(v))
i2 = square.cache_info()
print(i2.hits, i2.misses, i2.maxsize, i2.currsize)
square.cache_clear()
print(square.cache_info().currsize)
@cache
def paths(r, c):
    if r == 0 or c == 0:
        return 1
    return paths(r - 1, c) + paths(r, c - 1)
print(paths(10, 10), paths(16, 16))
@lru_cache
def greet(name, punct="!"):
    print("  building greeting for", name)
    return "hi " + name + punct
print(greet("a"), greet("a"), greet("a", "?"))
