# for loops over ranges with negative steps, over copies while mutating, and reversed enumerations.
for i in range(10, 0, -3):
    print(i, end=" ")
print()
for i in range(0, -10, -4):
    print(i, end=" ")
print()
items = [1, 2, 3, 4, 5, 6]
for x in items[:]:
    if x % 2 == 0:
        items.remove(x)
print(items)
for i in reversed(range(len(items))):
    if items[i] > 2:
        del items[i]
print(items)
names = ["a", "b", "c"]
for i, n in reversed(list(enumerate(names))):
    print(i, n)
total = 0
for k in range(1, 101):
    total += k if k % 2 else -k
print(total)
s = "hello"
for idx in range(len(s) - 1, -1, -1):
    print(s[idx], end="")
print()
for _ in range(0):
    print("never")
print(list(range(3, 3)), list(range(5, 2)), [i for i in range(2, 20, 5)])
