# A deadline-aware job scheduler: heapq by (deadline, priority), simulated clock, missed jobs.
import heapq
jobs = [("compile", 3, 10, 2), ("lint", 1, 4, 1), ("test", 2, 12, 4), ("deploy", 1, 20, 3),
        ("docs", 5, 9, 2), ("bench", 4, 11, 5)]
heap = []
for seq, (name, prio, deadline, dur) in enumerate(jobs):
    heapq.heappush(heap, (deadline, prio, seq, name, dur))
clock = 0
done, missed = [], []
while heap:
    deadline, prio, seq, name, dur = heapq.heappop(heap)
    if clock + dur > deadline:
        missed.append((name, clock + dur - deadline))
        print("t=%2d skip %-8s (would finish %d > %d)" % (clock, name, clock + dur, deadline))
        continue
    clock += dur
    done.append(name)
    print("t=%2d done %-8s slack %d" % (clock, name, deadline - clock))
print("completed", done)
print("missed", missed)
print("utilization %.2f" % (sum(d for *_, d in jobs if _[0] in done) / clock if clock else 0))
