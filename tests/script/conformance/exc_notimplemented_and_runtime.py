# NotImplementedError from abstract-style methods, RuntimeError messages, and NotImplemented vs error.
class Base:
    def area(self):
        raise NotImplementedError(type(self).__name__ + ".area")
    def name(self):
        raise NotImplementedError
class Sq(Base):
    def area(self):
        return 4
for obj in [Base(), Sq()]:
    for meth in ["area", "name"]:
        try:
            print(type(obj).__name__, meth, getattr(obj, meth)())
        except NotImplementedError as e:
            print(type(obj).__name__, meth, "NotImplementedError", repr(e), str(e) == "")
print(issubclass(NotImplementedError, RuntimeError), NotImplemented is NotImplemented)
def mutate_while_iterating():
    d = {1: 1}
    for k in d:
        d[k + 1] = 1
def mutate_set():
    s = {1, 2}
    for x in s:
        s.add(x + 10)
for fn in [mutate_while_iterating, mutate_set]:
    try:
        fn()
    except RuntimeError as e:
        print("RuntimeError", e)
try:
    raise RuntimeError("custom runtime", 42)
except RuntimeError as e:
    print(e.args, str(e))
