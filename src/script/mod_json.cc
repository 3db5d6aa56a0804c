// The json module: dumps/loads with CPython's encoder output (separators,
// indent, ensure_ascii, sort_keys, default, float repr, NaN/Infinity) and its
// decoder's values and error messages (JSONDecodeError with msg, pos, lineno,
// colno).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

constexpr int kMaxDepth = 1000;

// ---- encoder ----

struct Encoder {
  explicit Encoder(VM& v) : vm(v) {}
  VM& vm;
  bool ensure_ascii = true;
  bool allow_nan = true;
  bool sort_keys = false;
  bool skipkeys = false;
  bool check_circular = true;
  bool has_indent = false;
  std::string indent;
  std::string item_sep = ", ";
  std::string key_sep = ": ";
  Value default_fn;
  std::vector<Object*> active;  // containers being encoded (circular check)
  std::string out;

  void Str(std::string_view s) {
    out.push_back('"');
    for (size_t i = 0; i < s.size();) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        ++i;
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          case '\b': out += "\\b"; break;
          case '\f': out += "\\f"; break;
          default:
            if (c < 0x20 || (c == 0x7F && ensure_ascii)) {
              char buf[8];
              std::snprintf(buf, sizeof buf, "\\u%04x", c);
              out += buf;
            } else {
              out.push_back(static_cast<char>(c));
            }
        }
        continue;
      }
      int len;
      uint32_t cp = DecodeUtf8(s.data() + i, &len);
      if (!ensure_ascii) {
        out.append(s.substr(i, len));
      } else {
        char buf[16];
        if (cp >= 0x10000) {
          uint32_t v = cp - 0x10000;
          std::snprintf(buf, sizeof buf, "\\u%04x\\u%04x", 0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF));
        } else {
          std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        }
        out += buf;
      }
      i += len;
    }
    out.push_back('"');
  }

  std::string FloatText(double d) {
    if (std::isnan(d) || std::isinf(d)) {
      if (!allow_nan) {
        ValueError(vm, "Out of range float values are not JSON compliant");
      }
      return std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }
    return FloatRepr(d);
  }

  void Newline(int level) {
    // Indentation can grow the text far past the input: charged as it grows.
    CheckRoom(vm, static_cast<int64_t>(out.size()) + 1 + level * static_cast<int64_t>(indent.size()));
    out.push_back('\n');
    for (int i = 0; i < level; ++i) out += indent;
  }

  void Enter(Object* o) {
    if (!check_circular) return;
    for (Object* a : active) {
      if (a == o) ValueError(vm, "Circular reference detected");
    }
    active.push_back(o);
  }
  void Leave() {
    if (check_circular) active.pop_back();
  }

  // The key of a dict entry as JSON text, or false to skip it.
  bool KeyText(const Value& k, std::string* key) {
    if (IsStr(k)) {
      *key = std::string(As<StrObj>(k)->view());
    } else if (k.tag == Tag::kFloat) {
      *key = FloatText(k.f);
    } else if (k.tag == Tag::kBool) {
      *key = k.i ? "true" : "false";
    } else if (k.tag == Tag::kInt) {
      *key = IntToString(k.i);
    } else if (k.is_none()) {
      *key = "null";
    } else if (skipkeys) {
      return false;
    } else {
      TypeError(vm, "keys must be str, int, float, bool or None, not " + std::string(TypeName(k)));
    }
    return true;
  }

  void Encode(const Value& v, int level) {
    if (level > kMaxDepth) Raise(vm, T().RecursionError, "maximum recursion depth exceeded while encoding a JSON object");
    // Containers may share items: the text is charged as it grows.
    CheckRoom(vm, static_cast<int64_t>(out.size()));
    switch (v.tag) {
      case Tag::kNone: out += "null"; return;
      case Tag::kBool: out += v.i ? "true" : "false"; return;
      case Tag::kInt: out += IntToString(v.i); return;
      case Tag::kFloat: out += FloatText(v.f); return;
      default: break;
    }
    if (IsStr(v)) {
      Str(As<StrObj>(v)->view());
      return;
    }
    if (IsList(v) || IsTuple(v)) {
      std::vector<Value> items = ToVector(vm, v);
      if (items.empty()) {
        out += "[]";
        return;
      }
      Enter(v.o);
      out.push_back('[');
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += item_sep;
        if (has_indent) Newline(level + 1);
        Encode(items[i], level + 1);
      }
      if (has_indent) Newline(level);
      out.push_back(']');
      Leave();
      return;
    }
    if (IsDict(v)) {
      auto* d = As<DictObj>(v);
      if (d->live == 0) {
        out += "{}";
        return;
      }
      Enter(v.o);
      std::vector<std::pair<Value, Value>> items;
      for (const DictEntry& e : d->entries) {
        if (!e.key.unbound()) items.emplace_back(e.key, e.value);
      }
      if (sort_keys) {
        std::vector<Value> keys;
        for (auto& kv : items) keys.push_back(kv.first);
        std::vector<size_t> order(items.size());
        for (size_t i = 0; i < order.size(); ++i) order[i] = i;
        NoGcScope no_gc(vm);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return Lt(vm, keys[a], keys[b]); });
        std::vector<std::pair<Value, Value>> sorted;
        for (size_t i : order) sorted.push_back(items[i]);
        items = std::move(sorted);
      }
      out.push_back('{');
      bool first = true;
      for (auto& [k, val] : items) {
        std::string key;
        if (!KeyText(k, &key)) continue;
        if (!first) out += item_sep;
        first = false;
        if (has_indent) Newline(level + 1);
        Str(key);
        out += key_sep;
        Encode(val, level + 1);
      }
      if (has_indent) Newline(level);
      out.push_back('}');
      Leave();
      return;
    }
    if (default_fn.unbound() || default_fn.is_none()) {
      TypeError(vm, "Object of type " + std::string(TypeName(v)) + " is not JSON serializable");
    }
    Enter(v.o);
    Value r = Call1(vm, default_fn, v);
    RootScope keep(vm);
    keep.Keep(r);
    Encode(r, level);
    Leave();
  }
};

