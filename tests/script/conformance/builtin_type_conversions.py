# Conversions via int, float, str, bool, list, tuple, dict, set, frozenset constructors.
print(int(), float(), str(), bool(), list(), tuple(), dict(), set(), frozenset())
print(int("7"), int(7.9), int(-7.9), float("7"), float(7), str(7), str(7.0), str([7]), bool("x"))
print(list("abc"), list((1, 2)), list({"a": 1, "b": 2}), list({3}), list(range(3)), list(map(int, "12")))
print(tuple([1, 2]), tuple("hi"), tuple({"k": 0}), tuple(x * 2 for x in range(3)))
print(dict([("a", 1), ["b", 2]]), dict(a=1), dict({"x": 1}, y=2), dict(zip("ab", "cd")), dict([]))
print(sorted(set("banana")), set([1, 2, 2]), frozenset([1, 1]), set({"k": 1}))
print(str(None), str(True), str(-0.0), str(1e-7), str((1, "a")), str({"a": [1.5]}))
print(int(" 12 "), int("-0"), float("-0"), float(".5e1"))
print(list(list("ab")), tuple(tuple([1])), str(str("s")))
try:
    dict([1, 2])
except TypeError as e:
    print("TypeError", e)
try:
    list(5)
except TypeError as e:
    print("TypeError", e)
print(bool([]), bool([[]]), bool(0))
