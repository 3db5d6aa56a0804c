# Method overriding chains, calling overridden methods through the base, template-method pattern.
class Report:
    def render(self):
        return "\n".join([self.header(), self.body(), self.footer()])
    def header(self):
        return "== %s ==" % self.title()
    def title(self):
        return "Report"
    def body(self):
        raise NotImplementedError("subclass must implement body")
    def footer(self):
        return "-- end --"
class Sales(Report):
    def __init__(self, rows):
        self.rows = rows
    def title(self):
        return "Sales (%d rows)" % len(self.rows)
    def body(self):
        return "\n".join("%-6s %5.2f" % r for r in self.rows)
class Brief(Sales):
    def footer(self):
        return "total %.2f" % sum(v for _, v in self.rows)
print(Sales([("apple", 1.5), ("kiwi", 12.25)]).render())
print(Brief([("fig", 3.0)]).render())
try:
    Report().render()
except NotImplementedError as e:
    print("NotImplementedError", e)
print(Brief.title is Sales.title, Brief.footer is Report.footer)
