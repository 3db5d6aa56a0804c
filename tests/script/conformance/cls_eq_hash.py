# __eq__ and __hash__: equality, != fallback, unhashable when only __eq__, use in sets/dicts.
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __eq__(self, other):
        if not isinstance(other, Point):
            return NotImplemented
        return (self.x, self.y) == (other.x, other.y)
    def __hash__(self):
        return hash((self.x, self.y))
    def __repr__(self):
        return "Point(%d, %d)" % (self.x, self.y)
a, b, c = Point(1, 2), Point(1, 2), Point(2, 1)
print(a == b, a != b, a == c, a != c, a is b, a == (1, 2), a != "x")
print(len({a, b, c}), {a: "first", b: "second"})
print(a in [c, b], [a, c].index(b), [a, b, c].count(Point(1, 2)))
print(hash(a) == hash(b))
class EqOnly:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        return isinstance(other, EqOnly) and self.v == other.v
try:
    {EqOnly(1)}
except TypeError as e:
    print("TypeError", e)
print(EqOnly(1) == EqOnly(1), EqOnly(1) != EqOnly(2))
class Default:
    pass
d1, d2 = Default(), Default()
print(d1 == d1, d1 == d2, d1 != d2, len({d1, d2, d1}))
class AlwaysEqual:
    def __eq__(self, other):
        return True
    __hash__ = None
print(AlwaysEqual() == 5, 5 == AlwaysEqual(), AlwaysEqual() in [1])
