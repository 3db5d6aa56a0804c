# Class definition, __init__, instance vs class attributes, methods and bound method calls.
class Counter:
    created = 0
    step = 1
    def __init__(self, name, start=0):
        self.name = name
        self.value = start
        Counter.created += 1
    def incr(self, times=1):
        for _ in range(times):
            self.value += self.step
        return self
    def describe(self):
        return "%s=%d" % (self.name, self.value)
a = Counter("a")
b = Counter("b", 10)
a.incr().incr(3)
b.step = 5
b.incr(2)
print(a.describe(), b.describe(), Counter.created, a.created)
print(a.step, b.step, Counter.step)
Counter.step = 2
print(a.incr().value, b.incr().value)
m = a.incr
print(m().value, m().value)
print(Counter.describe(a))
print(type(a).__name__, type(a) is Counter, isinstance(a, Counter), Counter)
print(hasattr(a, "value"), hasattr(a, "nope"), getattr(a, "name"))
setattr(a, "extra", [1])
print(a.extra)
class Shared:
    items = []
    def add(self, x):
        self.items.append(x)
s1, s2 = Shared(), Shared()
s1.add(1)
s2.add(2)
print(Shared.items, s1.items is s2.items)
