# Loop variables persist after loops; comprehension variables do not leak.
for i in range(3):
    pass
print(i)
for ch in "xyz":
    last = ch
print(ch, last)
x = "outer"
squares = [x * 2 for x in range(3)]
print(x, squares)
for k, v in {"a": 1}.items():
    pass
print(k, v)
nums = []
for n in range(5):
    nums.append(n)
    n = 100
print(nums, n)
items = [1, 2, 3]
for item in items:
    if item == 2:
        items.append(4) if len(items) < 4 else None
print(items)
j = 10
for j in []:
    pass
print(j)
total = 0
for a, b in zip(range(3), range(10, 13)):
    total += a * b
print(total, a, b)
