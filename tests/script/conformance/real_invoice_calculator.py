# Invoice computation with integer cents, discounts, tax rounding, and a formatted receipt.
items = [("Widget", 3, 1999), ("Gadget, deluxe", 1, 14950), ("Cable", 5, 299), ("Adapter", 2, 0)]
discounts = {"Cable": 0.10, "Gadget, deluxe": 0.05}
TAX = 0.0725
lines = []
subtotal = 0
for name, qty, cents in items:
    gross = qty * cents
    disc = round(gross * discounts.get(name, 0.0))
    net = gross - disc
    subtotal += net
    lines.append((name, qty, cents, disc, net))
tax = round(subtotal * TAX)
total = subtotal + tax
def money(c):
    sign = "-" if c < 0 else ""
    return "%s$%s.%02d" % (sign, "{:,}".format(abs(c) // 100), abs(c) % 100)
print("%-16s %3s %10s %9s %11s" % ("item", "qty", "unit", "disc", "net"))
for name, qty, cents, disc, net in lines:
    print("%-16s %3d %10s %9s %11s" % (name[:16], qty, money(cents), money(-disc) if disc else "", money(net)))
print("%-16s %35s" % ("subtotal", money(subtotal)))
print("%-16s %35s" % ("tax %.2f%%" % (TAX * 100), money(tax)))
print("%-16s %35s" % ("TOTAL", money(total)))
print(total, sum(l[4] for l in lines) == subtotal, max(lines, key=lambda l: l[4])[0])
