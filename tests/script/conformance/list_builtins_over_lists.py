# Builtins applied to lists: len, sum, min, max, sorted, reversed, enumerate, zip, any, all.
data = [4, 8, 15, 16, 23, 42]
print(len(data), sum(data), min(data), max(data), sum(data) / len(data))
print(list(reversed(data)), sorted(data, reverse=True)[:3])
print(list(enumerate(data))[:2], list(enumerate(data, start=10))[-1])
print(list(zip(data, data[1:])))
print(any(x > 40 for x in data), all(x > 3 for x in data), any([]), all([]))
print(list(map(lambda x: x % 5, data)), list(filter(lambda x: x % 2, data)))
print(list(range(3)) + data[:2], [x for x in data if x > 10])
print(data.index(max(data)), sorted(range(len(data)), key=lambda i: -data[i])[:3])
print(list(map(str, data)), list(map(int, ["1", "2"])))
print(sum([[1], [2, 3]], []), max([], default=None), min([5], default=0))
print(list(zip(*[[1, 2, 3], [4, 5, 6]])))
