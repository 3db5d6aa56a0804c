# repr() of strings chooses quotes and escapes control and special characters.
vals = ["plain", "it's", 'a"b', "both ' and \"", "tab\there", "nl\n", "cr\r", "nul\x00", "bell\x07",
        "\x7f", "\u200b", "é", "日本", "😀", "back\\slash", "\x1b[0m", "\u00a0", "\ud7ff", "'", '"', ""]
for v in vals:
    print(repr(v))
print(str("it's"), ["it's", 'a"b', "x\ny"])
print({"k\t": "v'"}, ("\\",))
print(repr("\x80\x9f\xa0\xad"))
print(len("\x00\t\\"), "\101\x42\u0043\u00e9")
print(repr("a'b\"c"), repr("\\'"))
print(repr("line1\nline2\n"), repr("\r\n"))
print(repr("\x01\x1f"), repr("~"))
print(repr("mixed 日本 and \t tab"))
