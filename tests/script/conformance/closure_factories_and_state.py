# Closure factories: memoizers, accumulators with history, and closures sharing one cell.
def make_memo(fn):
    memo = {}
    def wrapped(n):
        if n not in memo:
            memo[n] = fn(n)
        return memo[n]
    wrapped.memo = memo
    return wrapped
square = make_memo(lambda n: n * n)
print([square(i) for i in [3, 4, 3]], sorted(square.memo.items()))
def bank(balance):
    history = []
    def deposit(x):
        nonlocal balance
        balance += x
        history.append(("+", x))
        return balance
    def withdraw(x):
        nonlocal balance
        if x > balance:
            raise ValueError("insufficient: %d > %d" % (x, balance))
        balance -= x
        history.append(("-", x))
        return balance
    def report():
        return balance, list(history)
    return deposit, withdraw, report
dep, wd, rep = bank(10)
print(dep(5), wd(3), dep(100))
try:
    wd(1000)
except ValueError as e:
    print("ValueError", e)
print(rep())
dep2, _, rep2 = bank(0)
dep2(1)
print(rep2(), rep()[0])
def make_toggle():
    state = False
    def flip():
        nonlocal state
        state = not state
        return state
    return flip
t = make_toggle()
print([t() for _ in range(5)])
