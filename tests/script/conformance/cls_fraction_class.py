# A Fraction-like class: normalization with gcd, arithmetic dunders, comparisons and hashing.
import math
class Frac:
    def __init__(self, num, den=1):
        if den == 0:
            raise ZeroDivisionError("Frac(%d, 0)" % num)
        if den < 0:
            num, den = -num, -den
        g = math.gcd(num, den)
        self.num, self.den = num // g, den // g
    def __add__(self, o):
        o = o if isinstance(o, Frac) else Frac(o)
        return Frac(self.num * o.den + o.num * self.den, self.den * o.den)
    __radd__ = __add__
    def __sub__(self, o):
        return self + (-o)
    def __neg__(self):
        return Frac(-self.num, self.den)
    def __mul__(self, o):
        o = o if isinstance(o, Frac) else Frac(o)
        return Frac(self.num * o.num, self.den * o.den)
    __rmul__ = __mul__
    def __truediv__(self, o):
        return self * Frac(o.den, o.num)
    def __eq__(self, o):
        return isinstance(o, Frac) and (self.num, self.den) == (o.num, o.den)
    def __lt__(self, o):
        return self.num * o.den < o.num * self.den
    def __hash__(self):
        return hash((self.num, self.den))
    def __repr__(self):
        return "%d/%d" % (self.num, self.den)
a, b = Frac(1, 2), Frac(3, -4)
print(a, b, a + b, a - b, a * b, a / b, -a, 2 * a, a + 1, 1 + a)
print(sum([Frac(1, n) for n in range(1, 7)]), sorted([Frac(2, 3), Frac(1, 2), Frac(5, 6)]))
print(Frac(2, 4) == a, len({Frac(1, 2), Frac(2, 4), Frac(3, 6)}), a < Frac(2, 3))
try:
    Frac(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
