# Word ladder search with BFS over a small dictionary, using wildcard buckets and deque.
from collections import deque, defaultdict
words = ["hit", "hot", "dot", "dog", "cog", "lot", "log", "hog", "cot", "cat", "hat"]
buckets = defaultdict(list)
for w in words:
    for i in range(len(w)):
        buckets[w[:i] + "_" + w[i + 1:]].append(w)
def ladder(start, goal):
    prev = {start: None}
    q = deque([start])
    while q:
        w = q.popleft()
        if w == goal:
            path = []
            while w:
                path.append(w)
                w = prev[w]
            return path[::-1]
        for i in range(len(w)):
            for nxt in sorted(buckets[w[:i] + "_" + w[i + 1:]]):
                if nxt not in prev:
                    prev[nxt] = w
                    q.append(nxt)
    return None
for a, b in [("hit", "cog"), ("cat", "dog"), ("hat", "hit"), ("dog", "dog"), ("hit", "xyz")]:
    p = ladder(a, b)
    print(a, b, " -> ".join(p) if p else "no path", len(p) - 1 if p else -1)
print(sorted((k, v) for k, v in buckets.items() if len(v) > 2))
