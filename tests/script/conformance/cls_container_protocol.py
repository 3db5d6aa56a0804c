# Container dunders: __len__, __getitem__, __setitem__, __delitem__, __contains__, __iter__.
class Bag:
    def __init__(self):
        self._d = {}
    def __len__(self):
        return sum(self._d.values())
    def __getitem__(self, key):
        return self._d.get(key, 0)
    def __setitem__(self, key, count):
        if count <= 0:
            self._d.pop(key, None)
        else:
            self._d[key] = count
    def __delitem__(self, key):
        if key not in self._d:
            raise KeyError(key)
        del self._d[key]
    def __contains__(self, key):
        return key in self._d
    def __iter__(self):
        for k in sorted(self._d):
            for _ in range(self._d[k]):
                yield k
b = Bag()
b["apple"] = 2
b["pear"] = 1
b["apple"] += 1
print(len(b), b["apple"], b["kiwi"], "pear" in b, "kiwi" in b, "kiwi" not in b)
print(list(b), sorted(set(b)))
del b["pear"]
print(list(b), bool(b))
try:
    del b["pear"]
except KeyError as e:
    print("KeyError", e)
b["apple"] = 0
print(len(b), bool(b), list(b))
class Grid:
    def __init__(self, w, h):
        self.w, self.cells = w, [0] * (w * h)
    def __getitem__(self, pos):
        r, c = pos
        return self.cells[r * self.w + c]
    def __setitem__(self, pos, v):
        r, c = pos
        self.cells[r * self.w + c] = v
g = Grid(3, 2)
g[1, 2] = 7
g[0, 0] += 1
print(g[1, 2], g[0, 0], g.cells)
