// Text conversions exactly as CPython prints them: repr() and str() of every
// builtin type, shortest round-trip float repr, the format-spec mini-language
// (format(), str.format, f-strings), %-formatting, and int()/float() parsing.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "script/runtime.h"
#include "script/unicode.h"

namespace edgeflow::script {

// ---- numbers to text ----

std::string IntToString(int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

namespace {

// Shortest round-trip digits of |d| (finite, nonzero): digits and the decimal
// exponent `decpt` such that |d| = 0.DIGITS * 10^decpt.
void ShortestDigits(double d, std::string* digits, int* decpt) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);
  size_t e = s.find('e');
  std::string_view mant = s.substr(0, e);
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  digits->clear();
  for (char c : mant) {
    if (c != '.') digits->push_back(c);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *decpt = exp + 1;
}

std::string ExpString(int e) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
  return buf;
}

}  // namespace

std::string FloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
  std::string digits;
  int decpt;
  ShortestDigits(d, &digits, &decpt);
  std::string out = std::signbit(d) ? "-" : "";
  int n = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0." + std::string(-decpt, '0') + digits;
    } else if (decpt >= n) {
      out += digits + std::string(decpt - n, '0') + ".0";
    } else {
      out += digits.substr(0, decpt) + "." + digits.substr(decpt);
    }
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    out += ExpString(decpt - 1);
  }
  return out;
}

// ---- repr / str ----

std::string ReprStr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(quote);
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      if (c == static_cast<unsigned char>(quote) || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c < 0x20 || c == 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
      continue;
    }
    int len;
    uint32_t cp = DecodeUtf8(s.data() + i, &len);
    if (unicode::IsPrintable(cp)) {
      out.append(s.substr(i, len));
    } else {
      char buf[16];
      if (cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      else std::snprintf(buf, sizeof buf, "\\U%08x", cp);
      out += buf;
    }
    i += len;
  }
  out.push_back(quote);
  return out;
}

namespace {

// Guards against infinite recursion when printing self-containing containers.
struct ReprGuard {
  VM& vm;
  NestingGuard nest;
  Object* o;
  bool active;
  ReprGuard(VM& v, Object* obj)
      : vm(v), nest(v, " while getting the repr of an object"), o(obj) {
    active = false;
    for (Object* p : vm.repr_active) {
      if (p == obj) active = true;
    }
    if (!active) vm.repr_active.push_back(obj);
  }
  ~ReprGuard() {
    if (!active) vm.repr_active.pop_back();
  }
};

std::string Addr(const void* p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(p)));
  return buf;
}

std::string JoinRepr(VM& vm, const Value* items, int64_t n) {
  std::string out;
  for (int64_t i = 0; i < n; ++i) {
    std::string r = Repr(vm, items[i]);
    // Items may share one large object: the text is charged before it grows.
    CheckRoom(vm, static_cast<int64_t>(out.size() + r.size()) + 2);
    if (i) out += ", ";
    out += r;
  }
  return out;
}

std::string DictBody(VM& vm, DictObj* d) {
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i < d->entries.size(); ++i) {
    const DictEntry e = d->entries[i];
    if (e.key.unbound()) continue;
    if (!first) out += ", ";
    first = false;
    out += Repr(vm, e.key);
    out += ": ";
    out += Repr(vm, e.value);
    CheckRoom(vm, static_cast<int64_t>(out.size()));
  }
  out += "}";
  return out;
}

std::string SetBody(VM& vm, SetObj* s) {
  std::string out = "{";
  bool first = true;
  for (size_t i = 0; i < s->table.size(); ++i) {
    const SetEntry e = s->table[i];
    if (e.key.unbound()) continue;
    if (!first) out += ", ";
    first = false;
    out += Repr(vm, e.key);
    CheckRoom(vm, static_cast<int64_t>(out.size()));
  }
  out += "}";
  return out;
}

std::string QualifiedName(ClassObj* c) {
  std::string mod = c->module_name ? std::string(c->module_name->view()) : "";
  return mod.empty() ? std::string(c->name->view()) : mod + "." + std::string(c->name->view());
}

std::string FunctionQualname(VM& vm, const Value& f) {
  (void)vm;
  if (IsObj(f, Kind::kFunction)) {
    auto* fn = As<FunctionObj>(f);
    if (fn->qualname) return std::string(fn->qualname->view());
    return fn->code->qualname;
  }
  if (IsObj(f, Kind::kNative)) return As<NativeObj>(f)->name;
  return "?";
}

