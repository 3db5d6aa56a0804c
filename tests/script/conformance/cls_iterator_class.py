# Classes implementing __iter__ and __next__ directly, iterated by for, list, zip and sum.
class CountUp:
    def __init__(self, start, stop):
        self.cur = start
        self.stop = stop
    def __iter__(self):
        return self
    def __next__(self):
        if self.cur >= self.stop:
            raise StopIteration
        v = self.cur
        self.cur += 1
        return v
print(list(CountUp(1, 5)), sum(CountUp(0, 101)))
c = CountUp(0, 3)
for v in c:
    print("v", v)
print(list(c), next(c, "exhausted"))
class Cycle:
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return CycleIter(self.items)
class CycleIter:
    def __init__(self, items):
        self.items, self.i = items, 0
    def __iter__(self):
        return self
    def __next__(self):
        v = self.items[self.i % len(self.items)]
        self.i += 1
        return v
cy = Cycle("ab")
print(list(zip(range(5), cy)), list(zip(range(2), cy)))
print(dict(zip(CountUp(0, 3), "xyz")), max(CountUp(3, 9)), sorted(CountUp(0, 4), reverse=True))
it = iter(CountUp(5, 7))
print(next(it), next(it), next(it, None))
