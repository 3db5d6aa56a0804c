// str: UTF-8 text indexed by code point (O(1) for ASCII strings), with the
// methods scripts use (split/join/strip/find/replace/case mapping/predicates/
// padding/partition/splitlines/format ...) behaving as CPython's.
#include <algorithm>
#include <cstring>

#include "script/runtime.h"
#include "script/unicode.h"

namespace edgeflow::script {

// ---- UTF-8 ----

uint32_t DecodeUtf8(const char* p, int* len) {
  auto c = static_cast<unsigned char>(p[0]);
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  if ((c & 0xE0) == 0xC0) {
    *len = 2;
    return ((c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if ((c & 0xF0) == 0xE0) {
    *len = 3;
    return ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  *len = 4;
  return ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int64_t StrIndexOfCp(StrObj* s, int64_t cp) {
  if (s->ascii) return cp;
  int64_t i = 0, n = 0;
  while (i < s->nbytes && n < cp) {
    i += 1;
    while (i < s->nbytes && (static_cast<unsigned char>(s->data[i]) & 0xC0) == 0x80) ++i;
    ++n;
  }
  return i;
}

namespace {

int64_t CpCount(std::string_view s) {
  int64_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    int len;
    out.push_back(DecodeUtf8(s.data() + i, &len));
    i += len;
  }
  return out;
}

std::string FromU32(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) AppendUtf8(out, c);
  return out;
}

struct AsciiTable {
  StrObj* chars[128];
  AsciiTable() {
    for (int i = 0; i < 128; ++i) {
      char c = static_cast<char>(i);
      chars[i] = Intern(std::string_view(&c, 1));
    }
  }
};

const AsciiTable& Ascii() {
  static const AsciiTable* t = new AsciiTable();
  return *t;
}

}  // namespace

Value CharStr(VM& vm, uint32_t cp) {
  if (cp < 128) return V(Ascii().chars[cp]);
  std::string s;
  AppendUtf8(s, cp);
  return V(NewStr(&vm, s));
}

StrObj* StrConcat(VM& vm, StrObj* a, StrObj* b) {
  if (a->nbytes == 0) return b;
  if (b->nbytes == 0) return a;
  auto* o = New<StrObj>(&vm, Kind::kStr, T().str, sizeof(StrObj) + a->nbytes + b->nbytes);
  o->nbytes = a->nbytes + b->nbytes;
  o->ncp = a->ncp + b->ncp;
  o->ascii = a->ascii && b->ascii;
  std::memcpy(o->data, a->data, a->nbytes);
  std::memcpy(o->data + a->nbytes, b->data, b->nbytes);
  o->data[o->nbytes] = 0;
  return o;
}

Value StrGetItem(VM& vm, StrObj* s, const Value& key) {
  if (IsObj(key, Kind::kSlice)) {
    int64_t start, stop, step;
    int64_t len = SliceIndices(vm, As<SliceObj>(key), s->ncp, &start, &stop, &step);
    if (step == 1) {
      if (len == s->ncp) return V(s);
      if (len == 0) return V(NewStrAscii(&vm, ""));
      if (s->ascii) return V(NewStrAscii(&vm, std::string_view(s->data + start, len)));
      int64_t b0 = StrIndexOfCp(s, start);
      int64_t b1 = StrIndexOfCp(s, start + len);
      return V(NewStr(&vm, std::string_view(s->data + b0, b1 - b0)));
    }
    std::string out;
    if (s->ascii) {
      for (int64_t i = 0, j = start; i < len; ++i, j += step) out.push_back(s->data[j]);
      return V(NewStrAscii(&vm, out));
    }
    std::u32string cps = ToU32(s->view());
    for (int64_t i = 0, j = start; i < len; ++i, j += step) AppendUtf8(out, cps[j]);
    return V(NewStr(&vm, out));
  }
  int64_t i;
  if (key.is_intlike()) {
    i = key.i;
  } else if (key.is_obj() && !key.o->cls->is_builtin) {
    i = IndexValue(vm, key);
  } else {
    TypeError(vm, "string indices must be integers, not '" + std::string(TypeName(key)) + "'");
  }
  if (i < 0) i += s->ncp;
  if (i < 0 || i >= s->ncp) Raise(vm, T().IndexError, "string index out of range");
  if (s->ascii) return CharStr(vm, static_cast<unsigned char>(s->data[i]));
  int len;
  uint32_t cp = DecodeUtf8(s->data + StrIndexOfCp(s, i), &len);
  return CharStr(vm, cp);
}

namespace {

bool StrIterNext(VM& vm, IterObj* it, Value* out) {
  auto* s = As<StrObj>(it->a);
  if (it->i >= s->nbytes) return false;
  int len;
  uint32_t cp = DecodeUtf8(s->data + it->i, &len);
  it->i += len;
  *out = CharStr(vm, cp);
  return true;
}

}  // namespace

Value StrIter(VM& vm, StrObj* s) {
  IterObj* it = NewIter(&vm, "str_ascii_iterator", StrIterNext);
  if (!s->ascii) it->type_name = "str_iterator";
  it->a = V(s);
  return V(it);
}

// ---- methods ----

namespace {

StrObj* Self(VM& vm, const Value& v, const char* m) {
  if (!IsStr(v)) {
    TypeError(vm, std::string("descriptor '") + m + "' for 'str' objects doesn't apply to a '" +
                      std::string(TypeName(v)) + "' object");
  }
  return As<StrObj>(v);
}

StrObj* ArgStr(VM& vm, const Value& v, const char* what) {
  if (!IsStr(v)) {
    TypeError(vm, std::string(what) + " must be str, not " + std::string(TypeName(v)));
  }
  return As<StrObj>(v);
}

Value MakeStr(VM& vm, std::string_view s, bool ascii_hint) {
  return ascii_hint ? V(NewStrAscii(&vm, s)) : V(NewStr(&vm, s));
}

inline bool IsAsciiSpace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

// Whitespace code point at byte i of s (length in *len), or false.
bool SpaceAt(std::string_view s, size_t i, int* len) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return IsAsciiSpace(c);
  }
  uint32_t cp = DecodeUtf8(s.data() + i, len);
  return unicode::IsSpace(cp);
}

// Resolves optional start/end code point arguments to a byte range of s.
void ByteRange(VM& vm, StrObj* s, Value* args, int nargs, int first, int64_t* b0, int64_t* b1,
               bool* empty_range) {
  int64_t n = s->ncp;
  int64_t start = 0, end = n;
  auto conv = [&](const Value& v, int64_t dflt) -> int64_t {
    if (v.unbound() || v.is_none()) return dflt;
    int64_t x = IndexValue(vm, v);
    if (x < 0) {
      x += n;
      if (x < 0) x = 0;
    }
    return x;
  };
  if (nargs > first) start = conv(args[first], 0);
  if (nargs > first + 1) end = conv(args[first + 1], n);
  if (end > n) end = n;
  *empty_range = start > n || start > end;
  if (start > n) start = n;
  if (end < start) end = start;
  *b0 = StrIndexOfCp(s, start);
  *b1 = StrIndexOfCp(s, end);
}

int64_t ByteToCp(StrObj* s, int64_t b) {
  if (s->ascii) return b;
  return CpCount(std::string_view(s->data, b));
}

Value SFind(VM& vm, Value* a, int n, bool reverse, bool raise, const char* name) {
  CheckArgs(vm, name, n - 1, 1, 3);
  StrObj* s = Self(vm, a[0], name);
  if (!IsStr(a[1])) {
    TypeError(vm, std::string("must be str, not ") + std::string(TypeName(a[1])));
  }
  std::string_view sub = As<StrObj>(a[1])->view();
  int64_t b0, b1;
  bool bad;
  ByteRange(vm, s, a, n, 2, &b0, &b1, &bad);
  size_t pos = std::string_view::npos;
  if (!bad) {
    std::string_view hay(s->data + b0, b1 - b0);
    pos = reverse ? hay.rfind(sub) : hay.find(sub);
  }
  if (pos == std::string_view::npos) {
    if (raise) ValueError(vm, "substring not found");
    return Value::Int(-1);
  }
  return Value::Int(ByteToCp(s, b0 + static_cast<int64_t>(pos)));
}

Value MFind(VM& vm, Value* a, int n, TupleObj*) { return SFind(vm, a, n, false, false, "find"); }
Value MRfind(VM& vm, Value* a, int n, TupleObj*) { return SFind(vm, a, n, true, false, "rfind"); }
Value MIndex(VM& vm, Value* a, int n, TupleObj*) { return SFind(vm, a, n, false, true, "index"); }
Value MRindex(VM& vm, Value* a, int n, TupleObj*) { return SFind(vm, a, n, true, true, "rindex"); }

Value MCount(VM& vm, Value* a, int n, TupleObj*) {
  if (n < 2) TypeError(vm, "count() takes at least 1 argument (0 given)");
  CheckArgs(vm, "count", n - 1, 1, 3);
  StrObj* s = Self(vm, a[0], "count");
  if (!IsStr(a[1])) TypeError(vm, "must be str, not " + std::string(TypeName(a[1])));
  std::string_view sub = As<StrObj>(a[1])->view();
  int64_t b0, b1;
  bool bad;
  ByteRange(vm, s, a, n, 2, &b0, &b1, &bad);
  if (bad) return Value::Int(0);
  std::string_view hay(s->data + b0, b1 - b0);
  if (sub.empty()) return Value::Int(CpCount(hay) + 1);
  int64_t c = 0;
  for (size_t p = hay.find(sub); p != std::string_view::npos; p = hay.find(sub, p + sub.size())) ++c;
  return Value::Int(c);
}

Value SStartsEnds(VM& vm, Value* a, int n, bool ends, const char* name) {
  CheckArgs(vm, name, n - 1, 1, 3);
  StrObj* s = Self(vm, a[0], name);
  int64_t b0, b1;
  bool bad;
  ByteRange(vm, s, a, n, 2, &b0, &b1, &bad);
  std::string_view hay(s->data + b0, b1 - b0);
  auto test = [&](const Value& p) {
    if (!IsStr(p)) {
      TypeError(vm, std::string(name) + " first arg must be str or a tuple of str, not " +
                        std::string(TypeName(p)));
    }
    if (bad) return false;
    std::string_view x = As<StrObj>(p)->view();
    if (x.size() > hay.size()) return false;
    return ends ? hay.substr(hay.size() - x.size()) == x : hay.substr(0, x.size()) == x;
  };
  if (IsTuple(a[1])) {
    auto* t = As<TupleObj>(a[1]);
    for (int64_t i = 0; i < t->n; ++i) {
      if (!IsStr(t->items[i])) {
        TypeError(vm, std::string("tuple for ") + name + " must only contain str, not " +
                          std::string(TypeName(t->items[i])));
      }
      if (test(t->items[i])) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  return Value::Bool(test(a[1]));
}

Value MStartswith(VM& vm, Value* a, int n, TupleObj*) {
  return SStartsEnds(vm, a, n, false, "startswith");
}
Value MEndswith(VM& vm, Value* a, int n, TupleObj*) {
  return SStartsEnds(vm, a, n, true, "endswith");
}

// Strips whitespace (chars unbound/None) or the given characters.
Value SStrip(VM& vm, Value* a, int n, bool left, bool right, const char* name) {
  CheckArgs(vm, name, n - 1, 0, 1);
  StrObj* s = Self(vm, a[0], name);
  std::string_view v = s->view();
  size_t lo = 0, hi = v.size();
  if (n < 2 || a[1].is_none()) {
    if (left) {
      int len;
      while (lo < hi && SpaceAt(v, lo, &len)) lo += len;
    }
    if (right) {
      while (hi > lo) {
        size_t p = hi - 1;
        while (p > lo && (static_cast<unsigned char>(v[p]) & 0xC0) == 0x80) --p;
        int len;
        if (!SpaceAt(v, p, &len)) break;
        hi = p;
      }
    }
  } else {
    if (!IsStr(a[1])) {
      TypeError(vm, std::string(name) + " arg must be None or str");
    }
    std::u32string chars = ToU32(As<StrObj>(a[1])->view());
    auto in = [&](uint32_t cp) { return chars.find(static_cast<char32_t>(cp)) != std::u32string::npos; };
    if (left) {
      while (lo < hi) {
        int len;
        uint32_t cp = DecodeUtf8(v.data() + lo, &len);
        if (!in(cp)) break;
        lo += len;
      }
    }
    if (right) {
      while (hi > lo) {
        size_t p = hi - 1;
        while (p > lo && (static_cast<unsigned char>(v[p]) & 0xC0) == 0x80) --p;
        int len;
        uint32_t cp = DecodeUtf8(v.data() + p, &len);
        if (!in(cp)) break;
        hi = p;
      }
    }
  }
  if (lo == 0 && hi == v.size()) return a[0];
  return MakeStr(vm, v.substr(lo, hi - lo), s->ascii);
}

Value MStrip(VM& vm, Value* a, int n, TupleObj*) { return SStrip(vm, a, n, true, true, "strip"); }
Value MLstrip(VM& vm, Value* a, int n, TupleObj*) { return SStrip(vm, a, n, true, false, "lstrip"); }
Value MRstrip(VM& vm, Value* a, int n, TupleObj*) { return SStrip(vm, a, n, false, true, "rstrip"); }

Value MSplit(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"split", {"sep", "maxsplit"}, 0}, a + 1, n - 1, kw, opts);
  StrObj* s = Self(vm, a[0], "split");
  int64_t maxsplit = opts[1].unbound() ? -1 : IndexValue(vm, opts[1]);
  std::string_view v = s->view();
  ListObj* out = NewList(&vm, 0);
  if (opts[0].unbound() || opts[0].is_none()) {
    size_t i = 0;
    int len;
    while (i < v.size()) {
      while (i < v.size() && SpaceAt(v, i, &len)) i += len;
      if (i >= v.size()) break;
      if (maxsplit >= 0 && static_cast<int64_t>(out->items.size()) == maxsplit) {
        // The remainder keeps its trailing whitespace, as CPython's split does.
        ListAppend(vm, out, MakeStr(vm, v.substr(i), s->ascii));
        break;
      }
      size_t j = i;
      while (j < v.size() && !SpaceAt(v, j, &len)) j += len;
      ListAppend(vm, out, MakeStr(vm, v.substr(i, j - i), s->ascii));
      i = j;
    }
    return V(out);
  }
  std::string_view sep = ArgStr(vm, opts[0], "sep")->view();
  if (sep.empty()) ValueError(vm, "empty separator");
  size_t i = 0;
  for (;;) {
    if (maxsplit >= 0 && static_cast<int64_t>(out->items.size()) == maxsplit) break;
    size_t p = v.find(sep, i);
    if (p == std::string_view::npos) break;
    ListAppend(vm, out, MakeStr(vm, v.substr(i, p - i), s->ascii));
    i = p + sep.size();
  }
  ListAppend(vm, out, MakeStr(vm, v.substr(i), s->ascii));
  return V(out);
}

Value MRsplit(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"rsplit", {"sep", "maxsplit"}, 0}, a + 1, n - 1, kw, opts);
  StrObj* s = Self(vm, a[0], "rsplit");
  int64_t maxsplit = opts[1].unbound() ? -1 : IndexValue(vm, opts[1]);
  if (maxsplit < 0) return MSplit(vm, a, n, kw);
  std::string_view v = s->view();
  std::vector<std::string_view> parts;
  if (opts[0].unbound() || opts[0].is_none()) {
    size_t end = v.size();
    auto prev_start = [&](size_t p) {
      size_t q = p - 1;
      while (q > 0 && (static_cast<unsigned char>(v[q]) & 0xC0) == 0x80) --q;
      return q;
    };
    int len;
    while (end > 0) {
      while (end > 0 && SpaceAt(v, prev_start(end), &len)) end = prev_start(end);
      if (end == 0) break;
      if (static_cast<int64_t>(parts.size()) == maxsplit) {
        parts.push_back(v.substr(0, end));  // keeps its leading whitespace
        end = 0;
        break;
      }
      size_t b = end;
      while (b > 0 && !SpaceAt(v, prev_start(b), &len)) b = prev_start(b);
      parts.push_back(v.substr(b, end - b));
      end = b;
    }
  } else {
    std::string_view sep = ArgStr(vm, opts[0], "sep")->view();
    if (sep.empty()) ValueError(vm, "empty separator");
    size_t end = v.size();
    for (;;) {
      if (static_cast<int64_t>(parts.size()) == maxsplit) break;
      if (end < sep.size()) break;
      size_t p = v.rfind(sep, end - sep.size());
      if (p == std::string_view::npos) break;
      parts.push_back(v.substr(p + sep.size(), end - p - sep.size()));
      end = p;
    }
    parts.push_back(v.substr(0, end));
  }
  ListObj* out = NewList(&vm, 0);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    ListAppend(vm, out, MakeStr(vm, *it, s->ascii));
  }
  return V(out);
}

