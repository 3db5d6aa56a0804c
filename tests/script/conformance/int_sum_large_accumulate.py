# Accumulating sums and products of many ints stays exact within 64 bits.
total = 0
for i in range(1, 100001):
    total += i
print(total, total == 100000 * 100001 // 2)
sq = sum(i * i for i in range(1000))
print(sq)
prod = 1
for i in range(1, 21):
    prod *= i
print(prod)
print(prod // 19 // 18, prod % 1000003)
fib = [0, 1]
while len(fib) < 90:
    fib.append(fib[-1] + fib[-2])
print(fib[-1], fib[-1] % 10 ** 9, len(str(fib[-1])))
print(sum(range(-50, 51)), sum([], 7), sum([1, 2, 3], 10))
acc = 1
for k in range(60):
    acc = (acc * 31 + k) % 1000000007
print(acc)
