# and/or return operands and short-circuit evaluation of side effects.
log = []
def t(name, v):
    log.append(name)
    return v
print(t("a", 0) and t("b", 1), log)
log.clear()
print(t("a", 1) and t("b", 2), log)
log.clear()
print(t("a", 0) or t("b", 0) or t("c", 3), log)
log.clear()
print(t("a", 5) or t("b", 6), log)
log.clear()
print(not t("a", []), log)
print([] or {}, [] and {}, 0 or None, "x" and "y")
print(1 and 2 and 3, 1 and 0 and 3, 0 or 0.0 or "")
val = None
name = val or "anon"
print(name)
print((1 or 2) == 1, (0 and 2) == 0)
n = 0
ok = n != 0 and 10 / n > 1
print(ok)
