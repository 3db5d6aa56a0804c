# Decorators that register handlers by name with arguments and validate argument types.
import functools
HANDLERS = {}
def handles(*events):
    def deco(fn):
        for e in events:
            HANDLERS.setdefault(e, []).append(fn.__name__)
        return fn
    return deco
@handles("start", "resume")
def boot():
    return "booting"
@handles("stop")
def halt():
    return "halting"
@handles("start")
def notify():
    return "notified"
print(sorted(HANDLERS.items()))
def typed(*types):
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            for i, (a, t) in enumerate(zip(args, types)):
                if not isinstance(a, t):
                    raise TypeError("%s() arg %d must be %s, not %s" % (fn.__name__, i, t.__name__, type(a).__name__))
            return fn(*args)
        return wrapper
    return deco
@typed(str, int)
def repeat(s, n):
    return s * n
print(repeat("ab", 3))
for args in [("ab", "3"), (3, 3)]:
    try:
        repeat(*args)
    except TypeError as e:
        print("TypeError", e)
