# Function decorators: wrapping, stacking order, and decorators that register functions.
def shout(fn):
    def wrapper(*args, **kwargs):
        return str(fn(*args, **kwargs)).upper() + "!"
    return wrapper
def exclaim(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs) + "?"
    return wrapper
@shout
def greet(name):
    return "hello " + name
@exclaim
@shout
def both(x):
    return x
@shout
@exclaim
def both_rev(x):
    return x
print(greet("ann"), both("a"), both_rev("a"))
registry = {}
def register(fn):
    registry[fn.__name__] = fn
    return fn
@register
def alpha():
    return 1
@register
def beta():
    return 2
print(sorted(registry), registry["beta"](), alpha())
def count_calls(fn):
    def wrapper(*a):
        wrapper.calls += 1
        return fn(*a)
    wrapper.calls = 0
    return wrapper
@count_calls
def square(x):
    return x * x
print([square(i) for i in range(4)], square.calls)
