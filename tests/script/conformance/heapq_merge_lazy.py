# heapq.merge is a lazy generator: inputs are pulled on demand; key, reverse and stability of equal items.
import heapq
def source(name, items):
    for x in items:
        print("  pull", name, x)
        yield x
m = heapq.merge(source("a", [1, 4, 6]), source("b", [2, 3, 7]))
print("created")
print(next(m))
print(next(m), next(m))
print(list(m))
print(list(heapq.merge([1, 2, 2], [2, 3], [2], [])))
tagged = list(heapq.merge([(1, "a1"), (2, "a2")], [(1, "b1"), (2, "b2")], key=lambda t: t[0]))
print(tagged)
print(list(heapq.merge(["kiwi", "fig"], ["banana", "pear"], key=len, reverse=True)))
print(list(heapq.merge([9, 7, 3], [8, 7, 1], reverse=True)))
print(list(heapq.merge()), list(heapq.merge([])), list(heapq.merge([], [5])))
print(type(heapq.merge()).__name__)
m = heapq.merge(source("x", [1]), source("y", []), source("z", [0, 5]))
print([v for v in m])
def bad():
    yield 1
    raise ValueError("boom")
m = heapq.merge(bad(), [0, 2, 3])
try:
    print([v for v in m])
except ValueError as e:
    print("ValueError", e, next(m, "exhausted"))
