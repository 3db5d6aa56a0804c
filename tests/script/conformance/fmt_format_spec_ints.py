# Format specs for ints: fill, align, sign, #, 0, width, grouping and type codes.
n = 1234567
print("{:d}|{:10d}|{:<10d}|{:^10d}|{:>10d}|".format(n, n, n, n, n))
print("{:,}|{:_}|{:,d}|{:012,}|".format(n, n, n, n))
print("{:+d}|{:+d}|{: d}|{: d}|{:-d}|".format(5, -5, 5, -5, 5))
print("{:b}|{:#b}|{:o}|{:#o}|{:x}|{:#X}|{:_x}|{:_b}|".format(10, 10, 64, 64, 48879, 48879, 48879, 255))
print("{:*^11}|{:0>6}|{:x<4}|{:=+8}|".format(42, 42, 7, 42))
print("{:08b}|{:#010x}|{:05}|{:<05}|".format(5, 255, -42, 3))
print("{:c}{:c}".format(80, 0x1F600))
print("{:%}|{:.1%}|{:.0%}|".format(0.25, 0.12345, 1))
print("{:e}|{:.2f}|{:g}|".format(12, 7, 1234567))
print(format(n, ","), format(-n, "_"), format(0, "+"), format(255, "#o"))
print("{:n}".format(1234), "{:10,}".format(-9876543))
