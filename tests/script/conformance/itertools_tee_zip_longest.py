# tee buffers items for the lagging copies (tee of a tee copies it); zip_longest fills exhausted inputs.
from itertools import tee, zip_longest, islice, count
def src(n):
    for i in range(n):
        print("  pull", i)
        yield i
a, b = tee(src(3))
print(next(a), next(a))
print(next(b))
print(list(a), list(b))
x, y, z = tee(range(5), 3)
print(list(x), list(islice(y, 2)), list(z), list(y))
c, d = tee(iter([1, 2, 3]))
e, f = tee(c)
print(e is c, list(e), list(f), list(d))
print(tee([1, 2], 0), len(tee("abc", 1)), [list(t) for t in tee("ab", 4)])
long1, long2 = tee(count())
print(sum(islice(long1, 1000)), next(long2), next(long2))
g, h = tee(range(200))
print(sum(g), sum(h), type(g).__name__)
try:
    tee([1], -1)
except ValueError as err:
    print("ValueError", err)
print(list(zip_longest("abc", [1])), list(zip_longest("ab", "wxyz", fillvalue="_")))
print(list(zip_longest()), list(zip_longest([], [])), list(zip_longest([1, 2])))
print(list(zip_longest(src(2), src(3), fillvalue=None)))
print(dict(zip_longest(["k1", "k2", "k3"], [10], fillvalue=0)))
for bad in [lambda: zip_longest(1), lambda: zip_longest([1], fill=0), lambda: zip_longest([1], fillvalue=0, x=1)]:
    try:
        bad()
    except TypeError as err:
        print("TypeError", err)
