# Chained assignment, starred unpacking in several positions and nested targets.
a = b = c = [0]
a.append(1)
print(a, b, c, a is c)
x = y = 5
x += 1
print(x, y)
first, *rest = [1, 2, 3, 4]
print(first, rest)
*init, last = "abcd"
print(init, last)
h, *mid, t = range(6)
print(h, mid, t)
p, *q = [9]
print(p, q)
(a1, b1), *others = [(1, 2), (3, 4), (5, 6)]
print(a1, b1, others)
[m, n], [o, *pp] = [1, 2], [3, 4, 5]
print(m, n, o, pp)
for idx, (key, *vals) in enumerate([("k1", 1, 2), ("k2",)]):
    print(idx, key, vals)
try:
    u, *v, w = [1]
except ValueError as e:
    print("ValueError", e)
print([*range(3), *"ab"], (*[1, 2], 3), {*[1, 1, 2]})
d = {"x": 1}
e = {**d, "y": 2}
print(e, [*e])
