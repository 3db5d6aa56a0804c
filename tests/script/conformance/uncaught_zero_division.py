# An uncaught ZeroDivisionError deep in a call chain.
def ratio(a, b):
    return a / b
def normalize(values):
    total = sum(values)
    return [ratio(v, total) for v in values]
print(normalize([1, 3]))
print(normalize([2, 2, 4]))
print(normalize([0, 0]))
print("unreachable")
def never():
    pass
never()
