# sorted with key/reverse on various iterables; reversed on sequences and errors.
print(sorted([3, 1, 2]), sorted("hello"), sorted((5, -1)), sorted({3: "c", 1: "a"}), sorted({9, 4, 7}))
print(sorted(["b", "A", "c"]), sorted(["b", "A", "c"], key=str.lower), sorted(["bb", "a", "ccc"], key=len, reverse=True))
recs = [{"n": "x", "s": 3}, {"n": "y", "s": 1}, {"n": "z", "s": 3}]
print([r["n"] for r in sorted(recs, key=lambda r: r["s"])], [r["n"] for r in sorted(recs, key=lambda r: -r["s"])])
print([r["n"] for r in sorted(recs, key=lambda r: r["s"], reverse=True)])
print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(4))), list(reversed((1, 2))))
print(list(reversed({"a": 1, "b": 2})), "".join(reversed("stressed")))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError", e)
try:
    sorted([1, "a"])
except TypeError as e:
    print("TypeError", e)
try:
    sorted([3, 1], key=lambda x: None if x == 1 else x)
except TypeError as e:
    print("TypeError", e)
lst = [3, 1, 2]
new = sorted(lst)
print(lst, new, new is lst)
print(sorted([(2, "b"), (1, "z"), (2, "a")], key=lambda t: t[0]))
print(sorted([-3, 1, -2, 2], key=abs), sorted([0.5, -0.25, 1], reverse=True))
