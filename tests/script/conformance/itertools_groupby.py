# groupby on sorted data, with key functions, and its consume-before-advance behaviour.
from itertools import groupby
print([(k, list(g)) for k, g in groupby("aaabccddd")])
print([(k, len(list(g))) for k, g in groupby([1, 1, 2, 2, 2, 1])])
words = ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]
for k, g in groupby(sorted(words), key=lambda w: w[0]):
    print(k, list(g))
events = [("u1", "click"), ("u1", "view"), ("u2", "click"), ("u1", "buy")]
print([(u, [e for _, e in g]) for u, g in groupby(events, key=lambda e: e[0])])
print([(k, list(g)) for k, g in groupby(range(10), key=lambda x: x // 3)])
groups = groupby("aabb")
k1, g1 = next(groups)
k2, g2 = next(groups)
print(k1, list(g1), k2, list(g2))
def rle(s):
    return "".join("%d%s" % (len(list(g)), k) for k, g in groupby(s))
print(rle("WWWWBBBWWC"), rle(""), [k for k, _ in groupby([])])
