# heapq push/pop ordering, heapify, heapreplace, heappushpop, nlargest/nsmallest.
import heapq
h = []
for v in [5, 1, 8, 3, 9, 2, 7]:
    heapq.heappush(h, v)
print(h[0], len(h))
print([heapq.heappop(h) for _ in range(len(h))])
data = [9, 4, 7, 1, 8, 2]
heapq.heapify(data)
print(data, data[0])
print(heapq.heapreplace(data, 5), data)
print(heapq.heappushpop(data, 0), data)
print(heapq.heappushpop(data, 100), data)
nums = [15, 3, 99, 42, 8, 23, 4, 16]
print(heapq.nlargest(3, nums), heapq.nsmallest(3, nums), heapq.nlargest(0, nums), heapq.nsmallest(10, [3, 1]))
words = ["kiwi", "fig", "banana", "apple", "cherry"]
print(heapq.nlargest(2, words, key=len), heapq.nsmallest(2, words, key=lambda w: (len(w), w)))
try:
    heapq.heappop([])
except IndexError as e:
    print("IndexError", e)
t = []
for item in [(2, "b"), (1, "z"), (2, "a"), (0, "q")]:
    heapq.heappush(t, item)
print([heapq.heappop(t) for _ in range(4)])
