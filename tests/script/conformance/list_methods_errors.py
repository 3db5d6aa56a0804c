# Error messages from list methods and list indexing.
def show(fn):
    try:
        print(fn())
    except Exception as e:
        print(type(e).__name__, e)
a = [1, 2, 3]
show(lambda: a.remove(9))
show(lambda: a.index(9))
show(lambda: a.index(1, 1))
show(lambda: [].pop())
show(lambda: a.pop(10))
show(lambda: a[3])
show(lambda: a[-4])
show(lambda: a["0"])
show(lambda: a[1.0])
show(lambda: a.insert(1))
show(lambda: a + (4,))
show(lambda: a * 1.5)
show(lambda: a.sort(key=1))
show(lambda: [1, "a"].sort())
show(lambda: a.append(1, 2))
show(lambda: a.nope())
show(lambda: [].index(0))
def assign_oob():
    a[5] = 0
show(assign_oob)
print(a)
