# __contains__ overrides membership; without it `in` uses __iter__; __len__ drives len() and bool().
class Range2:
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
    def __contains__(self, x):
        return self.lo <= x < self.hi
    def __len__(self):
        return max(0, self.hi - self.lo)
r = Range2(5, 10)
print(5 in r, 9.5 in r, 10 in r, 4 not in r, len(r), bool(r), bool(Range2(3, 3)))
class IterOnly:
    def __init__(self, items):
        self.items = items
        self.visited = 0
    def __iter__(self):
        for x in self.items:
            self.visited += 1
            yield x
io = IterOnly([1, 2, 3, 4])
print(3 in io, io.visited, 99 in io, io.visited)
class Tags:
    def __init__(self, *tags):
        self.tags = {t.lower() for t in tags}
    def __contains__(self, t):
        return t.lower() in self.tags
    def __iter__(self):
        return iter(sorted(self.tags))
    def __len__(self):
        return len(self.tags)
t = Tags("Python", "ML", "edge")
print("python" in t, "PYTHON" in t, "cpp" in t, list(t), len(t), sorted(t, key=len))
class Opaque:
    pass
try:
    5 in Opaque()
except TypeError as e:
    print("TypeError", e)
