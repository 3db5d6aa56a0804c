# Set comprehensions and algebra for tag analysis; sets of tuples; printing sorted results.
posts = {"p1": ["python", "ml", "edge"], "p2": ["cpp", "edge"], "p3": ["python", "web"], "p4": []}
all_tags = {t for tags in posts.values() for t in tags}
print(sorted(all_tags), len(all_tags))
pairs = {(a, b) for tags in posts.values() for a in tags for b in tags if a < b}
print(sorted(pairs))
with_python = {p for p, tags in posts.items() if "python" in tags}
with_edge = {p for p, tags in posts.items() if "edge" in tags}
print(sorted(with_python | with_edge), sorted(with_python & with_edge), sorted(with_python - with_edge))
untagged = set(posts) - {p for p, t in posts.items() if t}
print(untagged)
squares = {x * x for x in range(-4, 5)}
print(sorted(squares), {x % 3 for x in range(10)}, {n for n in range(20) if n % 2} & {n for n in range(20) if n % 3 == 0})
jaccard = len(set(posts["p1"]) & set(posts["p3"])) / len(set(posts["p1"]) | set(posts["p3"]))
print(round(jaccard, 4))
print(set() == frozenset(), {1, 2} < {1, 2, 3} < {1, 2, 3, 4}, {(1, 2), (1, 2)})
