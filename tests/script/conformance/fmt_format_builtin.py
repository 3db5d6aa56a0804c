# format() builtin and __format__-free objects falling back to str().
print(format(3.14159, ".2f"), format(42, "5d"), format("hi", "^6") + "|")
print(format(1234567, ","), format(0.25, "%"), format(255, "x"), format(True, "d"), format(True))
print(format(None), format([1, 2]), format("x"), format(12))
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __str__(self):
        return "$%d.%02d" % (self.cents // 100, self.cents % 100)
m = Money(12345)
print(format(m), f"{m}", "{}".format(m), str(m))
try:
    format(m, ">10")
except TypeError as e:
    print("TypeError", e)
print(f"{m!s:>10}|")
print(format(-7, "+"), format(7, "+"), format(7.0, "+"), format(-0.0, "+"))
print(format(1e16, ""), format(1e16, "g"), format(123.0, ""), format(0.1, ".17g"))
