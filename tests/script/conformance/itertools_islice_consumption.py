# islice pulls exactly the items CPython pulls from a shared iterator; its ValueError messages for bad indices.
from itertools import islice, count
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
def numbers(n):
    for i in range(n):
        print("  pull", i)
        yield i
it = numbers(10)
print(list(islice(it, 2, 6, 2)))
print(next(it))
it = numbers(5)
print(list(islice(it, 0)), next(it))
it = iter(range(10))
print(list(islice(it, 3)), list(islice(it, 3)), list(it))
print(list(islice("abcdefg", 1, None, 3)), list(islice("abc", None)), list(islice("abc", 5, 9)))
print(list(islice(count(), 5, 12, 3)), list(islice(range(100), 10, 20, 100)))
print(list(islice(range(10), True, 3)), list(islice(range(10), None, None, None)))
attempt("stop -1", lambda: islice([], -1))
attempt("stop str", lambda: islice([], "3"))
attempt("start -1", lambda: islice([], -1, 3))
attempt("stop -2", lambda: islice([], 1, -2))
attempt("start float", lambda: islice([], 1.0, 3))
attempt("step 0", lambda: islice([], 0, 3, 0))
attempt("step -1", lambda: islice([], 0, 3, -1))
attempt("one arg", lambda: islice([]))
attempt("five args", lambda: islice([], 1, 2, 3, 4))
attempt("keyword", lambda: islice([], stop=2))
attempt("not iterable", lambda: islice(3, 2))
s = islice(numbers(3), 1, None)
print(type(s).__name__, iter(s) is s, list(s), list(s))
