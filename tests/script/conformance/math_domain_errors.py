# math functions raise ValueError("math domain error") and OverflowError for bad inputs.
import math
def show(fn):
    try:
        print(fn())
    except (ValueError, OverflowError, TypeError, ZeroDivisionError) as e:
        print(type(e).__name__, e)
show(lambda: math.sqrt(-1))
show(lambda: math.log(0))
show(lambda: math.log(-5))
show(lambda: math.log10(0))
show(lambda: math.acos(2))
show(lambda: math.asin(-1.5))
show(lambda: math.exp(1000))
show(lambda: math.pow(10, 400))
show(lambda: math.factorial(-1))
show(lambda: math.factorial(2.5))
show(lambda: math.isqrt(-4))
show(lambda: math.sqrt("4"))
show(lambda: math.fmod(1, 0))
show(lambda: math.comb(3, -1))
show(lambda: math.log(10, 1))
show(lambda: math.floor(float("inf")))
show(lambda: math.floor(float("nan")))
show(lambda: math.sqrt(float("inf")))
show(lambda: math.exp(-1000))
