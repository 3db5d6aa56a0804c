# Class attribute lookup, instance shadowing, modification through class, and methods as attributes.
class Config:
    retries = 3
    tags = ["base"]
    def show(self):
        return (self.retries, self.tags)
a, b = Config(), Config()
a.retries = 10
print(a.show(), b.show(), Config.retries)
Config.retries = 5
print(a.show(), b.show())
del a.retries
print(a.show())
b.tags = b.tags + ["b"]
a.tags.append("shared")
print(a.tags, b.tags, Config.tags)
print(hasattr(Config, "show"), hasattr(Config, "retries"), getattr(Config, "missing", None))
Config.new_attr = "added later"
print(a.new_attr, b.new_attr)
class Child(Config):
    retries = 1
c = Child()
print(c.show(), Child.tags is Config.tags)
def extra(self):
    return "extra for " + type(self).__name__
Config.extra = extra
print(c.extra(), a.extra())
