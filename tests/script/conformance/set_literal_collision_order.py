# Set displays whose elements collide in the hash table: order must match CPython run from source.
# (CPython folds these displays into a frozenset constant; a .pyc round trip can reorder them, so a
# VM that caches such constants must rebuild them in source order.)
print({64, 32, 16, 8})
print({-1, -2, 0, 1})
print({8, 16, 24, 0, 1})
print(frozenset({64, 32, 16, 8}))
def f():
    return {32, 64, 0, 96}
print(f(), f() == {0, 32, 64, 96})
s = set()
for v in [64, 32, 16, 8]:
    s.add(v)
print(s, s == {64, 32, 16, 8})
print(list({-1, -2}), sorted({-1, -2}))
