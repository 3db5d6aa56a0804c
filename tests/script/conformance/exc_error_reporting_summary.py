# Collecting heterogeneous failures into a summary table keyed by exception type name.
import json
import math
tasks = [("parse", lambda: int("12")), ("parse", lambda: int("x1")), ("div", lambda: 1 / 0),
         ("lookup", lambda: {"a": 1}["b"]), ("index", lambda: [][0]), ("attr", lambda: None.upper()),
         ("json", lambda: json.loads("{bad")), ("math", lambda: math.sqrt(-1)), ("type", lambda: len(5)),
         ("ok", lambda: "fine"), ("assert", lambda: exec_assert()), ("recursion", lambda: recurse(0))]
def exec_assert():
    assert 1 > 2, "one is not greater"
def recurse(n):
    return recurse(n + 1)
summary = {}
for name, fn in tasks:
    try:
        result = fn()
        summary.setdefault("OK", []).append(name)
    except RecursionError as e:
        summary.setdefault(type(e).__name__, []).append(name)
    except Exception as e:
        key = type(e).__name__
        summary.setdefault(key, []).append(name)
        print("%-9s %-17s %s" % (name, key, e))
for k in sorted(summary):
    print(k, summary[k])
print(len(tasks), sum(len(v) for v in summary.values()))
