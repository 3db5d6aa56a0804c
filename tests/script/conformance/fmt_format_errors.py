# Errors raised by str.format and format() with bad fields or specs.
def show(fn):
    try:
        print(repr(fn()))
    except Exception as e:
        print(type(e).__name__, e)
show(lambda: "{}".format())
show(lambda: "{1}".format("a"))
show(lambda: "{0} {}".format("a", "b"))
show(lambda: "{} {0}".format("a", "b"))
show(lambda: "{name}".format(other=1))
show(lambda: "{".format())
show(lambda: "}".format())
show(lambda: "{:d}".format("x"))
show(lambda: "{:d}".format(1.5))
show(lambda: "{:s}".format(5))
show(lambda: "{:,s}".format("a"))
show(lambda: "{0[5]}".format([1]))
show(lambda: "{0.nope}".format(1))
show(lambda: "{!x}".format(1))
show(lambda: format(1, "Q"))
show(lambda: "{:=}".format("s"))
show(lambda: "{:.2d}".format(3))
