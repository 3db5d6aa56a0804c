# Handling errors per item in a loop, collecting failures, and retry with counters.
raw = ["10", "x", "3.5", "", "-4", "7e2", None, "0"]
ok, bad = [], []
for r in raw:
    try:
        ok.append(int(r))
    except ValueError as e:
        bad.append(("ValueError", str(e)))
    except TypeError as e:
        bad.append(("TypeError", str(e)))
print(ok)
for b in bad:
    print(b)
attempts = 0
def flaky():
    global attempts
    attempts += 1
    if attempts < 3:
        raise RuntimeError("attempt %d failed" % attempts)
    return "success on %d" % attempts
for _ in range(5):
    try:
        print(flaky())
        break
    except RuntimeError as e:
        print("retry:", e)
ratios = []
for a, b in [(1, 2), (3, 0), (5, "x"), (8, 4)]:
    try:
        ratios.append(a / b)
    except (ZeroDivisionError, TypeError) as e:
        ratios.append(type(e).__name__)
    finally:
        pass
print(ratios)
