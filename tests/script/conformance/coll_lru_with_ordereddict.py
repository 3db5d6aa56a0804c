# An LRU cache built on OrderedDict: hits move to end, overflow evicts the oldest.
from collections import OrderedDict
class LRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = OrderedDict()
        self.hits = self.misses = 0
    def get(self, key):
        if key in self.data:
            self.data.move_to_end(key)
            self.hits += 1
            return self.data[key]
        self.misses += 1
        return None
    def put(self, key, value):
        if key in self.data:
            self.data.move_to_end(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            evicted = self.data.popitem(last=False)
            print("evict", evicted)
cache = LRU(3)
for k in "abc":
    cache.put(k, k.upper())
print(cache.get("a"), cache.get("z"))
cache.put("d", "D")
cache.put("c", "C2")
cache.put("e", "E")
print(list(cache.data.items()), cache.hits, cache.misses)
print(cache.data)
