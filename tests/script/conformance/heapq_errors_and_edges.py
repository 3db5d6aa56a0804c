# heapq: argument errors, empty heaps, heappushpop shortcuts and the n<=1 / n>=len shortcuts of nlargest/nsmallest.
import heapq
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
attempt("pop empty", lambda: heapq.heappop([]))
attempt("replace empty", lambda: heapq.heapreplace([], 1))
attempt("pushpop empty", lambda: heapq.heappushpop([], 7))
attempt("push tuple", lambda: heapq.heappush((), 1))
attempt("pop tuple", lambda: heapq.heappop((1,)))
attempt("heapify tuple", lambda: heapq.heapify((3, 1)))
attempt("push arity", lambda: heapq.heappush([]))
attempt("push kw", lambda: heapq.heappush(heap=[], item=1))
attempt("unorderable", lambda: heapq.heappush([1], "a"))
attempt("heapify mixed", lambda: heapq.heapify([3, "a", 1]))
h = [1, 5, 3]
print(heapq.heappushpop(h, 0), h, heapq.heappushpop(h, 4), h)
print(heapq.heapreplace(h, 9), h)
data = [5, 1, 4, 1, 5, 9, 2, 6]
for n in [-2, 0, 1, 3, 8, 20]:
    print(n, heapq.nlargest(n, data), heapq.nsmallest(n, data))
    print(n, heapq.nlargest(n, iter(data)), heapq.nsmallest(n, iter(data)))
print(heapq.nlargest(1, []), heapq.nsmallest(1, iter([])), heapq.nlargest(1, [2, 7, 7], key=lambda x: -x))
attempt("nlargest float n", lambda: heapq.nlargest(2.0, iter([3, 1, 2])))
attempt("nlargest missing", lambda: heapq.nlargest(2))
attempt("nsmallest extra", lambda: heapq.nsmallest(2, [1, 2], None, 4))
attempt("nsmallest not iterable", lambda: heapq.nsmallest(2, 5))
attempt("merge kw", lambda: list(heapq.merge([1], x=2)))
attempt("merge lazy error", lambda: next(heapq.merge([1], 5)))
