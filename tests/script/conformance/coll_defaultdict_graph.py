# defaultdict(list)/(set) for adjacency lists, in-degree counting and connected components.
from collections import defaultdict
edges = [("a", "b"), ("b", "c"), ("d", "e"), ("a", "c"), ("f", "f"), ("e", "g")]
adj = defaultdict(set)
indeg = defaultdict(int)
for u, v in edges:
    adj[u].add(v)
    adj[v].add(u)
    indeg[v] += 1
print(sorted((k, sorted(v)) for k, v in adj.items()))
print(dict(sorted(indeg.items())), indeg["zzz"], "zzz" in indeg)
seen, comps = set(), []
for node in sorted(adj):
    if node in seen:
        continue
    stack, comp = [node], []
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        comp.append(n)
        stack.extend(sorted(adj[n] - seen))
    comps.append(sorted(comp))
print(comps)
by_len = defaultdict(list)
for c in comps:
    by_len[len(c)].append(c[0])
print(by_len)
print(sorted(by_len), dict(by_len))
