# A tiny template engine: {{ var }} with filters, {{#each}} blocks via re.sub callbacks.
import re
def render(tpl, ctx):
    def each(m):
        name, body = m.group(1), m.group(2)
        return "".join(render(body, {**ctx, "it": item, "i": i}) for i, item in enumerate(ctx.get(name, [])))
    tpl = re.sub(r"\{\{#each (\w+)\}\}(.*?)\{\{/each\}\}", each, tpl, flags=re.S)
    def var(m):
        path, filters = m.group(1), m.group(2)
        val = ctx
        for part in path.split("."):
            val = val.get(part, "") if isinstance(val, dict) else ""
        for f in filter(None, (filters or "").split("|")):
            f = f.strip()
            if f == "upper":
                val = str(val).upper()
            elif f == "title":
                val = str(val).title()
            elif f.startswith("pad"):
                val = str(val).ljust(int(f[3:]))
            elif f == "money":
                val = "${:,.2f}".format(val)
        return str(val)
    return re.sub(r"\{\{\s*([\w.]+)\s*((?:\|\s*\w+\s*)*)\}\}", var, tpl)
ctx = {"user": {"name": "ada lovelace"}, "total": 1234.5,
       "items": [{"sku": "a-1", "qty": 2}, {"sku": "b-22", "qty": 10}]}
tpl = """Hello {{ user.name | title }}!
{{#each items}}  #{{i}} {{ it.sku | upper | pad6 }} x{{ it.qty }}
{{/each}}Total: {{ total | money }} {{ missing }}|"""
print(render(tpl, ctx))
print(render("{{ a }}-{{a|upper}}", {"a": "x"}))
