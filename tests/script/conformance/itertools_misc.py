# starmap, tee, zip_longest (fillvalue) and pairwise.
from itertools import starmap, tee, zip_longest, pairwise
print(list(starmap(pow, [(2, 3), (3, 2), (10, 0)])), list(starmap(lambda a, b: a + b, zip("ab", "cd"))))
a, b = tee([1, 2, 3])
print(list(a), list(b))
x, y, z = tee(iter("hey"), 3)
print(next(x), list(y), list(x), list(z))
print(list(zip_longest("abc", [1])), list(zip_longest([1, 2], [3], fillvalue=0)), list(zip_longest()))
print(list(zip_longest("ab", "cde", "f", fillvalue="-")))
print(list(pairwise([1, 2, 4, 7, 11])), list(pairwise("abc")), list(pairwise([1])), list(pairwise([])))
readings = [10, 12, 11, 15, 20, 19]
print([b - a for a, b in pairwise(readings)], max(pairwise(readings), key=lambda p: p[1] - p[0]))
first, second = tee(readings)
next(second)
print(list(zip(first, second)) == list(pairwise(readings)))
