# Topological sort of build dependencies (Kahn's algorithm) with cycle detection.
def topo(deps):
    nodes = set(deps)
    for ds in deps.values():
        nodes.update(ds)
    indeg = {n: 0 for n in nodes}
    users = {n: [] for n in nodes}
    for n, ds in deps.items():
        for d in ds:
            indeg[n] += 1
            users[d].append(n)
    ready = sorted(n for n in nodes if indeg[n] == 0)
    order = []
    while ready:
        n = ready.pop(0)
        order.append(n)
        for u in sorted(users[n]):
            indeg[u] -= 1
            if indeg[u] == 0:
                ready.append(u)
                ready.sort()
    if len(order) != len(nodes):
        stuck = sorted(n for n in nodes if indeg[n] > 0)
        raise ValueError("cycle among: " + ", ".join(stuck))
    return order
build = {"app": ["lib", "ui"], "ui": ["lib", "assets"], "lib": ["core"], "tests": ["app"], "core": []}
print(topo(build))
print(topo({"x": [], "y": []}))
try:
    topo({"a": ["b"], "b": ["c"], "c": ["a"], "d": []})
except ValueError as e:
    print("ValueError", e)
