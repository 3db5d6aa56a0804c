# Triple-quoted, raw, implicitly concatenated and escaped string literals.
a = """line one
  line two
line three"""
print(a)
print(a.count("\n"), len(a.splitlines()))
b = r"C:\new\table\x"
print(b, len(b), repr(b))
c = ("implicit " "concatenation "
     'across lines')
print(c)
d = "tab:\t| quote:\" | backslash:\\ | unicode:\u00e9\U0001F600 | octal:\101"
print(d)
e = '''single ' quotes " inside'''
print(e)
f = """\
no leading newline\
 and joined"""
print(repr(f))
print(r"\d+\.\d*", len(r"\n"), "\\n" == r"\n")
