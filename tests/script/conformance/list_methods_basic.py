# Core list methods: append, extend, insert, pop, remove, index, count, reverse, copy, clear.
a = [3, 1, 4]
a.append(1)
a.extend([5, 9])
a.extend((2, 6))
a.extend("ab")
print(a, len(a))
a.insert(0, "first")
a.insert(-1, "beforelast")
a.insert(100, "end")
a.insert(-100, "start")
print(a)
print(a.pop(), a.pop(0), a.pop(2), a)
a.remove(1)
print(a, a.count(1), a.index(5), a.index(9))
b = a.copy()
b.reverse()
print(b, a is b, a == b[::-1])
b.clear()
print(b, a[:3])
nums = [1, 2, 3]
nums += [4]
nums *= 2
print(nums, nums * 0, [0] * 3, [[0] * 2] * 2)
