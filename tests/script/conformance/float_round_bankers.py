# round() uses banker's rounding and works on the exact binary value for ndigits.
for v in [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 4.5000001]:
    print(v, round(v), type(round(v)).__name__)
print(round(2.675, 2), round(1.005, 2), round(0.125, 2), round(0.375, 2))
print(round(3.14159, 3), round(3.14159, 0), round(-3.14159, 1))
print(round(1234.5678, -2), round(1250, -2), round(1350, -2), round(-1250, -2))
print(round(15, -1), round(25, -1), round(5, 0), type(round(5, 0)).__name__)
print(round(7), round(7, 2), round(123456, -3))
print(round(1e-10, 5), round(-0.0001, 2))
print(round(2.5, 0), round(0.0), round(-0.4))
print(round(1.23456789e10, -5))
