# Default arguments, keyword arguments, and evaluation of defaults at definition time.
def greet(name, greeting="Hello", punct="!"):
    return greeting + ", " + name + punct
print(greet("Ann"), greet("Bob", "Hi"), greet("Cy", punct="?"), greet(punct=".", name="Di"))
def append_to(x, acc=[]):
    acc.append(x)
    return acc
print(append_to(1), append_to(2), append_to(3, []))
def safe_append(x, acc=None):
    if acc is None:
        acc = []
    acc.append(x)
    return acc
print(safe_append(1), safe_append(2))
base = 10
def add(x, y=base):
    return x + y
base = 20
print(add(1))
def power(b, e=2, *, mod=None):
    r = b ** e
    return r % mod if mod else r
print(power(3), power(3, 3), power(3, e=4, mod=10), power(b=2))
def f(a, b=2, c=3):
    return (a, b, c)
print(f(1), f(1, c=9), f(*[7, 8]), f(**{"a": 0, "c": 0}))
