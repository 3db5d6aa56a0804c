# Identity vs equality, membership operators, unary ops and operator precedence with not/in.
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, a is not c, not a == c)
print(not 1 in [1, 2], not (1 in [1, 2]), 1 not in [2])
zero = 0
print(None is None, zero is not None, (1, 2) == (1, 2))
print(-(-3), +(-3), -+-3, ~~7, not not 0)
print(2 + 3 * 4 ** 2 // 5 % 7, (2 + 3) * 4)
print(True + True == 2, (3 > 2) * 10)
print("ab" in "cabd", "" in "", [] in [[]], {} in [{}])
print(1 == 1.0 == True, "1" == 1)
x = 10
x = x * 2 if x > 5 else x
print(x)
print((1, 2) + (3,), [1] * 3 + [2], "x" * 2 + "y")
print(7 // 2 * 2 + 7 % 2, 2 ** -1 * 4)
print(isinstance(3 / 1, float), 6 / 3 == 2)
s = {1, 2}
print(1 in s and 3 not in s, "k" in {"k": 1}, 1 in {"k": 1}.values())
