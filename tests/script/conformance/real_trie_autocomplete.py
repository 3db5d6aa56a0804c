# A trie with insert, prefix search ranked by frequency, and deletion of words.
class Trie:
    def __init__(self):
        self.root = {}
        self.size = 0
    def insert(self, word, freq=1):
        node = self.root
        for ch in word:
            node = node.setdefault(ch, {})
        if "$" not in node:
            self.size += 1
        node["$"] = node.get("$", 0) + freq
    def _walk(self, node, prefix):
        for key in sorted(node):
            if key == "$":
                yield prefix, node["$"]
            else:
                yield from self._walk(node[key], prefix + key)
    def complete(self, prefix, k=3):
        node = self.root
        for ch in prefix:
            if ch not in node:
                return []
            node = node[ch]
        found = list(self._walk(node, prefix))
        found.sort(key=lambda wf: (-wf[1], wf[0]))
        return [w for w, _ in found[:k]]
    def remove(self, word):
        node = self.root
        for ch in word:
            node = node.get(ch)
            if node is None:
                return False
        if "$" in node:
            del node["$"]
            self.size -= 1
            return True
        return False
t = Trie()
for w, f in [("car", 5), ("card", 2), ("care", 9), ("cart", 2), ("cat", 7), ("dog", 3), ("do", 1), ("café", 4)]:
    t.insert(w, f)
t.insert("car", 1)
print(t.size, t.complete("ca"), t.complete("car", 10), t.complete("d"), t.complete("x"), t.complete("caf"))
print(t.remove("care"), t.remove("ca"), t.remove("zebra"), t.size, t.complete("car"))
