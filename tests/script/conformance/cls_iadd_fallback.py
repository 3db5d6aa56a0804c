# __iadd__ mutates in place; without it += falls back to __add__ and rebinds.
class Acc:
    def __init__(self):
        self.items = []
    def __iadd__(self, other):
        self.items.append(other)
        return self
class Immutable:
    def __init__(self, v):
        self.v = v
    def __add__(self, other):
        return Immutable(self.v + other)
a = Acc()
alias = a
a += 1
a += "two"
print(a.items, alias is a)
i = Immutable(1)
keep = i
i += 5
print(i.v, keep.v, i is keep)
class Holder:
    def __init__(self):
        self.acc = Acc()
h = Holder()
h.acc += 3
d = {"k": Acc()}
d["k"] += 4
print(h.acc.items, d["k"].items)
class BadIadd:
    def __iadd__(self, other):
        return None
x = BadIadd()
x += 1
print(x)
