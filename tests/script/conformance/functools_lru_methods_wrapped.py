# lru_cache on methods (self is part of the key), __wrapped__ and copied attributes, decorator forms and errors.
import functools
class Store:
    def __init__(self, name):
        self.name = name
        self.loads = 0
    @functools.lru_cache(maxsize=None)
    def get(self, key):
        self.loads += 1
        return self.name + ":" + key
    @functools.cache
    def size(self):
        return len(self.name)
a, b = Store("a"), Store("bb")
print(a.get("x"), a.get("x"), b.get("x"), a.loads, b.loads, a.size(), b.size(), a.size())
print(Store.get.cache_info(), Store.size.cache_info().currsize)
def tagged(x):
    return [x]
tagged.version = 3
cached = functools.lru_cache(maxsize=16)(tagged)
print(cached.__name__, cached.__wrapped__ is tagged, cached.version, cached(1), cached(1) is cached(1))
print(cached.__qualname__, cached.__module__, callable(cached), type(cached).__name__)
@functools.lru_cache()
def empty_parens(x):
    return -x
@functools.lru_cache
def bare(x):
    return x * 2
print(empty_parens(3), bare(4), empty_parens.cache_parameters(), bare.cache_info())
def attempt(label, fn):
    try:
        print(label, fn())
    except Exception as e:
        print(label, type(e).__name__, e)
attempt("float maxsize", lambda: functools.lru_cache(2.5))
attempt("bad kw", lambda: functools.lru_cache(size=3))
attempt("three args", lambda: functools.lru_cache(1, False, 3))
attempt("not callable", lambda: functools.lru_cache(4)(42))
attempt("cache none", lambda: functools.cache())
attempt("unhashable", lambda: bare([1]))
attempt("missing attr", lambda: bare.nope)
attempt("arg error", lambda: bare(1, 2))
print(bare.cache_info())
