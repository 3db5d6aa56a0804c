# classmethod factories return the subclass they are called on; class attributes drive parsing.
class Record:
    fields = ("id",)
    sep = ","
    def __init__(self, **kw):
        for f in self.fields:
            setattr(self, f, kw.get(f))
    @classmethod
    def parse(cls, line):
        parts = [p.strip() for p in line.split(cls.sep)]
        if len(parts) != len(cls.fields):
            raise ValueError("%s expects %d fields, got %d" % (cls.__name__, len(cls.fields), len(parts)))
        return cls(**dict(zip(cls.fields, parts)))
    @classmethod
    def parse_many(cls, text):
        return [cls.parse(l) for l in text.strip().splitlines()]
    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % (f, getattr(self, f)) for f in self.fields))
class User(Record):
    fields = ("id", "name", "email")
class Event(Record):
    fields = ("ts", "kind")
    sep = "|"
print(User.parse("1, ann, a@x.io"), Event.parse("100|click"), Record.parse("7"))
print(User.parse_many("2,bob,b@x.io\n3,cy,c@x.io"))
print(type(Event.parse("1|x")).__name__, isinstance(User.parse("1,a,b"), Record))
for cls, line in [(User, "1,ann"), (Event, "1,click")]:
    try:
        cls.parse(line)
    except ValueError as e:
        print("ValueError", e)
