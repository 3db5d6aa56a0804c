# Format specs for strings: alignment, fill, precision truncation and nested width.
s = "text"
print("[{:10}]|[{:<10}]|[{:>10}]|[{:^10}]|[{:^9}]".format(s, s, s, s, s))
print("[{:*>8}]|[{:-<8}]|[{:.^9}]".format(s, s, s))
print("[{:.2}]|[{:8.2}]|[{:>8.3s}]".format(s, s, s))
w, p = 12, 3
print("[{:{}}]|[{:>{w}}]|[{:.{p}}]|[{:{w}.{p}}]".format(s, 7, s, s, s, w=w, p=p))
print("[{:{fill}{align}{width}}]".format(s, fill="#", align="^", width=10))
print("[{:s}]".format("ok"), "[{:5s}]".format("日本"))
rows = [("Name", "Qty", "Price"), ("apple", 3, 1.5), ("watermelon", 10, 12.25)]
for name, qty, price in rows:
    print("{:<12}{:>5}{:>9}".format(name, qty, price if isinstance(price, str) else "{:.2f}".format(price)))
print("{:>{width}}".format("x", width=5) + "|")
