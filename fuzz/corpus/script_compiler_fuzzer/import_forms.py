# import m, from m import a, b, import m as x, from m import a as b.
import math
import json as js
from math import sqrt, pi
from collections import Counter as C, deque
from functools import reduce as fold
import itertools
print(math.sqrt(16), sqrt(25), round(pi, 5))
print(js.dumps({"a": [1, 2]}), js.loads("[true, null]"))
print(C("abca").most_common(1), deque([1, 2], maxlen=2))
print(fold(lambda a, b: a * b, range(1, 6)))
print(list(itertools.islice(itertools.count(10, 5), 3)))
import math as m2
print(m2 is math, m2.floor(2.7), math.__name__, js.__name__)
def local_import():
    import heapq
    h = [5, 1, 3]
    heapq.heapify(h)
    return h[0]
print(local_import())
import random, bisect
print(bisect.bisect([1, 3, 5], 4), type(random.random()).__name__)
from math import *
print(floor(3.9), ceil(3.1), e > 2.7)
