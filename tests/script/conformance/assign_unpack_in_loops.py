# Unpacking targets in for loops and comprehensions: nested tuples, starred, dict items, enumerate.
pts = [((0, 0), "origin"), ((1, 2), "p"), ((3, -1), "q")]
for (x, y), name in pts:
    print(name, x, y, x + y)
print([name for (x, _), name in pts if x > 0])
rows = [("a", 1, 2, 3), ("b",), ("c", 9)]
for head, *tail in rows:
    print(head, tail, sum(tail))
d = {"k1": [1, 2], "k2": [3]}
for k, (first, *rest) in d.items():
    print(k, first, rest)
for i, (k, v) in enumerate(sorted(d.items()), 1):
    print(i, k, v)
matrix = [[1, 2], [3, 4]]
for r, (a, b) in enumerate(matrix):
    print(r, a * b)
pairs = list(zip("abc", range(3)))
letters, nums = [list(t) for t in zip(*pairs)]
print(letters, nums)
a, (b, (c, d)) = 1, (2, (3, 4))
print(a, b, c, d)
x = [0, 0, 0]
i = 0
i, x[i] = 1, 5
print(i, x)
