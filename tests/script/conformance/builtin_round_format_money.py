# Rounding money-like values: round() vs format, banker's rounding, integer cents arithmetic.
prices = [0.125, 0.135, 2.675, 1.005, 10.555, 99.995, 0.5, 1.5, 2.5]
for p in prices:
    print(p, round(p, 2), "%.2f" % p, format(p, ".2f"), round(p), int(p * 100 + 0.5) / 100)
cents = [1999, 2550, 5]
total = sum(cents)
print(total, "%d.%02d" % divmod(total, 100), total / 100)
tax_rate = 0.0825
for c in cents:
    tax = round(c * tax_rate)
    print(c, tax, "%.2f" % ((c + tax) / 100))
print(round(0.1 + 0.2, 10) == 0.3, round(1 / 3, 4), round(-1 / 3, 4), round(2 / 3, 0))
