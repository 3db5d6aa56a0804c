# raise X from Y sets __cause__; from None suppresses context; implicit chaining sets __context__.
def load(key):
    data = {"a": 1}
    try:
        return data[key]
    except KeyError as e:
        raise ValueError("missing config %s" % key) from e
try:
    load("b")
except ValueError as e:
    print(repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
def hide():
    try:
        1 / 0
    except ZeroDivisionError:
        raise RuntimeError("clean") from None
try:
    hide()
except RuntimeError as e:
    print(repr(e), e.__cause__, repr(e.__context__), e.__suppress_context__)
def implicit():
    try:
        None.attr
    except AttributeError:
        raise LookupError("during handling")
try:
    implicit()
except LookupError as e:
    print(repr(e), e.__cause__, type(e.__context__).__name__, e.__context__)
try:
    raise IndexError("x") from KeyError("y")
except IndexError as e:
    print(repr(e.__cause__), e.__context__)
chain = None
try:
    try:
        try:
            raise ValueError(1)
        except ValueError:
            raise TypeError(2)
    except TypeError:
        raise KeyError(3)
except KeyError as e:
    chain = e
names = []
while chain is not None:
    names.append(type(chain).__name__ + str(chain.args))
    chain = chain.__context__
print(names)
