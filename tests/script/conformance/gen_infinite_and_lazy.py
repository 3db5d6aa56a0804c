# Infinite generators consumed lazily: primes sieve, cycling ids, and take-while patterns.
def primes():
    found = []
    n = 2
    while True:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
            yield n
        n += 1
p = primes()
print([next(p) for _ in range(15)])
def take(n, gen):
    return [x for _, x in zip(range(n), gen)]
print(take(5, primes()), take(0, primes()))
def collatz(n):
    while True:
        yield n
        if n == 1:
            return
        n = n // 2 if n % 2 == 0 else 3 * n + 1
print(list(collatz(6)), len(list(collatz(27))), max(collatz(27)))
def triangular():
    total, k = 0, 0
    while True:
        k += 1
        total += k
        yield total
t = triangular()
first_over_100 = next(x for x in t if x > 100)
print(first_over_100, next(t))
def ids(prefix):
    n = 0
    while True:
        n += 1
        yield "%s-%03d" % (prefix, n)
gen_ids = ids("job")
print([next(gen_ids) for _ in range(3)], next(gen_ids))
