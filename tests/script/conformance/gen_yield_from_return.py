# yield from delegation, return values carried in StopIteration.value.
def inner(n):
    for i in range(n):
        yield i
    return "inner done %d" % n
def outer():
    r1 = yield from inner(2)
    print("r1 =", r1)
    r2 = yield from inner(3)
    print("r2 =", r2)
    return r1 + "; " + r2
g = outer()
print(list(g))
def only_return():
    return 42
    yield
g2 = only_return()
try:
    next(g2)
except StopIteration as e:
    print("value:", e.value, e.args)
def chain(*iters):
    for it in iters:
        yield from it
print(list(chain([1, 2], "ab", range(2), (x * 10 for x in range(2)))))
def tree_walk(node):
    yield node["v"]
    for k in node.get("kids", []):
        yield from tree_walk(k)
t = {"v": 1, "kids": [{"v": 2, "kids": [{"v": 3}]}, {"v": 4}]}
print(list(tree_walk(t)))
def get_result():
    res = yield from outer()
    yield "final: " + res
print(list(get_result())[-1])
def delegate_send():
    got = yield from accumulate_sends()
    yield got
def accumulate_sends():
    items = []
    while True:
        x = yield len(items)
        if x is None:
            return items
        items.append(x)
d = delegate_send()
print(next(d), d.send("a"), d.send("b"), d.send(None))
