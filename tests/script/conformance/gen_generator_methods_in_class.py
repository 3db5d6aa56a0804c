# Generator methods inside classes: __iter__ as a generator, filtered views, and lazy pagination.
class Library:
    def __init__(self):
        self.books = []
    def add(self, title, year, tags):
        self.books.append({"title": title, "year": year, "tags": set(tags)})
        return self
    def __iter__(self):
        for b in sorted(self.books, key=lambda b: b["year"]):
            yield b["title"]
    def tagged(self, tag):
        return (b["title"] for b in self.books if tag in b["tags"])
    def pages(self, size):
        titles = list(self)
        for i in range(0, len(titles), size):
            yield i // size + 1, titles[i:i + size]
    def decades(self):
        seen = set()
        for b in self.books:
            d = b["year"] // 10 * 10
            if d not in seen:
                seen.add(d)
                yield d
lib = Library()
lib.add("Dune", 1965, ["scifi"]).add("Emma", 1815, ["classic"]).add("Neuromancer", 1984, ["scifi", "cyber"])
lib.add("Hyperion", 1989, ["scifi"]).add("Persuasion", 1817, ["classic", "romance"])
print(list(lib), sorted(lib.tagged("scifi")), list(lib.tagged("none")))
for n, page in lib.pages(2):
    print(n, page)
print(list(lib.decades()), "Dune" in lib, len(list(iter(lib))))
it = iter(lib)
print(next(it), next(it))
