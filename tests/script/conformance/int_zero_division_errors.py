# Division by zero raises ZeroDivisionError with operator-specific messages.
def attempt(label, fn):
    try:
        print(label, fn())
    except ZeroDivisionError as e:
        print(label, type(e).__name__, e)
attempt("1/0", lambda: 1 / 0)
attempt("1//0", lambda: 1 // 0)
attempt("1%0", lambda: 1 % 0)
attempt("divmod", lambda: divmod(1, 0))
attempt("1.0/0", lambda: 1.0 / 0)
attempt("1.0//0.0", lambda: 1.0 // 0.0)
attempt("1.0%0", lambda: 1.0 % 0)
attempt("0**-1", lambda: 0 ** -1)
attempt("0.0**-1", lambda: 0.0 ** -1)
attempt("ok", lambda: 0 / 5)
print(issubclass(ZeroDivisionError, ArithmeticError), issubclass(ArithmeticError, Exception))
try:
    x = 10
    x //= 0
except ArithmeticError as e:
    print("caught as ArithmeticError:", repr(e))
