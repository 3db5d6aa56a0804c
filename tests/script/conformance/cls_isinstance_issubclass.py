# isinstance/issubclass with builtin types, user classes and tuples of types; type() checks.
class Base:
    pass
class Mid(Base):
    pass
class Leaf(Mid):
    pass
objs = [1, 1.5, True, "s", [1], (1,), {1: 2}, {1}, None, Base(), Leaf()]
for o in objs:
    print(type(o).__name__, isinstance(o, int), isinstance(o, (list, tuple)), isinstance(o, Base),
          isinstance(o, (int, str, type(None))), type(o) is int)
print(issubclass(Leaf, Base), issubclass(Leaf, (str, Mid)), issubclass(Base, Leaf), issubclass(Leaf, Leaf))
print(issubclass(bool, int), issubclass(int, object), issubclass(Base, object), isinstance(Base, type))
print(type(Leaf()) is Leaf, type(Leaf()) == Mid, type(Leaf()).__name__)
print(type(3) is int, type(int) is type, type(type(3)).__name__)
try:
    isinstance(1, 1)
except TypeError as e:
    print("TypeError", e)
try:
    issubclass(Leaf(), Base)
except TypeError as e:
    print("TypeError", e)
print(int, str, Base, Leaf, type(None))
