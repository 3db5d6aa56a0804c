# OrderedDict move_to_end, popitem(last=...), order-sensitive equality and repr.
from collections import OrderedDict
od = OrderedDict()
od["b"] = 2
od["a"] = 1
od["c"] = 3
print(od, list(od))
od.move_to_end("b")
print(list(od.items()))
od.move_to_end("c", last=False)
print(od)
print(od.popitem(), od.popitem(last=False), od)
x = OrderedDict([("k1", 1), ("k2", 2)])
y = OrderedDict([("k2", 2), ("k1", 1)])
print(x == y, dict(x) == dict(y), x == dict(y))
print(OrderedDict(), OrderedDict(a=1), OrderedDict.fromkeys("ab", 0))
try:
    OrderedDict().popitem()
except KeyError as e:
    print("KeyError", e)
try:
    x.move_to_end("missing")
except KeyError as e:
    print("KeyError", e)
x["k0"] = 0
x.update(k1=10)
print(x, list(reversed(x)))
