# Set construction, membership, add/discard/remove, len and printing of small int sets.
s = {3, 1, 2}
print(s, set(), len(s), 2 in s, 5 not in s)
s.add(4)
s.add(1)
s.discard(10)
s.discard(3)
print(s, sorted(s))
s.remove(4)
print(s)
try:
    s.remove(42)
except KeyError as e:
    print("KeyError", e, repr(e))
print(set([1, 1, 2, 2, 3]), set("aab") == {"a", "b"}, set(range(5)))
one = {"solo"}
print(one.pop(), one)
try:
    set().pop()
except KeyError as e:
    print("KeyError", e)
print({1, 2} == {2, 1}, {1} == {1.0}, {0, False, 0.0})
print(sorted({"pear", "apple", "fig"}), sorted({-5, 10, 0, -1}))
t = s.copy()
t.clear()
print(t, s)
try:
    {[1]}
except TypeError as e:
    print("TypeError", e)
