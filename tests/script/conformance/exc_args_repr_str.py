# Exception args, str() and repr() for zero, one and several arguments.
excs = [ValueError(), ValueError("msg"), ValueError("a", 1), KeyError("k"), KeyError(), KeyError("a", "b"),
        IndexError(5), TypeError(None), RuntimeError(""), Exception([1, 2]), StopIteration(7),
        AssertionError("assert msg"), ZeroDivisionError("division by zero")]
for e in excs:
    print(repr(e), "|", str(e), "|", e.args)
e = ValueError("x")
e.args = ("changed", 2)
print(e, repr(e))
print(type(e).__name__, type(e) is ValueError, isinstance(e, Exception))
class WithRepr(Exception):
    def __repr__(self):
        return "WithRepr<custom>"
print(repr(WithRepr("z")), str(WithRepr("z")))
print(repr(BaseException("base")), str(Exception(1, 2)))
