# bisect functions with key= (Python 3.10+) over lists of records sorted by a field.
import bisect
events = [(1, "boot"), (5, "login"), (5, "open"), (9, "save"), (12, "logout")]
t = lambda e: e[0]
print(bisect.bisect_left(events, 5, key=t), bisect.bisect_right(events, 5, key=t), bisect.bisect(events, 10, key=t))
bisect.insort(events, (7, "edit"), key=t)
bisect.insort_left(events, (5, "first5"), key=t)
bisect.insort_right(events, (5, "last5"), key=t)
print(events)
def in_window(evts, start, end):
    lo = bisect.bisect_left(evts, start, key=t)
    hi = bisect.bisect_right(evts, end, key=t)
    return [name for _, name in evts[lo:hi]]
print(in_window(events, 5, 9), in_window(events, 13, 20), in_window(events, 0, 1))
people = sorted([{"n": "a", "age": 30}, {"n": "b", "age": 22}, {"n": "c", "age": 41}], key=lambda p: p["age"])
print(bisect.bisect(people, 30, key=lambda p: p["age"]), [p["n"] for p in people])
