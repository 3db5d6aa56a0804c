# time.sleep argument checks: huge or infinite lengths raise OverflowError, NaN and negatives ValueError.
import time
cases = [1e300, -1e300, float("inf"), -float("inf"), float("nan"), -1, -0.5, -1e-10,
         9.3e9, 9223372037, -9223372037, 2**62, "1", None, [1]]
for c in cases:
    try:
        r = time.sleep(c)
        print(repr(c), "slept", r)
    except (OverflowError, ValueError, TypeError) as e:
        print(repr(c), type(e).__name__, e)
for c in [0, 0.0, -0.0, False, 1e-12, 1e-6]:
    print(repr(c), time.sleep(c))
