# float() parsing of valid forms and the ValueError messages for invalid ones.
good = ["1", "1.", ".5", "-.5", "1e5", "1E-2", "  3.25\n", "+1.5", "inf", "-Infinity", "nan",
        "1_000.5", "10", "00012.50"]
for s in good:
    print(repr(s), float(s))
for bad in ["", "abc", "1.2.3", "1e", "--1", "1_", "0x10", "1,5", "  "]:
    try:
        float(bad)
    except ValueError as e:
        print("ValueError", e)
try:
    float(None)
except TypeError as e:
    print("TypeError", e)
try:
    float([1])
except TypeError as e:
    print("TypeError", e)
print(float(2 ** 53), float(-2 ** 62))
