# Aliasing, shallow copies and nested list mutation.
a = [[1, 2], [3, 4]]
b = a
c = a[:]
d = list(a)
e = a.copy()
f = [row[:] for row in a]
a[0].append(99)
a.append([5])
print(a)
print(b)
print(c, d, e)
print(f)
print(a is b, a is c, a[0] is c[0], f[0] is a[0], id(a) == id(b))
grid = [[0] * 3] * 2
grid[0][0] = 1
print(grid)
grid2 = [[0] * 3 for _ in range(2)]
grid2[0][0] = 1
print(grid2)
x = [1, 2]
x.append(x)
print(len(x), x[2] is x)
print(x)
