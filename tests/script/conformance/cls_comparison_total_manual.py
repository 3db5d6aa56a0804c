# A class defining all six rich comparisons manually, used by sorted, min, max, bisect and heapq.
import bisect
import heapq
class Priority:
    def __init__(self, level, name):
        self.level, self.name = level, name
    def _key(self):
        return (self.level, self.name)
    def __eq__(self, o): return self._key() == o._key()
    def __ne__(self, o): return self._key() != o._key()
    def __lt__(self, o): return self._key() < o._key()
    def __le__(self, o): return self._key() <= o._key()
    def __gt__(self, o): return self._key() > o._key()
    def __ge__(self, o): return self._key() >= o._key()
    def __hash__(self): return hash(self._key())
    def __repr__(self): return "P(%d,%s)" % self._key()
ps = [Priority(2, "b"), Priority(1, "z"), Priority(2, "a"), Priority(0, "q"), Priority(1, "z")]
print(sorted(ps), min(ps), max(ps), sorted(ps, reverse=True)[:2])
a, b = Priority(1, "a"), Priority(1, "b")
print(a < b, a <= b, a > b, a >= b, a == b, a != b, a == Priority(1, "a"), len(set(ps)))
s = sorted(ps)
bisect.insort(s, Priority(1, "m"))
print(s, bisect.bisect_left(s, Priority(2, "a")))
h = list(ps)
heapq.heapify(h)
print([heapq.heappop(h) for _ in range(len(h))])
