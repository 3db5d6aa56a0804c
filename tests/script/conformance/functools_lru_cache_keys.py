# lru_cache keying: positional vs keyword calls are distinct entries; typed args; unhashable args fail.
from functools import lru_cache
calls = []
@lru_cache(maxsize=32)
def f(a, b=1):
    calls.append((a, b))
    return a * b
print(f(2), f(2), f(2, 1), f(2, b=1), f(a=2, b=1), len(calls))
print(f(3, 3), f(3.0, 3), f(True, 3), len(calls))
info = f.cache_info()
print(info.hits, info.misses, info.currsize)
try:
    f([1, 2])
except TypeError as e:
    print("TypeError", e)
@lru_cache(maxsize=None)
def edit_distance(a, b):
    if not a:
        return len(b)
    if not b:
        return len(a)
    if a[0] == b[0]:
        return edit_distance(a[1:], b[1:])
    return 1 + min(edit_distance(a[1:], b), edit_distance(a, b[1:]), edit_distance(a[1:], b[1:]))
print(edit_distance("kitten", "sitting"), edit_distance("flaw", "lawn"), edit_distance("", "abc"))
print(edit_distance.cache_info().currsize > 10)
