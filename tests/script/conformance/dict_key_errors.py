# KeyError behaviour: messages, repr of keys, and errors for unhashable keys.
d = {"a": 1, 2: "two", (1, 2): "tuple"}
def show(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e, repr(e), e.args)
show(lambda: d["missing"])
show(lambda: d[3])
show(lambda: d[(1, 3)])
show(lambda: d[""])
show(lambda: d.pop("nope"))
show(lambda: {}.popitem())
show(lambda: d[[1]])
show(lambda: {[1]: 2})
show(lambda: d.get([1]))
show(lambda: {1: 2}[None])
def delete():
    del d["zz"]
show(delete)
print(issubclass(KeyError, LookupError), isinstance(KeyError("k"), LookupError))
try:
    d["q"]
except LookupError as e:
    print("caught LookupError", repr(e))
