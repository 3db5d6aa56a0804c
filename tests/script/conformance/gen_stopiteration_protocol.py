# Iterator protocol details: iter() on iterators, StopIteration in generators becomes RuntimeError.
it = iter([1, 2])
print(iter(it) is it, next(it), next(it), next(it, "end"))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", e.args, e.value)
def leaky():
    yield 1
    raise StopIteration("boom")
try:
    list(leaky())
except RuntimeError as e:
    print("RuntimeError", e)
def gen_return_value():
    yield "a"
    return "rv"
g = gen_return_value()
next(g)
try:
    next(g)
except StopIteration as e:
    print("value", repr(e.value))
def chunks(seq, n):
    it = iter(seq)
    while True:
        chunk = []
        for _ in range(n):
            try:
                chunk.append(next(it))
            except StopIteration:
                break
        if not chunk:
            return
        yield chunk
print(list(chunks(range(7), 3)), list(chunks([], 2)))
s = iter("ab")
print(list(s), list(s))
print(next(iter(range(5, 10))), next(iter({"k": 1})))