Value MJoin(VM& vm, Value* a, int n, TupleObj*) {
  if (n != 2) TypeError(vm, "str.join() takes exactly one argument (" + std::to_string(n - 1) + " given)");
  StrObj* s = Self(vm, a[0], "join");
  std::vector<Value> items = ToVector(vm, a[1]);
  std::string out;
  size_t total = 0;
  bool ascii = s->ascii;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!IsStr(items[i])) {
      TypeError(vm, "sequence item " + std::to_string(i) + ": expected str instance, " +
                        std::string(TypeName(items[i])) + " found");
    }
    total += As<StrObj>(items[i])->nbytes + s->nbytes;
    ascii &= As<StrObj>(items[i])->ascii;
  }
  CheckRoom(vm, static_cast<int64_t>(total));  // shared parts can make it far larger than its input
  out.reserve(total);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.append(s->view());
    out.append(As<StrObj>(items[i])->view());
  }
  return MakeStr(vm, out, ascii);
}

Value MReplace(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "replace", n - 1, 2, 3);
  StrObj* s = Self(vm, a[0], "replace");
  std::string_view old = ArgStr(vm, a[1], "replace() argument 1")->view();
  StrObj* neu = ArgStr(vm, a[2], "replace() argument 2");
  int64_t count = n > 3 ? IndexValue(vm, a[3]) : -1;
  std::string_view v = s->view();
  std::string out;
  if (old.empty()) {
    // Inserts `new` before every code point and at the end.
    int64_t done = 0;
    size_t i = 0;
    while (i <= v.size()) {
      if (count >= 0 && done >= count) {
        out.append(v.substr(i));
        break;
      }
      CheckRoom(vm, static_cast<int64_t>(out.size() + neu->nbytes));
      out.append(neu->view());
      ++done;
      if (i == v.size()) break;
      int len = 1;
      if (static_cast<unsigned char>(v[i]) >= 0x80) DecodeUtf8(v.data() + i, &len);
      out.append(v.substr(i, len));
      i += len;
    }
    return MakeStr(vm, out, s->ascii && neu->ascii);
  }
  size_t i = 0;
  int64_t done = 0;
  size_t p = v.find(old);
  if (p == std::string_view::npos || count == 0) return a[0];
  while (p != std::string_view::npos && (count < 0 || done < count)) {
    CheckRoom(vm, static_cast<int64_t>(out.size() + (p - i) + neu->nbytes));
    out.append(v.substr(i, p - i));
    out.append(neu->view());
    i = p + old.size();
    ++done;
    p = v.find(old, i);
  }
  out.append(v.substr(i));
  return MakeStr(vm, out, s->ascii && neu->ascii);
}

