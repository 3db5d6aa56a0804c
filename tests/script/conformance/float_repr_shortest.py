# float repr uses the shortest string that round-trips.
vals = [0.1, 0.2, 0.1 + 0.2, 1.0, -0.0, 0.0, 1 / 3, 2 / 3, 100.0, 1e16, 1e15, 123456789.123,
        1e-5, 0.0001, 1e22, 1.5e-10, 3.14159, 2.5, 1e300 * 10, 5e-324, 1.7976931348623157e308]
for v in vals:
    print(repr(v), str(v))
print(float("0.1") == 0.1, float("1e3"), float("-inf"), float(" 2.5 "))
print(1e16 + 1, 12345678901234567890.0)
print(0.1 * 3, 0.3, 1.1 + 2.2, 3.3)
print(float(10), float(-3), float(True))
print([0.5, 1.25], (1.0,), {"x": 2.75})
print(9007199254740993.0, 2.0 ** 53 + 1)
