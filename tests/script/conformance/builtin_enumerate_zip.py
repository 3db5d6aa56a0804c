# enumerate with start, zip with unequal lengths, three-way zip and unzip with zip(*...).
names = ["ann", "bob", "cy"]
ages = [31, 25]
print(list(enumerate(names)), list(enumerate(names, 1)), list(enumerate(names, start=-1)))
print(list(zip(names, ages)), list(zip(names, ages, "xyz")), list(zip()))
for i, (n, a) in enumerate(zip(names, ages), start=100):
    print(i, n, a)
pairs = [(1, "a"), (2, "b"), (3, "c")]
nums, letters = zip(*pairs)
print(nums, letters)
print(dict(zip(names, ages)), list(zip("ab", range(10))))
e = enumerate("xy")
print(next(e), next(e), next(e, "done"))
z = zip([1, 2], [3, 4])
print(list(z), list(z))
print([a * b for a, b in zip(range(4), range(4, 8))])
matrix = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
print([list(col) for col in zip(*matrix)])
print(list(enumerate({"k": 1, "j": 2})))
