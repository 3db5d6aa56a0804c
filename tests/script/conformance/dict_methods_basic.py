# dict get/setdefault/pop/popitem/keys/values/items/update/copy/clear/fromkeys.
d = {"b": 2, "a": 1}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), d.get("a", 0))
print(d.setdefault("a", 100), d.setdefault("n", []), d)
d["n"].append(1)
print(d.pop("n"), d.pop("zz", "dflt"), d)
print(d.popitem(), d)
d.update({"x": 9}, y=8)
d.update([("z", 7)])
d.update(a=-1)
print(d)
e = d.copy()
e["new"] = True
print(d == e, "new" in d, "new" in e)
print(list(d.keys()), list(d.values()), list(d.items()))
print(dict.fromkeys("abc"), dict.fromkeys(["x", "y"], 0), dict.fromkeys([]))
e.clear()
print(e, bool(e))
print(dict(a=1, b=2), dict([("k", "v"), ("k2", "v2")]), dict({"m": 1}, n=2), dict())
print(dict(zip("abc", range(3))))
