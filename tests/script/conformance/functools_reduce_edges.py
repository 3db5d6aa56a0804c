# reduce: initial values, single items, generators, argument errors and the empty-iterable error.
from functools import reduce
add = lambda a, b: a + b
print(reduce(add, [1, 2, 3, 4]), reduce(add, [], "start"), reduce(add, ["only"]))
print(reduce((lambda a, b: a * b), range(1, 11)), reduce(lambda acc, x: acc + [x * x], range(5), []))
print(reduce(lambda a, b: a if a >= b else b, (x % 7 for x in range(50))))
def trace(a, b):
    print("  combine", a, b)
    return a + b
print(reduce(trace, "abcd", ">"))
nested = [[1, 2], [3], [], [4, 5, 6]]
print(reduce(add, nested), reduce(lambda d, kv: {**d, kv[0]: kv[1]}, [("a", 1), ("b", 2), ("a", 3)], {}))
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
attempt("empty", lambda: reduce(add, []))
attempt("empty gen", lambda: reduce(add, (x for x in [])))
attempt("not iterable", lambda: reduce(add, 5))
attempt("one arg", lambda: reduce(add))
attempt("four args", lambda: reduce(add, [1], 0, 1))
attempt("keyword", lambda: reduce(add, [1], initial=0))
attempt("bad func", lambda: reduce(None, [1, 2]))
attempt("raises", lambda: reduce(lambda a, b: a / b, [1, 0]))
