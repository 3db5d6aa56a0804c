# pow() with two and three arguments, including modular inverse with exponent -1.
print(pow(2, 10), pow(3, 4), pow(-2, 5), pow(2, 0))
print(pow(2, 10, 1000), pow(3, 200, 13), pow(7, 0, 5), pow(5, 3, 1))
print(pow(-3, 3, 7), pow(3, 3, -7))
print(pow(3, -1, 7), pow(10, -1, 17), (pow(10, -1, 17) * 10) % 17)
print(pow(2.0, 3), pow(2, -2), pow(4, 0.5))
print(pow(123456789, 987654321, 1000000007))
try:
    pow(2, -1, 4)
except ValueError as e:
    print("ValueError", e)
try:
    pow(2, 3, 0)
except ValueError as e:
    print("ValueError", e)
try:
    pow(2.0, 3, 5)
except TypeError as e:
    print("TypeError", e)
print(2 ** 3 ** 2, (2 ** 3) ** 2, -2 ** 2, (-2) ** 2)
