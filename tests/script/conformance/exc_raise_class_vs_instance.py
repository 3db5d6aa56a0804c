# Raising classes vs instances, raising non-exceptions, and exceptions as values.
try:
    raise ValueError
except ValueError as e:
    print(type(e).__name__, repr(e), e.args)
try:
    raise ValueError("with msg")
except ValueError as e:
    print(repr(e))
try:
    raise "string"
except TypeError as e:
    print("TypeError", e)
try:
    raise 42
except TypeError as e:
    print("TypeError", e)
errs = [ValueError("a"), TypeError("b"), KeyError("c")]
for err in errs:
    try:
        raise err
    except Exception as caught:
        print(caught is err, type(caught).__name__)
def factory(kind):
    return {"v": ValueError, "t": TypeError}[kind]
try:
    raise factory("t")("made by factory")
except TypeError as e:
    print(e)
print(isinstance(ValueError, type), issubclass(type(ValueError()), Exception))
print(ValueError("x") == ValueError("x"), str(ValueError("x")) == str(ValueError("x")))
