# Set algebra via methods and operators, and the in-place update variants.
a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b, [9]), a.intersection(b, {4}), a.difference([1], [2]), a.symmetric_difference([4, 7]))
print(a <= b, {3} <= b, {3} < b, b < b, b <= b, a >= {1, 2}, a > a)
print(a.issubset(range(10)), a.issuperset([1, 2]), a.isdisjoint({7, 8}), a.isdisjoint(b))
c = set(a)
c |= {10}
print(sorted(c))
c &= {1, 10, 11}
print(sorted(c))
c -= {1}
print(c)
c ^= {10, 20}
print(c)
d = {1, 2}
d.update([3], (4,))
d.intersection_update({1, 2, 3, 9})
print(d)
d.difference_update({1})
d.symmetric_difference_update({2, 5})
print(d)
try:
    a | [1]
except TypeError as e:
    print("TypeError", e)
