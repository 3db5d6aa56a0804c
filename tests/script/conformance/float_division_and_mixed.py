# True division always yields float; mixed int/float results; conversion precision at 2**53.
print(6 / 3, 7 / 2, -7 / 2, 1 / 3, 2 ** 62 / 2, type(4 / 2).__name__)
print(7 // 2.0, 7 % 2.5, -7 // 2.0, 7.0 // -2, 2 * 0.5, 3 + 0.0, 10 - 0.5)
print(2 ** 53 / 1, (2 ** 53 + 1) / 1, float(2 ** 53 + 1) == 2 ** 53)
print(10 ** 15 / 10 ** 5, 123456789 / 1000, 1 / 1024, 1 / 3 * 3)
print(int(10 / 3), int(-10 / 3), round(10 / 3, 5), 10 / 3 == 3.3333333333333335)
print(0.5 == 1 / 2, 0.1 == 1 / 10, 1.0 == 1, 2 ** -3, 8 ** (1 / 3))
c, f = 100, None
f = c * 9 / 5 + 32
print(f, (f - 32) * 5 / 9, [round(k * 9 / 5 + 32, 1) for k in (-40, 0, 37)])
print(sum(i / 10 for i in range(10)), sum(range(10)) / 10)
print(1e300 * 1e300, -1e300 * 1e300, 1e-300 * 1e-300, 5e-324 / 2)
