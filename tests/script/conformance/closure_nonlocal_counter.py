# Closures capturing variables, nonlocal rebinding and independent closure instances.
def make_counter(start=0):
    count = start
    def inc(step=1):
        nonlocal count
        count += step
        return count
    def get():
        return count
    return inc, get
inc1, get1 = make_counter()
inc2, get2 = make_counter(100)
print(inc1(), inc1(), inc1(5), get1())
print(inc2(), get2(), get1())
def outer():
    x = "outer"
    def middle():
        def inner():
            nonlocal x
            x = "changed by inner"
        inner()
        return x
    r = middle()
    return r, x
print(outer())
def accumulator():
    total = []
    def add(v):
        total.append(v)
        return sum(total)
    return add
acc = accumulator()
print(acc(1), acc(2), acc(3))
def make_multipliers():
    return [lambda x, k=k: x * k for k in range(1, 4)]
print([m(10) for m in make_multipliers()])
