# Conversion errors from int(), float(), chr(), ord(), bool-ish and container constructors.
cases = [("int('')", lambda: int("")), ("int('1e3')", lambda: int("1e3")), ("int(' 4 2')", lambda: int(" 4 2")),
         ("int('12', 2)", lambda: int("12", 2)), ("int(None)", lambda: int(None)), ("int([1])", lambda: int([1])),
         ("int('0b2', 0)", lambda: int("0b2", 0)), ("int(1.5, 10)", lambda: int(1.5, 10)),
         ("float('1e')", lambda: float("1e")), ("float('')", lambda: float("")), ("float({})", lambda: float({})),
         ("chr('a')", lambda: chr("a")), ("ord(1)", lambda: ord(1)), ("list(1)", lambda: list(1)),
         ("tuple(None)", lambda: tuple(None)), ("dict(1)", lambda: dict(1)), ("set(5)", lambda: set(5)),
         ("range('a')", lambda: range("a")), ("hex('1')", lambda: hex("1")),
         ("round(None)", lambda: round(None)), ("divmod('a', 1)", lambda: divmod("a", 1))]
for label, fn in cases:
    try:
        print(label, "=", repr(fn()))
    except (TypeError, ValueError) as e:
        print(label, "->", type(e).__name__ + ":", e)
