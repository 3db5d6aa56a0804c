# list extend with self and iterators, insert at boundaries, pop with negative indexes.
a = [1, 2]
a.extend(a)
print(a)
a.extend(iter([9]))
a.extend(range(2))
a.extend({"k": 0})
a += "xy"
print(a)
b = [0]
for i in range(5):
    b.insert(i // 2, i)
print(b)
b.insert(len(b), "end")
b.insert(-1, "pen")
print(b, b.pop(-2), b.pop(-len(b)), b)
c = []
c.append(c)
print(c, len(c))
d = [1, 2, 3]
d[len(d):] = [4, 5]
d[:0] = [-1, 0]
print(d)
e = [3, 1, 2]
e.sort()
e.reverse()
print(e, e.index(1), e.count(5))
try:
    e.extend(5)
except TypeError as err:
    print("TypeError", err)
print([1, 2] * 2 + [3], [[1]] * 2, list(range(3)) * 0)
