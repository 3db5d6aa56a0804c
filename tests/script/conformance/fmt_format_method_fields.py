# str.format with positional, keyword, indexed, attribute and item fields.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y
p = Point(3, 4)
print("{} {} {}".format("a", "b", "c"))
print("{2} {1} {0} {0}".format("a", "b", "c"))
print("{name} is {age}".format(name="Bob", age=30))
print("{0[1]} {0[0]} {1[k]}".format(["x", "y"], {"k": "v"}))
print("{p.x},{p.y}".format(p=p), "{0.x}".format(p))
print("{d[name]} {d[age]}".format(d={"name": "Eve", "age": 7}))
print("{{literal}} {}".format(1), "{{}}".format())
print("{0}{1}{0}".format("ab", "-"))
print("{!r} {!s} {!a}".format("é", "é", "é"))
print("{0!r:>8}|{1!s:<6}|".format("x", 3))
data = {"user": {"first": "Ann"}, "tags": ["a", "b"]}
print("{0[user][first]} {0[tags][1]}".format(data))
print("{} {}".format(*["unpacked", "args"]), "{a}-{b}".format(**{"a": 1, "b": 2}))
