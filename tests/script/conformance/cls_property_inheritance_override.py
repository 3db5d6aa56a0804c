# Properties inherited by subclasses, overridden properties, and setters calling validation hooks.
class Shape:
    def __init__(self, name):
        self._name = name
    @property
    def name(self):
        return self._name.title()
    @property
    def area(self):
        return 0.0
    def describe(self):
        return "%s with area %.2f" % (self.name, self.area)
class Circle(Shape):
    def __init__(self, r):
        super().__init__("circle")
        self.radius = r
    @property
    def radius(self):
        return self._r
    @radius.setter
    def radius(self, r):
        if r < 0:
            raise ValueError("radius must be >= 0")
        self._r = r
    @property
    def area(self):
        return 3.14159 * self._r ** 2
class Square(Shape):
    def __init__(self, side):
        super().__init__("square")
        self.side = side
    @property
    def area(self):
        return float(self.side ** 2)
    @property
    def name(self):
        return "Square[%d]" % self.side
shapes = [Shape("blob"), Circle(2), Square(3)]
for s in shapes:
    print(s.describe())
c = shapes[1]
c.radius = 0.5
print(c.describe(), c.radius)
try:
    c.radius = -1
except ValueError as e:
    print("ValueError", e)
print(sorted(s.name for s in shapes), max(shapes, key=lambda s: s.area).name)
