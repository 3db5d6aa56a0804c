# is* predicates on a spread of inputs including Unicode digits and letters.
tests = ["abc", "ABC", "Abc", "123", "12.3", "", " ", "\t\n", "abc123", "é", "日本", "½", "²", "١٢",
         "_id", "2x", "x2", "Hello World", "HELLO WORLD", "hello", "a b"]
for t in tests:
    print(repr(t), t.isdigit(), t.isalpha(), t.isalnum(), t.isspace(), t.isupper(), t.islower(),
          t.isdecimal(), t.isnumeric(), t.isidentifier(), t.istitle())
print("Ⅻ".isnumeric(), "Ⅻ".isdigit(), "Ⅻ".isdecimal())
print("class".isidentifier(), "名前".isidentifier(), "a-b".isidentifier())
print("ABC1".isupper(), "abc1".islower(), "123".isupper())
print("Title Case Words".istitle(), "Not title Case".istitle())
