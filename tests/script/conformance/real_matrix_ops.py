# Pure-Python matrix helpers: multiply, transpose, identity, determinant and Gaussian solve.
def matmul(a, b):
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]
def transpose(m):
    return [list(r) for r in zip(*m)]
def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]
def det(m):
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** j * m[0][j] * det([row[:j] + row[j + 1:] for row in m[1:]]) for j in range(len(m)))
def solve(a, b):
    n = len(a)
    m = [row[:] + [v] for row, v in zip(a, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [round(m[i][n] / m[i][i], 9) for i in range(n)]
A = [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]
B = [[1, 2], [3, 4], [5, 6]]
print(matmul(A, B))
print(transpose(B), matmul(A, identity(3)) == A)
print(det(A), det([[1, 2], [3, 4]]), det(identity(4)))
print(solve(A, [8, -11, -3]))
for row in matmul(transpose(B), B):
    print(" ".join("%4d" % v for v in row))
