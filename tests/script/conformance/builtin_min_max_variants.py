# min/max with iterables, multiple args, key, default, ties and errors.
print(max([3, 7, 2]), min([3, 7, 2]), max(3, 7, 2), min("b", "a", "c"), max("hello"))
words = ["pear", "fig", "banana", "kiwi", "date"]
print(max(words, key=len), min(words, key=len), max(words), min(words, key=lambda w: w[-1]))
print(max([], default="empty"), min([], default=None), max([5], default=0), max((), key=len, default=-1))
print(max([1, 3, 3.0, 2]), max([3.0, 3, 1]), min([2, 2.0]))
print(max([(1, "b"), (1, "c"), (0, "z")]), min({"x": 3, "a": 9}), max({"x": 3, "a": 9}.values()))
d = {"a": 3, "b": 7, "c": 7}
print(max(d, key=d.get), min(d, key=d.get), max(d.items(), key=lambda kv: kv[1]))
print(max(-5, 3, key=abs), min(-5, 3, key=abs), max([-1, -2], key=lambda x: x * x))
for bad in [lambda: max([]), lambda: min(()), lambda: max(1), lambda: max(1, "a"), lambda: min([], key=len)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(max(True, 0), min(range(5, 10)), max(iter([4, 9, 1])))
