# bool and None: truthiness, identity, repr and operations.
print(True, False, None, repr(None), str(True))
print(bool(0), bool(1), bool(-1), bool(0.0), bool(0.1), bool(""), bool(" "), bool([]), bool([0]))
print(bool({}), bool({0: 0}), bool(()), bool(set()), bool(None), bool(range(0)), bool(range(1)))
print(None is None, None == None, None == 0, None == False, not None)
print(type(None).__name__, type(True).__name__, type(None) is type(None))
print(True == 1, False == 0, True is True, True + 0.5)
x = None
print(x is None, x is not None, x or "default", x and "never")
print(str(None), str(False), [None, True, False])
print(int(True) + int(False), float(False))
print(bool("False"), bool("0"), not "", not 0.0)
def f():
    pass
print(f(), f() is None)
print(any([None, 0, ""]), all([]), any([]))
