# deque as a sliding window (maxlen) for moving averages and as a monotonic queue for window maxima.
from collections import deque
data = [4, 2, 12, 3, 8, 8, 1, 9, 5, 7]
win = deque(maxlen=3)
avgs = []
for x in data:
    win.append(x)
    if len(win) == 3:
        avgs.append(round(sum(win) / 3, 3))
print(avgs, win)
def window_max(xs, k):
    dq, out = deque(), []
    for i, x in enumerate(xs):
        while dq and xs[dq[-1]] <= x:
            dq.pop()
        dq.append(i)
        if dq[0] <= i - k:
            dq.popleft()
        if i >= k - 1:
            out.append(xs[dq[0]])
    return out
print(window_max(data, 3), window_max(data, 1) == data, window_max(data, len(data)))
hist = deque(maxlen=4)
for cmd in ["ls", "cd x", "vim f", "make", "ls", "git st"]:
    hist.append(cmd)
print(list(hist), hist[0], hist[-1], len(hist))
dq = deque([1, 2, 3, 4, 5])
dq.rotate(1)
print(dq)
dq.rotate(-2)
print(dq)
dq.extend([6])
dq.appendleft(0)
print(dq, dq.pop(), dq.popleft(), dq)
