# __bool__ and __len__ decide truthiness; __bool__ takes precedence; default is True.
class Empty:
    def __len__(self):
        return 0
class Full:
    def __len__(self):
        return 3
class Flag:
    def __init__(self, on):
        self.on = on
    def __bool__(self):
        return self.on
class Both:
    def __bool__(self):
        return False
    def __len__(self):
        return 10
class Plain:
    pass
for obj in [Empty(), Full(), Flag(True), Flag(False), Both(), Plain()]:
    print(type(obj).__name__, bool(obj), "yes" if obj else "no", not obj)
print([type(o).__name__ for o in [Empty(), Full(), Flag(1 == 1)] if o])
print(len(Full()), len(Both()))
class BadBool:
    def __bool__(self):
        return 1
try:
    bool(BadBool())
except TypeError as e:
    print("TypeError", e)
class NegLen:
    def __len__(self):
        return -1
try:
    len(NegLen())
except ValueError as e:
    print("ValueError", e)
print(Flag(False) or "fallback", Flag(True) and "second")
