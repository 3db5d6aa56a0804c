# ValueError/TypeError messages for unpacking in assignments, for loops and starred targets.
def attempt(label, fn):
    try:
        print(label, fn())
    except (ValueError, TypeError) as e:
        print(label, type(e).__name__, e)
def two(seq):
    a, b = seq
    return a, b
def star(seq):
    a, *b, c = seq
    return a, b, c
attempt("2<-3", lambda: two([1, 2, 3]))
attempt("2<-1", lambda: two([1]))
attempt("2<-0", lambda: two([]))
attempt("2<-str", lambda: two("ab"))
attempt("2<-str3", lambda: two("abc"))
attempt("2<-dict", lambda: two({"x": 1, "y": 2}))
attempt("2<-int", lambda: two(7))
attempt("2<-None", lambda: two(None))
attempt("star<-1", lambda: star([1]))
attempt("star<-2", lambda: star([1, 2]))
attempt("star<-gen", lambda: star(x for x in range(5)))
def loop_unpack():
    out = []
    for k, v in [("a", 1), ("b", 2, 3)]:
        out.append(k)
    return out
attempt("loop", loop_unpack)
def nested():
    (a, b), c = [1, 2], 3
    return a
attempt("nested", nested)
