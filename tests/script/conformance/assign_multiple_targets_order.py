# Evaluation order in assignments: right side first, targets left to right, swaps through indices.
lst = [1, 2, 3]
lst[0], lst[2] = lst[2], lst[0]
print(lst)
i = 0
arr = [10, 20, 30]
i, arr[i] = 2, 99
print(i, arr)
a = b = []
a.append(1)
print(a, b, a is b)
x, y = y, x = 1, 2
print(x, y)
log = []
def val(tag, v):
    log.append(tag)
    return v
d = {}
d[val("key", "k")] = val("value", 1)
print(d, log)
log.clear()
val("a", [0])[val("idx", 0)] = val("rhs", 5)
print(log)
m = [[0] * 2 for _ in range(2)]
m[0][1] = m[1][0] = 7
print(m)
n = 5
n, m2 = n + 1, n * 2
print(n, m2)
