# assert with and without messages; AssertionError args and message expressions.
def check(x):
    assert x > 0, "x must be positive, got %d" % x
    assert isinstance(x, int)
    return x
for v in [5, -1]:
    try:
        print(check(v))
    except AssertionError as e:
        print("AssertionError", e, e.args)
try:
    check(2.5)
except AssertionError as e:
    print("AssertionError no message", repr(e), e.args)
try:
    assert [], ["list", "message"]
except AssertionError as e:
    print(e.args[0], type(e.args[0]).__name__)
try:
    assert False, ValueError("exc as message")
except AssertionError as e:
    print(repr(e))
calls = []
def msg():
    calls.append(1)
    return "lazy"
assert True, msg()
print(calls)
try:
    assert 1 == 2, f"{1} != {2}"
except AssertionError as e:
    print(str(e))
