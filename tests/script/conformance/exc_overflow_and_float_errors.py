# Float-related errors: OverflowError from float ops and conversions, math range errors.
import math
def show(label, fn):
    try:
        print(label, fn())
    except (OverflowError, ValueError, ZeroDivisionError) as e:
        print(label, type(e).__name__ + ":", e)
show("exp", lambda: math.exp(710))
show("mul", lambda: 1e308 * 10)
show("int(inf)", lambda: int(float("inf")))
show("round(inf)", lambda: round(float("inf")))
show("round(nan)", lambda: round(float("nan")))
show("ldexp", lambda: math.ldexp(1.0, 5000))
show("float mod 0", lambda: 5.5 % 0.0)
show("float floordiv", lambda: 5.5 // 0)
show("sqrt neg", lambda: math.sqrt(-0.0))
show("big float", lambda: float("1e400"))
show("2.0**1024", lambda: 2.0 ** 1024)
show("2.0**1023", lambda: 2.0 ** 1023)
print(issubclass(OverflowError, ArithmeticError))
