# Recursive functions: factorial, fibonacci with memo dict, permutations, tree depth.
def fib(n, memo={}):
    if n < 2:
        return n
    if n not in memo:
        memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]
print([fib(i) for i in range(15)], fib(90))
def perms(items):
    if len(items) <= 1:
        return [items[:]]
    out = []
    for i in range(len(items)):
        for p in perms(items[:i] + items[i + 1:]):
            out.append([items[i]] + p)
    return out
print(perms([1, 2, 3]))
tree = {"v": 1, "kids": [{"v": 2, "kids": []}, {"v": 3, "kids": [{"v": 4, "kids": []}]}]}
def depth(node):
    return 1 + max([depth(k) for k in node["kids"]], default=0)
def total(node):
    return node["v"] + sum(total(k) for k in node["kids"])
print(depth(tree), total(tree))
def flatten(x):
    if isinstance(x, list):
        return [y for item in x for y in flatten(item)]
    return [x]
print(flatten([1, [2, [3, [4, []]], 5]]))
def hanoi(n, a, b, c, moves):
    if n:
        hanoi(n - 1, a, c, b, moves)
        moves.append((a, c))
        hanoi(n - 1, b, a, c, moves)
    return moves
print(len(hanoi(6, "A", "B", "C", [])), hanoi(2, "A", "B", "C", []))
