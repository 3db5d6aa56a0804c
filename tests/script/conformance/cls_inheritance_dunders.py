# Dunders and properties are inherited and can be overridden; super() inside dunders.
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __add__(self, other):
        return type(self)(self.cents + other.cents)
    def __eq__(self, other):
        return type(self) is type(other) and self.cents == other.cents
    def __hash__(self):
        return hash(self.cents)
    def __repr__(self):
        return "%s(%d)" % (type(self).__name__, self.cents)
    def __str__(self):
        return "%d.%02d" % divmod(self.cents, 100)
    @property
    def whole(self):
        return self.cents // 100
class Euro(Money):
    def __str__(self):
        return "EUR " + super().__str__()
class Dollar(Money):
    def __repr__(self):
        return "$" + super().__repr__()
e = Euro(150) + Euro(275)
d = Dollar(99) + Dollar(1)
print(e, repr(e), d, repr(d), e.whole, d.whole)
print(Euro(5) == Euro(5), Euro(5) == Dollar(5), len({Euro(1), Euro(1), Dollar(1)}))
print([Euro(1), Dollar(2)], str(Money(7)), f"{Euro(1234)}")
print(sorted([Euro(300), Euro(100), Euro(200)], key=lambda m: m.cents))
