# f-strings with format specs, nested replacement fields in specs, and alignment tables.
value = 1234.5678
for width in [8, 12]:
    for prec in [1, 3]:
        print(f"[{value:{width}.{prec}f}]", f"[{value:>{width},.{prec}f}]")
fill, align = "~", "^"
print(f"[{'mid':{fill}{align}11}]")
print(f"{255:#x} {255:08b} {0.5:.0%} {-42:+06d} {1e-7:.2e}")
print(f"{12345678:,} {12345678:_} {0.000123:g} {123456789.0:g}")
rows = [("alpha", 1, 0.5), ("beta", 22, 12.25), ("gamma", 333, 100.0)]
w = max(len(r[0]) for r in rows)
for name, count, ratio in rows:
    print(f"{name:<{w}} | {count:>4} | {ratio:>7.2f}")
spec = ".3f"
print(f"{3.14159:{spec}}", f"{'s':>{2 + 3}}")
print(f"{value!r:>20}", f"{'q'!r:^7}")
