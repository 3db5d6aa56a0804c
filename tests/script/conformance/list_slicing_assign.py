# Slice reads, slice assignment (growing/shrinking), extended slices and deletion.
a = list(range(10))
print(a[2:5], a[:3], a[7:], a[-3:], a[::2], a[1::3], a[::-1], a[8:2:-2], a[-1:-4:-1])
print(a[5:2], a[100:], a[-100:2], a[::-3])
b = a[:]
b[2:5] = ["x"]
print(b)
b[1:1] = [100, 200]
print(b)
b[:2] = []
print(b)
b[::2] = [0] * len(b[::2])
print(b)
c = list(range(6))
c[-2:] = "yz"
print(c)
del c[::2]
print(c)
try:
    c[::2] = [1, 2, 3]
except ValueError as e:
    print("ValueError", e)
d = [1, 2, 3, 4, 5]
d[1:4] = reversed(d[1:4])
print(d)
s = slice(1, None, 2)
print(d[s], s, s.start, s.stop, s.step)
print(slice(3), slice(1, 5), slice(-1, None, -1))
print(s.indices(10), slice(None, None, -1).indices(5))
