# Decorators applied to methods, combined with property, classmethod and staticmethod.
import functools
def logged(fn):
    @functools.wraps(fn)
    def wrapper(self, *args):
        result = fn(self, *args)
        self.log.append("%s%r -> %r" % (fn.__name__, args, result))
        return result
    return wrapper
class Calc:
    def __init__(self):
        self.log = []
    @logged
    def add(self, a, b):
        return a + b
    @logged
    def neg(self, a):
        return -a
    @property
    @logged
    def zero(self):
        return 0
    @staticmethod
    def helper(x):
        return x * 10
    @classmethod
    def make(cls):
        return cls()
c = Calc.make()
print(c.add(2, 3), c.neg(4), c.zero, Calc.helper(5))
for line in c.log:
    print(line)
def validate_positive(fn):
    def wrapper(self, v):
        if v <= 0:
            raise ValueError("%s needs positive, got %r" % (fn.__name__, v))
        return fn(self, v)
    return wrapper
class Tank:
    def __init__(self):
        self.level = 0
    @validate_positive
    def fill(self, v):
        self.level += v
        return self.level
t = Tank()
print(t.fill(5), t.fill(2))
try:
    t.fill(-1)
except ValueError as e:
    print("ValueError", e)
