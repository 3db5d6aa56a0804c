# list.sort and sorted with key, reverse, stability and tuple keys.
people = [("ann", 31, "nyc"), ("bob", 25, "sf"), ("cid", 31, "la"), ("dee", 25, "nyc"), ("eve", 40, "sf")]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: p[1], reverse=True))
print(sorted(people, key=lambda p: (p[2], -p[1])))
print(sorted(people, key=lambda p: p[0], reverse=True)[:2])
words = ["bb", "a", "ccc", "dd", "e", "fff"]
words.sort(key=len)
print(words)
words.sort(key=len, reverse=True)
print(words)
nums = [5, -3, 2, -8, 0, 7]
nums.sort()
print(nums)
nums.sort(key=abs)
print(nums)
nums.sort(reverse=True)
print(nums)
print(sorted("Mississippi"), sorted([3.5, 1, 2.25]), sorted([]))
print(sorted([[2, 1], [1, 9], [2, 0], [1]]))
print(sorted([(1, "b"), (1, "a"), (0, "z")]))
r = nums.sort()
print(r)
