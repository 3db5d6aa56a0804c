# Keyword-only parameters after * and positional-only parameters before /.
def kwonly(a, *, b, c=3):
    return a, b, c
print(kwonly(1, b=2), kwonly(1, c=0, b=5))
def posonly(x, y, /, z=0):
    return x, y, z
print(posonly(1, 2), posonly(1, 2, 3), posonly(1, 2, z=9))
def both(p, /, q, *, r):
    return p + q + r
print(both(1, 2, r=3), both(1, q=2, r=3))
def posonly_kwargs(name, /, **kw):
    return name, kw
print(posonly_kwargs("n", name="also allowed"))
def show(fn):
    try:
        print(fn())
    except TypeError as e:
        print("TypeError", e)
show(lambda: kwonly(1, 2))
show(lambda: kwonly(1))
show(lambda: posonly(x=1, y=2))
show(lambda: both(1, 2, 3))
show(lambda: both(p=1, q=2, r=3))
def star_args_kwonly(*args, sep=","):
    return sep.join(map(str, args))
print(star_args_kwonly(1, 2, 3), star_args_kwonly(1, 2, sep="-"))
