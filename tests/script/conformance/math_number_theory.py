# Number theory helpers built on math: primality, factorization, totient, modular inverse via pow.
import math
def is_prime(n):
    if n < 2:
        return False
    for p in range(2, math.isqrt(n) + 1):
        if n % p == 0:
            return False
    return True
def factorize(n):
    out, p = [], 2
    while p * p <= n:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    if n > 1:
        out.append(n)
    return out
def phi(n):
    return sum(1 for k in range(1, n + 1) if math.gcd(n, k) == 1)
print([n for n in range(50) if is_prime(n)])
print(factorize(360), factorize(97), factorize(2 ** 10 * 3 ** 5), factorize(600851475143))
print([phi(n) for n in range(1, 13)])
print([(a, pow(a, -1, 13)) for a in range(1, 6)], math.lcm(*range(1, 11)), math.gcd(*[84, 126, 210]))
print(math.comb(52, 5), math.perm(10, 3), math.factorial(15) // (math.factorial(5) * math.factorial(10)))
print(sum(1 for n in range(1, 1000) if math.isqrt(n) ** 2 == n))
