# A tokenizer plus recursive-descent parser evaluating arithmetic with variables and errors.
import re
class ParseError(ValueError): pass
TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|([A-Za-z_]\w*)|(\*\*|[-+*/()%]))")
def tokenize(src):
    pos, out, src = 0, [], src.rstrip()
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m:
            raise ParseError("bad character %r at %d" % (src[pos], pos))
        num, name, op = m.groups()
        out.append(("num", float(num)) if num else ("name", name) if name else ("op", op))
        pos = m.end()
    return out
class Parser:
    def __init__(self, tokens, env):
        self.t, self.i, self.env = tokens, 0, env
    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)
    def take(self):
        self.i += 1
        return self.t[self.i - 1] if self.i <= len(self.t) else (None, None)
    def expr(self):
        v = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            v = v + self.term() if self.take()[1] == "+" else v - self.term()
        return v
    def term(self):
        v = self.factor()
        while self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            r = self.factor()
            v = v * r if op == "*" else v / r if op == "/" else v % r
        return v
    def factor(self):
        base = self.unary()
        if self.peek() != ("op", "**"):
            return base
        self.take()
        return base ** self.factor()
    def unary(self):
        kind, val = self.take()
        if (kind, val) == ("op", "-"): return -self.unary()
        if (kind, val) == ("op", "("):
            v = self.expr()
            if self.take() != ("op", ")"):
                raise ParseError("expected )")
            return v
        if kind == "num":
            return val
        if kind == "name":
            return self.env[val]
        raise ParseError("unexpected %r" % (val,))
env = {"x": 3.0, "rate": 0.5}
for src in ["1 + 2 * 3", "(1 + 2) * 3", "2 ** 3 ** 2", "-x ** 2", "10 / 4 - rate", "7 % 4 + x",
            "1 / (x - 3)", "y + 1", "2 * (3 + ", "4 $ 4", "((2))"]:
    try:
        print(src, "=", Parser(tokenize(src), env).expr())
    except (ParseError, ZeroDivisionError, KeyError) as e:
        print(src, "!", type(e).__name__, e)
