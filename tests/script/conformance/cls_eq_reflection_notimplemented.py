# NotImplemented from __eq__/__lt__ triggers the reflected method or the default fallback.
class A:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        print("  A.__eq__")
        if isinstance(other, A):
            return self.v == other.v
        return NotImplemented
    def __lt__(self, other):
        print("  A.__lt__")
        return NotImplemented
class B:
    def __init__(self, v):
        self.v = v
    def __eq__(self, other):
        print("  B.__eq__")
        return getattr(other, "v", None) == self.v
    def __gt__(self, other):
        print("  B.__gt__")
        return True
print(A(1) == A(1))
print(A(1) == B(1))
print(A(1) == 5)
print(A(1) != 5)
print(A(1) < B(0))
try:
    A(1) < A(2)
except TypeError as e:
    print("TypeError", e)
print(B(2) == A(2))
