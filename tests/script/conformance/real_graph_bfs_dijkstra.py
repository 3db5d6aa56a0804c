# Graph algorithms on adjacency dicts: BFS levels, Dijkstra with heapq, path reconstruction.
import heapq
from collections import deque
edges = [("A", "B", 4), ("A", "C", 2), ("B", "C", 5), ("B", "D", 10), ("C", "E", 3), ("E", "D", 4), ("D", "F", 11)]
graph = {}
for a, b, w in edges:
    graph.setdefault(a, []).append((b, w))
    graph.setdefault(b, []).append((a, w))
def bfs(start):
    level = {start: 0}
    q = deque([start])
    while q:
        n = q.popleft()
        for m, _ in sorted(graph[n]):
            if m not in level:
                level[m] = level[n] + 1
                q.append(m)
    return level
print(bfs("A"))
def dijkstra(src):
    dist = {src: 0}
    prev = {}
    heap = [(0, src)]
    while heap:
        d, n = heapq.heappop(heap)
        if d > dist[n]:
            continue
        for m, w in graph[n]:
            nd = d + w
            if nd < dist.get(m, float("inf")):
                dist[m] = nd
                prev[m] = n
                heapq.heappush(heap, (nd, m))
    return dist, prev
dist, prev = dijkstra("A")
print(sorted(dist.items()))
def path(to):
    p = [to]
    while p[-1] in prev:
        p.append(prev[p[-1]])
    return "->".join(reversed(p))
print([path(n) for n in sorted(graph)])
