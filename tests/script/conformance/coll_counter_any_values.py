# Counter of a mapping keeps its values as they are; operations on non-int counts fail only where CPython's do.
from collections import Counter
def attempt(label, f):
    try:
        print(label, f())
    except (TypeError, ValueError, AttributeError, KeyError) as e:
        print(label, type(e).__name__, e)
c = Counter({"a": "x"})
print(c, c["a"], c["zz"], len(c), c.most_common(), c.most_common(1), c.most_common(0))
print(Counter(a="x"), Counter({"a": 1.5, "b": [1]}), Counter({"k": None}))
m = Counter({"a": "x", "b": 1})
print(m, dict(m), list(m), m.most_common(0), m.most_common(-1))
try:
    m.most_common()
except TypeError as e:
    print("most_common", type(e).__name__)  # which pair the sort compares first may differ
attempt("most_common(1)", lambda: m.most_common(1))
attempt("total", lambda: m.total())
attempt("total str", lambda: Counter({"a": "x"}).total())
attempt("elements", lambda: list(Counter({"a": "x"}).elements()))
attempt("elements float", lambda: list(Counter({"a": 2.0}).elements()))
print(sorted(Counter({"a": 2, "b": True, "c": -1, "d": 0}).elements()))
u = Counter({"a": "x"})
u.update({"a": "y"})
print(u)
attempt("update int into str", lambda: u.update({"a": 1}))
attempt("update iterable", lambda: u.update("a"))
attempt("subtract", lambda: u.subtract({"a": "y"}))
attempt("kwargs after mapping", lambda: Counter({"a": 1}, a="x"))
print(Counter("aab", a=5), Counter(a=2.5, b=1), Counter({"a": 1.5}) + Counter({"a": 1}))
f = Counter({"a": 1.5, "b": -0.5})
f.update("ab")
print(f, +f, -f, f.total())
attempt("add str counts", lambda: Counter({"a": "x"}) + Counter({"a": "y"}))
attempt("sub str counts", lambda: Counter({"a": "x"}) - Counter({"b": 1}))
attempt("or str counts", lambda: Counter({"a": "x"}) | Counter({"a": 1}))
attempt("and str counts", lambda: Counter({"a": "x"}) & Counter({"b": 1}))
attempt("pos", lambda: +Counter({"a": "x"}))
attempt("neg", lambda: -Counter({"a": "x"}))
attempt("eq", lambda: Counter({"a": "x"}) == Counter({"a": "x"}))
g = Counter({"a": 1, "b": 2})
g += {"a": 2, "c": -1}
print(g)
g -= Counter(b=5)
print(g)
g |= {"z": 3, "a": 1}
print(g)
g &= Counter(z=2, a=9)
print(g)
attempt("iadd list", lambda: Counter(a=1).__iadd__([1]))
attempt("iand dict missing", lambda: Counter(a=1).__iand__({"b": 1}))
h = Counter(a=3.5, b=0.5)
h += Counter(a=-3.5)
print(h, repr(Counter({"b": "y", "a": "x"})), str(Counter({1: "x", 2: 3})))
