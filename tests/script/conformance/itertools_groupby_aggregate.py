# groupby + sorted for SQL-like GROUP BY aggregates, and chain/islice for paging.
from itertools import groupby, chain, islice
sales = [("2024-01", "north", 10), ("2024-02", "south", 5), ("2024-01", "south", 7), ("2024-02", "north", 3),
         ("2024-01", "north", 2), ("2024-03", "east", 9)]
key = lambda r: r[0]
for month, rows in groupby(sorted(sales, key=key), key=key):
    rows = list(rows)
    print(month, len(rows), sum(r[2] for r in rows), sorted({r[1] for r in rows}))
key2 = lambda r: (r[1], r[0])
print([(k, sum(r[2] for r in g)) for k, g in groupby(sorted(sales, key=key2), key=key2)])
def pages(it, size):
    it = iter(it)
    while True:
        page = list(islice(it, size))
        if not page:
            return
        yield page
print(list(pages(range(7), 3)), list(pages([], 2)))
print(list(chain.from_iterable(pages("abcde", 2))))
print([len(list(g)) for _, g in groupby(sorted("mississippi"))])
