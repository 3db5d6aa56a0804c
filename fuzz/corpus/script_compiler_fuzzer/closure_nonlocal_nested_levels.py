# nonlocal across several nesting levels and mixing nonlocal with global in one function tree.
total = 0
def outer():
    a = 1
    def middle():
        b = 10
        def inner():
            nonlocal a, b
            global total
            a += 1
            b += 1
            total += a + b
            return a, b
        r1 = inner()
        r2 = inner()
        return r1, r2, b
    res = middle()
    return res, a
print(outer(), total)
print(outer(), total)
def counter_family():
    shared = 0
    def make(step):
        def inc():
            nonlocal shared
            shared += step
            return shared
        return inc
    return make(1), make(10)
one, ten = counter_family()
print(one(), ten(), one(), ten())
def shadowing():
    x = "outer"
    def inner():
        x = "inner local"
        return x
    inner()
    return x
print(shadowing())
