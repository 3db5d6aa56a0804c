# TypeErrors for non-iterable, non-subscriptable, non-callable and unhashable objects.
class Plain:
    pass
p = Plain()
def show(fn):
    try:
        fn()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
def loop_over(x):
    for _ in x:
        pass
show(lambda: loop_over(5))
show(lambda: loop_over(None))
show(lambda: loop_over(p))
show(lambda: loop_over(3.5))
show(lambda: 1 in 5)
show(lambda: p[0])
five = 5
show(lambda: five[0])
show(lambda: len(p))
show(lambda: p())
show(lambda: hash([]))
show(lambda: hash({}))
show(lambda: {set(): 1})
show(lambda: sorted(5))
show(lambda: dict([1, 2]))
show(lambda: dict([(1, 2, 3)]))
show(lambda: zip(1))
show(lambda: enumerate(None))
show(lambda: "".join([None]))
def set_item():
    p[0] = 1
show(set_item)
def del_item():
    del p["k"]
show(del_item)
def unpack():
    a, b = p
show(unpack)
