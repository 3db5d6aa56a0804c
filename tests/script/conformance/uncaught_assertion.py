# An uncaught failed assert with a message ends the program with AssertionError: message.
def mean(xs):
    assert len(xs) > 0, "mean() of empty list"
    return sum(xs) / len(xs)
print(mean([1, 2, 3]))
print(mean([2.5]))
batches = [[4, 6], [], [1]]
for i, b in enumerate(batches):
    print("batch", i)
    print(mean(b))
print("unreachable")
