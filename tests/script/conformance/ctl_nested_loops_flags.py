# Nested loops with break/continue/else used for searching, deduplicating and matrix scans.
grid = [[3, 8, 1], [9, 4, 7], [2, 6, 5]]
target = 7
for r, row in enumerate(grid):
    for c, v in enumerate(row):
        if v == target:
            print("found", target, "at", (r, c))
            break
    else:
        continue
    break
else:
    print("not found")
for target in [4, 42]:
    hit = None
    for r in range(3):
        for c in range(3):
            if grid[r][c] == target:
                hit = (r, c)
                break
        if hit:
            break
    print(target, hit)
count = 0
for i in range(5):
    if i % 2:
        continue
    for j in range(5):
        if j > i:
            break
        count += 1
print(count)
n = 0
while n < 10:
    n += 1
    if n % 3:
        continue
    print("multiple of 3:", n)
else:
    print("loop ended with n =", n)
