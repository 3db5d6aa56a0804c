# @property getters, setters with validation, computed properties and read-only errors.
class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self._balance = 0
        self.balance = balance
    @property
    def balance(self):
        return self._balance
    @balance.setter
    def balance(self, value):
        if value < 0:
            raise ValueError("balance cannot be negative: %r" % value)
        self._balance = value
    @property
    def summary(self):
        return "%s: %d" % (self.owner, self._balance)
acc = Account("ann", 50)
print(acc.balance, acc.summary)
acc.balance += 25
print(acc.balance)
try:
    acc.balance = -1
except ValueError as e:
    print("ValueError", e)
try:
    acc.summary = "x"
except AttributeError as e:
    print("AttributeError", e)
try:
    Account("bob", -5)
except ValueError as e:
    print("ctor ValueError", e)
class Rect:
    def __init__(self, w, h):
        self.w, self.h = w, h
    @property
    def area(self):
        return self.w * self.h
    @property
    def ratio(self):
        return self.w / self.h
r = Rect(3, 4)
print(r.area, r.ratio)
r.w = 6
print(r.area, r.ratio, isinstance(Rect.area, property))
