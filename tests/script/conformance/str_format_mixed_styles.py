# The same values rendered with %, str.format and f-strings agree on common specs.
vals = [0, 7, -42, 3.14159, -0.5, 1234567.891, 1e-5]
for v in vals:
    a = "%10.3f|%-10.2e|%+g" % (v, v, v)
    b = "{:10.3f}|{:<10.2e}|{:+g}".format(v, v, v)
    c = f"{v:10.3f}|{v:<10.2e}|{v:+g}"
    print(a, a == b == c)
for n in [0, 5, 255, -255, 65535]:
    print("%5d %5x %5o %#x" % (n, n, n, n), "{:5d} {:5x} {:5o} {:#x}".format(n, n, n, n), f"{n:5d} {n:5x} {n:5o} {n:#x}")
for s in ["a", "héllo", ""]:
    print("[%5s][%-5s][%.2s]" % (s, s, s), "[{:>5}][{:<5}][{:.2}]".format(s, s, s), f"[{s:>5}][{s:<5}][{s:.2}]")
print("%s %r" % ("x", "x"), "{} {!r}".format("x", "x"), f"{'x'} {'x'!r}")
