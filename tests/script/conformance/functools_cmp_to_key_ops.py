# cmp_to_key: ordering operators call the cmp function, .obj, use in sorted/min/max/heapq, and the mixed-type error.
from functools import cmp_to_key
import heapq
calls = []
def by_length(a, b):
    calls.append((a, b))
    return len(a) - len(b)
K = cmp_to_key(by_length)
print(K("aa") < K("b"), K("aa") > K("b"), K("ab") <= K("cd"), K("abc") >= K("abcd"), calls)
print(K("xyz").obj, type(K).__name__, type(K("q")).__name__)
words = ["ccc", "a", "bb", "dddd", "ee", "f"]
print(sorted(words, key=K), sorted(words, key=K, reverse=True))
print(min(words, key=K), max(words, key=K))
def numeric_desc(a, b):
    return (a < b) - (a > b)
print(sorted([3, 1, 4, 1, 5, 9, 2, 6], key=cmp_to_key(numeric_desc)))
heap = [cmp_to_key(numeric_desc)(v) for v in [3, 8, 1, 9]]
heapq.heapify(heap)
print([heapq.heappop(heap).obj for _ in range(len(heap))])
def mixed(a, b):
    return -1 if str(a) < str(b) else (1 if str(a) > str(b) else 0)
print(sorted([10, 9, "8", 100], key=cmp_to_key(mixed)))
def floaty(a, b):
    return (a - b) / 10
print(sorted([0.3, 0.1, 0.2], key=cmp_to_key(floaty)))
for bad in [lambda: K("a") < "b", lambda: K(), lambda: cmp_to_key()]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
