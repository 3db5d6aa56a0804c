# Exceptions raised inside generators propagate to the consumer; finally runs on exhaustion.
def risky(n):
    try:
        for i in range(n):
            if i == 2:
                raise ValueError("bad item %d" % i)
            yield i
    finally:
        print("risky finally")
out = []
try:
    for v in risky(5):
        out.append(v)
except ValueError as e:
    print("caught", e, out)
def guarded():
    for i in range(4):
        try:
            if i % 2:
                raise KeyError(i)
            yield i
        except KeyError as e:
            yield "err " + repr(e)
print(list(guarded()))
def gen_with_finally():
    try:
        yield 1
        yield 2
    finally:
        print("gen finally")
for x in gen_with_finally():
    print("got", x)
g = gen_with_finally()
print(next(g))
g.close()
print("end")
