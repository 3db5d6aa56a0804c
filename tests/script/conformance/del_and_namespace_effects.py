# del on list elements while tracking indices, dict keys during rebuilds, and object attributes.
data = list(range(10))
del data[1], data[2]
print(data)
del data[-3:]
print(data)
cfg = {"a": 1, "b": 2, "c": 3, "d": 4}
for k in [k for k in cfg if cfg[k] % 2 == 0]:
    del cfg[k]
print(cfg)
class Obj:
    cls_attr = "class"
o = Obj()
o.cls_attr = "instance"
print(o.cls_attr)
del o.cls_attr
print(o.cls_attr)
try:
    del o.cls_attr
except AttributeError as e:
    print("AttributeError", e)
nested = {"x": {"y": [1, 2, 3]}}
del nested["x"]["y"][0]
print(nested)
a = b = [1]
del a
print(b)
def f():
    v = 1
    del v
    v = 2
    return v
print(f())
