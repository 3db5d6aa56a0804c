# An uncaught exception raised with `from` reports the final exception on the last line.
def load_setting(raw):
    try:
        return float(raw)
    except ValueError as e:
        raise RuntimeError("bad setting %r" % raw) from e
print(load_setting("1.5"))
print(load_setting("2e3"))
print(load_setting("fast"))
print("unreachable")
