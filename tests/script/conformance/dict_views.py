# dict views: repr, membership, len, iteration and live updates.
d = {"a": 1, "b": 2, "c": 3}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print("a" in k, "z" in k, 2 in v, 9 in v, ("a", 1) in it, ("a", 2) in it)
print(len(k), len(v), len(it))
d["d"] = 4
print(k, len(v), list(it)[-1])
del d["a"]
print(list(k), list(v), sorted(it, reverse=True))
print([key.upper() for key in k], sum(v))
print({}.keys(), {}.values(), {}.items())
try:
    for key in d:
        d[key + "x"] = 0
except RuntimeError as e:
    print("RuntimeError", e)
print(list(d.keys()) == list(d), type(k).__name__)
