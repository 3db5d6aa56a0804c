# Closures see the latest value of captured variables (cells), not the value at creation.
funcs = []
for i in range(3):
    def f():
        return i
    funcs.append(f)
print([fn() for fn in funcs])
def make():
    fs = []
    for j in range(3):
        fs.append(lambda: j)
    j = 99
    return fs
print([fn() for fn in make()])
def capture_then_change():
    v = 1
    get = lambda: v
    v = 2
    return get()
print(capture_then_change())
def counter_pair():
    n = 0
    def inc():
        nonlocal n
        n += 1
    def peek():
        return n
    return inc, peek
inc, peek = counter_pair()
inc()
inc()
print(peek())
def outer(a):
    def mid(b):
        def inner(c):
            return a + b + c
        return inner
    return mid
print(outer(1)(10)(100))
