# Format specs for floats: f F e E g G %, precision, sign, zero padding and grouping.
x = 1234.56789
print("{:f}|{:.2f}|{:.0f}|{:10.3f}|{:<10.1f}|{:^12.2f}|".format(x, x, x, x, x, x))
print("{:e}|{:.3e}|{:E}|{:g}|{:.3g}|{:G}|".format(x, x, x, x, x, 1e-10))
print("{:,.2f}|{:_.3f}|{:+.1f}|{: .1f}|{:010.2f}|".format(x, x, x, x, -x))
print("{:.2%}|{:%}|".format(0.1234, 1.5))
print("{:g}|{:g}|{:g}|{:g}|{:g}|".format(100000.0, 1000000.0, 0.0001, 0.00001, 1.0))
print("{:.10g}|{:#g}|{:#.3g}|".format(1 / 3, 1.0, 2.0))
print("{:F}|{:f}|{:e}|{:g}|".format(float("inf"), float("-inf"), float("nan"), float("inf")))
print("{}|{}|{}|".format(1.0, 0.1, 1e20), "{:}".format(2.5))
print(format(0.5, ".0f"), format(1.5, ".0f"), format(2.5, ".0f"), format(-0.0, ".1f"))
print(format(3.14159, "8.3f"), format(3.14159, "*<9.2f"), format(1e6, ".1e"))
print("{:.3}".format(3.14159), "{:.3}".format(1234.5), "{:10}|".format(2.5))