using CaseFn = void (*)(std::u32string_view, std::u32string*);

Value SCase(VM& vm, Value* a, int n, const char* name, CaseFn fn, char ascii_mode) {
  CheckArgs(vm, name, n - 1, 0, 0);
  StrObj* s = Self(vm, a[0], name);
  if (s->ascii && ascii_mode != 0) {
    std::string out(s->view());
    switch (ascii_mode) {
      case 'u':
        for (char& c : out) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        }
        break;
      case 'l':
        for (char& c : out) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        }
        break;
      case 's':
        for (char& c : out) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
          else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        }
        break;
    }
    return V(NewStrAscii(&vm, out));
  }
  std::u32string in = ToU32(s->view()), out;
  fn(in, &out);
  return V(NewStr(&vm, FromU32(out)));
}

Value MUpper(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "upper", unicode::UpperString, 'u');
}
Value MLower(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "lower", unicode::LowerString, 'l');
}
Value MSwapcase(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "swapcase", unicode::SwapCaseString, 's');
}
Value MCasefold(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "casefold", unicode::CaseFoldString, 'l');
}
Value MTitle(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "title", unicode::TitleString, 0);
}
Value MCapitalize(VM& vm, Value* a, int n, TupleObj*) {
  return SCase(vm, a, n, "capitalize", unicode::CapitalizeString, 0);
}

