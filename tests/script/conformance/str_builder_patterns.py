# Common string-building idioms: join vs concatenation, padding tables, wrapping text by width.
words = "the quick brown fox jumps over the lazy dog near the riverbank at dawn".split()
def wrap(words, width):
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = cur + " " + w if cur else w
    if cur:
        lines.append(cur)
    return lines
for width in (10, 20, 35):
    for line in wrap(words, width):
        print("|" + line.ljust(width) + "|")
print("+" + "-" * 10 + "+")
print(", ".join(w.capitalize() for w in words[:4]))
acc = []
for i, w in enumerate(words[:5]):
    acc.append("%d:%s" % (i, w[::-1]))
print(" ".join(acc))
print("".join(ch for ch in "a1b2c3" if ch.isalpha()), "".join(sorted("banana")))
snake = "parseHttpResponseCode"
out = "".join("_" + c.lower() if c.isupper() else c for c in snake)
print(out, "_".join(p.capitalize() for p in out.split("_")))
