# Exceptions raised during __init__ propagate; constructor argument errors name the class.
class Strict:
    def __init__(self, n):
        if not isinstance(n, int):
            raise TypeError("n must be int, not " + type(n).__name__)
        self.n = n
def show(fn):
    try:
        obj = fn()
        print("built", obj.n)
    except TypeError as e:
        print("TypeError", e)
show(lambda: Strict(3))
show(lambda: Strict("3"))
show(lambda: Strict())
show(lambda: Strict(1, 2))
show(lambda: Strict(m=1))
class NoInit:
    pass
try:
    NoInit(1)
except TypeError as e:
    print("TypeError", e)
class Returns:
    def __init__(self):
        return 5
try:
    Returns()
except TypeError as e:
    print("TypeError", e)
class Partial:
    def __init__(self):
        self.a = 1
        raise ValueError("half built")
try:
    Partial()
except ValueError as e:
    print("ValueError", e)