// repr of the builtin part of an object (no user __repr__ lookup).
std::string BuiltinRepr(VM& vm, const Value& v) {
  switch (v.tag) {
    case Tag::kNone: return "None";
    case Tag::kBool: return v.i ? "True" : "False";
    case Tag::kInt: return IntToString(v.i);
    case Tag::kFloat: return FloatRepr(v.f);
    case Tag::kUnbound: return "<unbound>";
    case Tag::kObj: break;
  }
  Object* o = v.o;
  switch (o->kind) {
    case Kind::kStr: return ReprStr(static_cast<StrObj*>(o)->view());
    case Kind::kTuple: {
      auto* t = static_cast<TupleObj*>(o);
      ReprGuard g(vm, o);
      if (g.active) return "(...)";
      if (t->n == 1) return "(" + Repr(vm, t->items[0]) + ",)";
      return "(" + JoinRepr(vm, t->items, t->n) + ")";
    }
    case Kind::kList: {
      ReprGuard g(vm, o);
      if (g.active) return "[...]";
      // Copy: a user __repr__ may mutate the list while it is printed.
      std::vector<Value> items(static_cast<ListObj*>(o)->items.begin(), static_cast<ListObj*>(o)->items.end());
      return "[" + JoinRepr(vm, items.data(), static_cast<int64_t>(items.size())) + "]";
    }
    case Kind::kDict: {
      auto* d = static_cast<DictObj*>(o);
      ReprGuard g(vm, o);
      ClassObj* cls = o->cls;
      if (IsSubclass(cls, T().defaultdict)) {
        if (g.active) return "...";
        std::string f = d->default_factory.unbound() || d->default_factory.is_none()
                            ? "None"
                            : Repr(vm, d->default_factory);
        return std::string(cls->name->view()) + "(" + f + ", " + DictBody(vm, d) + ")";
      }
      if (IsSubclass(cls, T().ordereddict)) {
        if (g.active) return "...";
        if (d->live == 0) return std::string(cls->name->view()) + "()";
        std::string out = std::string(cls->name->view()) + "([";
        bool first = true;
        for (const DictEntry& e : d->entries) {
          if (e.key.unbound()) continue;
          if (!first) out += ", ";
          first = false;
          out += "(" + Repr(vm, e.key) + ", " + Repr(vm, e.value) + ")";
          CheckRoom(vm, static_cast<int64_t>(out.size()));
        }
        return out + "])";
      }
      if (g.active) return "{...}";
      return DictBody(vm, d);
    }
    case Kind::kSet: {
      auto* s = static_cast<SetObj*>(o);
      ReprGuard g(vm, o);
      bool frozen = IsSubclass(o->cls, T().frozenset);
      std::string name(o->cls->name->view());
      if (g.active) return name + "(...)";
      if (s->used == 0) return name + "()";
      if (!frozen && o->cls == T().set) return SetBody(vm, s);
      return name + "(" + SetBody(vm, s) + ")";
    }
    case Kind::kRange: {
      auto* r = static_cast<RangeObj*>(o);
      std::string out = "range(" + IntToString(r->start) + ", " + IntToString(r->stop);
      if (r->step != 1) out += ", " + IntToString(r->step);
      return out + ")";
    }
    case Kind::kSlice: {
      auto* s = static_cast<SliceObj*>(o);
      return "slice(" + Repr(vm, s->start) + ", " + Repr(vm, s->stop) + ", " + Repr(vm, s->step) +
             ")";
    }
    case Kind::kFunction:
      return "<function " + FunctionQualname(vm, v) + " at " + Addr(o) + ">";
    case Kind::kNative: {
      auto* n = static_cast<NativeObj*>(o);
      if (!n->self.unbound()) {
        return "<built-in method " + std::string(n->name) + " of " +
               std::string(TypeName(n->self)) + " object at " + Addr(n->self.o) + ">";
      }
      return "<built-in function " + std::string(n->name) + ">";
    }
    case Kind::kBoundMethod: {
      auto* b = static_cast<BoundMethodObj*>(o);
      if (IsObj(b->func, Kind::kNative)) {
        return "<built-in method " + std::string(As<NativeObj>(b->func)->name) + " of " +
               std::string(TypeName(b->self)) + " object at " +
               Addr(b->self.is_obj() ? b->self.o : nullptr) + ">";
      }
      return "<bound method " + FunctionQualname(vm, b->func) + " of " + Repr(vm, b->self) + ">";
    }
    case Kind::kClass: return "<class '" + QualifiedName(static_cast<ClassObj*>(o)) + "'>";
    case Kind::kModule: {
      auto* m = static_cast<ModuleObj*>(o);
      if (m->program == nullptr) return "<module '" + std::string(m->name->view()) + "' (built-in)>";
      return "<module '" + std::string(m->name->view()) + "'>";
    }
    case Kind::kGenerator: {
      auto* g = static_cast<GeneratorObj*>(o);
      return "<generator object " + g->func->code->qualname + " at " + Addr(o) + ">";
    }
    case Kind::kDictView: {
      auto* dv = static_cast<DictViewObj*>(o);
      const char* names[] = {"dict_keys", "dict_values", "dict_items"};
      ReprGuard g(vm, o);
      if (g.active) return "...";
      std::string out = std::string(names[dv->which]) + "([";
      bool first = true;
      for (size_t i = 0; i < dv->dict->entries.size(); ++i) {
        const DictEntry e = dv->dict->entries[i];
        if (e.key.unbound()) continue;
        if (!first) out += ", ";
        first = false;
        if (dv->which == 0) out += Repr(vm, e.key);
        else if (dv->which == 1) out += Repr(vm, e.value);
        else out += "(" + Repr(vm, e.key) + ", " + Repr(vm, e.value) + ")";
        CheckRoom(vm, static_cast<int64_t>(out.size()));
      }
      return out + "])";
    }
    case Kind::kDeque: {
      auto* d = static_cast<DequeObj*>(o);
      ReprGuard g(vm, o);
      std::string name(o->cls->name->view());
      if (g.active) return "[...]";
      std::vector<Value> items(d->items.begin(), d->items.end());
      std::string out = name + "([" + JoinRepr(vm, items.data(), static_cast<int64_t>(items.size())) +
                        "]";
      if (d->maxlen >= 0) out += ", maxlen=" + IntToString(d->maxlen);
      return out + ")";
    }
    case Kind::kIter: {
      auto* it = static_cast<IterObj*>(o);
      return "<" + std::string(it->type_name) + " object at " + Addr(o) + ">";
    }
    case Kind::kCell: return "<cell at " + Addr(o) + ">";
    case Kind::kProperty: return "<property object at " + Addr(o) + ">";
    case Kind::kStaticMethod: return "<staticmethod(" + Repr(vm, static_cast<WrapperObj*>(o)->func) + ")>";
    case Kind::kClassMethod: return "<classmethod(" + Repr(vm, static_cast<WrapperObj*>(o)->func) + ")>";
    case Kind::kSuper: {
      auto* s = static_cast<SuperObj*>(o);
      return "<super: <class '" + std::string(s->start->name->view()) + "'>, <" +
             std::string(TypeName(s->self)) + " object>>";
    }
    case Kind::kCode: return "<code object at " + Addr(o) + ">";
    case Kind::kInstance:
      if (o == T().not_implemented) return "NotImplemented";
      if (o == T().ellipsis) return "Ellipsis";
      return DefaultRepr(vm, v);
    default: return DefaultRepr(vm, v);
  }
}

