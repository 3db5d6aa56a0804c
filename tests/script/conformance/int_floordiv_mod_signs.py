# Floor division and modulo follow the sign of the divisor for all sign combinations.
pairs = [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 3), (1, 5), (-1, 5), (6, 3), (-6, 3)]
for a, b in pairs:
    q = a // b
    r = a % b
    print(a, b, q, r, q * b + r == a)
print(divmod(17, 5), divmod(-17, 5), divmod(17, -5), divmod(-17, -5))
print(-(7 // 2), -7 // 2)
print(2 ** 10, 2 ** 62, (-2) ** 3, 2 ** 0, 0 ** 0)
print(10 ** 18, -(10 ** 18))
print(type(2 ** -1).__name__, 2 ** -1, 4 ** 0.5)
x = 9223372036854775807
print(x, -x - 1)
print(x // 2, x % 1000)
print(abs(-42), abs(0), -abs(5))
