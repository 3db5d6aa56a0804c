# CPython's argument errors for the itertools constructors (positional-only, clinic and keyword forms).
import itertools as it
cases = [
    ("cycle()", lambda: it.cycle()), ("cycle(1)", lambda: it.cycle(1)), ("cycle kw", lambda: it.cycle(x=[])),
    ("accumulate()", lambda: it.accumulate()), ("accumulate 3", lambda: it.accumulate([1], None, 3)),
    ("accumulate kw", lambda: it.accumulate([1], fn=max)), ("chain kw", lambda: it.chain(x=1)),
    ("from_iterable()", lambda: it.chain.from_iterable()), ("from_iterable(1)", lambda: it.chain.from_iterable(1)),
    ("chain lazy", lambda: list(it.chain([1], 2))), ("compress 1", lambda: it.compress([1])),
    ("compress bad", lambda: it.compress([1], 3)), ("dropwhile 1", lambda: it.dropwhile(None)),
    ("takewhile kw", lambda: it.takewhile(None, [], x=1)), ("takewhile None", lambda: list(it.takewhile(None, [1]))),
    ("filterfalse 3", lambda: it.filterfalse(None, [], [])), ("groupby()", lambda: it.groupby()),
    ("groupby kw", lambda: it.groupby([1], keyfunc=None)), ("groupby 3", lambda: it.groupby([], None, 1)),
    ("starmap 1", lambda: it.starmap(pow)), ("starmap item", lambda: list(it.starmap(pow, [1]))),
    ("tee()", lambda: it.tee()), ("tee kw", lambda: it.tee([1], n=2)), ("tee str", lambda: it.tee([1], "2")),
    ("pairwise()", lambda: it.pairwise()), ("pairwise 2", lambda: it.pairwise([], [])),
    ("pairwise kw", lambda: it.pairwise(iterable=[])), ("repeat kw", lambda: it.repeat(1, count=2)),
]
for label, fn in cases:
    try:
        print(label, fn())
    except TypeError as e:
        print(label, "TypeError:", e)
print(list(it.accumulate([1, 2, 3], func=lambda a, b: a * b, initial=2)), list(it.accumulate([], initial=0)))
print(list(it.filterfalse(None, [0, 1, "", "x"])), list(it.filterfalse(bool, [0, 2])))
print(list(it.starmap(lambda *a: a, ["ab", (1, 2), [3]])), list(it.pairwise("abcd")))
print(list(it.compress(range(6), it.cycle([1, 0]))), list(it.dropwhile(lambda x: x < 3, [1, 5, 2])))
