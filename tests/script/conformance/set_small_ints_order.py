# Printing sets of small ints and short strings directly relies on CPython's hash table order.
print({5, 3, 1, 4, 2}, {10, 3, 6}, {0, 1, 2, 7}, {6, 4, 2, 0})
s = set()
for v in [7, 3, 9, 1, 8]:
    s.add(v)
print(s)
s.discard(9)
s.add(33)
print(s)
print({1, 2, 3} | {8, 9}, {1, 2, 3} ^ {2, 30}, set(range(12, 0, -3)))
print({"a"}, {"b", "a"} == {"a", "b"}, frozenset({3, 1, 2}))
print({True, 2, 3.0}, {0.5, 1.5}, {(1, 2), (0, 0)} == {(0, 0), (1, 2)})
print(list({3: 0, 1: 0, 2: 0}), sorted({3, 1, 2}))
grow = set()
for v in range(40, 0, -3):
    grow.add(v)
print(grow, len(grow))
