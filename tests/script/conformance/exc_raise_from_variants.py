# raise ... from with classes and instances, explicit cause replaced, and context preserved alongside.
def a():
    raise ValueError("root")
def b():
    try:
        a()
    except ValueError as e:
        raise KeyError("mid") from e
def c():
    try:
        b()
    except KeyError as e:
        raise RuntimeError("top") from TypeError("other cause")
try:
    c()
except RuntimeError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), repr(e.__context__.__cause__))
try:
    raise IndexError from ValueError
except IndexError as e:
    print(repr(e), repr(e.__cause__), e.__suppress_context__)
try:
    try:
        raise ValueError("first")
    except ValueError:
        raise TypeError("second") from None
except TypeError as e:
    print(e.__cause__, repr(e.__context__), e.__suppress_context__)
e = RuntimeError("manual")
e.__cause__ = ValueError("assigned")
print(repr(e.__cause__), e.__suppress_context__)
try:
    raise ValueError("x") from 5
except TypeError as err:
    print("TypeError", err)
