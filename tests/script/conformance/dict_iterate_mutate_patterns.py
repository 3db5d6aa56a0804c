# Safe patterns for filtering, inverting and grouping dicts.
scores = {"ann": 91, "bob": 72, "cid": 85, "dee": 72, "eve": 60}
passed = {k: v for k, v in scores.items() if v >= 75}
print(passed)
for k in list(scores):
    if scores[k] < 65:
        del scores[k]
print(scores)
inverted = {}
for name, sc in scores.items():
    inverted.setdefault(sc, []).append(name)
print(inverted)
print(dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))))
print(max(scores.items(), key=lambda kv: kv[1]), min(scores, key=scores.get))
print(sorted(scores, key=scores.get, reverse=True))
swapped = {v: k for k, v in scores.items()}
print(swapped)
total = 0
for v in scores.values():
    total += v
print(total, round(total / len(scores), 2))
