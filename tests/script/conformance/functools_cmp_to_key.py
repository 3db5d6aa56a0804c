# functools.cmp_to_key adapts old-style comparison functions for sorted, min and max.
from functools import cmp_to_key
def by_len_then_reverse_alpha(a, b):
    if len(a) != len(b):
        return len(a) - len(b)
    return (a < b) - (a > b)
words = ["pear", "fig", "apple", "kiwi", "date", "banana"]
print(sorted(words, key=cmp_to_key(by_len_then_reverse_alpha)))
def largest_number(nums):
    strs = [str(n) for n in nums]
    strs.sort(key=cmp_to_key(lambda a, b: -1 if a + b > b + a else (1 if a + b < b + a else 0)))
    return "".join(strs)
print(largest_number([3, 30, 34, 5, 9]), largest_number([10, 2]))
def cmp_versions(a, b):
    pa, pb = [int(x) for x in a.split(".")], [int(x) for x in b.split(".")]
    return (pa > pb) - (pa < pb)
vs = ["1.10", "1.2", "1.2.1", "0.9", "1.02"]
print(sorted(vs, key=cmp_to_key(cmp_versions)))
print(max(vs, key=cmp_to_key(cmp_versions)), min(vs, key=cmp_to_key(cmp_versions)))
k = cmp_to_key(cmp_versions)
print(k("1.0") < k("1.1"), k("2.0") == k("2.0"), k("3") > k("2.9"))
