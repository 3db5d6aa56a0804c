# sum with start values, floats, empty iterables; any/all short-circuiting and truthiness.
print(sum([1, 2, 3]), sum([1, 2, 3], 10), sum([]), sum([], 5), sum(range(10), start=-45))
print(sum([0.1] * 3), sum([1, 2.5]), sum([True, True, False]), sum([[1], [2]], []), sum([(1,), (2,)], ()))
try:
    sum(["a", "b"], "")
except TypeError as e:
    print("TypeError", e)
try:
    sum([1, "a"])
except TypeError as e:
    print("TypeError", e)
calls = []
def check(x):
    calls.append(x)
    return x > 2
print(any(check(x) for x in [1, 3, 5]), calls)
calls.clear()
print(all(check(x) for x in [3, 1, 5]), calls)
print(any([]), all([]), any([0, "", None]), all([1, "a", [0]]), any("0"), all(""))
print(any(x % 7 == 0 for x in range(1, 7)), all(isinstance(x, int) for x in [1, True]))
scores = [72, 88, 95]
print(all(60 <= s <= 100 for s in scores), any(s > 90 for s in scores), sum(s >= 80 for s in scores))