using CpPred = bool (*)(uint32_t);

Value SAll(VM& vm, Value* a, int n, const char* name, CpPred pred, bool empty_result) {
  CheckArgs(vm, name, n - 1, 0, 0);
  StrObj* s = Self(vm, a[0], name);
  if (s->nbytes == 0) return Value::Bool(empty_result);
  std::string_view v = s->view();
  for (size_t i = 0; i < v.size();) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    i += len;
    if (!pred(cp)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value MIsdigit(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isdigit", unicode::IsDigit, false); }
Value MIsdecimal(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isdecimal", unicode::IsDecimal, false); }
Value MIsnumeric(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isnumeric", unicode::IsNumeric, false); }
Value MIsalpha(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isalpha", unicode::IsAlpha, false); }
Value MIsalnum(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isalnum", unicode::IsAlnum, false); }
Value MIsspace(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isspace", unicode::IsSpace, false); }
Value MIsprintable(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isprintable", unicode::IsPrintable, true); }
bool IsAsciiCp(uint32_t cp) { return cp < 0x80; }
Value MIsascii(VM& vm, Value* a, int n, TupleObj*) { return SAll(vm, a, n, "isascii", IsAsciiCp, true); }

Value SCased(VM& vm, Value* a, int n, const char* name, bool upper) {
  CheckArgs(vm, name, n - 1, 0, 0);
  StrObj* s = Self(vm, a[0], name);
  bool cased = false;
  std::string_view v = s->view();
  for (size_t i = 0; i < v.size();) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    i += len;
    if (upper ? unicode::IsLower(cp) || unicode::IsTitle(cp) : unicode::IsUpper(cp) || unicode::IsTitle(cp)) {
      return Value::Bool(false);
    }
    if (upper ? unicode::IsUpper(cp) : unicode::IsLower(cp)) cased = true;
  }
  return Value::Bool(cased);
}

Value MIsupper(VM& vm, Value* a, int n, TupleObj*) { return SCased(vm, a, n, "isupper", true); }
Value MIslower(VM& vm, Value* a, int n, TupleObj*) { return SCased(vm, a, n, "islower", false); }

Value MIstitle(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "istitle", n - 1, 0, 0);
  StrObj* s = Self(vm, a[0], "istitle");
  bool cased = false, prev_cased = false;
  std::string_view v = s->view();
  for (size_t i = 0; i < v.size();) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    i += len;
    if (unicode::IsUpper(cp) || unicode::IsTitle(cp)) {
      if (prev_cased) return Value::Bool(false);
      prev_cased = cased = true;
    } else if (unicode::IsLower(cp)) {
      if (!prev_cased) return Value::Bool(false);
      prev_cased = cased = true;
    } else {
      prev_cased = false;
    }
  }
  return Value::Bool(cased);
}

Value MIsidentifier(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isidentifier", n - 1, 0, 0);
  StrObj* s = Self(vm, a[0], "isidentifier");
  std::u32string cps = ToU32(s->view());
  if (cps.empty()) return Value::Bool(false);
  if (!(unicode::IsXidStart(cps[0]) || cps[0] == '_')) return Value::Bool(false);
  for (size_t i = 1; i < cps.size(); ++i) {
    if (!unicode::IsXidContinue(cps[i])) return Value::Bool(false);
  }
  return Value::Bool(true);
}

uint32_t FillChar(VM& vm, Value* a, int n, int idx, const char* name) {
  if (n <= idx) return ' ';
  if (!IsStr(a[idx]) || As<StrObj>(a[idx])->ncp != 1) {
    TypeError(vm, std::string("The fill character must be exactly one character long"));
  }
  (void)name;
  int len;
  return DecodeUtf8(As<StrObj>(a[idx])->data, &len);
}

std::string Repeat(uint32_t cp, int64_t k) {
  std::string unit;
  AppendUtf8(unit, cp);
  std::string out;
  for (int64_t i = 0; i < k; ++i) out += unit;
  return out;
}

Value SPad(VM& vm, Value* a, int n, const char* name, char how) {
  CheckArgs(vm, name, n - 1, 1, 2);
  StrObj* s = Self(vm, a[0], name);
  int64_t width = IndexValue(vm, a[1]);
  uint32_t fill = FillChar(vm, a, n, 2, name);
  if (width <= s->ncp) return a[0];
  int64_t pad = width - s->ncp;
  CheckRoom(vm, pad, fill < 0x80 ? 1 : fill < 0x800 ? 2 : fill < 0x10000 ? 3 : 4);
  std::string out;
  if (how == 'l') {
    out = std::string(s->view()) + Repeat(fill, pad);
  } else if (how == 'r') {
    out = Repeat(fill, pad) + std::string(s->view());
  } else {
    // CPython's centering puts the odd pad on the left when width is odd.
    int64_t left = pad / 2 + (pad & width & 1);
    out = Repeat(fill, left) + std::string(s->view()) + Repeat(fill, pad - left);
  }
  return V(NewStr(&vm, out));
}

Value MLjust(VM& vm, Value* a, int n, TupleObj*) { return SPad(vm, a, n, "ljust", 'l'); }
Value MRjust(VM& vm, Value* a, int n, TupleObj*) { return SPad(vm, a, n, "rjust", 'r'); }
Value MCenter(VM& vm, Value* a, int n, TupleObj*) { return SPad(vm, a, n, "center", 'c'); }

Value MZfill(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "zfill", n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], "zfill");
  int64_t width = IndexValue(vm, a[1]);
  if (width <= s->ncp) return a[0];
  int64_t pad = width - s->ncp;
  CheckRoom(vm, pad);
  std::string v(s->view());
  std::string out;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    out = v.substr(0, 1) + std::string(pad, '0') + v.substr(1);
  } else {
    out = std::string(pad, '0') + v;
  }
  return V(NewStr(&vm, out));
}

Value SPartition(VM& vm, Value* a, int n, bool reverse) {
  const char* name = reverse ? "rpartition" : "partition";
  CheckArgs(vm, name, n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], name);
  StrObj* sep = ArgStr(vm, a[1], "sep");
  if (sep->nbytes == 0) ValueError(vm, "empty separator");
  std::string_view v = s->view();
  size_t p = reverse ? v.rfind(sep->view()) : v.find(sep->view());
  Value items[3];
  if (p == std::string_view::npos) {
    Value empty = Str(vm, "");
    if (reverse) {
      items[0] = empty;
      items[1] = empty;
      items[2] = a[0];
    } else {
      items[0] = a[0];
      items[1] = empty;
      items[2] = empty;
    }
  } else {
    items[0] = MakeStr(vm, v.substr(0, p), s->ascii);
    items[1] = a[1];
    items[2] = MakeStr(vm, v.substr(p + sep->nbytes), s->ascii);
  }
  return V(NewTupleFrom(&vm, items, 3));
}

Value MPartition(VM& vm, Value* a, int n, TupleObj*) { return SPartition(vm, a, n, false); }
Value MRpartition(VM& vm, Value* a, int n, TupleObj*) { return SPartition(vm, a, n, true); }

Value MSplitlines(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[1];
  ParseArgs(vm, {"splitlines", {"keepends"}, 0}, a + 1, n - 1, kw, opts);
  StrObj* s = Self(vm, a[0], "splitlines");
  bool keep = !opts[0].unbound() && Truthy(vm, opts[0]);
  std::string_view v = s->view();
  ListObj* out = NewList(&vm, 0);
  size_t start = 0, i = 0;
  while (i < v.size()) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    if (unicode::IsLineBreak(cp)) {
      size_t eol = i;
      i += len;
      if (cp == '\r' && i < v.size() && v[i] == '\n') ++i;
      ListAppend(vm, out, MakeStr(vm, v.substr(start, (keep ? i : eol) - start), s->ascii));
      start = i;
    } else {
      i += len;
    }
  }
  if (start < v.size()) ListAppend(vm, out, MakeStr(vm, v.substr(start), s->ascii));
  return V(out);
}

Value MExpandtabs(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[1];
  ParseArgs(vm, {"expandtabs", {"tabsize"}, 0}, a + 1, n - 1, kw, opts);
  StrObj* s = Self(vm, a[0], "expandtabs");
  int64_t tab = opts[0].unbound() ? 8 : IndexValue(vm, opts[0]);
  std::string out;
  int64_t col = 0;
  std::string_view v = s->view();
  for (size_t i = 0; i < v.size();) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    if (cp == '\t') {
      if (tab > 0) {
        int64_t k = tab - col % tab;
        CheckRoom(vm, static_cast<int64_t>(out.size()) + k);
        out.append(k, ' ');
        col += k;
      }
    } else {
      out.append(v.substr(i, len));
      col = (cp == '\n' || cp == '\r') ? 0 : col + 1;
    }
    i += len;
  }
  return V(NewStr(&vm, out));
}