bool IsObjectMethod(const Value& m, StrObj* name) {
  Value base;
  DictGetStr(T().object->dict, name, &base);
  return m.same(base);
}

}  // namespace

// Builtin classes use their kind's repr unless they define __repr__ themselves
// (exceptions, Counter); user classes look __repr__ up and fall back to the
// builtin part's repr when only object.__repr__ is found.
std::string Repr(VM& vm, const Value& v) {
  if (v.is_obj()) {
    ClassObj* cls = v.o->cls;
    if (!cls->is_builtin || cls->is_exception || DictFindStr(cls->dict, N().__repr__)) {
      Value m = LookupClass(cls, N().__repr__);
      if (!m.unbound() && !IsObjectMethod(m, N().__repr__)) {
        Value r = Call1(vm, m, v);
        if (!IsStr(r)) {
          TypeError(vm, "__repr__ returned non-string (type " + std::string(TypeName(r)) + ")");
        }
        return std::string(As<StrObj>(r)->view());
      }
    }
  }
  return BuiltinRepr(vm, v);
}

std::string ToStr(VM& vm, const Value& v) {
  if (v.is_obj()) {
    Object* o = v.o;
    if (o->kind == Kind::kStr) return std::string(static_cast<StrObj*>(o)->view());
    ClassObj* cls = o->cls;
    if (!cls->is_builtin || cls->is_exception || DictFindStr(cls->dict, N().__str__)) {
      Value m = LookupClass(cls, N().__str__);
      if (!m.unbound() && !IsObjectMethod(m, N().__str__)) {
        Value r = Call1(vm, m, v);
        if (!IsStr(r)) {
          TypeError(vm, "__str__ returned non-string (type " + std::string(TypeName(r)) + ")");
        }
        return std::string(As<StrObj>(r)->view());
      }
    }
  }
  return Repr(vm, v);
}

Value ReprValue(VM& vm, const Value& v) { return Str(vm, Repr(vm, v)); }

Value StrValue(VM& vm, const Value& v) {
  if (IsStr(v) && v.o->cls == T().str) return v;
  return Str(vm, ToStr(vm, v));
}

