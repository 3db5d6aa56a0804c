# The !a conversion and repr on non-ASCII strings; str() of containers uses repr of items.
vals = ["héllo", "日本", "😀", "plain", "tab\t"]
for v in vals:
    print(f"{v!a}", f"{v!r}", f"{v!s}")
print(f"{['é', 'x']!a}")
print(str(["é", "x"]), repr(("日",)))
print("%a" % "naïve", "%r" % "naïve", "%s" % "naïve")
print("{!a}".format("ü"), "{!r:>10}".format("ü"))
print(f"{'x' + 'é'!a:>12}|", f"{'日本'!r:^10}|")
print(repr("\u00e9") == "'é'", len(f"{'é'!a}"))
d = {"név": "Zoë"}
print(f"{d!a}", f"{d}")
