# Bank account classes with inheritance, properties, overdraft rules and monthly interest.
class InsufficientFunds(Exception):
    pass
class Account:
    interest = 0.0
    def __init__(self, owner, balance=0):
        self.owner = owner
        self._cents = round(balance * 100)
        self.log = []
    @property
    def balance(self):
        return self._cents / 100
    def deposit(self, amount):
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self._cents += round(amount * 100)
        self.log.append(("dep", amount))
    def withdraw(self, amount):
        if round(amount * 100) > self._cents + self.overdraft_cents():
            raise InsufficientFunds("%s: cannot withdraw %.2f from %.2f" % (self.owner, amount, self.balance))
        self._cents -= round(amount * 100)
        self.log.append(("wd", amount))
    def overdraft_cents(self):
        return 0
    def month_end(self):
        self._cents += round(self._cents * self.interest / 12)
    def __repr__(self):
        return "%s(%r, %.2f)" % (type(self).__name__, self.owner, self.balance)
class Savings(Account):
    interest = 0.03
class Checking(Account):
    def overdraft_cents(self):
        return 5000
accts = [Savings("ann", 1000), Checking("bob", 20.5), Account("cy")]
for a in accts:
    for op, amt in [("deposit", 100), ("withdraw", 150.25), ("withdraw", 2000), ("deposit", -5)]:
        try:
            getattr(a, op)(amt)
        except (InsufficientFunds, ValueError) as e:
            print(type(e).__name__, "-", e)
    a.month_end()
    print(a, a.log)
print(sorted(accts, key=lambda a: a.balance))
