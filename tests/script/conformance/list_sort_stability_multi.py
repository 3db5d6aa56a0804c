# Multi-pass stable sorting equals tuple-key sorting; sort with reverse keeps ties stable.
rows = [("bob", "sales", 50), ("ann", "eng", 70), ("cid", "eng", 50), ("dee", "sales", 70),
        ("eve", "eng", 70), ("fay", "ops", 50)]
two_pass = sorted(rows, key=lambda r: r[0])
two_pass.sort(key=lambda r: r[2], reverse=True)
print([r[0] for r in two_pass])
print([r[0] for r in sorted(rows, key=lambda r: (-r[2], r[0]))])
by_dept = sorted(rows, key=lambda r: r[1])
print([(r[1], r[0]) for r in by_dept])
rev = sorted(rows, key=lambda r: r[1], reverse=True)
print([(r[1], r[0]) for r in rev])
nums = [3, 1, 2, 1, 3]
idx = sorted(range(len(nums)), key=lambda i: nums[i])
print(idx, sorted(range(len(nums)), key=lambda i: nums[i], reverse=True))
words = ["b", "A", "a", "B", "c"]
print(sorted(words, key=lambda w: w.lower()), sorted(words, key=lambda w: w.lower(), reverse=True))
ranked = sorted(rows, key=lambda r: r[2], reverse=True)
rank, prev = 0, None
for i, r in enumerate(ranked, 1):
    if r[2] != prev:
        rank, prev = i, r[2]
    print(rank, r[0], r[2])
