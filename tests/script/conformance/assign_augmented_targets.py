# Augmented assignment on names, attributes, subscripts and slices with every operator.
class Box:
    def __init__(self):
        self.n = 10
        self.items = [1, 2]
b = Box()
b.n += 5
b.n -= 3
b.n *= 2
b.n //= 5
b.n **= 2
b.n %= 7
print(b.n)
b.items += [3]
b.items *= 2
print(b.items)
d = {"k": 1, "s": "a"}
d["k"] += 10
d["k"] <<= 2
d["k"] >>= 1
d["k"] |= 1
d["k"] &= 0xFF
d["k"] ^= 3
d["s"] += "b"
d["s"] *= 3
print(d)
lst = [1, 2, 3]
lst[0] += 100
lst[-1] /= 2
print(lst)
grid = [[0, 0], [0, 0]]
grid[1][0] += 7
print(grid)
t = (1, 2)
alias = t
t += (3,)
print(t, alias)
l2 = [1]
alias2 = l2
l2 += [2]
print(l2, alias2, l2 is alias2)
s = {1}
s |= {2}
print(s)
f = 1.5
f += 1
f /= 4
print(f)
