# Chained generator stages forming a lazy data pipeline over records.
lines = ["id,kind,value", "1,click,3", "2,view,10", "bad line", "3,click,7", "4,buy,100", "5,view,1"]
def parse(rows):
    header = None
    for r in rows:
        parts = r.split(",")
        if header is None:
            header = parts
            continue
        if len(parts) != len(header):
            print("skip:", r)
            continue
        yield dict(zip(header, parts))
def typed(recs):
    for r in recs:
        r["id"] = int(r["id"])
        r["value"] = int(r["value"])
        yield r
def only(kind, recs):
    return (r for r in recs if r["kind"] == kind)
pipeline = typed(parse(lines))
clicks = list(only("click", pipeline))
print(clicks)
print(sum(r["value"] for r in typed(parse(lines))))
def running_total(values):
    total = 0
    for v in values:
        total += v
        yield total
print(list(running_total(r["value"] for r in typed(parse(lines)))))
def window(seq, n):
    buf = []
    for x in seq:
        buf.append(x)
        if len(buf) > n:
            buf.pop(0)
        if len(buf) == n:
            yield tuple(buf)
print(list(window(range(6), 3)))
