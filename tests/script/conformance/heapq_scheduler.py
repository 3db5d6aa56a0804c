# A priority task scheduler on heapq with tie-breaking sequence numbers and re-queuing.
import heapq
class Scheduler:
    def __init__(self):
        self.heap = []
        self.seq = 0
    def submit(self, priority, name, runs=1):
        heapq.heappush(self.heap, (priority, self.seq, name, runs))
        self.seq += 1
    def run(self):
        clock = 0
        while self.heap:
            pri, seq, name, runs = heapq.heappop(self.heap)
            clock += 1
            print("t=%d run %s (pri %d, seq %d, left %d)" % (clock, name, pri, seq, runs - 1))
            if runs > 1:
                self.submit(pri + 1, name, runs - 1)
        return clock
s = Scheduler()
s.submit(2, "backup")
s.submit(0, "urgent", runs=2)
s.submit(1, "email")
s.submit(1, "chat", runs=3)
s.submit(0, "alarm")
print("total ticks", s.run())
