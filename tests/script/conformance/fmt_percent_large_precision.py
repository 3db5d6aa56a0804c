# %-formatting and format specs with precisions past 300 digits print every digit CPython prints.
def attempt(label, f):
    try:
        r = f()
        print(label, len(r), r[:40], r[-12:])
    except (ValueError, OverflowError) as e:
        print(label, type(e).__name__, e)
for spec in ["%.1000f", "%.350f", "%.5000e", "%#.400g", "%.800g", "%.100000g", "%+.500E", "%.400F"]:
    for x in [1.0, 0.1, -2.5e-300, 1.7976931348623157e308, 5e-324, 123.456]:
        attempt(spec + " " + repr(x), lambda: spec % x)
attempt("%.100000000g", lambda: "%.100000000g" % 1.0)
attempt("%.100000000s", lambda: "%.100000000s" % "abc")
attempt("{:.100000000}", lambda: "{:.100000000}".format(1e300))
attempt("{:.100000000g}", lambda: format(2.0 ** -1074, ".100000000g"))
attempt("{:.700%}", lambda: format(0.125, ".700%"))
attempt("f-string .2000f", lambda: f"{1 / 3:.2000f}")
attempt("{:#.600}", lambda: format(0.5, "#.600"))
attempt("%.2147483648f", lambda: "%.2147483648f" % 1.0)
attempt("%.99999999999999999999f", lambda: "%.99999999999999999999f" % 1.0)
attempt("%99999999999999999999d", lambda: "%99999999999999999999d" % 1)
attempt("%.*f huge", lambda: "%.*f" % (2 ** 31, 1.0))
attempt("{:.2147483648f}", lambda: "{:.2147483648f}".format(1.0))
attempt("{:.99999999999999999999f}", lambda: "{:.99999999999999999999f}".format(1.0))
attempt("{:99999999999999999999}", lambda: "{:99999999999999999999}".format("a"))
attempt("%.*f 2000", lambda: "%.*f" % (2000, 2.0 / 3))
