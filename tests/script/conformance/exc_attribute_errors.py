# AttributeError messages for instances, classes, modules and builtins.
import math
class Thing:
    kind = "thing"
    def __init__(self):
        self.name = "t"
t = Thing()
def show(fn):
    try:
        print(fn())
    except AttributeError as e:
        print("AttributeError:", e)
show(lambda: t.name)
show(lambda: t.missing)
show(lambda: Thing.missing)
show(lambda: math.nope)
show(lambda: (1).nope)
show(lambda: [].push)
show(lambda: "s".length)
show(lambda: {}.has_key)
show(lambda: None.append)
show(lambda: t.kind)
def set_on_int():
    x = 5
    x.attr = 1
show(set_on_int)
def set_on_str():
    "s".upper = None
show(set_on_str)
print(getattr(t, "missing", "default"), hasattr(t, "name"), hasattr(t, "missing"))
try:
    getattr(t, "missing")
except AttributeError as e:
    print("getattr:", e)