Value Dumps(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[11];
  ParseArgs(vm,
            {"dumps",
             {"obj", "skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent",
              "separators", "default", "sort_keys", "_unused"},
             1},
            a, n, kw, o);
  if (n > 1) TypeError(vm, "dumps() takes 1 positional argument but " + std::to_string(n) + " were given");
  Encoder e(vm);
  auto flag = [&](const Value& v, bool dflt) { return v.unbound() ? dflt : Truthy(vm, v); };
  e.skipkeys = flag(o[1], false);
  e.ensure_ascii = flag(o[2], true);
  e.check_circular = flag(o[3], true);
  e.allow_nan = flag(o[4], true);
  if (!o[5].unbound() && !o[5].is_none()) {
    TypeError(vm, "json.dumps(cls=...) is not supported by edgeflow scripts; use default=");
  }
  if (!o[6].unbound() && !o[6].is_none()) {
    e.has_indent = true;
    if (o[6].is_intlike()) {
      CheckRoom(vm, o[6].i);
      e.indent = std::string(o[6].i > 0 ? o[6].i : 0, ' ');
    }
    else if (IsStr(o[6])) e.indent = std::string(As<StrObj>(o[6])->view());
    else TypeError(vm, "indent must be an int or a str");
    e.item_sep = ",";
  }
  if (!o[7].unbound() && !o[7].is_none()) {
    std::vector<Value> seps = ToVector(vm, o[7]);
    if (seps.size() != 2 || !IsStr(seps[0]) || !IsStr(seps[1])) {
      ValueError(vm, "separators must be a (item_separator, key_separator) pair of str");
    }
    e.item_sep = std::string(As<StrObj>(seps[0])->view());
    e.key_sep = std::string(As<StrObj>(seps[1])->view());
  }
  e.default_fn = o[8];
  e.sort_keys = flag(o[9], false);
  e.Encode(o[0], 0);
  return Str(vm, e.out);
}

// ---- decoder ----

struct Decoder {
  explicit Decoder(VM& v) : vm(v) {}
  VM& vm;
  std::u32string doc;
  std::string_view text;  // the original UTF-8 (for error reports)
  Value text_value;
  Value object_hook, object_pairs_hook, parse_float, parse_int, parse_constant;
  bool strict = true;
  size_t pos = 0;
  int depth = 0;

