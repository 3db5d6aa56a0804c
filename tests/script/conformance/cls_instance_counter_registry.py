# Class-level registries and counters updated from __init__ across a small class hierarchy.
class Plugin:
    registry = {}
    count = 0
    def __init__(self, name):
        self.name = name
        Plugin.count += 1
        type(self).registry.setdefault(type(self).__name__, []).append(name)
    def run(self, x):
        return x
class Doubler(Plugin):
    def run(self, x):
        return x * 2
class Adder(Plugin):
    def __init__(self, name, k):
        super().__init__(name)
        self.k = k
    def run(self, x):
        return x + self.k
plugins = [Doubler("d1"), Adder("a1", 5), Plugin("p"), Doubler("d2"), Adder("a2", -1)]
print(Plugin.count, Plugin.registry)
print(Doubler.registry is Plugin.registry)
value = 1
for p in plugins:
    value = p.run(value)
    print(p.name, type(p).__name__, value)
by_type = {}
for p in plugins:
    by_type.setdefault(type(p).__name__, 0)
    by_type[type(p).__name__] += 1
print(by_type, [p.name for p in plugins if isinstance(p, Doubler)])
