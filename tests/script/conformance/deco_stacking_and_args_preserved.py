# Stacked decorators preserve call arguments and keyword-only parameters; decorators on recursion.
import functools
def log_calls(tag):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            print("%s -> %s%r%r" % (tag, fn.__name__, args, tuple(sorted(kwargs.items()))))
            return fn(*args, **kwargs)
        return wrapper
    return deco
def double_result(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return 2 * fn(*a, **k)
    return wrapper
@log_calls("outer")
@double_result
@log_calls("inner")
def combine(a, b=10, *rest, scale=1, **opts):
    return (a + b + sum(rest)) * scale + len(opts)
print(combine(1))
print(combine(1, 2, 3, 4, scale=2, debug=True))
print(combine.__name__, combine.__wrapped__.__name__)
@log_calls("fact")
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(4))
