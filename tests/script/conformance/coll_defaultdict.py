# defaultdict with list/int/set factories, repr, missing-key insertion and nested use.
from collections import defaultdict
groups = defaultdict(list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups[word[0]].append(word)
print(groups)
print(dict(groups), groups["z"], "z" in groups, len(groups))
counts = defaultdict(int)
for ch in "mississippi":
    counts[ch] += 1
print(counts, counts.get("q"), "q" in counts)
uniq = defaultdict(set)
for k, v in [("a", 1), ("a", 1), ("b", 2), ("a", 3)]:
    uniq[k].add(v)
print(sorted((k, sorted(v)) for k, v in uniq.items()))
nested = defaultdict(lambda: defaultdict(int))
for user, item in [("u1", "x"), ("u1", "x"), ("u2", "y"), ("u1", "z")]:
    nested[user][item] += 1
print({u: dict(items) for u, items in nested.items()})
plain = defaultdict()
try:
    plain["missing"]
except KeyError as e:
    print("KeyError", e)
print(plain, defaultdict(str)["k"] == "", isinstance(groups, dict))
d2 = defaultdict(list, {"pre": [1]})
d2["pre"].append(2)
print(d2)