Value AsciiValue(VM& vm, const Value& v) {
  std::string r = Repr(vm, v);
  std::string out;
  for (size_t i = 0; i < r.size();) {
    unsigned char c = static_cast<unsigned char>(r[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    int len;
    uint32_t cp = DecodeUtf8(r.data() + i, &len);
    i += len;
    char buf[16];
    if (cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", cp);
    else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", cp);
    else std::snprintf(buf, sizeof buf, "\\U%08x", cp);
    out += buf;
  }
  return Str(vm, out);
}

// ---- the format-spec mini-language ----

namespace {

struct Spec {
  uint32_t fill = ' ';
  char align = 0;  // '<' '>' '^' '=' or 0
  char sign = 0;   // '+' '-' ' ' or 0
  bool z = false;
  bool alt = false;
  bool zero = false;
  int64_t width = -1;
  char grouping = 0;  // ',' '_' or 0
  int64_t precision = -1;
  char type = 0;
};

[[noreturn]] void BadSpec(VM& vm) { ValueError(vm, "Invalid format specifier"); }

// default_align is '>' for numbers and '<' for strings: a '0' before the
// width means zero fill, and sign-aware '=' alignment only for numbers
// without an explicit alignment (CPython 3.10+).
Spec ParseSpec(VM& vm, std::string_view s, char default_align) {
  Spec sp;
  bool fill_given = false;
  size_t i = 0;
  // [[fill]align]
  if (!s.empty()) {
    int len = 1;
    uint32_t first = static_cast<unsigned char>(s[0]) >= 0x80 ? DecodeUtf8(s.data(), &len) : s[0];
    auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    if (static_cast<size_t>(len) < s.size() && is_align(s[len])) {
      sp.fill = first;
      sp.align = s[len];
      fill_given = true;
      i = len + 1;
    } else if (is_align(s[0])) {
      sp.align = s[0];
      i = 1;
    }
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) sp.sign = s[i++];
  if (i < s.size() && s[i] == 'z') {
    sp.z = true;
    ++i;
  }
  if (i < s.size() && s[i] == '#') {
    sp.alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    sp.zero = true;
    ++i;
  }
  auto digits = [&](int64_t* out) {
    size_t start = i;
    int64_t v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      // CPython's limit is Py_ssize_t; widths that large fail at CheckRoom below.
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s[i] - '0', &v)) {
        ValueError(vm, "Too many decimal digits in format string");
      }
      ++i;
    }
    if (i > start) *out = v;
    return i > start;
  };
  digits(&sp.width);
  // The padding is about width fill characters: refused before it is built.
  CheckRoom(vm, sp.width, sp.fill < 0x80 ? 1 : sp.fill < 0x800 ? 2 : sp.fill < 0x10000 ? 3 : 4);
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) sp.grouping = s[i++];
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) ValueError(vm, "Cannot specify both ',' and '_'.");
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits(&sp.precision)) ValueError(vm, "Format specifier missing precision");
  }
  if (i < s.size()) sp.type = s[i++];
  if (i < s.size()) BadSpec(vm);
  if (sp.zero) {
    if (!fill_given) sp.fill = '0';
    if (sp.align == 0 && default_align == '>') sp.align = '=';
  }
  return sp;
}

std::string FillStr(uint32_t fill, int64_t n) {
  std::string unit;
  AppendUtf8(unit, fill);
  std::string out;
  out.reserve(unit.size() * (n > 0 ? n : 0));
  for (int64_t i = 0; i < n; ++i) out += unit;
  return out;
}

int64_t CpLen(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Pads `body` (after `sign_prefix`) to the width with the alignment rules.
std::string Pad(const Spec& sp, const std::string& prefix, const std::string& body,
                char default_align) {
  int64_t len = CpLen(prefix) + CpLen(body);
  char align = sp.align ? sp.align : default_align;
  if (sp.width <= len) return prefix + body;
  int64_t pad = sp.width - len;
  switch (align) {
    case '<': return prefix + body + FillStr(sp.fill, pad);
    case '>': return FillStr(sp.fill, pad) + prefix + body;
    case '^': {
      int64_t left = pad / 2;
      return FillStr(sp.fill, left) + prefix + body + FillStr(sp.fill, pad - left);
    }
    default: return prefix + FillStr(sp.fill, pad) + body;  // '='
  }
}

std::string Group(const std::string& digits, char sep, int every) {
  if (sep == 0) return digits;
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % every == 0) out.push_back(sep);
    out.push_back(digits[i]);
  }
  return out;
}

// Zero padding with grouping inserts separators into the padding too.
std::string GroupedZeroPad(const Spec& sp, const std::string& prefix, std::string digits,
                           const std::string& rest, char sep, int every) {
  if (sp.align == '=' && sp.fill == '0' && sep != 0 && sp.width > 0) {
    int64_t target = sp.width - CpLen(prefix) - CpLen(rest);
    std::string g = Group(digits, sep, every);
    while (static_cast<int64_t>(g.size()) < target) {
      digits.insert(digits.begin(), '0');
      g = Group(digits, sep, every);
      if (g[0] == sep) g = "0" + g;
    }
    return prefix + g + rest;
  }
  return Pad(sp, prefix, Group(digits, sep, every) + rest, '>');
}

std::string SignPrefix(const Spec& sp, bool negative) {
  if (negative) return "-";
  if (sp.sign == '+') return "+";
  if (sp.sign == ' ') return " ";
  return "";
}

}  // namespace

