# map and filter: laziness, multiple iterables, None as filter function, consumption.
print(list(map(abs, [-1, 2, -3])), list(map(str.upper, ["a", "b"])))
print(list(map(pow, [2, 3, 4], [3, 2, 1])), list(map(lambda a, b: a + b, "abc", "xy")))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))
print(list(filter(lambda x: x > 2, range(6))), list(filter(str.isdigit, "a1b2c3")))
m = map(lambda x: x * 10, [1, 2, 3])
print(next(m), list(m), list(m))
seen = []
def track(x):
    seen.append(x)
    return x % 2 == 0
f = filter(track, [1, 2, 3, 4])
print(seen)
print(next(f), seen)
print(list(f), seen)
print(sum(map(int, "12345")), max(map(len, ["aa", "b", "cccc"])))
print(sorted(map(lambda s: s.strip(), [" b", "a ", " c "])))
print(list(map(int, filter(lambda s: s.lstrip("-").isdigit(), ["1", "-2", "x", "30"]))))
print(tuple(map(float, ("1", "2.5"))), set(map(len, ["a", "bb", "cc"])))
