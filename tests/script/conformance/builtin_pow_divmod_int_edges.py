# pow/divmod/abs edges with negative numbers and large-but-64-bit values.
big = 2 ** 62
print(divmod(big, 7), divmod(-big, 7), divmod(big, -7), abs(-big), -big // 3, -big % 3)
print(pow(big, 1), pow(-1, big), pow(2, 62) == big, pow(3, 39), pow(-3, 39))
print(pow(big, 2, 1000000007), pow(12345, 6789, 99991), pow(-7, 3, 10), pow(7, -1, 10))
print(divmod(0, -3), divmod(-1, -3), divmod(5, 1), -7 // 1, 7 // -1)
print(abs(-9223372036854775807), 9223372036854775807 // 10 % 10)
print(sum(pow(i, 3) for i in range(1, 1000)), (999 * 1000 // 2) ** 2)
print(round(big / 3), int(big / 3) == big // 3, big // 3)
for a, b in [(17, 5), (-17, 5), (17, -5), (-17, -5)]:
    q, r = divmod(a, b)
    print(a, b, q, r, q * b + r == a, abs(r) < abs(b))
