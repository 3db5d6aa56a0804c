# Lists of lists as grids: neighbours, rotation, transposition and flood fill.
grid = [list(row) for row in ["#..#", "....", ".##.", "#..."]]
H, W = len(grid), len(grid[0])
def neighbours(r, c):
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        nr, nc = r + dr, c + dc
        if 0 <= nr < H and 0 <= nc < W:
            yield nr, nc
counts = [[sum(grid[nr][nc] == "#" for nr, nc in neighbours(r, c)) for c in range(W)] for r in range(H)]
for row in counts:
    print(row)
rot = [list(r) for r in zip(*grid[::-1])]
print(["".join(r) for r in rot])
print(["".join(r) for r in zip(*grid)])
def flood(r, c, mark):
    stack, n = [(r, c)], 0
    while stack:
        r, c = stack.pop()
        if grid[r][c] != ".":
            continue
        grid[r][c] = mark
        n += 1
        stack.extend(neighbours(r, c))
    return n
print(flood(1, 1, "a"), ["".join(r) for r in grid])
print(sum(row.count("#") for row in grid), [c for c in range(W) if all(grid[r][c] != "#" for r in range(H))])
