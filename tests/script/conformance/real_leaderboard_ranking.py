# A game leaderboard: merge score events, dense vs competition ranking, ties, and pagination.
events = [("ann", 50), ("bob", 70), ("cy", 70), ("ann", 30), ("dee", 20), ("eve", 80), ("bob", -10), ("fay", 60),
          ("gus", 80), ("cy", 0)]
totals = {}
for player, pts in events:
    totals[player] = totals.get(player, 0) + pts
board = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
def competition(board):
    ranks, prev, rank = [], None, 0
    for i, (p, s) in enumerate(board, 1):
        if s != prev:
            rank, prev = i, s
        ranks.append((rank, p, s))
    return ranks
def dense(board):
    ranks, prev, rank = [], None, 0
    for p, s in board:
        if s != prev:
            rank, prev = rank + 1, s
        ranks.append((rank, p, s))
    return ranks
for (r1, p, s), (r2, _, _) in zip(competition(board), dense(board)):
    print("%2d %2d %-4s %3d" % (r1, r2, p, s))
page_size = 3
pages = [board[i:i + page_size] for i in range(0, len(board), page_size)]
print(len(pages), [[p for p, _ in pg] for pg in pages])
def rank_of(player):
    return next(r for r, p, _ in competition(board) if p == player)
print(rank_of("cy"), rank_of("dee"), {s: [p for p, x in board if x == s] for s in sorted(set(totals.values()), reverse=True)[:2]})
