# The `as` target is deleted after the handler; saving it to another name keeps it alive.
saved = None
try:
    raise ValueError("keep me")
except ValueError as err:
    saved = err
print(repr(saved))
try:
    err
except NameError as e:
    print("NameError", e)
err = "preexisting"
try:
    1 / 0
except ZeroDivisionError as err:
    pass
try:
    print(err)
except NameError as e:
    print("NameError after rebinding:", e)
def f():
    e = "local"
    try:
        raise KeyError("x")
    except KeyError as e:
        pass
    try:
        return e
    except UnboundLocalError as u:
        return "UnboundLocalError: " + str(u)
print(f())
results = []
for i in range(3):
    try:
        if i == 1:
            raise IndexError(i)
        results.append(i)
    except IndexError as ex:
        results.append("err" + str(ex))
print(results)
