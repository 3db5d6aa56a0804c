# Exceptions raised inside dunder methods propagate through operators, len(), iteration and str().
class Touchy:
    def __len__(self):
        raise RuntimeError("len failed")
    def __add__(self, other):
        raise ValueError("cannot add %r" % (other,))
    def __iter__(self):
        yield 1
        raise KeyError("iteration broke")
    def __str__(self):
        raise TypeError("no str for you")
    def __eq__(self, other):
        raise LookupError("eq exploded")
    __hash__ = None
t = Touchy()
def show(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
show("len", lambda: len(t))
show("bool", lambda: bool(t))
show("add", lambda: t + 1)
show("str", lambda: str(t))
show("fstr", lambda: f"{t}")
show("eq", lambda: t == 1)
show("in", lambda: t in [1, 2])
show("hash", lambda: hash(t))
show("sum", lambda: sum(t))
