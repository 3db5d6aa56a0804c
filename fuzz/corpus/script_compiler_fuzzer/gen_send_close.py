# Generator send() values, priming with next(), close() running finally blocks.
def averager():
    total = 0.0
    count = 0
    avg = None
    while True:
        value = yield avg
        total += value
        count += 1
        avg = total / count
a = averager()
print(next(a))
print(a.send(10), a.send(20), a.send(60))
def echo():
    try:
        received = yield "ready"
        while True:
            received = yield "got " + str(received)
    finally:
        print("cleanup")
e = echo()
print(e.send(None))
print(e.send(1), e.send("x"))
e.close()
print("closed")
e.close()
try:
    next(e)
except StopIteration:
    print("StopIteration after close")
def fresh():
    yield 1
try:
    fresh().send(5)
except TypeError as err:
    print("TypeError", err)
g = fresh()
g.close()
print(list(g))
