# IndexError messages from lists, tuples, strings, ranges, deques and popping empty containers.
from collections import deque
def show(label, fn):
    try:
        print(label, fn())
    except IndexError as e:
        print(label, "IndexError:", e)
lst, tup, s, r, dq = [1, 2], (1,), "ab", range(3), deque([1])
show("list", lambda: lst[2])
show("list-neg", lambda: lst[-3])
show("tuple", lambda: tup[1])
show("str", lambda: s[5])
show("range", lambda: r[3])
show("deque", lambda: dq[4])
show("pop-empty", lambda: [].pop())
show("pop-idx", lambda: [1].pop(3))
show("slice-ok", lambda: lst[5:10])
show("nested", lambda: [[1]][0][1])
def assign():
    lst[9] = 0
show("assign", assign)
def delete():
    del lst[9]
show("delete", delete)
print(issubclass(IndexError, LookupError))
