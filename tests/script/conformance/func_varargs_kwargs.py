# *args and **kwargs collection, forwarding and unpacking at call sites.
def collect(*args, **kwargs):
    return args, kwargs
print(collect())
print(collect(1, 2, x=3))
print(collect(*[1, 2], *(3,), **{"a": 1}, b=2))
def head_tail(first, *rest):
    return first, rest
print(head_tail(1), head_tail(1, 2, 3))
def wrapper(*args, **kwargs):
    return target(*args, **kwargs)
def target(a, b, c=0, **extra):
    return a + b + c, sorted(extra)
print(wrapper(1, 2), wrapper(1, 2, 3), wrapper(1, b=5, z=1, y=2))
def count_kwargs(**kw):
    return len(kw), list(kw.items())
print(count_kwargs(b=1, a=2))
print(max(*[3, 9, 2]), print(*["a", "b"], sep="-"))
args = (1, 2)
kwargs = {"sep": "|", "end": "<\n"}
print(*args, **kwargs)
def mixed(a, *args, key="k", **kw):
    return a, args, key, kw
print(mixed(1, 2, 3, key="K", z=0))
print(mixed(*range(3)))
