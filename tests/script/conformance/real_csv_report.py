# Parse CSV text with quoted fields by hand, aggregate sales by region/month, print a table.
text = '''region,month,product,units,price
north,2024-01,"Widget, large",10,2.50
south,2024-01,Gadget,3,10.00
north,2024-02,Gadget,5,10.00
"east",2024-01,"Gizmo ""pro""",1,99.99
south,2024-02,"Widget, large",20,2.25
north,2024-01,Gadget,2,9.50'''
def parse_line(line):
    fields, cur, q, i = [], [], False, 0
    while i < len(line):
        c = line[i]
        if q:
            if c == '"' and line[i + 1:i + 2] == '"':
                cur.append('"')
                i += 1
            elif c == '"':
                q = False
            else:
                cur.append(c)
        elif c == '"':
            q = True
        elif c == ",":
            fields.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    fields.append("".join(cur))
    return fields
lines = text.splitlines()
header = parse_line(lines[0])
rows = [dict(zip(header, parse_line(l))) for l in lines[1:]]
print([r["product"] for r in rows])
totals = {}
for r in rows:
    key = (r["region"], r["month"])
    totals[key] = totals.get(key, 0) + int(r["units"]) * float(r["price"])
months = sorted({m for _, m in totals})
print("%-6s" % "region" + "".join("%10s" % m for m in months) + "%10s" % "total")
for region in sorted({reg for reg, _ in totals}):
    vals = [totals.get((region, m), 0.0) for m in months]
    print("%-6s" % region + "".join("%10.2f" % v for v in vals) + "%10.2f" % sum(vals))
