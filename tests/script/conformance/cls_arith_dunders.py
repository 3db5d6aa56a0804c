# Arithmetic dunders: __add__, __radd__, __sub__, __mul__, __rmul__, __truediv__, __neg__.
class Vec:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        if isinstance(o, Vec):
            return Vec(self.x + o.x, self.y + o.y)
        return NotImplemented
    def __radd__(self, o):
        if o == 0:
            return self
        return NotImplemented
    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)
    def __mul__(self, k):
        if isinstance(k, (int, float)):
            return Vec(self.x * k, self.y * k)
        return NotImplemented
    def __rmul__(self, k):
        return self * k
    def __truediv__(self, k):
        return Vec(self.x / k, self.y / k)
    def __neg__(self):
        return Vec(-self.x, -self.y)
    def __eq__(self, o):
        return isinstance(o, Vec) and (self.x, self.y) == (o.x, o.y)
    def __repr__(self):
        return "Vec(%r, %r)" % (self.x, self.y)
a, b = Vec(1, 2), Vec(3, 5)
print(a + b, b - a, a * 3, 3 * a, b / 2, -a, a * 1.5)
print(sum([a, b, Vec(0, 1)]), sum([], Vec(0, 0)))
print(a + b == Vec(4, 7), -(-a) == a)
try:
    a + 1
except TypeError as e:
    print("TypeError", e)
try:
    a * "s"
except TypeError as e:
    print("TypeError", e)
try:
    "s" - a
except TypeError as e:
    print("TypeError", e)