Value MRemoveprefix(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "removeprefix", n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], "removeprefix");
  std::string_view p = ArgStr(vm, a[1], "removeprefix() argument")->view();
  std::string_view v = s->view();
  if (!p.empty() && v.substr(0, p.size()) == p) return MakeStr(vm, v.substr(p.size()), s->ascii);
  return a[0];
}

Value MRemovesuffix(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "removesuffix", n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], "removesuffix");
  std::string_view p = ArgStr(vm, a[1], "removesuffix() argument")->view();
  std::string_view v = s->view();
  if (!p.empty() && v.size() >= p.size() && v.substr(v.size() - p.size()) == p) {
    return MakeStr(vm, v.substr(0, v.size() - p.size()), s->ascii);
  }
  return a[0];
}

Value MFormat(VM& vm, Value* a, int n, TupleObj* kw) {
  StrObj* s = Self(vm, a[0], "format");
  return V(NewStr(&vm, StrFormat(vm, s->view(), a + 1, n - 1, kw)));
}

Value MFormatMap(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "format_map", n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], "format_map");
  // Named fields look up the mapping; positional ones are errors.
  Value m = a[1];
  std::string out;
  std::string_view f = s->view();
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '{' && i + 1 < f.size() && f[i + 1] != '{') {
      size_t j = f.find('}', i);
      if (j == std::string_view::npos) ValueError(vm, "expected '}' before end of string");
      std::string_view field = f.substr(i + 1, j - i - 1);
      size_t colon = field.find(':');
      std::string_view name = field.substr(0, colon);
      std::string_view spec = colon == std::string_view::npos ? "" : field.substr(colon + 1);
      Value v = GetItem(vm, m, Str(vm, name));
      out += FormatValue(vm, v, spec);
      i = j;
    } else if ((f[i] == '{' || f[i] == '}') && i + 1 < f.size() && f[i + 1] == f[i]) {
      out.push_back(f[i]);
      ++i;
    } else {
      out.push_back(f[i]);
    }
  }
  return V(NewStr(&vm, out));
}

