# Unicode strings: len counts code points; combining marks, emoji and CJK behave as code points.
samples = ["abc", "héllo", "he\u0301llo", "日本語", "😀", "👍🏽", "naïve café", "\u00e9" == "e\u0301" and "x" or "y"]
for s in samples:
    print(repr(s), len(s), [hex(ord(c)) for c in s][:6])
print("é" == "e\u0301", len("é"), len("e\u0301"))
s = "Grüße aus Köln 🎉"
print(s.upper(), s.lower(), s[::-1], s.split(" "), s.find("ö"), s.replace("ü", "ue"))
print(sorted("zäa"), sorted(["Zoë", "zoe", "Zoe"]), max("日本"), min("日本"))
print("日本" * 2, "-".join("日本語"), "日本語"[1:], "日本語"[-1])
print(" ".join(f"{c}:{ord(c)}" for c in "aé日"))
print("ﬁ".upper(), len("ﬁ".upper()), "ǈ".lower(), "ǈ".upper())