  [[noreturn]] void Fail(const std::string& msg, size_t at) {
    int64_t lineno = 1;
    size_t last_nl = std::u32string::npos;
    for (size_t i = 0; i < at && i < doc.size(); ++i) {
      if (doc[i] == '\n') {
        ++lineno;
        last_nl = i;
      }
    }
    int64_t colno = last_nl == std::u32string::npos ? static_cast<int64_t>(at) + 1
                                                    : static_cast<int64_t>(at - last_nl);
    std::string full = msg + ": line " + std::to_string(lineno) + " column " +
                       std::to_string(colno) + " (char " + std::to_string(at) + ")";
    Value e = MakeException(vm, T().JSONDecodeError, full);
    auto* in = As<InstanceObj>(e);
    RootScope keep(vm);
    keep.Keep(e);
    in->dict = NewDict(&vm);
    DictSet(&vm, in->dict, Str(vm, "msg"), Str(vm, msg));
    DictSet(&vm, in->dict, Str(vm, "doc"), text_value);
    DictSet(&vm, in->dict, Str(vm, "pos"), Value::Int(static_cast<int64_t>(at)));
    DictSet(&vm, in->dict, Str(vm, "lineno"), Value::Int(lineno));
    DictSet(&vm, in->dict, Str(vm, "colno"), Value::Int(colno));
    RaiseValue(vm, e);
  }

  void SkipWs() {
    while (pos < doc.size() && (doc[pos] == ' ' || doc[pos] == '\t' || doc[pos] == '\n' || doc[pos] == '\r')) {
      ++pos;
    }
  }

  bool Match(std::u32string_view lit) {
    if (doc.compare(pos, lit.size(), lit) == 0) {
      pos += lit.size();
      return true;
    }
    return false;
  }

  Value Constant(const char* name, double v) {
    if (!parse_constant.unbound() && !parse_constant.is_none()) {
      return Call1(vm, parse_constant, Str(vm, name));
    }
    return Value::Float(v);
  }

  Value Number(size_t start) {
    size_t i = pos;
    if (i < doc.size() && doc[i] == '-') ++i;
    if (i < doc.size() && doc[i] == '0') {
      ++i;
    } else if (i < doc.size() && doc[i] >= '1' && doc[i] <= '9') {
      while (i < doc.size() && doc[i] >= '0' && doc[i] <= '9') ++i;
    } else {
      Fail("Expecting value", start);
    }
    bool is_float = false;
    if (i + 1 < doc.size() && doc[i] == '.' && doc[i + 1] >= '0' && doc[i + 1] <= '9') {
      is_float = true;
      i += 2;
      while (i < doc.size() && doc[i] >= '0' && doc[i] <= '9') ++i;
    }
    if (i < doc.size() && (doc[i] == 'e' || doc[i] == 'E')) {
      size_t j = i + 1;
      if (j < doc.size() && (doc[j] == '+' || doc[j] == '-')) ++j;
      if (j < doc.size() && doc[j] >= '0' && doc[j] <= '9') {
        while (j < doc.size() && doc[j] >= '0' && doc[j] <= '9') ++j;
        is_float = true;
        i = j;
      }
    }
    std::string num;
    for (size_t k = pos; k < i; ++k) num.push_back(static_cast<char>(doc[k]));
    pos = i;
    if (is_float) {
      if (!parse_float.unbound() && !parse_float.is_none()) return Call1(vm, parse_float, Str(vm, num));
      return ParseFloat(vm, num);
    }
    if (!parse_int.unbound() && !parse_int.is_none()) return Call1(vm, parse_int, Str(vm, num));
    return ParseInt(vm, num, 10);
  }

