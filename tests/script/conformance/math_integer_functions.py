# math.gcd/lcm/isqrt/factorial/comb/perm/prod on values within 64 bits.
import math
print(math.gcd(48, 18), math.gcd(0, 5), math.gcd(-12, 18), math.gcd(), math.gcd(12, 18, 30), math.gcd(7, 13))
print(math.lcm(4, 6), math.lcm(3, 5, 7), math.lcm(0, 5), math.lcm(), math.lcm(-4, 6))
print([math.isqrt(n) for n in [0, 1, 3, 4, 15, 16, 17, 99, 10 ** 18]])
print([math.factorial(n) for n in range(11)], math.factorial(20))
print(math.comb(5, 2), math.comb(10, 0), math.comb(10, 10), math.comb(3, 5), math.comb(60, 30))
print(math.perm(5, 2), math.perm(5), math.perm(5, 0), math.perm(3, 4), math.perm(20, 10))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod(range(1, 11)), math.prod([2.5, 2]), math.prod([3], start=2))
print(math.isqrt(2 ** 62), math.isqrt(2 ** 62) ** 2 == 2 ** 62)
print(sum(math.comb(10, k) for k in range(11)), 2 ** 10)
