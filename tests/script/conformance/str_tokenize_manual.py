# Hand-written character-class tokenizer (no re): identifiers, numbers, strings, operators.
def tokenize(src):
    toks, i = [], 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isalpha() or c == "_":
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == "_"):
                j += 1
            toks.append(("ID", src[i:j]))
            i = j
        elif c.isdigit():
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            text = src[i:j]
            toks.append(("NUM", float(text) if "." in text else int(text)))
            i = j
        elif c in "\"'":
            j = src.find(c, i + 1)
            if j == -1:
                raise ValueError("unterminated string at %d" % i)
            toks.append(("STR", src[i + 1:j]))
            i = j + 1
        elif src[i:i + 2] in ("==", "!=", "<=", ">=", "->"):
            toks.append(("OP", src[i:i + 2]))
            i += 2
        elif c in "+-*/=<>(),:":
            toks.append(("OP", c))
            i += 1
        else:
            raise ValueError("unexpected %r at %d" % (c, i))
    return toks
for src in ["x = 3.5 * (y_1 + 42)", "if a >= b: print('yes', \"é\")", "f(x) -> y != 0", "bad $", "s = 'open"]:
    try:
        print(tokenize(src))
    except ValueError as e:
        print("ValueError", e)
