# try/except/else/finally execution order in success, caught and uncaught-in-function cases.
def run(x):
    log = []
    try:
        log.append("try")
        r = 10 // x
    except ZeroDivisionError:
        log.append("except")
    else:
        log.append("else %d" % r)
    finally:
        log.append("finally")
    return log
print(run(2))
print(run(0))
def propagate():
    try:
        raise ValueError("inner")
    finally:
        print("finally before propagation")
try:
    propagate()
except ValueError as e:
    print("outer caught", e)
def nested():
    try:
        try:
            {}["x"]
        except IndexError:
            print("wrong handler")
        finally:
            print("inner finally")
    except KeyError as e:
        print("outer handler", repr(e))
    else:
        print("no else")
nested()
try:
    pass
except Exception:
    print("not reached")
else:
    print("else with pass")
finally:
    print("done")
