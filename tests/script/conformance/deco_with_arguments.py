# Decorator factories taking arguments, including retry and repeat patterns.
def repeat(times):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return deco
@repeat(3)
def ping(x):
    return "ping %s" % x
print(ping(1))
def retry(attempts, exc=Exception):
    def deco(fn):
        def wrapper(*args, **kwargs):
            last = None
            for i in range(attempts):
                try:
                    return fn(*args, **kwargs)
                except exc as e:
                    last = e
                    print("  attempt", i + 1, "failed:", e)
            raise RuntimeError("gave up after %d attempts" % attempts) from last
        return wrapper
    return deco
state = {"n": 0}
@retry(3, ValueError)
def unstable():
    state["n"] += 1
    if state["n"] < 3:
        raise ValueError("not yet %d" % state["n"])
    return "ok at %d" % state["n"]
print(unstable())
@retry(2)
def always_fails():
    raise KeyError("nope")
try:
    always_fails()
except RuntimeError as e:
    print("RuntimeError", e, "cause:", repr(e.__cause__))
def prefix(p):
    return lambda fn: lambda *a: p + fn(*a)
@prefix(">> ")
def msg(s):
    return s
print(msg("decorated by lambdas"))
