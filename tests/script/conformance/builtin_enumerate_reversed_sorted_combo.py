# Combining enumerate, reversed, sorted, zip and map for indexing tasks like argsort and ranks.
vals = [30, 10, 50, 20, 40, 10]
argsort = sorted(range(len(vals)), key=lambda i: vals[i])
print(argsort, [vals[i] for i in argsort])
ranks = [0] * len(vals)
for r, i in enumerate(argsort, 1):
    ranks[i] = r
print(ranks)
print(list(enumerate(reversed(vals))), list(reversed(list(enumerate(vals))))[:2])
print(max(enumerate(vals), key=lambda iv: iv[1]), min(enumerate(vals), key=lambda iv: (iv[1], -iv[0])))
pairs = sorted(zip(vals, "abcdef"), reverse=True)
print(pairs[:3], list(map(lambda p: p[1], pairs)))
last_index = {v: i for i, v in enumerate(vals)}
first_index = {}
for i, v in enumerate(vals):
    first_index.setdefault(v, i)
print(last_index, first_index)
print([i for i, (a, b) in enumerate(zip(vals, vals[1:])) if b < a])
