# Using lists as stacks and queues, plus in-place filtering patterns.
stack = []
for tok in "3 4 + 2 * 7 -".split():
    if tok.isdigit():
        stack.append(int(tok))
    else:
        b, a = stack.pop(), stack.pop()
        stack.append(a + b if tok == "+" else a - b if tok == "-" else a * b)
    print(tok, stack)
queue = [1, 2, 3]
while queue:
    item = queue.pop(0)
    if item < 5:
        queue.append(item * 3)
    print(item, queue)
vals = [1, -2, 3, -4, 5]
vals[:] = [v for v in vals if v > 0]
print(vals)
i = 0
lst = [0, 1, 0, 2, 0]
while i < len(lst):
    if lst[i] == 0:
        del lst[i]
    else:
        i += 1
print(lst)
