# An exception raised inside a generator escapes the consuming for loop uncaught.
def readings():
    for raw in ["10", "11", "12", "oops", "13"]:
        if not raw.isdigit():
            raise LookupError("unreadable sample: " + raw)
        yield int(raw)
total = 0
for r in readings():
    total += r
    print("reading", r, "total", total)
print("unreachable", total)
