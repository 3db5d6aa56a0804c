# functools.wraps copies __name__ and __doc__ and sets __wrapped__ on the wrapper.
import functools
def traced(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        print("call", fn.__name__, args, kwargs)
        return fn(*args, **kwargs)
    return wrapper
def plain(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper
@traced
def add(a, b=0):
    """Add two numbers."""
    return a + b
@plain
def sub(a, b):
    """Subtract."""
    return a - b
print(add(1, b=2), add.__name__, add.__doc__)
print(sub(5, 3), sub.__name__, sub.__doc__)
print(add.__wrapped__(10, 20), add.__wrapped__.__name__)
from functools import wraps
def memo(fn):
    cache = {}
    @wraps(fn)
    def inner(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    return inner
@memo
def slow_fib(n):
    "Fibonacci."
    return n if n < 2 else slow_fib(n - 1) + slow_fib(n - 2)
print(slow_fib(60), slow_fib.__name__, slow_fib.__doc__)
