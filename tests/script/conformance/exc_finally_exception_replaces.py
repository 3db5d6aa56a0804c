# An exception raised in finally or in an except block replaces the original one.
def f():
    try:
        raise ValueError("original")
    finally:
        raise TypeError("from finally")
try:
    f()
except Exception as e:
    print(type(e).__name__, e, type(e.__context__).__name__, e.__context__)
def g():
    try:
        raise KeyError("k")
    except KeyError:
        raise IndexError("in handler")
try:
    g()
except IndexError as e:
    print(repr(e), repr(e.__context__))
def h():
    try:
        return 1
    finally:
        print("h finally")
print(h())
def nested_finally():
    log = []
    try:
        try:
            log.append("inner try")
            raise ValueError
        finally:
            log.append("inner finally")
    except ValueError:
        log.append("outer except")
    finally:
        log.append("outer finally")
    return log
print(nested_finally())
