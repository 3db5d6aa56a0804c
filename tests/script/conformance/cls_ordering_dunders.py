# __lt__, __le__, __gt__ and reflected comparisons; sorting user objects; min/max.
class Version:
    def __init__(self, s):
        self.parts = tuple(int(p) for p in s.split("."))
    def __lt__(self, other):
        return self.parts < other.parts
    def __le__(self, other):
        return self.parts <= other.parts
    def __eq__(self, other):
        return self.parts == other.parts
    def __repr__(self):
        return "V" + ".".join(map(str, self.parts))
vs = [Version(s) for s in ["1.10.0", "1.2.3", "1.2", "0.9.9", "1.2.3"]]
print(sorted(vs), max(vs), min(vs))
a, b = Version("1.2"), Version("1.3")
print(a < b, a <= b, a > b, a >= b, b > a, a == Version("1.2"))
class OnlyGt:
    def __init__(self, v):
        self.v = v
    def __gt__(self, other):
        return self.v > other.v
x, y = OnlyGt(1), OnlyGt(2)
print(x < y, y < x, x > y)
try:
    x <= y
except TypeError as e:
    print("TypeError", e)
class Task:
    def __init__(self, pri, name):
        self.pri, self.name = pri, name
    def __lt__(self, other):
        return (self.pri, self.name) < (other.pri, other.name)
tasks = [Task(2, "b"), Task(1, "z"), Task(2, "a")]
print([t.name for t in sorted(tasks)], [t.name for t in sorted(tasks, reverse=True)])
