# __repr__ and __str__: which one print, str(), repr(), f-strings and containers use.
class Both:
    def __init__(self, v):
        self.v = v
    def __repr__(self):
        return "Both(%r)" % self.v
    def __str__(self):
        return "<both %s>" % self.v
class ReprOnly:
    def __repr__(self):
        return "ReprOnly()"
class StrOnly:
    def __str__(self):
        return "str-only"
b = Both("x")
print(b, str(b), repr(b), f"{b}", f"{b!r}", "%s %r" % (b, b), "{} {!r}".format(b, b))
print([b], (b,), {"k": b}, {b.v: [b]})
r = ReprOnly()
print(r, str(r), [r], f"{r}")
s = StrOnly()
print(s, str(s), "%s" % s)
class Node:
    def __init__(self, val, children=()):
        self.val = val
        self.children = list(children)
    def __repr__(self):
        if not self.children:
            return "Node(%r)" % self.val
        return "Node(%r, %r)" % (self.val, self.children)
print(Node(1, [Node(2), Node("three", [Node(4.5)])]))