  Value String() {
    size_t begin = pos - 1;  // the opening quote
    std::string out;
    for (;;) {
      if (pos >= doc.size()) Fail("Unterminated string starting at", begin);
      char32_t c = doc[pos];
      if (c == '"') {
        ++pos;
        return Str(vm, out);
      }
      if (c == '\\') {
        if (pos + 1 >= doc.size()) Fail("Unterminated string starting at", begin);
        char32_t e = doc[pos + 1];
        switch (e) {
          case '"': out.push_back('"'); break;
          case '\\': out.push_back('\\'); break;
          case '/': out.push_back('/'); break;
          case 'b': out.push_back('\b'); break;
          case 'f': out.push_back('\f'); break;
          case 'n': out.push_back('\n'); break;
          case 'r': out.push_back('\r'); break;
          case 't': out.push_back('\t'); break;
          case 'u': {
            auto hex4 = [&](size_t at, uint32_t* v) {
              if (at + 4 > doc.size()) return false;
              *v = 0;
              for (size_t k = at; k < at + 4; ++k) {
                char32_t h = doc[k];
                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                      : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                if (d < 0) return false;
                *v = *v * 16 + d;
              }
              return true;
            };
            uint32_t cp;
            if (!hex4(pos + 2, &cp)) Fail("Invalid \\uXXXX escape", pos + 1);
            pos += 6;
            if (cp >= 0xD800 && cp <= 0xDBFF && pos + 1 < doc.size() && doc[pos] == '\\' &&
                doc[pos + 1] == 'u') {
              uint32_t lo;
              if (!hex4(pos + 2, &lo)) Fail("Invalid \\uXXXX escape", pos + 1);
              if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                pos += 6;
              }
            }
            // A lone surrogate cannot be represented in UTF-8 text: edgeflow
            // strings are valid UTF-8, so it becomes U+FFFD.
            if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
            AppendUtf8(out, cp);
            continue;
          }
          default: Fail("Invalid \\escape", pos);
        }
        pos += 2;
        continue;
      }
      if (c < 0x20 && strict) Fail("Invalid control character at", pos);
      AppendUtf8(out, c);
      ++pos;
    }
  }

  Value Parse() {
    SkipWs();
    size_t start = pos;
    if (pos >= doc.size()) Fail("Expecting value", pos);
    char32_t c = doc[pos];
    switch (c) {
      case '"': ++pos; return String();
      case '{': return Object();
      case '[': return Array();
      case 'n':
        if (Match(U"null")) return Value::None();
        break;
      case 't':
        if (Match(U"true")) return Value::Bool(true);
        break;
      case 'f':
        if (Match(U"false")) return Value::Bool(false);
        break;
      case 'N':
        if (Match(U"NaN")) return Constant("NaN", NAN);
        break;
      case 'I':
        if (Match(U"Infinity")) return Constant("Infinity", INFINITY);
        break;
      case '-':
        if (Match(U"-Infinity")) return Constant("-Infinity", -INFINITY);
        return Number(start);
      default:
        if (c >= '0' && c <= '9') return Number(start);
        break;
    }
    Fail("Expecting value", start);
  }

  struct DepthGuard {
    Decoder& d;
    explicit DepthGuard(Decoder& dec) : d(dec) {
      if (++d.depth > kMaxDepth) {
        Raise(d.vm, T().RecursionError, "maximum recursion depth exceeded while decoding a JSON document");
      }
    }
    ~DepthGuard() { --d.depth; }
  };

  Value Array() {
    DepthGuard guard(*this);
    ++pos;
    ListObj* l = NewList(&vm, 0);
    RootScope keep(vm);
    keep.Keep(V(l));
    SkipWs();
    if (pos < doc.size() && doc[pos] == ']') {
      ++pos;
      return V(l);
    }
    for (;;) {
      Value v = Parse();
      ListAppend(vm, l, v);
      SkipWs();
      if (pos < doc.size() && doc[pos] == ']') {
        ++pos;
        return V(l);
      }
      if (pos >= doc.size() || doc[pos] != ',') Fail("Expecting ',' delimiter", pos);
      ++pos;
      SkipWs();
      if (pos < doc.size() && doc[pos] == ']') Fail("Expecting value", pos);
    }
  }

  Value Object() {
    DepthGuard guard(*this);
    ++pos;
    RootScope keep(vm);
    ListObj* pairs = NewList(&vm, 0);
    keep.Keep(V(pairs));
    SkipWs();
    if (pos < doc.size() && doc[pos] == '}') {
      ++pos;
    } else {
      for (;;) {
        if (pos >= doc.size() || doc[pos] != '"') {
          Fail("Expecting property name enclosed in double quotes", pos);
        }
        ++pos;
        Value key = String();
        keep.Keep(key);
        SkipWs();
        if (pos >= doc.size() || doc[pos] != ':') Fail("Expecting ':' delimiter", pos);
        ++pos;
        Value v = Parse();
        Value kv[2] = {key, v};
        ListAppend(vm, pairs, V(NewTupleFrom(&vm, kv, 2)));
        SkipWs();
        if (pos < doc.size() && doc[pos] == '}') {
          ++pos;
          break;
        }
        if (pos >= doc.size() || doc[pos] != ',') Fail("Expecting ',' delimiter", pos);
        ++pos;
        SkipWs();
        if (pos < doc.size() && doc[pos] == '}') {
          Fail("Expecting property name enclosed in double quotes", pos);
        }
      }
    }
    if (!object_pairs_hook.unbound() && !object_pairs_hook.is_none()) {
      return Call1(vm, object_pairs_hook, V(pairs));
    }
    DictObj* d = NewDict(&vm);
    keep.Keep(V(d));
    for (const Value& p : pairs->items) {
      auto* t = As<TupleObj>(p);
      DictSet(&vm, d, t->items[0], t->items[1]);
    }
    if (!object_hook.unbound() && !object_hook.is_none()) return Call1(vm, object_hook, V(d));
    return V(d);
  }
};

