# Tuples: creation, 1-tuples, immutability, methods, comparison and hashing.
t = (1, 2, 3)
print(t, (1,), (), tuple(), tuple("ab"), tuple([1, [2]]), 1, (1))
print(len(t), t[0], t[-1], t[1:], t[::-1], t + (4,), t * 2)
print(t.index(2), t.count(1), (1, 1, 2).count(1), 2 in t)
print((1, 2) < (1, 3), (1, 2) < (1, 2, 3), (2,) > (1, 9), (1, "a") == (1, "a"))
try:
    t[0] = 9
except TypeError as e:
    print("TypeError", e)
try:
    t.index(7)
except ValueError as e:
    print("ValueError", e)
try:
    t[5]
except IndexError as e:
    print("IndexError", e)
x = 1, 2
y = x,
print(x, y, type(y).__name__, len(y))
nested = ((1, 2), (3, (4, 5)))
print(nested[1][1][0], hash((1, 2)) == hash((1, 2)))
d = {(0, 0): "origin", (1, 2): "p"}
print(d[(1, 2)], d[0, 0])
m = ([1], 2)
m[0].append(3)
print(m)
try:
    hash(m)
except TypeError as e:
    print("TypeError", e)
