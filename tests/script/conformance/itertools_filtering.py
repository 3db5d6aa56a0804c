# compress, dropwhile, takewhile, filterfalse and islice with start/stop/step.
from itertools import compress, dropwhile, takewhile, filterfalse, islice
data = list(range(10))
print(list(compress("abcdef", [1, 0, 1, 0, 1, 1])), list(compress(data, [x % 3 == 0 for x in data])))
print(list(dropwhile(lambda x: x < 5, [1, 4, 6, 3, 8])), list(takewhile(lambda x: x < 5, [1, 4, 6, 3, 8])))
print(list(filterfalse(lambda x: x % 2, data)), list(filterfalse(None, [0, 1, "", "x", None])))
print(list(islice(data, 3)), list(islice(data, 2, 8)), list(islice(data, 1, None, 3)), list(islice(data, 0)))
print(list(islice("abcdefg", 2, None)), list(islice(iter(data), 5, 7)))
lines = ["# header", "# more", "data1", "# inline", "data2"]
print(list(dropwhile(lambda l: l.startswith("#"), lines)))
it = iter(range(10))
print(list(islice(it, 3)), list(islice(it, 3)), list(it))
try:
    islice(data, -1)
except ValueError as e:
    print("ValueError", e)
