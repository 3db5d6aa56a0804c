# A tiny LRU cache class using a dict's insertion order; stats and eviction log.
class LRUCache:
    def __init__(self, capacity):
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._d = {}
        self.hits = 0
        self.misses = 0
        self.evicted = []
    def get(self, key, default=None):
        if key not in self._d:
            self.misses += 1
            return default
        self.hits += 1
        value = self._d.pop(key)
        self._d[key] = value
        return value
    def put(self, key, value):
        if key in self._d:
            del self._d[key]
        elif len(self._d) >= self.capacity:
            oldest = next(iter(self._d))
            self.evicted.append(oldest)
            del self._d[oldest]
        self._d[key] = value
    def __len__(self):
        return len(self._d)
    def __contains__(self, key):
        return key in self._d
    def __repr__(self):
        return "LRUCache(%d, %r)" % (self.capacity, list(self._d.items()))
c = LRUCache(3)
for op in ["put a 1", "put b 2", "get a", "put c 3", "put d 4", "get b", "get c", "put a 10", "put e 5", "get d"]:
    parts = op.split()
    if parts[0] == "put":
        c.put(parts[1], int(parts[2]))
        print(op, "->", c)
    else:
        print(op, "->", c.get(parts[1], "MISS"))
print(len(c), "a" in c, "b" in c, c.hits, c.misses, c.evicted)
try:
    LRUCache(0)
except ValueError as e:
    print("ValueError", e)
