# A regex-driven tokenizer with named alternatives and finditer, reporting token kinds.
import re
spec = [("NUMBER", r"\d+(?:\.\d*)?"), ("NAME", r"[A-Za-z_]\w*"), ("OP", r"[+\-*/=()]"),
        ("STRING", r'"(?:[^"\\]|\\.)*"'), ("SKIP", r"[ \t]+"), ("NEWLINE", r"\n"), ("BAD", r".")]
master = re.compile("|".join("(?P<%s>%s)" % pair for pair in spec))
code = 'x = 3.5 * (y + 42)\nname = "a \\"q\\" b" ?\n'
line = 1
for m in master.finditer(code):
    kind, value = m.lastgroup, m.group()
    if kind == "SKIP":
        continue
    if kind == "NEWLINE":
        line += 1
        continue
    print(line, kind, repr(value), m.start())
words = re.findall(r"[a-z']+", "It's the end of the world as we know it, isn't it?".lower())
print(words)