Value Loads(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[8];
  ParseArgs(vm,
            {"loads",
             {"s", "cls", "object_hook", "parse_float", "parse_int", "parse_constant",
              "object_pairs_hook", "strict"},
             1},
            a, n, kw, o);
  if (!IsStr(o[0])) {
    TypeError(vm, "the JSON object must be str, bytes or bytearray, not " + std::string(TypeName(o[0])));
  }
  Decoder d(vm);
  d.text_value = o[0];
  d.text = As<StrObj>(o[0])->view();
  for (size_t i = 0; i < d.text.size();) {
    int len;
    d.doc.push_back(DecodeUtf8(d.text.data() + i, &len));
    i += len;
  }
  d.object_hook = o[2];
  d.parse_float = o[3];
  d.parse_int = o[4];
  d.parse_constant = o[5];
  d.object_pairs_hook = o[6];
  d.strict = o[7].unbound() || Truthy(vm, o[7]);
  NoGcScope no_gc(vm);  // the parse holds values in C++ locals between allocations
  if (!d.doc.empty() && d.doc[0] == 0xFEFF) {
    d.Fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
  }
  Value v = d.Parse();
  size_t end = d.pos;
  d.SkipWs();
  if (d.pos != d.doc.size()) d.Fail("Extra data", d.pos);
  (void)end;
  return v;
}

Value DecodeErrorInit(VM& vm, Value* a, int n, TupleObj*) {
  // JSONDecodeError(msg, doc, pos) as scripts may raise it themselves.
  CheckArgs(vm, "JSONDecodeError", n - 1, 3, 3);
  auto* e = As<InstanceObj>(a[0]);
  std::string msg = ToStr(vm, a[1]);
  int64_t pos = IndexValue(vm, a[3]);
  std::string doc = IsStr(a[2]) ? std::string(As<StrObj>(a[2])->view()) : "";
  int64_t lineno = 1, last_nl = -1, i = 0;
  for (size_t b = 0; b < doc.size() && i < pos;) {
    int len;
    uint32_t cp = DecodeUtf8(doc.data() + b, &len);
    if (cp == '\n') {
      ++lineno;
      last_nl = i;
    }
    b += len;
    ++i;
  }
  int64_t colno = pos - last_nl;
  Value full = Str(vm, msg + ": line " + std::to_string(lineno) + " column " + std::to_string(colno) +
                           " (char " + std::to_string(pos) + ")");
  e->args = V(NewTupleFrom(&vm, &full, 1));
  if (e->dict == nullptr) e->dict = NewDict(&vm);
  DictSet(&vm, e->dict, Str(vm, "msg"), a[1]);
  DictSet(&vm, e->dict, Str(vm, "doc"), a[2]);
  DictSet(&vm, e->dict, Str(vm, "pos"), a[3]);
  DictSet(&vm, e->dict, Str(vm, "lineno"), Value::Int(lineno));
  DictSet(&vm, e->dict, Str(vm, "colno"), Value::Int(colno));
  return Value::None();
}

}  // namespace

ModuleObj* MakeJsonModule() {
  ModuleObj* m = NewLibraryModule("json");
  AddFunction(m, "dumps", Dumps);
  AddFunction(m, "loads", Loads);
  AddNative(T().JSONDecodeError->dict, "__init__", DecodeErrorInit);
  AddConstant(m, "JSONDecodeError", V(T().JSONDecodeError));
  return m;
}

}  // namespace edgeflow::script
