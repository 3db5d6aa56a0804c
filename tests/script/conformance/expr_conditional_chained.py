# Conditional expressions and chained comparisons, including evaluation counts.
calls = []
def v(x):
    calls.append(x)
    return x
print(1 < v(2) < 3, calls)
calls.clear()
print(5 < v(2) < v(10), calls)
calls.clear()
print(v(1) == v(1) != v(2), calls)
x = 5
print(0 < x < 10, 0 < x > 3, 1 <= x <= 5 < 6, x == 5 == 5.0, 1 < 2 < 3 < 2)
print("a" < "b" < "c", [1] < [2] <= [2], None is None is not False)
print(3 in [1, 3] in [[1, 3]], 2 not in [1] not in [[2]])
for n in [-3, 0, 4, 15]:
    size = "neg" if n < 0 else "zero" if n == 0 else "small" if n < 10 else "big"
    print(n, size)
print([("even" if i % 2 == 0 else "odd") for i in range(4)])
a = b = 3
print(a is b, (a if a > b else b), max(a, b) if a != b else "tie")
f = (lambda: "yes") if x else (lambda: "no")
print(f())
print(1 if [] else 2 if {} else 3 if "" else 4)
