# %-formatting with dict keys and the errors for mismatched arguments.
rec = {"name": "Ada", "age": 36, "score": 97.5}
print("%(name)s is %(age)d, score %(score).1f" % rec)
print("%(name)-6s|%(age)04d|%(name)r" % rec)
print("%(a)s %(a)s" % {"a": "twice"})
def show(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)
show(lambda: "%s %s" % ("one",))
show(lambda: "%s" % ("one", "two"))
show(lambda: "%d" % "x")
show(lambda: "%(missing)s" % rec)
show(lambda: "%z" % 1)
show(lambda: "%f" % "x")
show(lambda: "%s %(a)s" % {"a": 1})
show(lambda: "%x" % 1.5)
show(lambda: "no format" % ())
show(lambda: "%s" % ())
show(lambda: "%c" % "ab")
