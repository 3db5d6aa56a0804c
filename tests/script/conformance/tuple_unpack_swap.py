# Tuple packing/unpacking, swaps, returning multiple values, and unpacking errors.
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = "xyz"
print(x, y, z)
def minmax(seq):
    return min(seq), max(seq)
lo, hi = minmax([3, 9, 1])
print(lo, hi, minmax("hello"))
(p, q), r = (1, 2), 3
print(p, q, r)
for i, (k, v) in enumerate({"a": 1, "b": 2}.items()):
    print(i, k, v)
def show(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__, e)
def too_many():
    a, b = [1, 2, 3]
def too_few():
    a, b, c = (1, 2)
def not_iter():
    a, b = 5
show(too_many)
show(too_few)
show(not_iter)
fib = [0, 1]
m, n = 0, 1
for _ in range(10):
    m, n = n, m + n
print(m, n)
