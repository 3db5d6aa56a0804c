# json.dumps default= hook for custom objects and TypeError for unserializable values.
import json
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
def encode(o):
    if isinstance(o, Point):
        return {"x": o.x, "y": o.y}
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    raise TypeError("cannot encode " + type(o).__name__)
print(json.dumps({"p": Point(1, 2), "s": {3, 1, 2}}, default=encode))
print(json.dumps([Point(0, 0), [Point(5, 6)]], default=encode, sort_keys=True))
print(json.dumps({"p": Point(1, 2)}, default=lambda o: "<point>"))
for bad in [{1, 2}, Point(1, 1), {"k": {1}}, {(1, 2): "tuple key"}, Point]:
    try:
        json.dumps(bad)
    except TypeError as e:
        print("TypeError", e)
try:
    json.dumps({"a": Point}, default=encode)
except TypeError as e:
    print("TypeError", e)
try:
    json.loads(5)
except TypeError as e:
    print("TypeError", e)
