# nlargest/nsmallest keep the original order among equal keys (the tie-breaking counter), with and without key.
import heapq
rows = [("ann", 3), ("bob", 5), ("cy", 3), ("dee", 5), ("eve", 1), ("fay", 5), ("gus", 3)]
score = lambda r: r[1]
for n in [1, 2, 3, 4, 6, 7, 10]:
    print(n, heapq.nlargest(n, rows, key=score))
    print(n, heapq.nsmallest(n, rows, key=score))
    print(n, heapq.nlargest(n, iter(rows), key=score) == heapq.nlargest(n, rows, key=score))
    print(n, heapq.nsmallest(n, iter(rows), key=score))
words = ["bb", "a", "ccc", "dd", "e", "fff", "g"]
print(heapq.nlargest(3, words, key=len), heapq.nsmallest(3, iter(words), key=len))
print(heapq.nlargest(4, [2.5, 1, 3, 2.5, 3.0]), heapq.nsmallest(4, iter([2.5, 1, 3, 2.5, 1.0])))
class Box:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        return self.v < other.v
    def __repr__(self):
        return "Box(%d)" % self.v
print(heapq.nsmallest(2, iter([Box(3), Box(1), Box(2)])), heapq.nlargest(2, iter([Box(3), Box(1), Box(2)])))
def gen(n):
    for i in range(n):
        yield (i * 37) % 101
print(heapq.nlargest(5, gen(300)), heapq.nsmallest(5, gen(300), key=lambda x: (x % 10, x)))
