# next() on an exhausted iterator at module level leaves StopIteration uncaught.
it = iter(["first", "second"])
print(next(it))
print(next(it))
print(next(it, "default when exhausted"))
items = []
for x in it:
    items.append(x)
print("items", items)
print(next(it))
print("unreachable")
