# return with no value, multiple values, early returns, and returning functions.
def nothing():
    return
def implicit():
    x = 1
def multi():
    return 1, "two", [3]
def early(n):
    for i in range(n):
        if i * i > n:
            return i
    return -1
def make_adder(k):
    def add(x):
        return x + k
    return add
print(nothing(), implicit(), multi(), early(10), early(0))
a, b, c = multi()
print(a, b, c)
add5 = make_adder(5)
print(add5(1), make_adder(-1)(1), callable(add5))
def sign(x):
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0
print([sign(v) for v in (-3, 0, 8)])
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(0), fact(5), fact(20))
def gcd(a, b):
    while b:
        a, b = b, a % b
    return a
print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