std::string FormatInt(VM& vm, int64_t v, std::string_view spec) {
  Spec sp = ParseSpec(vm, spec, '>');
  char type = sp.type ? sp.type : 'd';
  switch (type) {
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%':
      return FormatFloat(vm, static_cast<double>(v), spec);
    case 'd': case 'n': case 'b': case 'o': case 'x': case 'X': case 'c': break;
    default:
      ValueError(vm, std::string("Unknown format code '") + type + "' for object of type 'int'");
  }
  if (sp.precision >= 0) ValueError(vm, "Precision not allowed in integer format specifier");
  if (type == 'c') {
    if (sp.sign) ValueError(vm, "Sign not allowed with integer format specifier 'c'");
    if (v < 0 || v > 0x10FFFF) Raise(vm, T().OverflowError, "%c arg not in range(0x110000)");
    std::string body;
    AppendUtf8(body, static_cast<uint32_t>(v));
    return Pad(sp, "", body, '<');
  }
  if (sp.grouping == ',' && type != 'd' && type != 'n') {
    ValueError(vm, std::string("Cannot specify ',' with '") + type + "'.");
  }
  bool neg = v < 0;
  uint64_t mag = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  std::string digits;
  std::string base_prefix;
  int every = 3;
  if (type == 'd' || type == 'n') {
    digits = std::to_string(mag);
  } else {
    int base = type == 'b' ? 2 : type == 'o' ? 8 : 16;
    const char* alphabet = type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    if (mag == 0) digits = "0";
    while (mag > 0) {
      digits.insert(digits.begin(), alphabet[mag % base]);
      mag /= base;
    }
    if (sp.alt) base_prefix = type == 'b' ? "0b" : type == 'o' ? "0o" : type == 'x' ? "0x" : "0X";
    every = 4;
  }
  std::string prefix = SignPrefix(sp, neg) + base_prefix;
  return GroupedZeroPad(sp, prefix, digits, "", sp.grouping, every);
}

std::string FormatFloat(VM& vm, double v, std::string_view spec) {
  Spec sp = ParseSpec(vm, spec, '>');
  char type = sp.type;
  switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%': break;
    default:
      ValueError(vm, std::string("Unknown format code '") + type + "' for object of type 'float'");
  }
  bool neg = std::signbit(v);
  double mag = std::fabs(v);
  if (sp.z && mag == 0.0) neg = false;
  std::string body;
  if (std::isnan(v) || std::isinf(v)) {
    body = std::isnan(v) ? "nan" : "inf";
    if (type == 'E' || type == 'F' || type == 'G') body = std::isnan(v) ? "NAN" : "INF";
    if (type == '%') body += "%";
    std::string prefix = SignPrefix(sp, neg && !std::isnan(v));
    Spec padded = sp;
    if (padded.fill == '0' && padded.align == '=') padded.fill = ' ';
    return Pad(padded, prefix, body, '>');
  }
  int64_t prec = sp.precision;
  if (prec > INT32_MAX) ValueError(vm, "precision too big");
  // Without '#', 'g' (and no type) strip trailing zeros, and a double has at
  // most 767 significant digits, all in fixed notation below precision 800:
  // a larger precision gives the same text.
  if (!sp.alt && (type == 0 || type == 'g' || type == 'G' || type == 'n')) prec = std::min<int64_t>(prec, 800);
  // The longest result is the precision plus 309 integer digits, a sign, the
  // point, an exponent and '%'; it is refused before it is built when it would
  // not fit the memory cap, and snprintf cannot make one past INT_MAX.
  constexpr int64_t kSlack = 400;
  if (prec > 0) {
    if (prec > INT32_MAX - kSlack) Raise(vm, T().MemoryError, "");
    CheckRoom(vm, prec + kSlack);
  }
  std::string r;
  auto print = [&](const char* fmt, int p, double x) {
    r.assign(static_cast<size_t>(p) + kSlack, '\0');
    int len = std::snprintf(r.data(), r.size(), fmt, p, x);
    r.resize(len > 0 ? static_cast<size_t>(len) : 0);
  };
  std::string digits_part, rest;
  auto split_int = [&](const std::string& s) {
    size_t p = s.find_first_not_of("0123456789");
    digits_part = s.substr(0, p);
    rest = p == std::string::npos ? "" : s.substr(p);
  };
  switch (type) {
    case 0: {
      if (prec < 0) {
        std::string r = FloatRepr(mag);
        if (sp.alt && r.find('.') == std::string::npos && r.find('e') == std::string::npos) r += ".";
        split_int(r);
        break;
      }
      int p = prec == 0 ? 1 : static_cast<int>(prec);
      print(sp.alt ? "%#.*g" : "%.*g", p, mag);
      if (r.find('.') == std::string::npos && r.find('e') == std::string::npos) r += ".0";
      split_int(r);
      break;
    }
    case 'e':
    case 'E': {
      int p = prec < 0 ? 6 : static_cast<int>(prec);
      print(sp.alt ? "%#.*e" : "%.*e", p, mag);
      if (type == 'E') {
        for (char& c : r) c = c == 'e' ? 'E' : c;
      }
      split_int(r);
      break;
    }
    case 'f':
    case 'F':
    case '%': {
      int p = prec < 0 ? 6 : static_cast<int>(prec);
      double x = type == '%' ? mag * 100.0 : mag;
      print(sp.alt ? "%#.*f" : "%.*f", p, x);
      if (type == '%') r += "%";
      split_int(r);
      break;
    }
    default: {  // g G n
      int p = prec < 0 ? 6 : prec == 0 ? 1 : static_cast<int>(prec);
      print(sp.alt ? "%#.*g" : "%.*g", p, mag);
      if (type == 'G') {
        for (char& c : r) c = c == 'e' ? 'E' : c;
      }
      split_int(r);
      break;
    }
  }
  if (sp.z && neg) {
    // 'z' turns a negative zero result into a positive one.
    bool all_zero = true;
    for (char c : digits_part + rest) {
      if (c >= '1' && c <= '9') all_zero = false;
      if (c == 'e' || c == 'E') break;
    }
    if (all_zero) neg = false;
  }
  std::string prefix = SignPrefix(sp, neg);
  return GroupedZeroPad(sp, prefix, digits_part, rest, sp.grouping, 3);
}

