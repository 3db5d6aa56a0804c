# Dispatching on type with isinstance (incl. tuples and bool-before-int ordering) and type().__name__.
def describe(v):
    if isinstance(v, bool):
        return "bool:" + str(v).lower()
    if isinstance(v, int):
        return "int:%d" % v
    if isinstance(v, float):
        return "float:%.2f" % v
    if isinstance(v, str):
        return "str:" + repr(v)
    if isinstance(v, (list, tuple)):
        return type(v).__name__ + "[" + ",".join(describe(x) for x in v) + "]"
    if isinstance(v, dict):
        return "dict{" + ",".join("%s=%s" % (k, describe(x)) for k, x in v.items()) + "}"
    if v is None:
        return "null"
    return "other:" + type(v).__name__
for v in [True, 3, 2.5, "s", [1, "a"], (None, False), {"k": [1.0]}, {1, 2}, range(2)]:
    print(describe(v))
def to_json_like(v):
    t = type(v).__name__
    return {"bool": "boolean", "int": "number", "float": "number", "str": "string", "NoneType": "null"}.get(t, "object")
print([to_json_like(v) for v in [1, 1.5, True, None, "x", []]])
print(type(1) is int, type(True) is int, type(True) is bool, isinstance(True, int), type(1.0) in (int, float))
