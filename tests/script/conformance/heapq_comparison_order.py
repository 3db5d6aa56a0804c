# heapq's C sift routines: the exact sequence of __lt__ calls and the resulting list layout.
import heapq
log = []
class V:
    def __init__(self, v):
        self.v = v
    def __lt__(self, other):
        log.append("%s<%s" % (self.v, other.v))
        return self.v < other.v
    def __repr__(self):
        return "V%s" % self.v
def show(label, result=None):
    print(label, result, " ".join(log))
    log.clear()
h = []
for x in [5, 3, 8, 1, 9, 2, 7]:
    heapq.heappush(h, V(x))
show("push", h)
show("pop", (heapq.heappop(h), h))
show("replace", (heapq.heapreplace(h, V(6)), h))
show("pushpop small", (heapq.heappushpop(h, V(0)), h))
show("pushpop big", (heapq.heappushpop(h, V(4)), h))
data = [V(x) for x in [9, 4, 7, 1, 8, 2, 6, 3, 5, 0, 4]]
heapq.heapify(data)
show("heapify", data)
mx = [V(x) for x in [1, 6, 3, 8, 2, 9]]
heapq._heapify_max(mx)
show("heapify_max", mx)
show("pop_max", (heapq._heappop_max(mx), mx))
big = [(i * 7919) % 5003 for i in range(5003)]
heapq.heapify(big)
print(big[:12], all(big[(i - 1) // 2] <= big[i] for i in range(1, len(big))))
print([heapq.heappop(big) for _ in range(8)], len(big))
