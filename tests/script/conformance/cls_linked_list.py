# A singly linked list class with __iter__, __len__, __repr__, __getitem__, reverse and remove.
class Node:
    def __init__(self, val, nxt=None):
        self.val, self.next = val, nxt
class LinkedList:
    def __init__(self, items=()):
        self.head = None
        self.size = 0
        for x in reversed(list(items)):
            self.push(x)
    def push(self, val):
        self.head = Node(val, self.head)
        self.size += 1
    def __iter__(self):
        n = self.head
        while n:
            yield n.val
            n = n.next
    def __len__(self):
        return self.size
    def __getitem__(self, i):
        for j, v in enumerate(self):
            if j == i:
                return v
        raise IndexError("LinkedList index out of range")
    def reverse(self):
        prev, cur = None, self.head
        while cur:
            cur.next, prev, cur = prev, cur, cur.next
        self.head = prev
    def remove(self, val):
        prev, cur = None, self.head
        while cur and cur.val != val:
            prev, cur = cur, cur.next
        if cur is None:
            raise ValueError("%r not in list" % (val,))
        if prev:
            prev.next = cur.next
        else:
            self.head = cur.next
        self.size -= 1
    def __repr__(self):
        return "LinkedList([" + ", ".join(repr(v) for v in self) + "])"
ll = LinkedList([1, 2, 3, "four"])
print(ll, len(ll), ll[0], ll[3], list(ll), 3 in ll)
ll.reverse()
print(ll)
ll.remove(2)
ll.remove("four")
print(ll, len(ll))
for bad in [lambda: ll.remove(99), lambda: ll[10]]:
    try:
        bad()
    except (ValueError, IndexError) as e:
        print(type(e).__name__, e)
