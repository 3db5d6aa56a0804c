# range objects: repr, len, indexing, slicing, membership, negative steps and errors.
r = range(2, 20, 3)
print(r, list(r), len(r), r[0], r[-1], r[2:4], r[::-1], 11 in r, 12 in r)
print(range(5), range(0), list(range(0)), list(range(-3)), list(range(5, 0, -1)), list(range(5, 0, -2)))
print(range(10)[::2], range(10)[-3:], list(range(10)[1:8:3]))
print(r.index(8), r.count(8), range(3) == range(0, 3, 1), range(0) == range(5, 5))
print(len(range(0, 100, 7)), sum(range(101)), max(range(7)), min(range(3, 9)))
print(list(range(-5, 5, 4)), list(range(10, -10, -7)))
try:
    range(1, 2, 0)
except ValueError as e:
    print("ValueError", e)
try:
    r[100]
except IndexError as e:
    print("IndexError", e)
try:
    r.index(4)
except ValueError as e:
    print("ValueError", e)
try:
    range(1.5)
except TypeError as e:
    print("TypeError", e)
print(r.start, r.stop, r.step, bool(range(0)), list(reversed(range(4))))
