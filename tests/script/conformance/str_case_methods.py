# upper/lower/capitalize/title/swapcase/casefold on ASCII and non-ASCII text.
samples = ["hello World", "ÉCOLE naïve", "straße", "hello world's 2nd-best", "ǅungla", "ΣΊΣΥΦΟΣ", "123abc"]
for s in samples:
    print(s.upper(), "|", s.lower(), "|", s.capitalize(), "|", s.title(), "|", s.swapcase(), "|", s.casefold())
print("ß".upper(), len("ß".upper()), "İ".lower() == "i̇", len("İ".lower()))
print("MiXeD".lower() == "mixed", "Straße".casefold() == "STRASSE".casefold())
print("o'neil mc-donald".title())
print("".upper(), "1".upper())
words = ["alpha", "BETA", "Gamma"]
print([w.swapcase() for w in words], [w.capitalize() for w in words])
print("hELLO".capitalize(), "  lead".capitalize(), "x".title())
print("ÀÉÎÕÜ".lower(), "àéîõü".upper())
