# Unbounded recursion raises RecursionError (only the type is printed), which is catchable.
def down(n):
    return down(n + 1)
try:
    down(0)
except RecursionError as e:
    print(type(e).__name__)
def mutual_a(n):
    return mutual_b(n + 1)
def mutual_b(n):
    return mutual_a(n + 1)
try:
    mutual_a(0)
except RuntimeError as e:
    print("as RuntimeError:", type(e).__name__)
def ok(n):
    return 0 if n == 0 else 1 + ok(n - 1)
print(ok(200))
def countdown(n):
    if n == 0:
        return "done"
    return countdown(n - 1)
print(countdown(300))
try:
    down(0)
except Exception as e:
    print(isinstance(e, RecursionError))
print("still working", ok(50))
