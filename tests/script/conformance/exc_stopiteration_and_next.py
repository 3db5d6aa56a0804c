# StopIteration from next() on exhausted iterators, the default argument, and manual loops.
it = iter([10, 20])
print(next(it), next(it), next(it, None))
try:
    next(it)
except StopIteration as e:
    print("StopIteration", repr(e), e.value)
def manual_for(seq):
    out = []
    it = iter(seq)
    while True:
        try:
            x = next(it)
        except StopIteration:
            break
        out.append(x)
    return out
print(manual_for("abc"), manual_for(range(0)))
g = (x for x in [1])
print(next(g), next(g, "default"))
e = StopIteration("v")
print(e.value, e.args)
e2 = StopIteration()
print(e2.value, e2.args)
try:
    next(5)
except TypeError as err:
    print("TypeError", err)
d = {"a": 1}
keys = iter(d)
print(next(keys), next(keys, "no more keys"))
