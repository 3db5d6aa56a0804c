# __call__ makes instances callable; callable() on functions, classes, instances and builtins.
class Multiplier:
    def __init__(self, k):
        self.k = k
        self.calls = 0
    def __call__(self, x, *rest):
        self.calls += 1
        return x * self.k + sum(rest)
triple = Multiplier(3)
print(triple(4), triple(1, 10, 20), triple.calls)
print(list(map(triple, [1, 2, 3])), triple.calls)
print(sorted([3, -1, 2], key=Multiplier(-1)))
class Plain:
    pass
def fn():
    pass
print(callable(triple), callable(Plain()), callable(Plain), callable(fn), callable(len), callable(5), callable("s"))
class Pipeline:
    def __init__(self, *steps):
        self.steps = steps
    def __call__(self, value):
        for s in self.steps:
            value = s(value)
        return value
p = Pipeline(str.strip, str.lower, lambda s: s.replace(" ", "_"))
print(p("  Hello World  "))
print(Pipeline(Multiplier(2), Multiplier(5))(3))
