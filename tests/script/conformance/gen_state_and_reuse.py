# Generator objects are single-use; generator functions create fresh ones; exhaustion after errors.
def numbers(n):
    for i in range(n):
        yield i
g = numbers(3)
print(list(g), list(g), list(numbers(3)))
def failing():
    yield 1
    raise ValueError("mid-stream")
    yield 2
f = failing()
print(next(f))
try:
    next(f)
except ValueError as e:
    print("ValueError", e)
print(next(f, "exhausted after error"))
def gen_with_default(items, default="none"):
    if not items:
        yield default
        return
    yield from items
print(list(gen_with_default([])), list(gen_with_default(["a", "b"])))
def interleave(*gens):
    gens = [iter(g) for g in gens]
    while gens:
        for g in list(gens):
            try:
                yield next(g)
            except StopIteration:
                gens.remove(g)
print(list(interleave("abc", [1, 2], range(10, 14))))
def take(n, it):
    out = []
    for x in it:
        if len(out) == n:
            break
        out.append(x)
    return out
squares = (x * x for x in range(100))
print(take(3, squares), take(3, squares))
