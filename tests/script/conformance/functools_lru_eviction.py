# lru_cache eviction order (least recently used first), hit/miss accounting, maxsize 0/None/negative, typed keys.
from functools import lru_cache
computed = []
@lru_cache(maxsize=3)
def f(x):
    computed.append(x)
    return x * 10
for x in [1, 2, 3, 1, 4, 2, 5, 1, 3, 4, 4]:
    f(x)
print(computed, f.cache_info())
computed.clear()
f(1)
f(5)
f(2)
print(computed, f.cache_info())
f.cache_clear()
print(f.cache_info(), f(7), f.cache_info())
@lru_cache(maxsize=0)
def never(x):
    return x
never(1)
never(1)
print(never.cache_info())
@lru_cache(maxsize=-3)
def neg(x):
    return x
neg(1)
neg(1)
print(neg.cache_info(), neg.cache_parameters())
@lru_cache(maxsize=None)
def unbounded(*args, **kwargs):
    return len(args) + len(kwargs)
for call in [(1,), (1,), (1.0,), (True,), ("1",)]:
    unbounded(*call)
print(unbounded.cache_info())
unbounded(1, 2)
unbounded(1.0, 2.0)
unbounded(a=1, b=2)
unbounded(b=2, a=1)
print(unbounded.cache_info())
@lru_cache(maxsize=8, typed=True)
def typed(x, y=0):
    return x
for call in [(1,), (1.0,), (True,), (1,), (1, 0), (1.0, 0)]:
    typed(*call)
print(typed.cache_info(), typed.cache_parameters())
info = typed.cache_info()
print(info.hits, info.misses, info.maxsize, info.currsize, tuple(info), info == (1, 5, 8, 5))
@lru_cache(maxsize=2)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(30), fib.cache_info())
