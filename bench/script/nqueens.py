# N-queens two ways: backtracking in a closure over sets of occupied columns
# and diagonals (set add/remove/membership, recursion, tuples), and filtering
# all permutations of a smaller board, built recursively with list slices and
# concatenation, with generator expressions into set().


def solve(n):
    cols = set()
    diag1 = set()
    diag2 = set()
    placement = []
    solutions = []

    def place(row):
        if row == n:
            solutions.append(tuple(placement))
            return
        for c in range(n):
            if c in cols or (row + c) in diag1 or (row - c) in diag2:
                continue
            cols.add(c)
            diag1.add(row + c)
            diag2.add(row - c)
            placement.append(c)
            place(row + 1)
            placement.pop()
            cols.remove(c)
            diag1.remove(row + c)
            diag2.remove(row - c)

    place(0)
    return solutions


def permutations(items):
    if len(items) <= 1:
        return [items[:]]
    out = []
    for i in range(len(items)):
        rest = items[:i] + items[i + 1:]
        for p in permutations(rest):
            out.append([items[i]] + p)
    return out


def count_by_permutation(n):
    count = 0
    for p in permutations(list(range(n))):
        if len(set(p[i] + i for i in range(n))) == n and len(set(p[i] - i for i in range(n))) == n:
            count += 1
    return count


sols = solve(12)
checksum = 0
for s in sols:
    for i, c in enumerate(s):
        checksum = (checksum * 31 + c * (i + 1)) % 1000000007
print("nqueens 12", len(sols), checksum, sols[0], sols[-1])
print("nqueens perm 8", count_by_permutation(8))
