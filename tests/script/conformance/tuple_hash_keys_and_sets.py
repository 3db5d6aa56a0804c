# Tuples as dict keys and set members: coordinates, memo keys, and nested tuples.
visited = set()
path = [(0, 0), (0, 1), (1, 1), (0, 1), (0, 0), (2, 2)]
for p in path:
    if p in visited:
        print("revisit", p)
    visited.add(p)
print(sorted(visited), len(visited))
dist = {}
for (x1, y1) in sorted(visited):
    for (x2, y2) in sorted(visited):
        if (x1, y1) < (x2, y2):
            dist[(x1, y1), (x2, y2)] = abs(x1 - x2) + abs(y1 - y2)
print(max(dist.items(), key=lambda kv: (kv[1], kv[0])))
print(dist[(0, 0), (1, 1)], ((0, 0), (2, 2)) in dist, len(dist))
memo = {}
def paths(r, c):
    if (r, c) in memo:
        return memo[r, c]
    res = 1 if r == 0 or c == 0 else paths(r - 1, c) + paths(r, c - 1)
    memo[r, c] = res
    return res
print(paths(12, 12), len(memo))
nested = {(1, (2, 3)): "deep"}
print(nested[1, (2, 3)], hash((1, (2, 3))) == hash((1, (2, 3))))
try:
    {(1, [2]): 0}
except TypeError as e:
    print("TypeError", e)
