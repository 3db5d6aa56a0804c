# abs, divmod and round with ints and floats, plus ndigits edge cases.
print(abs(-7), abs(7), abs(-0.5), abs(-0.0), abs(True), abs(-2 ** 62))
print(divmod(7, 3), divmod(-7, 3), divmod(7, -3), divmod(7.5, 2), divmod(-7.5, 2), divmod(0, 5))
print(round(3.14159), round(3.14159, 2), round(-2.5), round(2.5), round(3.5), round(0.5))
print(round(12345, -2), round(12355, -1), round(-12345, -2), round(5.5, -1), round(15.0, -1))
print(round(1.0000001, 5), round(9.995, 2), round(1e15 + 0.5), round(0.1 + 0.2, 1))
print(type(round(2.5)).__name__, type(round(2.5, 1)).__name__, type(round(2, 1)).__name__)
print([round(x / 8, 2) for x in range(8)])
try:
    divmod(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    abs(None)
except TypeError as e:
    print("TypeError", e)
try:
    round(1.5, 1.5)
except TypeError as e:
    print("TypeError", e)
