# bisect for interval lookups: IP-like ranges, time buckets and maintaining a sorted leaderboard.
import bisect
starts = [0, 100, 250, 1000, 5000]
labels = ["tiny", "small", "medium", "large", "huge"]
for v in [0, 99, 100, 249, 250, 999, 4999, 5000, 10 ** 9]:
    print(v, labels[bisect.bisect_right(starts, v) - 1])
times = [3, 7, 7, 12, 15, 21, 30]
def count_between(lo, hi):
    return bisect.bisect_right(times, hi) - bisect.bisect_left(times, lo)
print(count_between(7, 15), count_between(8, 11), count_between(0, 100), count_between(31, 40))
board = []
for name, score in [("a", 50), ("b", 80), ("c", 50), ("d", 95), ("e", 10)]:
    bisect.insort(board, (-score, name))
print([(n, -s) for s, n in board])
pos = bisect.bisect_left(board, (-50, ""))
print(pos, board[pos])