std::string FormatStr(VM& vm, std::string_view s, std::string_view spec) {
  Spec sp = ParseSpec(vm, spec, '<');
  if (sp.type != 0 && sp.type != 's') {
    ValueError(vm, std::string("Unknown format code '") + sp.type + "' for object of type 'str'");
  }
  if (sp.sign) ValueError(vm, "Sign not allowed in string format specifier");
  if (sp.alt) ValueError(vm, "Alternate form (#) not allowed in string format specifier");
  if (sp.align == '=') ValueError(vm, "'=' alignment not allowed in string format specifier");
  if (sp.grouping) ValueError(vm, std::string("Cannot specify '") + sp.grouping + "' with 's'.");
  std::string body(s);
  if (sp.precision >= 0) {
    int64_t cps = 0;
    size_t i = 0;
    while (i < body.size() && cps < sp.precision) {
      int len = 1;
      if (static_cast<unsigned char>(body[i]) >= 0x80) DecodeUtf8(body.data() + i, &len);
      i += len;
      ++cps;
    }
    body.resize(i);
  }
  return Pad(sp, "", body, '<');
}

std::string FormatValue(VM& vm, const Value& v, std::string_view spec) {
  switch (v.tag) {
    case Tag::kBool:
      if (spec.empty()) return v.i ? "True" : "False";
      return FormatInt(vm, v.i, spec);
    case Tag::kInt: return spec.empty() ? IntToString(v.i) : FormatInt(vm, v.i, spec);
    case Tag::kFloat: return spec.empty() ? FloatRepr(v.f) : FormatFloat(vm, v.f, spec);
    case Tag::kNone:
      if (!spec.empty()) TypeError(vm, "unsupported format string passed to NoneType.__format__");
      return "None";
    default: break;
  }
  if (IsStr(v) && v.o->cls->is_builtin) {
    if (spec.empty()) return std::string(As<StrObj>(v)->view());
    return FormatStr(vm, As<StrObj>(v)->view(), spec);
  }
  Value m = LookupClass(TypeOf(v), N().__format__);
  if (!m.unbound() && !IsObj(m, Kind::kNative)) {
    Value r = Call2(vm, m, v, Str(vm, spec));
    if (!IsStr(r)) {
      TypeError(vm, "__format__ must return a str, not " + std::string(TypeName(r)));
    }
    return std::string(As<StrObj>(r)->view());
  }
  if (!spec.empty()) {
    if (IsStr(v)) return FormatStr(vm, As<StrObj>(v)->view(), spec);
    TypeError(vm, "unsupported format string passed to " + std::string(TypeName(v)) +
                      ".__format__");
  }
  return ToStr(vm, v);
}

// ---- %-formatting ----

