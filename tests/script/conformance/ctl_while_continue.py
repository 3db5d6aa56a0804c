# while loops with continue, counters and nested loops with early exit flags.
i = 0
evens = []
while i < 10:
    i += 1
    if i % 2:
        continue
    evens.append(i)
print(evens)
n = 27
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
print("collatz steps", steps)
found = None
for a in range(1, 20):
    for b in range(a, 20):
        c2 = a * a + b * b
        c = int(c2 ** 0.5)
        if c * c == c2 and c < 20:
            found = (a, b, c)
            break
    if found:
        break
print(found)
total = 0
for x in range(100):
    if x % 3 == 0:
        continue
    if x > 20:
        break
    total += x
print(total)
k = 5
while k:
    k -= 1
print(k)
