# UnboundLocalError when a name is assigned later in the function, and NameError for unknowns.
x = 10
def bad_read():
    print(x)
    x = 5
def bad_augment():
    x += 1
def good():
    return x + 1
def show(fn):
    try:
        fn()
    except UnboundLocalError as e:
        print("UnboundLocalError", e)
    except NameError as e:
        print("NameError", e)
show(bad_read)
show(bad_augment)
print(good())
def uses_undefined():
    return undefined_name + 1
show(uses_undefined)
def conditional(flag):
    if flag:
        y = 1
    return y
print(conditional(True))
show(lambda: conditional(False))
def deleted():
    z = 1
    del z
    return z
show(deleted)
print(issubclass(UnboundLocalError, NameError))
def enclosing():
    v = 1
    def inner():
        return v
    del v
    return inner
try:
    enclosing()()
except NameError as e:
    print(type(e).__name__, e)