Value PercentFormat(VM& vm, StrObj* fmt, Value args) {
  std::string_view f = fmt->view();
  std::string out;
  const Value* items = &args;
  int64_t nitems = 1;
  bool tuple_args = IsTuple(args);
  if (tuple_args) {
    items = As<TupleObj>(args)->items;
    nitems = As<TupleObj>(args)->n;
  }
  bool mapping = IsDict(args) || (args.is_obj() && !args.o->cls->is_builtin &&
                                  !LookupClass(args.o->cls, N().__getitem__).unbound() &&
                                  !tuple_args && !IsStr(args));
  int64_t next = 0;
  bool used_mapping = false;
  auto next_arg = [&]() -> Value {
    if (next >= nitems) TypeError(vm, "not enough arguments for format string");
    return items[next++];
  };
  for (size_t i = 0; i < f.size();) {
    char c = f[i];
    if (c != '%') {
      size_t j = f.find('%', i);
      if (j == std::string_view::npos) j = f.size();
      out.append(f.substr(i, j - i));
      i = j;
      continue;
    }
    size_t start = i;
    ++i;
    if (i >= f.size()) ValueError(vm, "incomplete format");
    Value arg;
    bool have_arg = false;
    if (f[i] == '(') {
      if (!mapping) TypeError(vm, "format requires a mapping");
      int depth = 1;
      size_t k = ++i;
      while (i < f.size() && depth > 0) {
        if (f[i] == '(') ++depth;
        else if (f[i] == ')') --depth;
        if (depth > 0) ++i;
      }
      if (depth > 0) ValueError(vm, "incomplete format key");
      Value key = Str(vm, f.substr(k, i - k));
      ++i;
      arg = GetItem(vm, args, key);
      have_arg = true;
      used_mapping = true;
    }
    Spec sp;
    bool left = false, zero = false;
    for (; i < f.size(); ++i) {
      char fl = f[i];
      if (fl == '-') left = true;
      else if (fl == '+') sp.sign = '+';
      else if (fl == ' ') { if (sp.sign != '+') sp.sign = ' '; }
      else if (fl == '#') sp.alt = true;
      else if (fl == '0') zero = true;
      else break;
    }
    if (i < f.size() && f[i] == '*') {
      Value w = next_arg();
      if (!w.is_intlike()) TypeError(vm, "* wants int");
      // (-INT64_MIN does not fit; a width that large fails at CheckRoom anyway.)
      sp.width = w.i == INT64_MIN ? INT64_MAX : w.i < 0 ? -w.i : w.i;
      if (w.i < 0) left = true;
      ++i;
    } else {
      int64_t w = -1;
      while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
        w = w < 0 ? 0 : w;
        if (__builtin_mul_overflow(w, 10, &w) || __builtin_add_overflow(w, f[i] - '0', &w)) {
          ValueError(vm, "width too big");
        }
        ++i;
      }
      sp.width = w;
    }
    CheckRoom(vm, sp.width);  // the padding, before it is built
    if (i < f.size() && f[i] == '.') {
      ++i;
      if (i < f.size() && f[i] == '*') {
        Value p = next_arg();
        if (!p.is_intlike()) TypeError(vm, "* wants int");
        if (p.i > INT32_MAX || p.i < INT32_MIN) {
          Raise(vm, T().OverflowError, "Python int too large to convert to C int");
        }
        sp.precision = p.i < 0 ? 0 : p.i;
        ++i;
      } else {
        int64_t p = 0;
        while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
          p = p * 10 + (f[i] - '0');
          if (p > INT32_MAX) ValueError(vm, "precision too big");  // CPython's C int
          ++i;
        }
        sp.precision = p;
      }
    }
    while (i < f.size() && (f[i] == 'h' || f[i] == 'l' || f[i] == 'L')) ++i;
    if (i >= f.size()) ValueError(vm, "incomplete format");
    char type = f[i++];
    if (type == '%') {
      out.push_back('%');
      continue;
    }
    if (!have_arg) arg = next_arg();
    sp.align = left ? '<' : '>';
    if (zero && !left) {
      sp.fill = '0';
      sp.align = '=';
    }
    std::string piece;
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        std::string s = type == 's' ? ToStr(vm, arg)
                        : type == 'r' ? Repr(vm, arg)
                                      : std::string(As<StrObj>(AsciiValue(vm, arg))->view());
        if (sp.precision >= 0) {
          Spec trunc;
          trunc.precision = sp.precision;
          s = FormatStr(vm, s, "." + IntToString(sp.precision));
        }
        Spec pad = sp;
        pad.fill = ' ';
        if (pad.align == '=') pad.align = '>';
        piece = Pad(pad, "", s, '<');
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o': {
        int64_t v;
        if (arg.is_intlike()) {
          v = arg.i;
        } else if (arg.tag == Tag::kFloat && (type == 'd' || type == 'i' || type == 'u')) {
          v = IntegralToInt(vm, std::trunc(arg.f));
        } else if (type == 'd' || type == 'i' || type == 'u') {
          TypeError(vm, std::string("%") + type + " format: a real number is required, not " +
                            std::string(TypeName(arg)));
        } else {
          TypeError(vm, std::string("%") + type + " format: an integer is required, not " +
                            std::string(TypeName(arg)));
        }
        char t = type == 'i' || type == 'u' ? 'd' : type;
        bool neg = v < 0;
        uint64_t mag = neg ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
        std::string digits;
        if (t == 'd') {
          digits = std::to_string(mag);
        } else {
          int base = t == 'o' ? 8 : 16;
          const char* alpha = t == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
          if (mag == 0) digits = "0";
          while (mag) {
            digits.insert(digits.begin(), alpha[mag % base]);
            mag /= base;
          }
        }
        if (sp.precision >= 0 && static_cast<int64_t>(digits.size()) < sp.precision) {
          CheckRoom(vm, sp.precision);  // the zeros, before they are built
          digits.insert(0, sp.precision - digits.size(), '0');
        }
        std::string prefix = SignPrefix(sp, neg);
        if (sp.alt && t != 'd') prefix += t == 'o' ? "0o" : t == 'x' ? "0x" : "0X";
        piece = Pad(sp, prefix, digits, '>');
        break;
      }
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        if (!arg.is_intlike() && arg.tag != Tag::kFloat) {
          TypeError(vm, "must be real number, not " + std::string(TypeName(arg)));
        }
        double d = arg.tag == Tag::kFloat ? arg.f : static_cast<double>(arg.i);
        std::string spec;
        if (sp.sign) spec += sp.sign;
        if (sp.alt) spec += '#';
        spec += "." + IntToString(sp.precision >= 0 ? sp.precision : 6);
        spec += type;
        std::string s = FormatFloat(vm, d, spec);
        std::string prefix;
        if (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) {
          prefix = s.substr(0, 1);
          s = s.substr(1);
        }
        piece = Pad(sp, prefix, s, '>');
        break;
      }
      case 'c': {
        std::string s;
        if (arg.is_intlike()) {
          if (arg.i < 0 || arg.i > 0x10FFFF) Raise(vm, T().OverflowError, "%c arg not in range(0x110000)");
          AppendUtf8(s, static_cast<uint32_t>(arg.i));
        } else if (IsStr(arg) && As<StrObj>(arg)->ncp == 1) {
          s = std::string(As<StrObj>(arg)->view());
        } else {
          TypeError(vm, "%c requires int or char");
        }
        Spec pad = sp;
        pad.fill = ' ';
        if (pad.align == '=') pad.align = '>';
        piece = Pad(pad, "", s, '<');
        break;
      }
      default: {
        char buf[96];
        std::snprintf(buf, sizeof buf, "unsupported format character '%c' (0x%x) at index %zu",
                      type, static_cast<unsigned char>(type), i - 1);
        ValueError(vm, buf);
      }
    }
    (void)start;
    out += piece;
    CheckRoom(vm, static_cast<int64_t>(out.size()));  // the same large argument may repeat
  }
  if (!used_mapping && next < nitems && !(mapping && !tuple_args)) {
    TypeError(vm, "not all arguments converted during string formatting");
  }
  return Str(vm, out);
}

