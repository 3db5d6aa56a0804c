# finally runs and prints before an uncaught IndexError propagates out of the program.
def pick(items, i):
    try:
        print("picking", i)
        return items[i]
    finally:
        print("finally for", i)
data = ["a", "b", "c"]
print(pick(data, 0))
print(pick(data, -1))
print(pick(data, 5))
print("unreachable")
z = 0
print(z)
