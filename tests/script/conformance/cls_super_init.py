# Single inheritance: super().__init__, method overriding, super() method calls, MRO lookup.
class Animal:
    sound = "..."
    def __init__(self, name, legs=4):
        self.name = name
        self.legs = legs
    def speak(self):
        return "%s says %s" % (self.name, self.sound)
    def info(self):
        return "%s has %d legs" % (self.name, self.legs)
class Bird(Animal):
    sound = "tweet"
    def __init__(self, name, can_fly=True):
        super().__init__(name, legs=2)
        self.can_fly = can_fly
    def info(self):
        base = super().info()
        return base + (" and flies" if self.can_fly else " and walks")
class Penguin(Bird):
    sound = "squawk"
    def __init__(self, name):
        super().__init__(name, can_fly=False)
    def speak(self):
        return super().speak().upper()
for a in [Animal("dog"), Bird("robin"), Penguin("pingu")]:
    print(a.speak(), "|", a.info())
p = Penguin("p")
print(isinstance(p, Bird), isinstance(p, Animal), isinstance(p, Penguin), isinstance(Animal("x"), Bird))
print(issubclass(Penguin, Animal), issubclass(Animal, Penguin), issubclass(Bird, (int, Animal)))
print(type(p).__name__, Penguin.__name__, type(p) is Bird)
class Explicit(Animal):
    def __init__(self, name):
        super(Explicit, self).__init__(name, 3)
print(Explicit("tri").info())
class NoInit(Animal):
    pass
print(NoInit("inherits").info())
