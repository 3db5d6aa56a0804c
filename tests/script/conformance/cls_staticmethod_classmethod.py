# @staticmethod and @classmethod: alternate constructors, calls via class and instance, subclassing.
class Temperature:
    unit = "C"
    def __init__(self, degrees):
        self.degrees = degrees
    @classmethod
    def from_fahrenheit(cls, f):
        return cls(round((f - 32) * 5 / 9, 2))
    @classmethod
    def describe_unit(cls):
        return cls.__name__ + " in " + cls.unit
    @staticmethod
    def valid(d):
        return d >= -273.15
    def __repr__(self):
        return "%s(%r)" % (type(self).__name__, self.degrees)
class Kelvinish(Temperature):
    unit = "K"
t = Temperature.from_fahrenheit(212)
k = Kelvinish.from_fahrenheit(32)
print(t, k, type(k).__name__)
print(Temperature.describe_unit(), Kelvinish.describe_unit(), k.describe_unit())
print(Temperature.valid(-300), t.valid(0), Kelvinish.valid(5))
class Registry:
    _items = {}
    @classmethod
    def register(cls, name, value):
        cls._items[name] = value
        return cls
    @classmethod
    def names(cls):
        return sorted(cls._items)
    @staticmethod
    def normalize(name):
        return name.strip().lower()
Registry.register("b", 2).register("a", 1)
print(Registry.names(), Registry.normalize("  MiXed "))
sm = Temperature.valid
print(sm(10), callable(sm))
