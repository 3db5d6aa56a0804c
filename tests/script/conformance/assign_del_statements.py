# del on names, list items, slices, dict keys and attributes, and errors afterwards.
x = 5
del x
try:
    print(x)
except NameError as e:
    print("NameError", e)
lst = list(range(8))
del lst[0]
del lst[-1]
del lst[1:3]
print(lst)
del lst[::2]
print(lst)
d = {"a": 1, "b": 2, "c": 3}
del d["b"]
print(d)
class Obj:
    pass
o = Obj()
o.attr = 1
o.other = 2
del o.attr
print(hasattr(o, "attr"), hasattr(o, "other"))
try:
    del o.attr
except AttributeError as e:
    print("AttributeError", e)
a, b = 1, 2
del a, b
try:
    b
except NameError as e:
    print("NameError", e)
try:
    del lst[10]
except IndexError as e:
    print("IndexError", e)
t = (1, 2)
try:
    del t[0]
except TypeError as e:
    print("TypeError", e)
