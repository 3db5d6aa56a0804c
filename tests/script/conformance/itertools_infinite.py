# count, cycle and repeat, bounded with islice, zip and takewhile.
from itertools import count, cycle, repeat, islice, takewhile
print(list(islice(count(), 5)), list(islice(count(10), 3)), list(islice(count(5, -2), 4)))
print(list(islice(count(0.5, 0.25), 4)))
print(list(islice(cycle("abc"), 7)), list(islice(cycle([1, 2]), 0)), list(cycle([])))
print(list(repeat("x", 3)), list(repeat(None, 0)), list(zip(range(3), repeat(7))))
print(list(map(pow, range(5), repeat(2))))
print(list(takewhile(lambda n: n < 20, (x * x for x in count(1)))))
ids = count(100)
records = [{"id": next(ids), "name": n} for n in "abc"]
print(records, next(ids))
print(list(zip(cycle(["odd", "even"]), range(1, 6))))
print(list(islice(repeat([1, 2]), 2)))
