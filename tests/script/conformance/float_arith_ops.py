# Float arithmetic: floor division, modulo, power and mixed int/float operations.
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2)
print(divmod(7.5, 2), divmod(-7.5, 2))
print(2 ** 0.5, 10 ** -2, 2.0 ** 10, (-8) ** 2.0)
print(1 / 4, 3 / 2, 10 / 5, type(10 / 5).__name__)
print(0.1 + 0.7, 0.7 - 0.1, 1.1 * 3, 4.35 * 100)
print(1e-3 * 1e3, 1e10 / 3, 2.0 * 3, 7 / 7.0)
print(-0.0 == 0.0, -0.0, 0.0 * -1, abs(-0.0))
print(5.0 // 0.1, 5.0 % 0.1)
x = 1.0
for _ in range(10):
    x += 0.1
print(x, x == 2.0)
print(sum([0.1] * 10), sum([0.1] * 10) == 1.0)
print(3.0 == 3, 3.5 > 3, 2.9999999999999996 == 3.0)
print(float(7) / 2, 7 // 2.0, int(7 / 2))
