# startswith/endswith with tuples and start/end arguments.
name = "report_2024_final.csv"
print(name.startswith("report"), name.endswith(".csv"), name.endswith(".txt"))
print(name.endswith((".txt", ".csv")), name.startswith(("a", "b")))
print(name.startswith("2024", 7), name.startswith("2024", 7, 9), name.endswith("final", 0, 17))
print("".startswith(""), "abc".startswith(""), "abc".endswith("", 5))
print("héllo".startswith("hé"), "日本語".endswith("語"))
files = ["a.py", "b.txt", "c.PY", "d.json", "e.py"]
print([f for f in files if f.endswith(".py")])
print([f for f in files if f.lower().endswith((".py", ".json"))])
try:
    name.startswith(["report"])
except TypeError as e:
    print("TypeError", e)
print("abc".startswith("abc", -3), "abc".endswith("b", -3, -1))
