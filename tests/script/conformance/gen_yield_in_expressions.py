# yield used as an expression: values sent in, default None from next(), yield in conditions.
def echo_upper():
    result = None
    while True:
        received = yield result
        result = received.upper() if isinstance(received, str) else received
g = echo_upper()
print(next(g), g.send("abc"), g.send(5), next(g), g.send("x"))
def accumulate():
    total = 0
    while True:
        step = yield total
        if step is None:
            step = 1
        total += step
a = accumulate()
print(next(a), next(a), a.send(10), next(a), a.send(-4))
def pair_gen():
    x = yield "first"
    y = yield "second got %r" % (x,)
    yield "third got %r" % (y,)
p = pair_gen()
print(next(p), p.send("A"), p.send("B"), next(p, "done"))
def counter_with_reset():
    i = 0
    while True:
        if (yield i) == "reset":
            i = 0
        else:
            i += 1
c = counter_with_reset()
print([next(c), next(c), next(c), c.send("reset"), next(c)])
