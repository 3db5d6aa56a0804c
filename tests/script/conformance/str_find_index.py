# find/rfind/index/rindex with start and end bounds, and their error cases.
s = "banana bandana"
print(s.find("an"), s.rfind("an"), s.find("an", 2), s.find("an", 2, 3), s.find("xyz"))
print(s.index("na"), s.rindex("na"), s.find(""), s.rfind(""), s.find("", 20))
print(s.find("a", -3), s.rfind("a", 0, 5), s.find("b", 1))
print("日本語テキスト".find("テ"), "héllo".index("l"))
try:
    s.index("zz")
except ValueError as e:
    print("ValueError", e)
try:
    s.rindex("q")
except ValueError as e:
    print("ValueError", e)
print(s.count("an"), s.count("a"), s.count(""), s.count("a", 5), "aaaa".count("aa"))
pos = []
i = s.find("a")
while i != -1:
    pos.append(i)
    i = s.find("a", i + 1)
print(pos)
print("abc" in s, "ban" in s, "" in s, "band" not in s)