Value MMaketrans(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "maketrans", n, 1, 3);
  DictObj* d = NewDict(&vm);
  if (n == 1) {
    if (!IsDict(a[0])) TypeError(vm, "if you give only one argument to maketrans it must be a dict");
    for (const DictEntry& e : As<DictObj>(a[0])->entries) {
      if (e.key.unbound()) continue;
      Value k = e.key;
      if (IsStr(k)) {
        if (As<StrObj>(k)->ncp != 1) ValueError(vm, "string keys in translate table must be of length 1");
        int len;
        k = Value::Int(DecodeUtf8(As<StrObj>(k)->data, &len));
      }
      DictSet(&vm, d, k, e.value);
    }
    return V(d);
  }
  std::u32string x = ToU32(ArgStr(vm, a[0], "maketrans() argument 1")->view());
  std::u32string y = ToU32(ArgStr(vm, a[1], "maketrans() argument 2")->view());
  if (x.size() != y.size()) ValueError(vm, "the first two maketrans arguments must have equal length");
  for (size_t i = 0; i < x.size(); ++i) DictSet(&vm, d, Value::Int(x[i]), Value::Int(y[i]));
  if (n == 3) {
    for (char32_t c : ToU32(ArgStr(vm, a[2], "maketrans() argument 3")->view())) {
      DictSet(&vm, d, Value::Int(c), Value::None());
    }
  }
  return V(d);
}

