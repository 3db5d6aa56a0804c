# Token-bucket and sliding-window rate limiters driven by a fake clock (no real time).
from collections import deque
class TokenBucket:
    def __init__(self, rate, burst):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.last = 0.0
    def allow(self, now):
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
class SlidingWindow:
    def __init__(self, limit, window):
        self.limit, self.window = limit, window
        self.hits = deque()
    def allow(self, now):
        while self.hits and self.hits[0] <= now - self.window:
            self.hits.popleft()
        if len(self.hits) < self.limit:
            self.hits.append(now)
            return True
        return False
times = [0, 0.1, 0.2, 0.3, 0.5, 1.0, 1.1, 2.5, 2.6, 2.7, 2.8, 5.0]
tb = TokenBucket(rate=2, burst=3)
sw = SlidingWindow(limit=3, window=1.0)
for t in times:
    print("t=%.1f bucket=%s tokens=%.2f window=%s" % (t, tb.allow(t), tb.tokens, sw.allow(t)))
