# bisect lo/hi handling (hi=None and hi=-1 mean len), out-of-range hi, argument errors and non-list sequences.
import bisect
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
a = [10, 20, 20, 30, 40]
for lo, hi in [(0, None), (1, 3), (2, 2), (3, 1), (0, -1), (0, -4), (4, 5)]:
    print(lo, hi, bisect.bisect_left(a, 20, lo, hi), bisect.bisect_right(a, 20, lo, hi))
print(bisect.bisect_left(a, 25, lo=1), bisect.bisect_right(a, 20, hi=2), bisect.bisect(a, 99, 0, None))
attempt("negative lo", lambda: bisect.bisect_left(a, 1, -1))
attempt("insort negative lo", lambda: bisect.insort(list(a), 1, -3))
attempt("hi past end", lambda: bisect.bisect_left(a, 50, 0, 9))
attempt("float lo", lambda: bisect.bisect_right(a, 1, 1.5))
attempt("str hi", lambda: bisect.bisect_right(a, 1, 0, "x"))
attempt("missing x", lambda: bisect.bisect_left(a))
attempt("too many", lambda: bisect.bisect_left(a, 1, 0, 2, 3))
attempt("bad kw", lambda: bisect.bisect_left(a, 1, low=0))
attempt("dup kw", lambda: bisect.bisect_left(a, 1, a=a))
attempt("not sequence", lambda: bisect.bisect(5, 1))
attempt("dict", lambda: bisect.bisect({1: 2}, 1))
attempt("mixed", lambda: bisect.bisect_left([1, "b"], 2))
attempt("insort tuple", lambda: bisect.insort((1, 2), 3))
print(bisect.bisect_left((1, 3, 5, 7), 5), bisect.bisect_right("acegi", "e"), bisect.bisect(range(0, 50, 5), 12))
print(bisect.bisect_left(a=[1, 2, 3], x=2), bisect.bisect.__name__, bisect.insort.__name__)
class Loud:
    def __init__(self, items):
        self.items = items
    def __len__(self):
        return len(self.items)
    def __getitem__(self, i):
        print("  getitem", i)
        return self.items[i]
    def insert(self, i, x):
        print("  insert", i, x)
        self.items.insert(i, x)
s = Loud([1, 3, 5, 7, 9, 11])
print(bisect.bisect_left(s, 8))
bisect.insort_left(s, 4)
print(s.items)