Value MTranslate(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "translate", n - 1, 1, 1);
  StrObj* s = Self(vm, a[0], "translate");
  std::string out;
  std::string_view v = s->view();
  for (size_t i = 0; i < v.size();) {
    int len;
    uint32_t cp = DecodeUtf8(v.data() + i, &len);
    Value r;
    bool found;
    try {
      r = GetItem(vm, a[1], Value::Int(cp));
      found = true;
    } catch (const PyException&) {
      if (!IsInstance(vm.exc, T().LookupError)) throw;
      vm.exc = Value();
      found = false;
    }
    if (!found) {
      out.append(v.substr(i, len));
    } else if (r.is_none()) {
    } else if (r.is_intlike()) {
      AppendUtf8(out, static_cast<uint32_t>(r.i));
    } else if (IsStr(r)) {
      CheckRoom(vm, static_cast<int64_t>(out.size() + As<StrObj>(r)->nbytes));
      out.append(As<StrObj>(r)->view());
    } else {
      TypeError(vm, "character mapping must return integer, None or str");
    }
    i += len;
  }
  return V(NewStr(&vm, out));
}

Value MGetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__getitem__", n - 1, 1, 1);
  return StrGetItem(vm, Self(vm, a[0], "__getitem__"), a[1]);
}

Value MLen(VM& vm, Value* a, int, TupleObj*) { return Value::Int(Self(vm, a[0], "__len__")->ncp); }

Value MContains(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__contains__", n - 1, 1, 1);
  return Value::Bool(Contains(vm, a[0], a[1]));
}

Value MIter(VM& vm, Value* a, int, TupleObj*) { return StrIter(vm, Self(vm, a[0], "__iter__")); }

Value MEncode(VM& vm, Value*, int, TupleObj*) {
  Raise(vm, T().NotImplementedError, "str.encode: edgeflow scripts have no bytes type");
}

Value StrCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[3];
  ParseArgs(vm, {"str", {"object", "encoding", "errors"}, 0}, a, n, kw, opts);
  if (opts[0].unbound()) return Str(vm, "");
  if (!opts[1].unbound() || !opts[2].unbound()) {
    TypeError(vm, "decoding str is not supported");
  }
  return StrValue(vm, opts[0]);
}

}  // namespace

// ---- str.format ----

