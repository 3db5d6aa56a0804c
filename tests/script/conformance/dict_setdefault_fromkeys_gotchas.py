# dict.fromkeys shares one mutable value; setdefault returns the stored object; get vs []. 
shared = dict.fromkeys(["a", "b"], [])
shared["a"].append(1)
print(shared, shared["a"] is shared["b"])
separate = {k: [] for k in ["a", "b"]}
separate["a"].append(1)
print(separate)
d = {}
lst = d.setdefault("k", [])
lst.append("x")
print(d, d.setdefault("k", ["ignored"]), d.setdefault("n"), d)
print(d.get("missing"), d.get("missing", 0), "missing" in d)
counts = {}
for w in "a b a c b a".split():
    counts[w] = counts.setdefault(w, 0) + 1
print(counts)
d2 = {"x": None}
print(d2.get("x", "default"), d2.get("y", "default"), "x" in d2)
nested = {}
nested.setdefault("a", {}).setdefault("b", {})["c"] = 1
print(nested)
print(dict.fromkeys(range(3), 0), dict.fromkeys("aab"))
