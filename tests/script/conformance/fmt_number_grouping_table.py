# A formatted numeric report using grouping separators, percent and sign-aware alignment.
rows = [("revenue", 1234567.891, 0.1234), ("costs", -987654.3, -0.05), ("margin", 246913.591, 0.2),
        ("tiny", 0.004, 0.0001), ("zero", 0.0, 0.0)]
print(f"{'metric':<10}{'value':>16}{'change':>10}")
print("-" * 36)
for name, val, ch in rows:
    print(f"{name:<10}{val:>16,.2f}{ch:>+10.1%}")
print("-" * 36)
total = sum(v for _, v, _ in rows)
print(f"{'total':<10}{total:>16,.2f}")
print("{:_}".format(10 ** 12), "{:,}".format(-1234), "{:,.3f}".format(1234.5), "{:>12,}".format(987654321))
print("{:08,.1f}".format(1234.5), "{:=+12,.2f}".format(-1234.5), "{:0=10d}".format(-42))
print(format(1e6, ",.0f"), format(123456789, "_x"), format(255, "_b"), format(0.000125, ".2e"))
