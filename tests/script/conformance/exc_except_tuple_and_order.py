# except clauses with tuples, first matching clause wins, and `as` name is unbound afterwards.
def classify(fn):
    try:
        fn()
    except (KeyError, IndexError) as e:
        return "lookup:" + type(e).__name__
    except (TypeError, ValueError) as e:
        return "type-or-value:" + type(e).__name__
    except Exception as e:
        return "other:" + type(e).__name__
    return "none"
print(classify(lambda: {}["x"]))
print(classify(lambda: [][0]))
print(classify(lambda: int("z")))
print(classify(lambda: 1 + None))
print(classify(lambda: 1 / 0))
print(classify(lambda: 0))
errors = (ZeroDivisionError, OverflowError)
try:
    1 % 0
except errors as e:
    print("via tuple variable", type(e).__name__)
try:
    raise ValueError("v")
except ValueError as err:
    pass
try:
    print(err)
except NameError as e:
    print("NameError", e)
try:
    raise KeyError("k")
except Exception:
    print("bare-ish Exception")
try:
    raise IndexError
except:
    print("bare except caught class raise")
try:
    raise TypeError
except TypeError as e:
    print(repr(e), e.args)
