# iter() on sequences and dicts, iter(callable, sentinel), next with default, callable checks.
it = iter([1, 2, 3])
print(next(it), list(it), next(it, "empty"))
d = {"x": 1, "y": 2}
print(list(iter(d)), list(iter(d.items())), next(iter(d.values())))
counter = [0]
def tick():
    counter[0] += 1
    return counter[0]
print(list(iter(tick, 4)))
lines = iter(["a", "b", "", "c"])
print(list(iter(lambda: next(lines), "")))
s = iter("héllo")
print(next(s), next(s), "".join(s))
print(callable(iter), callable(next), callable(it), callable(print))
r = iter(range(3))
print(next(r), next(r), next(r), next(r, -1))
try:
    iter(42)
except TypeError as e:
    print("TypeError", e)
try:
    next(iter([]))
except StopIteration as e:
    print("StopIteration", e.args)
