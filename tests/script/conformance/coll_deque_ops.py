# deque append/appendleft/pop/popleft/extend/rotate, maxlen eviction, indexing and repr.
from collections import deque
d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d, len(d), d[0], d[-1], d[2])
print(d.pop(), d.popleft(), d)
d.extend([7, 8])
print(d)
d.rotate(2)
print(d)
d.rotate(-3)
print(d)
w = deque(maxlen=3)
for i in range(6):
    w.append(i)
    print(list(w), w.maxlen)
print(w)
w.appendleft(-1)
print(w)
print(deque(), deque("abc"), deque([1], maxlen=5), 2 in deque([1, 2]))
try:
    deque().pop()
except IndexError as e:
    print("IndexError", e)
try:
    deque().popleft()
except IndexError as e:
    print("IndexError", e)
q = deque(range(5))
while q:
    q.popleft()
print(q, bool(q), list(reversed(deque("xyz"))), deque([1, 2]) == deque([1, 2]))
