# Bare raise re-raises the active exception; raise inside except sets __context__.
def f():
    try:
        int("bad")
    except ValueError:
        print("logging and re-raising")
        raise
try:
    f()
except ValueError as e:
    print("outer:", e)
def g():
    try:
        [][1]
    except IndexError as e:
        raise KeyError("converted") 
try:
    g()
except KeyError as e:
    print(repr(e), repr(e.__context__), e.__cause__, e.__suppress_context__)
def h():
    try:
        raise TypeError("first")
    except TypeError:
        try:
            raise ValueError("second")
        except ValueError:
            pass
        raise
try:
    h()
except TypeError as e:
    print("re-raised after nested handler:", e)
try:
    raise
except RuntimeError as e:
    print("RuntimeError", e)
def reraise_obj():
    try:
        1 / 0
    except ZeroDivisionError as err:
        saved = err
    raise saved
try:
    reraise_obj()
except ZeroDivisionError as e:
    print("raised saved", e)
