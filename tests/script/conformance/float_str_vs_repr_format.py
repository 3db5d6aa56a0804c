# str(), repr(), format() and %-formatting of floats at different magnitudes agree or differ as CPython does.
vals = [1.0, 10.0, 1e15, 1e16, 1.5e16, 123456789012345.6, 0.001, 0.0001, 1.0e-5, 2.5e-7,
        3.0000000000000004, 0.30000000000000004, 1 / 7, 100.0 / 3, -1e-300, 12.0 ** 12]
for v in vals:
    print(repr(v), str(v), format(v), format(v, "g"), "%s" % v, "%r" % v, f"{v}", "{}".format(v))
print(str(1e16) == repr(1e16), float(repr(1 / 7)) == 1 / 7)
print([str(x / 10) for x in range(0, 11, 3)])
print(0.1 + 0.2, 0.1 * 3, 1 - 0.9, 1.1 * 1.1, 3 * 1.1)
for v in [0.5, 0.25, 0.125, 1 / 3]:
    print("%.1f %.3f %.5f %.17f" % (v, v, v, v), "{:.1e} {:.3g} {:.0%}".format(v, v, v))
print(repr(1e-4), repr(1e-5), repr(123e20), repr(1.23e21), repr(-1.5e-7))
print(str(float(10 ** 15)), str(float(10 ** 16)), str(1e15 + 0.3))
