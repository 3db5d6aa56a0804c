# Stateful decorators implemented with classes and closures (call counting, caching, rate limiting).
class CountCalls:
    def __init__(self, fn):
        self.fn = fn
        self.count = 0
    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.fn(*args, **kwargs)
@CountCalls
def hello(name):
    return "hi " + name
print(hello("a"), hello("b"), hello.count)
def limit(max_calls):
    def deco(fn):
        calls = 0
        def wrapper(*a):
            nonlocal calls
            if calls >= max_calls:
                return "limit reached"
            calls += 1
            return fn(*a)
        return wrapper
    return deco
@limit(2)
def work(x):
    return x * 2
print([work(i) for i in range(4)])
def cache(fn):
    store = {}
    def wrapper(*args):
        if args in store:
            return ("cached", store[args])
        store[args] = fn(*args)
        return ("computed", store[args])
    return wrapper
@cache
def slow_add(a, b):
    return a + b
print(slow_add(1, 2), slow_add(1, 2), slow_add(2, 1))
