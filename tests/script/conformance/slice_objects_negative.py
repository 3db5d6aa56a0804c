# Slice objects and negative-step slicing on lists, strings, tuples and ranges.
seq = list(range(10))
s = "abcdefghij"
for sl in [slice(None, None, -1), slice(8, 2, -2), slice(-1, -5, -1), slice(2, None, -1),
           slice(None, 3, -1), slice(-3, None), slice(None, None, 3), slice(5, 5), slice(-100, 100, 4)]:
    print(sl, seq[sl], s[sl], tuple(seq)[sl], list(range(10)[sl]))
print(s[::-1][::-1] == s, seq[-2::-3], s[:-11:-1])
print(slice(1, 2) == slice(1, 2), slice(1, 5, 2).indices(3))
first_two = slice(0, 2)
rows = [("a", 1, True), ("b", 2, False)]
print([r[first_two] for r in rows])
try:
    seq[::0]
except ValueError as e:
    print("ValueError", e)
