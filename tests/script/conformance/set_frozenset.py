# frozenset: immutable, hashable, usable as dict keys and set members, mixed ops with set.
f = frozenset([3, 1, 2])
print(f, frozenset(), len(f), 2 in f)
print(f | {4}, type(f | {4}).__name__, type({4} | f).__name__)
print(f & {1, 9}, f - {1}, f ^ frozenset([1, 5]))
print(f == {1, 2, 3}, hash(f) == hash(frozenset({1, 2, 3})))
groups = {frozenset(["a", "b"]): "ab", frozenset(["c"]): "c"}
print(groups[frozenset(["b", "a"])], groups[frozenset("c")])
nested = {frozenset({1}), frozenset({1}), frozenset({2})}
print(len(nested))
try:
    f.add(4)
except AttributeError as e:
    print("AttributeError", e)
print(sorted(f), f.union([7]), f.issubset({1, 2, 3, 4}))
print(frozenset("aab") == frozenset("ba"), repr(frozenset({5})))
