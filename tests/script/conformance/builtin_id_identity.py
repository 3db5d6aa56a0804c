# id() equality tracks identity: aliases share ids, copies do not, small ints and None singletons.
a = [1, 2]
b = a
c = list(a)
print(id(a) == id(b), id(a) == id(c), a is b, a is c)
def ident(x):
    return x
print(id(ident(a)) == id(a))
x = None
print(id(x) == id(None), id(True) == id(1 == 1))
d = {"k": a}
print(id(d["k"]) == id(a))
class Obj:
    pass
o1, o2 = Obj(), Obj()
print(id(o1) == id(o1), id(o1) == id(o2))
lst = [o1, o2, o1]
print([id(v) == id(o1) for v in lst])
t = (1, 2)
print(id(t) == id(t), type(id(t)).__name__)
s = "abc"
s2 = s
print(id(s) == id(s2))
