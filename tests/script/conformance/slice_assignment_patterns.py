# Slice idioms: rotate, chunk, interleave, copy-reverse, and slice assignment with steps.
a = list(range(1, 9))
k = 3
print(a[k:] + a[:k], a[-k:] + a[:-k])
print([a[i:i + 3] for i in range(0, len(a), 3)])
evens, odds = a[1::2], a[::2]
inter = [None] * len(a)
inter[::2], inter[1::2] = evens, odds
print(evens, odds, inter)
s = "abcdefgh"
print(s[::2] + s[1::2], s[-1::-2], s[len(s) // 2:] + s[:len(s) // 2])
b = a[:]
b[::3] = ["x"] * len(b[::3])
print(b)
b[1:7:2] = "PQR"
print(b)
c = list("hello")
c[1:4] = c[3:0:-1]
print("".join(c))
d = [0] * 5
d[-2:] = [7, 8, 9]
print(d, len(d))
e = list(range(10))
e[2:8] = []
print(e, e[-1:-10:-1], e[5:-5])
