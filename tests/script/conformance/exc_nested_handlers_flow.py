# Nested try blocks across function calls: which handler runs, and finally ordering.
log = []
def level3(kind):
    try:
        log.append("l3 try")
        if kind == "key":
            raise KeyError("k3")
        if kind == "value":
            raise ValueError("v3")
        return "l3 ok"
    finally:
        log.append("l3 finally")
def level2(kind):
    try:
        return level3(kind)
    except KeyError as e:
        log.append("l2 caught " + repr(e))
        return "l2 handled"
    finally:
        log.append("l2 finally")
def level1(kind):
    try:
        return level2(kind)
    except Exception as e:
        log.append("l1 caught " + type(e).__name__)
        return "l1 handled"
for kind in ["none", "key", "value"]:
    log.clear()
    print(kind, level1(kind), log)
def handler_raises():
    try:
        try:
            raise ValueError("a")
        except ValueError:
            raise TypeError("b")
        finally:
            log.append("inner finally")
    except TypeError as e:
        return "outer got %r (context %r)" % (e, e.__context__)
log.clear()
print(handler_raises(), log)
