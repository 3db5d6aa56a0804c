# An uncaught ValueError from int() ends the program with exit code 1 after earlier output.
def parse_all(items):
    out = []
    for s in items:
        out.append(int(s))
        print("parsed", s)
    return out
print("starting")
values = parse_all(["1", "22", "333"])
print("sum", sum(values))
parse_all(["4", "five", "6"])
print("never printed")
