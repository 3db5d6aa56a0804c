# Composing small functions with reduce and partial into data-cleaning pipelines.
from functools import reduce, partial
def compose(*fns):
    return reduce(lambda f, g: lambda x: g(f(x)), fns, lambda x: x)
def clip(lo, hi, x):
    return max(lo, min(hi, x))
def scale(k, x):
    return x * k
clean = compose(float, partial(clip, 0.0, 100.0), partial(scale, 0.01), partial(round, ndigits=3))
print([clean(v) for v in ["5", "150", "-3", "42.4242"]])
normalize = compose(lambda s: s.strip(), lambda s: s.lower(), lambda s: s.replace(" ", "_"))
print([normalize(s) for s in ["  Hello World ", "MiXeD Case  "]])
totals = reduce(lambda acc, kv: {**acc, kv[0]: acc.get(kv[0], 0) + kv[1]}, [("a", 1), ("b", 2), ("a", 3)], {})
print(totals)
flatten = partial(reduce, lambda a, b: a + b)
print(flatten([[1], [2, 3], []], []), flatten(["ab", "cd"]))
print(reduce(lambda a, b: a if len(a) >= len(b) else b, ["kiwi", "banana", "fig", "cherry"]))
