# heapq applications: kth smallest, running median with two heaps, merging k sorted lists.
import heapq
data = [41, 7, 19, 3, 88, 23, 56, 1, 14, 67]
print(heapq.nsmallest(3, data)[-1], sorted(data)[2], heapq.nlargest(4, data)[-1])
lo, hi = [], []
medians = []
for x in data:
    if not lo or x <= -lo[0]:
        heapq.heappush(lo, -x)
    else:
        heapq.heappush(hi, x)
    if len(lo) > len(hi) + 1:
        heapq.heappush(hi, -heapq.heappop(lo))
    elif len(hi) > len(lo):
        heapq.heappush(lo, -heapq.heappop(hi))
    medians.append(-lo[0] if len(lo) > len(hi) else (-lo[0] + hi[0]) / 2)
print(medians)
lists = [[1, 4, 9], [2, 2, 8], [0, 10], []]
heap = [(l[0], i, 0) for i, l in enumerate(lists) if l]
heapq.heapify(heap)
merged = []
while heap:
    v, i, j = heapq.heappop(heap)
    merged.append(v)
    if j + 1 < len(lists[i]):
        heapq.heappush(heap, (lists[i][j + 1], i, j + 1))
print(merged, merged == list(heapq.merge(*lists)))
