# Error messages raised by str methods and operations with bad arguments.
def show(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)
show(lambda: "abc".index("d"))
show(lambda: "abc".rindex("d"))
show(lambda: "a,b".split(""))
show(lambda: "abc".center("5"))
show(lambda: "abc".replace(1, 2))
show(lambda: "abc" * "2")
show(lambda: "abc" - "a")
show(lambda: "abc".join("x", "y"))
show(lambda: "%d" % "x")
fidx = 1.5
show(lambda: "abc"[fidx])
show(lambda: "abc".count())
show(lambda: "x".zfill("3"))
show(lambda: "abc".startswith(1))
show(lambda: "abc".foo)
show(lambda: len(5))
show(lambda: "a" < None)
show(lambda: -"a")
sidx = "1"
show(lambda: "abc"[sidx])
