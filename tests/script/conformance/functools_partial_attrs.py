# partial: func/args/keywords, flattening of nested partials, keyword merging, repr, and no method binding.
from functools import partial
def show(*args, **kwargs):
    return args, kwargs
p = partial(show, 1, 2, a=1, b=2)
print(p(), p(3, b=20, c=30), p.args, p.keywords, p.func is show)
q = partial(p, 4, a=10, d=4)
print(q.func is show, q.args, q.keywords, q(5, d=40))
print(partial(print, sep="-").keywords, partial(print).args, partial(print).keywords, partial(show).__dict__)
print(repr(partial(print, 1, "two", sep="-", end="!\n")))
print(repr(partial(partial(max, 3), 4, key=abs)))
partial(print, "hello", "world", sep=", ")()
class Cfg:
    emit = partial(show, "bound?")
    def method(self):
        return self.emit(1)
print(Cfg().method(), Cfg.emit(2))
base2 = partial(int, base=2)
print(base2("1011"), base2("11", base=3), list(map(partial(pow, 2), range(6))))
def attempt(label, fn):
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError", e)
attempt("no args", lambda: partial())
attempt("not callable", lambda: partial(1, 2))
attempt("func kw", lambda: partial(func=show))
attempt("bad call", lambda: partial(divmod, 1, 2)(3))
print(type(p).__name__, callable(p), isinstance(p, partial))
