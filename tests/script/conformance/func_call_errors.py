# TypeError messages for wrong argument counts and names in calls.
def f(x):
    return x
def g(a, b, c=0):
    return a
def h(*, k):
    return k
class C:
    def m(self, v):
        return v
def show(fn):
    try:
        print(fn())
    except TypeError as e:
        print("TypeError", e)
show(lambda: f())
show(lambda: f(1, 2))
show(lambda: f(y=1))
show(lambda: f(1, x=2))
show(lambda: g())
show(lambda: g(1))
show(lambda: g(1, 2, 3, 4))
show(lambda: g(1, 2, d=3))
show(lambda: h())
show(lambda: h(1))
show(lambda: C().m())
show(lambda: C().m(1, 2))
def zero():
    return 0
def two(a, b):
    return a
show(lambda: zero(1))
show(lambda: two(1))
show(lambda: f(**{"x": 1, "y": 2}))
show(lambda: f(*[1, 2, 3]))
show(lambda: len())
show(lambda: len([], []))
num, text = 5, "s"
show(lambda: num())
show(lambda: text())
