# groupby shares one underlying iterator: advancing the outer iterator invalidates earlier groups.
from itertools import groupby
def letters(s):
    for ch in s:
        print("  pull", ch)
        yield ch
g = groupby(letters("aabbbc"))
k1, grp1 = next(g)
print("key", k1)
print("first of group", next(grp1))
k2, grp2 = next(g)
print("key", k2, "old group now", list(grp1))
print("rest", list(grp2), list(grp2))
k3, grp3 = next(g)
print(k3, list(g), list(grp3))
pairs = [(k, list(v)) for k, v in groupby([1, 3, 2, 4, 5, 7, 6], key=lambda x: x % 2)]
print(pairs)
saved = [(k, v) for k, v in groupby("xxyz")]
print([(k, list(v)) for k, v in saved])
print([k for k, _ in groupby([])], [k for k, _ in groupby([None, None, 0, 0.0, False])])
words = ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]
for initial, group in groupby(words, key=lambda w: w[0]):
    print(initial, list(group))
class Key:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        print("  eq", self.v, other.v)
        return self.v == other.v
print([(k.v, len(list(v))) for k, v in groupby([1, 1, 2], key=Key)])
print(type(next(groupby("a"))[1]).__name__)
