# wraps/update_wrapper copy __name__, __qualname__ and __dict__ entries, set __wrapped__, and honour assigned/updated.
import functools
def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return ("logged", fn(*args, **kwargs))
    return wrapper
def compute(x, y=1):
    return x * y
compute.units = "ms"
compute.__doc__ = "Multiply."
w = logged(compute)
print(w(3, y=4), w.__name__, w.__qualname__, w.__doc__, w.units, w.__wrapped__ is compute)
class Holder:
    @logged
    def act(self):
        return "acted"
print(Holder().act(), Holder.act.__name__, Holder.act.__qualname__)
def target():
    return "t"
target.a = 1
target.b = 2
def other():
    return "o"
functools.update_wrapper(other, target, assigned=("__name__",), updated=())
print(other.__name__, other.__qualname__, hasattr(other, "a"), other.__wrapped__ is target)
def third():
    return 3
third.b = 20
functools.update_wrapper(third, target, assigned=())
print(third.__name__, third.a, third.b, third())
print(functools.WRAPPER_ASSIGNMENTS, functools.WRAPPER_UPDATES)
stack = logged(logged(compute))
print(stack(2), stack.__wrapped__.__wrapped__ is compute, stack.__name__)
dec = functools.wraps(compute)
print(type(dec).__name__, dec.keywords["wrapped"] is compute, sorted(dec.keywords))
try:
    functools.wraps()
except TypeError as e:
    print("TypeError", e)
try:
    functools.update_wrapper(other)
except TypeError as e:
    print("TypeError", e)