// ---- parsing ----

namespace {

std::string_view StripSpace(std::string_view s) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Value ParseInt(VM& vm, std::string_view text, int base) {
  auto fail = [&]() -> Value {
    ValueError(vm, "invalid literal for int() with base " + std::to_string(base) + ": " +
                       ReprStr(text));
  };
  // Unicode decimal digits and spaces are folded to ASCII first.
  std::string ascii;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ascii.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    int len;
    uint32_t cp = DecodeUtf8(text.data() + i, &len);
    i += len;
    int d = unicode::DecimalValue(cp);
    if (d >= 0) ascii.push_back(static_cast<char>('0' + d));
    else if (unicode::IsSpace(cp)) ascii.push_back(' ');
    else return fail();
  }
  std::string_view s = StripSpace(ascii);
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  int b = base;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    int pb = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
    if (pb != 0 && (b == 0 || b == pb)) {
      b = pb;
      s.remove_prefix(2);
      if (!s.empty() && s[0] == '_') s.remove_prefix(1);
    }
  }
  if (b == 0) {
    b = 10;
    // Base 0: a decimal literal may not have leading zeros (except 0 itself).
    if (s.size() > 1 && s[0] == '0') {
      for (char c : s) {
        if (c != '0' && c != '_') return fail();
      }
    }
  }
  if (s.empty()) return fail();
  uint64_t acc = 0;
  bool prev_digit = false;
  const uint64_t limit = neg ? (uint64_t{1} << 63) : (uint64_t{1} << 63) - 1;
  for (char c : s) {
    if (c == '_') {
      if (!prev_digit) return fail();
      prev_digit = false;
      continue;
    }
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
    else return fail();
    if (d >= b) return fail();
    if (acc > (limit - d) / b) {
      Raise(vm, T().OverflowError, "int() result out of 64-bit range (edgeflow ints are 64-bit)");
    }
    acc = acc * b + d;
    prev_digit = true;
  }
  if (!prev_digit) return fail();
  int64_t v = neg ? static_cast<int64_t>(0 - acc) : static_cast<int64_t>(acc);
  return Value::Int(v);
}

Value ParseFloat(VM& vm, std::string_view text) {
  auto fail = [&]() -> Value {
    ValueError(vm, "could not convert string to float: " + ReprStr(text));
  };
  std::string ascii;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ascii.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    int len;
    uint32_t cp = DecodeUtf8(text.data() + i, &len);
    i += len;
    int d = unicode::DecimalValue(cp);
    if (d >= 0) ascii.push_back(static_cast<char>('0' + d));
    else if (unicode::IsSpace(cp)) ascii.push_back(' ');
    else return fail();
  }
  std::string_view s = StripSpace(ascii);
  if (s.empty()) return fail();
  std::string t;
  bool neg = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower;
  for (char c : body) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "inf" || lower == "infinity") {
    return Value::Float(neg ? -INFINITY : INFINITY);
  }
  if (lower == "nan") return Value::Float(neg ? -NAN : NAN);
  // Digits, one '.', an exponent; '_' only between digits.
  bool seen_digit = false, seen_dot = false, seen_exp = false, exp_digit = false;
  char prev = 0;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    bool digit = c >= '0' && c <= '9';
    if (c == '_') {
      char nx = i + 1 < body.size() ? body[i + 1] : 0;
      if (!(prev >= '0' && prev <= '9') || !(nx >= '0' && nx <= '9')) return fail();
      prev = c;
      continue;
    }
    if (digit) {
      if (seen_exp) exp_digit = true;
      else seen_digit = true;
    } else if (c == '.') {
      if (seen_dot || seen_exp) return fail();
      seen_dot = true;
    } else if (c == 'e' || c == 'E') {
      if (seen_exp || !seen_digit) return fail();
      seen_exp = true;
    } else if ((c == '+' || c == '-') && (prev == 'e' || prev == 'E')) {
    } else {
      return fail();
    }
    t.push_back(c);
    prev = c;
  }
  if (!seen_digit || (seen_exp && !exp_digit)) return fail();
  double d = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow gives inf and underflow 0, as strtod does.
    d = std::strtod(t.c_str(), nullptr);
  } else if (r.ec != std::errc() || r.ptr != t.data() + t.size()) {
    return fail();
  }
  return Value::Float(neg ? -d : d);
}

}  // namespace edgeflow::script