namespace {

// Field numbering state shared by a format string and the replacement fields
// nested in its specs ("{:{}}" takes two automatic arguments).
struct FormatState {
  int auto_index = 0;
  int mode = 0;  // 0 unknown, 1 automatic, 2 manual
};

std::string FormatWith(VM& vm, std::string_view f, Value* args, int nargs, TupleObj* kwnames,
                       FormatState& st, int depth) {
  if (depth > 2) ValueError(vm, "Max string recursion exceeded");
  int& auto_index = st.auto_index;
  int& mode = st.mode;
  std::string out;
  int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
  auto lookup_kw = [&](std::string_view name) -> Value {
    for (int k = 0; k < nkw; ++k) {
      if (As<StrObj>(kwnames->items[k])->view() == name) return args[nargs + k];
    }
    RaiseKeyError(vm, Str(vm, name));
  };
  for (size_t i = 0; i < f.size();) {
    char c = f[i];
    if (c == '}') {
      if (i + 1 < f.size() && f[i + 1] == '}') {
        out.push_back('}');
        i += 2;
        continue;
      }
      ValueError(vm, "Single '}' encountered in format string");
    }
    if (c != '{') {
      size_t j = f.find_first_of("{}", i);
      if (j == std::string_view::npos) j = f.size();
      out.append(f.substr(i, j - i));
      i = j;
      continue;
    }
    if (i + 1 < f.size() && f[i + 1] == '{') {
      out.push_back('{');
      i += 2;
      continue;
    }
    // Find the matching '}' (specs may nest one level of braces).
    size_t j = i + 1;
    int depth = 1;
    while (j < f.size()) {
      if (f[j] == '{') ++depth;
      else if (f[j] == '}' && --depth == 0) break;
      ++j;
    }
    if (j >= f.size()) {
      bool nested = f.substr(i + 1).find('{') != std::string_view::npos;
      ValueError(vm, nested ? "unexpected '{' in field name"
                            : f.substr(i + 1).find('}') == std::string_view::npos
                                  ? "Single '{' encountered in format string"
                                  : "expected '}' before end of string");
    }
    std::string_view field = f.substr(i + 1, j - i - 1);
    i = j + 1;
    // field_name [! conversion] [: spec]
    size_t bang = std::string_view::npos, colon = std::string_view::npos;
    for (size_t k = 0, br = 0; k < field.size(); ++k) {
      if (field[k] == '[') ++br;
      else if (field[k] == ']' && br > 0) --br;
      else if (br == 0 && field[k] == '!' && bang == std::string_view::npos) {
        bang = k;
      } else if (br == 0 && field[k] == ':') {
        colon = k;
        break;
      }
    }
    std::string_view name = field.substr(0, std::min(bang, colon));
    char conv = 0;
    if (bang != std::string_view::npos) {
      size_t end = colon == std::string_view::npos ? field.size() : colon;
      if (end != bang + 2) ValueError(vm, "expected ':' after conversion specifier");
      conv = field[bang + 1];
      if (conv != 'r' && conv != 's' && conv != 'a') {
        ValueError(vm, std::string("Unknown conversion specifier ") + conv);
      }
    }
    // The first part: an index, a keyword or empty (automatic numbering).
    size_t first_end = name.find_first_of(".[");
    std::string_view first = name.substr(0, first_end);
    Value v;
    if (first.empty()) {
      if (mode == 2) {
        ValueError(vm, "cannot switch from manual field specification to automatic field numbering");
      }
      mode = 1;
      if (auto_index >= nargs) {
        Raise(vm, T().IndexError, "Replacement index " + std::to_string(auto_index) +
                                      " out of range for positional args tuple");
      }
      v = args[auto_index++];
    } else if (std::all_of(first.begin(), first.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      if (mode == 1) {
        ValueError(vm, "cannot switch from automatic field numbering to manual field specification");
      }
      mode = 2;
      int64_t idx = std::stoll(std::string(first));
      if (idx >= nargs) {
        Raise(vm, T().IndexError, "Replacement index " + std::to_string(idx) +
                                      " out of range for positional args tuple");
      }
      v = args[idx];
    } else {
      v = lookup_kw(first);
    }
    // .attr and [key] accessors.
    size_t k = first_end;
    while (k != std::string_view::npos && k < name.size()) {
      if (name[k] == '.') {
        size_t e = name.find_first_of(".[", k + 1);
        std::string_view attr = name.substr(k + 1, e == std::string_view::npos ? std::string_view::npos : e - k - 1);
        if (attr.empty()) ValueError(vm, "Empty attribute in format string");
        v = GetAttr(vm, v, Intern(attr));
        k = e;
      } else if (name[k] == '[') {
        size_t e = name.find(']', k);
        if (e == std::string_view::npos) ValueError(vm, "Missing ']' in format string");
        std::string_view key = name.substr(k + 1, e - k - 1);
        if (key.empty()) ValueError(vm, "Empty attribute in format string");
        bool digits = std::all_of(key.begin(), key.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        v = GetItem(vm, v, digits ? Value::Int(std::stoll(std::string(key))) : Str(vm, key));
        k = e + 1;
        if (k < name.size() && name[k] != '.' && name[k] != '[') {
          ValueError(vm, "Only '.' or '[' may follow ']' in format field specifier");
        }
      } else {
        break;
      }
    }
    // The spec's own fields are numbered after this field's value (CPython).
    std::string spec;
    if (colon != std::string_view::npos) {
      std::string_view raw = field.substr(colon + 1);
      spec = raw.find('{') == std::string_view::npos
                 ? std::string(raw)
                 : FormatWith(vm, raw, args, nargs, kwnames, st, depth + 1);
    }
    if (conv == 'r') v = ReprValue(vm, v);
    else if (conv == 's') v = StrValue(vm, v);
    else if (conv == 'a') v = AsciiValue(vm, v);
    out += FormatValue(vm, v, spec);
    CheckRoom(vm, static_cast<int64_t>(out.size()));  // a field may repeat one large argument
  }
  return out;
}

}  // namespace

std::string StrFormat(VM& vm, std::string_view f, Value* args, int nargs, TupleObj* kwnames) {
  FormatState st;
  return FormatWith(vm, f, args, nargs, kwnames, st, 0);
}

void RegisterStrMethods(ClassObj* str) {
  DictObj* m = str->dict;
  AddNative(m, "find", MFind);
  AddNative(m, "rfind", MRfind);
  AddNative(m, "index", MIndex);
  AddNative(m, "rindex", MRindex);
  AddNative(m, "count", MCount);
  AddNative(m, "startswith", MStartswith);
  AddNative(m, "endswith", MEndswith);
  AddNative(m, "strip", MStrip);
  AddNative(m, "lstrip", MLstrip);
  AddNative(m, "rstrip", MRstrip);
  AddNative(m, "split", MSplit);
  AddNative(m, "rsplit", MRsplit);
  AddNative(m, "join", MJoin);
  AddNative(m, "replace", MReplace);
  AddNative(m, "upper", MUpper);
  AddNative(m, "lower", MLower);
  AddNative(m, "swapcase", MSwapcase);
  AddNative(m, "casefold", MCasefold);
  AddNative(m, "title", MTitle);
  AddNative(m, "capitalize", MCapitalize);
  AddNative(m, "isdigit", MIsdigit);
  AddNative(m, "isdecimal", MIsdecimal);
  AddNative(m, "isnumeric", MIsnumeric);
  AddNative(m, "isalpha", MIsalpha);
  AddNative(m, "isalnum", MIsalnum);
  AddNative(m, "isspace", MIsspace);
  AddNative(m, "isprintable", MIsprintable);
  AddNative(m, "isascii", MIsascii);
  AddNative(m, "isupper", MIsupper);
  AddNative(m, "islower", MIslower);
  AddNative(m, "istitle", MIstitle);
  AddNative(m, "isidentifier", MIsidentifier);
  AddNative(m, "ljust", MLjust);
  AddNative(m, "rjust", MRjust);
  AddNative(m, "center", MCenter);
  AddNative(m, "zfill", MZfill);
  AddNative(m, "partition", MPartition);
  AddNative(m, "rpartition", MRpartition);
  AddNative(m, "splitlines", MSplitlines);
  AddNative(m, "expandtabs", MExpandtabs);
  AddNative(m, "removeprefix", MRemoveprefix);
  AddNative(m, "removesuffix", MRemovesuffix);
  AddNative(m, "format", MFormat);
  AddNative(m, "format_map", MFormatMap);
  AddStaticMethod(m, "maketrans", MMaketrans);
  AddNative(m, "translate", MTranslate);
  AddNative(m, "encode", MEncode);
  AddNative(m, "__getitem__", MGetitem);
  AddNative(m, "__len__", MLen);
  AddNative(m, "__contains__", MContains);
  AddNative(m, "__iter__", MIter);
  str->ctor = StrCtor;
}

}  // namespace edgeflow::script
