# heapq.merge of sorted streams (with key and reverse) and a streaming top-k with a min-heap.
import heapq
a, b, c = [1, 4, 9], [2, 3, 10, 11], [0, 5]
print(list(heapq.merge(a, b, c)), list(heapq.merge()), list(heapq.merge([], [1])))
print(list(heapq.merge(["apple", "fig"], ["kiwi", "banana"], key=len)))
print(list(heapq.merge([9, 5, 1], [8, 2], reverse=True)))
def top_k(stream, k):
    heap = []
    for x in stream:
        if len(heap) < k:
            heapq.heappush(heap, x)
        elif x > heap[0]:
            heapq.heapreplace(heap, x)
    return sorted(heap, reverse=True)
print(top_k([5, 1, 9, 3, 7, 8, 2, 6], 3), top_k([], 2), top_k([1], 5))
events = [(3.5, "c"), (1.0, "a"), (2.25, "b")]
heapq.heapify(events)
order = []
while events:
    t, name = heapq.heappop(events)
    order.append("%s@%.2f" % (name, t))
print(order)
