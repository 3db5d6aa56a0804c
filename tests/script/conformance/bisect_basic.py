# bisect_left/right and insort_left/right with lo/hi bounds and duplicates.
import bisect
a = [1, 2, 4, 4, 4, 7, 9]
for x in [0, 1, 4, 5, 9, 10]:
    print(x, bisect.bisect_left(a, x), bisect.bisect_right(a, x), bisect.bisect(a, x))
print(bisect.bisect_left(a, 4, 3), bisect.bisect_right(a, 4, 0, 4), bisect.bisect_left(a, 4, lo=5, hi=7))
b = []
for v in [5, 1, 3, 3, 8, 0]:
    bisect.insort(b, v)
print(b)
bisect.insort_left(b, 3)
bisect.insort_right(b, 3)
print(b)
def grade(score, breakpoints=[60, 70, 80, 90], grades="FDCBA"):
    return grades[bisect.bisect(breakpoints, score)]
print([grade(s) for s in [33, 60, 69, 70, 89, 90, 100]])
words = ["apple", "banana", "cherry"]
i = bisect.bisect_left(words, "blueberry")
words.insert(i, "blueberry")
print(words, bisect.bisect_left(words, "zzz"))
try:
    bisect.bisect_left(a, 1, -1)
except ValueError as e:
    print("ValueError", e)
