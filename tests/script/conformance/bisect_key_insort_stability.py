# bisect key= (applied to list items only) versus insort key= (applied to x too); left/right stability of equal keys.
import bisect
events = [(1, "boot"), (3, "load"), (3, "warm"), (5, "serve"), (8, "stop")]
t = lambda e: e[0]
for when in [0, 3, 4, 8, 9]:
    print(when, bisect.bisect_left(events, when, key=t), bisect.bisect_right(events, when, key=t))
left, right = [], []
for e in [(3, "a"), (1, "b"), (3, "c"), (2, "d"), (3, "e"), (1, "f")]:
    bisect.insort_left(left, e, key=t)
    bisect.insort_right(right, e, key=t)
print(left)
print(right)
names = ["al", "bo", "cy"]
bisect.insort(names, "BO", key=str.lower)
bisect.insort_left(names, "AL", key=str.lower)
print(names)
calls = []
def k(x):
    calls.append(x)
    return -x
desc = [9, 7, 7, 4, 1]
print(bisect.bisect_left(desc, -7, key=k), calls)
calls.clear()
bisect.insort_right(desc, 7, key=k)
print(desc, calls)
grades = [60, 70, 80, 90]
print([("FDCBA")[bisect.bisect(grades, s)] for s in [33, 60, 69, 70, 85, 90, 100]])
log = []
class N:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        log.append((self.v, other.v))
        return self.v < other.v
xs = [N(i) for i in range(0, 20, 2)]
print(bisect.bisect_left(xs, N(7)), log)
log.clear()
print(bisect.bisect_right(xs, N(8)), log)
