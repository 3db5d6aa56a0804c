# range arithmetic: len of stepped ranges, membership without iteration, index/count, equality.
cases = [range(0, 10, 3), range(10, 0, -3), range(-5, 5, 2), range(5, 5), range(0, -1), range(1, 100, 7)]
for r in cases:
    print(r, len(r), list(r)[:4], 3 in r, -3 in r, r[-1] if r else None)
big = range(0, 10 ** 18, 7)
print(len(big), 7 * 10 ** 15 in big, 7 * 10 ** 15 + 1 in big, big[10 ** 15], big.index(700))
print(range(0, 6, 2) == range(0, 5, 2), range(0) == range(1, 1), range(1, 2) == range(1, 3))
print(list(range(5))[::-1] == list(range(4, -1, -1)), range(10)[2:8:2], range(10)[::-1][:3])
print(sum(range(1, 101, 2)), max(range(-10, -2)), min(range(10, 0, -2)), sorted(range(3), reverse=True))
print(list(map(lambda i: i * i, range(4))), [x for x in range(20) if x in range(5, 15, 4)])
