# An uncaught exception with several args prints the args tuple after the type name.
class ParseError(Exception):
    pass
def parse(tokens, depth=0):
    if not tokens:
        raise ParseError("unexpected end", depth, tokens)
    head = tokens[0]
    print("  " * depth + "token", head)
    if head == "(":
        return parse(tokens[1:], depth + 1)
    return head
print(parse(["(", "(", "x"]))
print(parse(["(", "("]))
print("unreachable")
