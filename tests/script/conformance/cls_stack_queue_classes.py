# Stack and bounded queue classes raising custom exceptions on overflow/underflow.
class EmptyError(Exception):
    pass
class FullError(Exception):
    pass
class Stack:
    def __init__(self):
        self._items = []
    def push(self, x):
        self._items.append(x)
    def pop(self):
        if not self._items:
            raise EmptyError("pop from empty stack")
        return self._items.pop()
    def peek(self):
        return self._items[-1] if self._items else None
    def __len__(self):
        return len(self._items)
class BoundedQueue:
    def __init__(self, cap):
        self.cap, self._buf, self._head, self._n = cap, [None] * cap, 0, 0
    def put(self, x):
        if self._n == self.cap:
            raise FullError("queue full (cap=%d)" % self.cap)
        self._buf[(self._head + self._n) % self.cap] = x
        self._n += 1
    def get(self):
        if self._n == 0:
            raise EmptyError("get from empty queue")
        x = self._buf[self._head]
        self._head = (self._head + 1) % self.cap
        self._n -= 1
        return x
s = Stack()
for c in "abc":
    s.push(c)
print(s.pop(), s.peek(), len(s), s.pop(), s.pop(), s.peek())
q = BoundedQueue(3)
ops = ["put 1", "put 2", "get", "put 3", "put 4", "put 5", "get", "get", "get", "get"]
for op in ops:
    try:
        if op.startswith("put"):
            q.put(int(op.split()[1]))
            print(op, "ok")
        else:
            print(op, "->", q.get())
    except (EmptyError, FullError) as e:
        print(op, "!", type(e).__name__, e)
