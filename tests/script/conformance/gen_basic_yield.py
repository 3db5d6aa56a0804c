# Generator functions: lazy execution order, exhaustion, next with default.
def gen():
    print("  start")
    yield 1
    print("  after 1")
    yield 2
    print("  end")
g = gen()
print("created")
print(next(g))
print(next(g))
print(next(g, "done"))
print(next(g, "still done"))
print(list(gen()))
def countdown(n):
    while n > 0:
        yield n
        n -= 1
print(list(countdown(5)), sum(countdown(100)))
c = countdown(3)
for v in c:
    print("loop", v)
print(list(c))
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
f = fib()
print([next(f) for _ in range(12)])
try:
    next(iter([]))
except StopIteration as e:
    print("StopIteration", repr(e))
