# Chained str method calls on real-world inputs: cleaning headers, titles, paths and CSV cells.
headers = ["  Content-Type ", "X-REQUEST-ID", "accept-encoding  ", " user_agent"]
print([h.strip().lower().replace("_", "-") for h in headers])
print([h.strip().title().replace("_", "-") for h in headers])
path = "/Users/Ann/Documents/Report Final.v2.PDF"
name = path.rsplit("/", 1)[-1]
stem, _, ext = name.rpartition(".")
print(name, stem, ext.lower(), stem.replace(" ", "_").lower(), path.count("/"), path.lstrip("/").split("/")[0])
cells = ['  "42" ', "3.50", " N/A", "", "  -7 ", "1,234"]
def clean(c):
    c = c.strip().strip('"').replace(",", "")
    if c.upper() in ("", "N/A"):
        return None
    return float(c) if "." in c else int(c)
print([clean(c) for c in cells])
title = "the lord of the rings: the return of the king"
small = {"of", "the", "a", "an"}
words = title.split()
print(" ".join(w if i and w in small else w.capitalize() for i, w in enumerate(words)))
print("snake_case_name".replace("_", " ").title().replace(" ", ""), "CamelCase".swapcase().center(15, "."))
