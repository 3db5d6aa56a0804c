# dicts preserve insertion order through updates, deletes and reinsertion.
d = {}
for k in ["delta", "alpha", "charlie", "bravo"]:
    d[k] = len(k)
print(list(d))
d["alpha"] = 99
print(list(d.items()))
del d["delta"]
d["delta"] = 0
print(list(d))
d.pop("charlie")
d["echo"] = 5
print(d)
merged = {**{"z": 1, "y": 2}, **{"x": 3, "z": 4}}
print(merged)
counts = {}
for w in "the quick the lazy the end quick".split():
    counts[w] = counts.get(w, 0) + 1
print(counts)
print({k: v for k, v in sorted(counts.items(), key=lambda kv: -kv[1])})
print(list(reversed(d)), list(reversed(d.items()))[:2])
print({1: "a", 1.0: "b"}, {True: 1, 1: 2})
