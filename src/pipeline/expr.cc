// Expr: compiles the Python-3 expression subset of expr.h into a tree of
// evaluator nodes. Field names, props members and literal tuples are resolved
// at compile time; evaluation works on borrowed views (Val) of the event's and
// the tree's strings, so that comparisons and membership tests allocate
// nothing. Strings an expression computes (+, str(), lower(), ...) live in a
// per-evaluation arena.
//
// Deliberate differences from CPython, all of them errors or documented
// limits rather than different answers for ordinary input:
//   ints are 64-bit: a result out of range raises OverflowError;
//   a negative float to a fractional power raises ValueError (CPython: complex);
//   lower()/upper() map ASCII, Latin-1, basic Cyrillic and fullwidth Latin
//   letters and leave other characters (e.g. Greek) unchanged;
//   nested props (kJson) support ==, !=, in, len(), bool(), str() (JSON text),
//   min() and max() only;
//   strings an expression builds are capped (1 MiB each, 16 MiB per Eval).
#include "pipeline/expr.h"
#include "pipeline/utf8.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <forward_list>
#include <limits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace edgeflow::pipeline {
namespace {

using Kind = Value::Kind;

constexpr size_t kMaxSourceBytes = 64 * 1024;
constexpr int kMaxNesting = 100;               // parentheses, calls, unary operators
constexpr int kMaxTreeDepth = 256;             // bounds the evaluator's recursion
constexpr size_t kMaxStringBytes = 1 << 20;    // one computed string
constexpr size_t kMaxEvalTextBytes = 16 << 20;  // all computed strings of one Eval

constexpr const char* kFieldList = "type, kind, pageId, clickId, itemId, ts, props";

// ---------------------------------------------------------------------------
// Values during evaluation

// A value whose string (kStr, kJson) is borrowed from the event, the view, the
// compiled tree or the evaluation arena.
struct Val {
  Kind kind = Kind::kNone;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string_view s;
};

Val NoneVal() { return Val(); }
Val BoolVal(bool v) { Val x; x.kind = Kind::kBool; x.b = v; return x; }
Val IntVal(int64_t v) { Val x; x.kind = Kind::kInt; x.i = v; return x; }
Val FloatVal(double v) { Val x; x.kind = Kind::kFloat; x.f = v; return x; }
Val StrVal(std::string_view v) { Val x; x.kind = Kind::kStr; x.s = v; return x; }

Val FromValue(const Value& v) {
  Val x;
  x.kind = v.kind;
  x.b = v.b;
  x.i = v.i;
  x.f = v.f;
  if (v.kind == Kind::kStr || v.kind == Kind::kJson) x.s = v.s;
  return x;
}

Value ToValue(const Val& v) {
  switch (v.kind) {
    case Kind::kNone: return Value::None();
    case Kind::kBool: return Value::Bool(v.b);
    case Kind::kInt: return Value::Int(v.i);
    case Kind::kFloat: return Value::Float(v.f);
    case Kind::kStr: return Value::Str(v.s);
    case Kind::kJson: return Value::Json(v.s);
  }
  return Value::None();
}

bool IsIntLike(const Val& v) { return v.kind == Kind::kBool || v.kind == Kind::kInt; }
bool IsNum(const Val& v) { return IsIntLike(v) || v.kind == Kind::kFloat; }
int64_t IntOf(const Val& v) { return v.kind == Kind::kBool ? (v.b ? 1 : 0) : v.i; }
double FloatOf(const Val& v) { return v.kind == Kind::kFloat ? v.f : static_cast<double>(IntOf(v)); }

const char* TypeName(const Val& v) {
  switch (v.kind) {
    case Kind::kNone: return "NoneType";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kStr: return "str";
    case Kind::kJson: return !v.s.empty() && v.s[0] == '[' ? "list" : "dict";
  }
  return "object";
}

bool Truth(const Val& v) {
  switch (v.kind) {
    case Kind::kNone: return false;
    case Kind::kBool: return v.b;
    case Kind::kInt: return v.i != 0;
    case Kind::kFloat: return v.f != 0;
    case Kind::kStr: return !v.s.empty();
    case Kind::kJson: return !v.s.empty() && v.s != "[]" && v.s != "{}";
  }
  return false;
}

// Python's repr() of a str, for error messages.
std::string Repr(std::string_view s) {
  bool single = s.find('\'') != std::string_view::npos;
  bool dbl = s.find('"') != std::string_view::npos;
  char q = single && !dbl ? '"' : '\'';
  std::string out(1, q);
  for (char ch : s) {
    unsigned char u = static_cast<unsigned char>(ch);
    if (ch == q || ch == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back(q);
  return out;
}

std::string IntText(int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// ---------------------------------------------------------------------------
// One evaluation

struct Ctx {
  explicit Ctx(const EventView& e) : ev(e) {}
  const EventView& ev;
  std::forward_list<std::string> arena;  // computed strings; nodes never move
  size_t arena_bytes = 0;
  std::string error;  // "TypeError: ..." once a node returned false
};

bool Fail(Ctx& c, std::string message) {
  c.error = std::move(message);
  return false;
}

bool CheckRoom(Ctx& c, size_t bytes) {
  if (bytes > kMaxStringBytes || c.arena_bytes + bytes > kMaxEvalTextBytes) {
    return Fail(c, "MemoryError: string result too long (expressions build strings of at most 1 MiB, "
                   "16 MiB per evaluation)");
  }
  return true;
}

// Moves `s` into the arena; `out` views it.
bool Keep(Ctx& c, std::string s, Kind kind, Val& out) {
  if (!CheckRoom(c, s.size())) return false;
  c.arena_bytes += s.size();
  c.arena.push_front(std::move(s));
  out = Val();
  out.kind = kind;
  out.s = c.arena.front();
  return true;
}

// ---------------------------------------------------------------------------
// Numbers

// Compares an int with a float exactly, as Python does: -1, 0, 1, or 2 when
// the float is NaN.
int CompareIntFloat(int64_t i, double f) {
  if (std::isnan(f)) return 2;
  if (f >= 9223372036854775808.0) return -1;
  if (f < -9223372036854775808.0) return 1;
  double t = std::trunc(f);
  int64_t ti = static_cast<int64_t>(t);
  if (i != ti) return i < ti ? -1 : 1;
  double frac = f - t;  // exact
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

int CompareNumbers(const Val& a, const Val& b) {
  if (IsIntLike(a) && IsIntLike(b)) {
    int64_t x = IntOf(a), y = IntOf(b);
    return (x > y) - (x < y);
  }
  if (a.kind == Kind::kFloat && b.kind == Kind::kFloat) {
    if (std::isnan(a.f) || std::isnan(b.f)) return 2;
    return (a.f > b.f) - (a.f < b.f);
  }
  if (a.kind == Kind::kFloat) {
    int r = CompareIntFloat(IntOf(b), a.f);
    return r == 2 ? 2 : -r;
  }
  return CompareIntFloat(IntOf(a), b.f);
}

bool Equal(const Val& a, const Val& b) {
  if (IsNum(a) && IsNum(b)) return CompareNumbers(a, b) == 0;
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::kNone) return true;
  return a.s == b.s;
}

enum class BinOp : uint8_t { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
constexpr const char* kBinOpText[] = {"+", "-", "*", "/", "//", "%", "**"};

bool Overflow(Ctx& c) { return Fail(c, "OverflowError: integer result out of range (ints are 64-bit)"); }

bool IsOddInteger(double w) { return std::fmod(std::fabs(w), 2.0) == 1.0; }

// float.__pow__ of CPython (floatobject.c float_pow), case by case.
bool FloatPow(double v, double w, Ctx& c, Val& out) {
  double r;
  if (w == 0) {
    r = 1.0;
  } else if (std::isnan(v)) {
    r = v;
  } else if (std::isnan(w)) {
    r = v == 1.0 ? 1.0 : w;
  } else if (std::isinf(w)) {
    double av = std::fabs(v);
    r = av == 1.0 ? 1.0 : ((w > 0) == (av > 1.0)) ? HUGE_VAL : 0.0;
  } else if (std::isinf(v)) {
    bool odd = IsOddInteger(w);
    r = w > 0 ? (odd ? v : std::fabs(v)) : (odd ? std::copysign(0.0, v) : 0.0);
  } else if (v == 0.0) {
    if (w < 0) return Fail(c, "ZeroDivisionError: 0.0 cannot be raised to a negative power");
    r = IsOddInteger(w) ? v : 0.0;
  } else {
    bool negate = false;
    if (v < 0) {
      if (w != std::floor(w)) {
        return Fail(c, "ValueError: negative number raised to a fractional power (complex results are not supported)");
      }
      v = -v;
      negate = IsOddInteger(w);
    }
    if (v == 1.0) {
      r = negate ? -1.0 : 1.0;
    } else {
      r = std::pow(v, w);
      if (std::isinf(r)) return Fail(c, "OverflowError: (34, 'Numerical result out of range')");
      if (negate) r = -r;
    }
  }
  out = FloatVal(r);
  return true;
}

int BitLength(unsigned __int128 x) {
  uint64_t hi = static_cast<uint64_t>(x >> 64), lo = static_cast<uint64_t>(x);
  return hi ? 128 - __builtin_clzll(hi) : lo ? 64 - __builtin_clzll(lo) : 0;
}

// int / int correctly rounded, as CPython's long_true_divide: exact doubles
// while both fit in the mantissa, else a 128-bit quotient rounded half to even.
double IntTrueDivide(int64_t a, int64_t b) {
  constexpr int64_t k = int64_t{1} << 53;
  if (a >= -k && a <= k && b >= -k && b <= k) return static_cast<double>(a) / static_cast<double>(b);
  bool neg = (a < 0) != (b < 0);
  auto magnitude = [](int64_t v) {
    return v < 0 ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  };
  unsigned __int128 ua = magnitude(a), ub = magnitude(b);
  if (ua == 0) return neg ? -0.0 : 0.0;
  int s = 127 - BitLength(ua);  // the quotient then has at least 64 bits
  unsigned __int128 num = ua << s;
  unsigned __int128 q = num / ub;
  bool sticky = num % ub != 0;
  int shift = BitLength(q) - 54;  // keep 53 bits and a guard bit
  sticky = sticky || (q & ((static_cast<unsigned __int128>(1) << shift) - 1)) != 0;
  uint64_t m = static_cast<uint64_t>(q >> shift);
  bool guard = m & 1;
  m >>= 1;
  if (guard && (sticky || (m & 1))) ++m;
  double d = std::ldexp(static_cast<double>(m), shift + 1 - s);
  return neg ? -d : d;
}

bool IntArith(BinOp op, int64_t a, int64_t b, Ctx& c, Val& out) {
  int64_t r = 0;
  switch (op) {
    case BinOp::kAdd:
      if (__builtin_add_overflow(a, b, &r)) return Overflow(c);
      break;
    case BinOp::kSub:
      if (__builtin_sub_overflow(a, b, &r)) return Overflow(c);
      break;
    case BinOp::kMul:
      if (__builtin_mul_overflow(a, b, &r)) return Overflow(c);
      break;
    case BinOp::kDiv:
      if (b == 0) return Fail(c, "ZeroDivisionError: division by zero");
      out = FloatVal(IntTrueDivide(a, b));
      return true;
    case BinOp::kFloorDiv:
      if (b == 0) return Fail(c, "ZeroDivisionError: integer division or modulo by zero");
      if (b == -1) {
        if (a == INT64_MIN) return Overflow(c);
        r = -a;
        break;
      }
      r = a / b;
      if (a % b != 0 && ((a % b < 0) != (b < 0))) --r;
      break;
    case BinOp::kMod:
      if (b == 0) return Fail(c, "ZeroDivisionError: integer modulo by zero");
      if (b == -1) {
        r = 0;
        break;
      }
      r = a % b;
      if (r != 0 && ((r < 0) != (b < 0))) r += b;
      break;
    case BinOp::kPow: {
      if (b < 0) {
        if (a == 0) return Fail(c, "ZeroDivisionError: 0.0 cannot be raised to a negative power");
        return FloatPow(static_cast<double>(a), static_cast<double>(b), c, out);
      }
      int64_t result = 1, base = a;
      while (b) {
        if ((b & 1) && __builtin_mul_overflow(result, base, &result)) return Overflow(c);
        b >>= 1;
        if (b && __builtin_mul_overflow(base, base, &base)) return Overflow(c);
      }
      r = result;
      break;
    }
  }
  out = IntVal(r);
  return true;
}

bool FloatArith(BinOp op, double a, double b, Ctx& c, Val& out) {
  double r = 0;
  switch (op) {
    case BinOp::kAdd: r = a + b; break;
    case BinOp::kSub: r = a - b; break;
    case BinOp::kMul: r = a * b; break;
    case BinOp::kDiv:
      if (b == 0) return Fail(c, "ZeroDivisionError: float division by zero");
      r = a / b;
      break;
    case BinOp::kFloorDiv:
    case BinOp::kMod: {
      if (b == 0) {
        return Fail(c, op == BinOp::kMod ? "ZeroDivisionError: float modulo"
                                         : "ZeroDivisionError: float floor division by zero");
      }
      // CPython's _float_div_mod.
      double mod = std::fmod(a, b);
      double div = (a - mod) / b;
      if (mod != 0) {
        if ((b < 0) != (mod < 0)) {
          mod += b;
          div -= 1.0;
        }
      } else {
        mod = std::copysign(0.0, b);
      }
      double floordiv;
      if (div != 0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
      } else {
        floordiv = std::copysign(0.0, a / b);
      }
      r = op == BinOp::kMod ? mod : floordiv;
      break;
    }
    case BinOp::kPow:
      return FloatPow(a, b, c, out);
  }
  out = FloatVal(r);
  return true;
}

bool Arith(BinOp op, const Val& a, const Val& b, Ctx& c, Val& out) {
  if (IsIntLike(a) && IsIntLike(b)) return IntArith(op, IntOf(a), IntOf(b), c, out);
  if (IsNum(a) && IsNum(b)) return FloatArith(op, FloatOf(a), FloatOf(b), c, out);
  if (op == BinOp::kAdd && a.kind == Kind::kStr && b.kind == Kind::kStr) {
    if (a.s.empty()) return out = b, true;
    if (b.s.empty()) return out = a, true;
    if (!CheckRoom(c, a.s.size() + b.s.size())) return false;
    std::string s;
    s.reserve(a.s.size() + b.s.size());
    s.append(a.s).append(b.s);
    return Keep(c, std::move(s), Kind::kStr, out);
  }
  if (op == BinOp::kMul && ((a.kind == Kind::kStr && IsIntLike(b)) || (IsIntLike(a) && b.kind == Kind::kStr))) {
    std::string_view s = a.kind == Kind::kStr ? a.s : b.s;
    int64_t n = a.kind == Kind::kStr ? IntOf(b) : IntOf(a);
    if (n <= 0 || s.empty()) return out = StrVal(""), true;
    if (n == 1) return out = StrVal(s), true;
    if (static_cast<uint64_t>(n) > kMaxStringBytes) return CheckRoom(c, kMaxStringBytes + 1);
    if (!CheckRoom(c, s.size() * static_cast<size_t>(n))) return false;
    std::string r;
    r.reserve(s.size() * n);
    for (int64_t k = 0; k < n; ++k) r.append(s);
    return Keep(c, std::move(r), Kind::kStr, out);
  }
  if (op == BinOp::kAdd && a.kind == Kind::kStr) {
    return Fail(c, std::string("TypeError: can only concatenate str (not \"") + TypeName(b) + "\") to str");
  }
  if (op == BinOp::kMul && (a.kind == Kind::kStr || b.kind == Kind::kStr)) {
    const Val& other = a.kind == Kind::kStr ? b : a;
    return Fail(c, std::string("TypeError: can't multiply sequence by non-int of type '") + TypeName(other) + "'");
  }
  if (op == BinOp::kMod && a.kind == Kind::kStr) {
    return Fail(c, "TypeError: %-formatting of strings is not supported in expressions");
  }
  return Fail(c, std::string("TypeError: unsupported operand type(s) for ") + kBinOpText[static_cast<int>(op)] +
                     (op == BinOp::kPow ? " or pow()" : "") + ": '" + TypeName(a) + "' and '" + TypeName(b) + "'");
}

// ---------------------------------------------------------------------------
// Text

// Decodes the code point at s[*k] and advances; a byte that does not start
// valid UTF-8 is returned as itself.
uint32_t NextCodePoint(std::string_view s, size_t* k) {
  unsigned char c0 = static_cast<unsigned char>(s[*k]);
  int len = c0 < 0x80 ? 1 : (c0 >> 5) == 6 ? 2 : (c0 >> 4) == 14 ? 3 : (c0 >> 3) == 30 ? 4 : 0;
  if (len == 0 || *k + len > s.size()) {
    ++*k;
    return c0;
  }
  uint32_t cp = len == 1 ? c0 : len == 2 ? (c0 & 0x1F) : len == 3 ? (c0 & 0x0F) : (c0 & 0x07);
  for (int j = 1; j < len; ++j) {
    unsigned char cj = static_cast<unsigned char>(s[*k + j]);
    if ((cj & 0xC0) != 0x80) {
      ++*k;
      return c0;
    }
    cp = (cp << 6) | (cj & 0x3F);
  }
  *k += len;
  return cp;
}

// Start of the code point that ends at `end` (> 0).
size_t PrevCodePointStart(std::string_view s, size_t end) {
  size_t k = end - 1;
  size_t limit = end >= 4 ? end - 4 : 0;
  while (k > limit && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
  size_t probe = k;
  NextCodePoint(s, &probe);
  return probe == end ? k : end - 1;
}


size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return n;
}

// str.isspace() of CPython.
bool IsPySpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

template <typename Pred>
std::string_view StripIf(std::string_view s, Pred strip) {
  size_t b = 0;
  while (b < s.size()) {
    size_t k = b;
    if (!strip(NextCodePoint(s, &k))) break;
    b = k;
  }
  size_t e = s.size();
  while (e > b) {
    size_t k = PrevCodePointStart(s, e);
    size_t probe = k;
    if (k < b || !strip(NextCodePoint(s, &probe))) break;
    e = k;
  }
  return s.substr(b, e - b);
}

std::string_view StripSpace(std::string_view s) { return StripIf(s, IsPySpace); }

// Case mapping for ASCII, Latin-1, Cyrillic U+0400..U+045F and fullwidth Latin.
void AppendLower(uint32_t cp, std::string* out) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x410 && cp <= 0x42F) ||
      (cp >= 0xFF21 && cp <= 0xFF3A)) {
    cp += 0x20;
  } else if (cp >= 0x400 && cp <= 0x40F) {
    cp += 0x50;
  } else if (cp == 0x178) {
    cp = 0xFF;
  }
  AppendUtf8(cp, out);
}

void AppendUpper(uint32_t cp, std::string* out) {
  if ((cp >= 'a' && cp <= 'z') || (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) || (cp >= 0x430 && cp <= 0x44F) ||
      (cp >= 0xFF41 && cp <= 0xFF5A)) {
    cp -= 0x20;
  } else if (cp >= 0x450 && cp <= 0x45F) {
    cp -= 0x50;
  } else if (cp == 0xDF) {
    out->append("SS");
    return;
  } else if (cp == 0xFF) {
    cp = 0x178;
  } else if (cp == 0xB5) {
    cp = 0x39C;
  }
  AppendUtf8(cp, out);
}

bool ChangeCase(std::string_view s, bool upper, Ctx& c, Val& out) {
  bool change = false;
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) >= 0x80 || (upper ? (ch >= 'a' && ch <= 'z') : (ch >= 'A' && ch <= 'Z'))) {
      change = true;
      break;
    }
  }
  if (!change) return out = StrVal(s), true;
  std::string r;
  r.reserve(s.size());
  for (size_t k = 0; k < s.size();) {
    uint32_t cp = NextCodePoint(s, &k);
    if (upper) {
      AppendUpper(cp, &r);
    } else {
      AppendLower(cp, &r);
    }
  }
  return Keep(c, std::move(r), Kind::kStr, out);
}

// Digits with single underscores between them, as Python's int() and float()
// accept; appends the digits without underscores.
bool ScanDigits(std::string_view s, size_t* k, std::string* digits) {
  if (*k >= s.size() || s[*k] < '0' || s[*k] > '9') return false;
  while (*k < s.size()) {
    char ch = s[*k];
    if (ch >= '0' && ch <= '9') {
      digits->push_back(ch);
      ++*k;
    } else if (ch == '_' && *k + 1 < s.size() && s[*k + 1] >= '0' && s[*k + 1] <= '9') {
      ++*k;
    } else {
      break;
    }
  }
  return true;
}

// int(str) with base 10.
bool ParseIntText(std::string_view text, Ctx& c, Val& out) {
  std::string_view s = StripSpace(text);
  size_t k = 0;
  bool neg = false;
  if (k < s.size() && (s[k] == '+' || s[k] == '-')) neg = s[k++] == '-';
  std::string digits;
  if (!ScanDigits(s, &k, &digits) || k != s.size()) {
    return Fail(c, "ValueError: invalid literal for int() with base 10: " + Repr(text));
  }
  uint64_t mag = 0;
  for (char ch : digits) {
    unsigned d = ch - '0';
    if (mag > (UINT64_MAX - d) / 10) return Overflow(c);
    mag = mag * 10 + d;
  }
  if (!neg && mag > static_cast<uint64_t>(INT64_MAX)) return Overflow(c);
  if (neg && mag > static_cast<uint64_t>(INT64_MAX) + 1) return Overflow(c);
  out = IntVal(neg ? static_cast<int64_t>(0 - mag) : static_cast<int64_t>(mag));
  return true;
}

double ParseDecimal(const std::string& text) {
  double v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec == std::errc::result_out_of_range) v = std::strtod(text.c_str(), nullptr);  // +-inf or tiny
  return v;
}

// float(str): decimal literals with underscores, inf/infinity/nan in any case.
bool ParseFloatText(std::string_view text, Ctx& c, Val& out) {
  std::string_view s = StripSpace(text);
  size_t k = 0;
  bool neg = false;
  if (k < s.size() && (s[k] == '+' || s[k] == '-')) neg = s[k++] == '-';
  std::string rest;
  for (char ch : s.substr(k)) rest.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch));
  if (rest == "inf" || rest == "infinity") return out = FloatVal(neg ? -HUGE_VAL : HUGE_VAL), true;
  if (rest == "nan") return out = FloatVal(std::nan("")), true;
  std::string digits = neg ? "-" : "";
  bool mantissa = ScanDigits(s, &k, &digits);
  if (k < s.size() && s[k] == '.') {
    digits.push_back('.');
    ++k;
    mantissa |= ScanDigits(s, &k, &digits);
  }
  bool ok = mantissa;
  if (ok && k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
    digits.push_back('e');
    ++k;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) digits.push_back(s[k++]);
    ok = ScanDigits(s, &k, &digits);
  }
  if (!ok || k != s.size()) return Fail(c, "ValueError: could not convert string to float: " + Repr(text));
  out = FloatVal(ParseDecimal(digits));
  return true;
}

// The elements of a nested list, or the keys of a nested object, as Python
// iterates them.
bool JsonElements(const Val& v, Ctx& c, std::vector<Val>* out, bool* is_dict) {
  auto j = nlohmann::ordered_json::parse(v.s, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Fail(c, "ValueError: malformed nested JSON value");
  *is_dict = j.is_object();
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      Val key;
      if (!Keep(c, it.key(), Kind::kStr, key)) return false;
      out->push_back(key);
    }
    return true;
  }
  for (const auto& e : j) {
    Val x;
    if (e.is_null()) {
      x = NoneVal();
    } else if (e.is_boolean()) {
      x = BoolVal(e.get<bool>());
    } else if (e.is_number_unsigned()) {
      uint64_t u = e.get<uint64_t>();
      x = u <= static_cast<uint64_t>(INT64_MAX) ? IntVal(static_cast<int64_t>(u)) : FloatVal(static_cast<double>(u));
    } else if (e.is_number_integer()) {
      x = IntVal(e.get<int64_t>());
    } else if (e.is_number_float()) {
      x = FloatVal(e.get<double>());
    } else if (e.is_string()) {
      if (!Keep(c, e.get<std::string>(), Kind::kStr, x)) return false;
    } else {
      if (!Keep(c, e.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace), Kind::kJson, x)) {
        return false;
      }
    }
    out->push_back(x);
  }
  return true;
}

// ---------------------------------------------------------------------------
// Comparisons

enum class CmpOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kIs, kIsNot };
constexpr const char* kCmpOpText[] = {"==", "!=", "<", "<=", ">", ">=", "in", "not in", "is", "is not"};

// `needle in hay` for a scalar `hay`.
bool Contains(const Val& hay, const Val& needle, Ctx& c, bool* r) {
  if (hay.kind == Kind::kStr) {
    if (needle.kind != Kind::kStr) {
      return Fail(c, std::string("TypeError: 'in <string>' requires string as left operand, not ") + TypeName(needle));
    }
    *r = needle.s.empty() ||
         (needle.s.size() <= hay.s.size() &&
          memmem(hay.s.data(), hay.s.size(), needle.s.data(), needle.s.size()) != nullptr);
    return true;
  }
  if (hay.kind == Kind::kJson) {
    std::vector<Val> items;
    bool is_dict = false;
    if (!JsonElements(hay, c, &items, &is_dict)) return false;
    if (is_dict && needle.kind == Kind::kJson) {
      return Fail(c, std::string("TypeError: unhashable type: '") + TypeName(needle) + "'");
    }
    *r = false;
    for (const Val& e : items) {
      if (Equal(e, needle)) {
        *r = true;
        break;
      }
    }
    return true;
  }
  return Fail(c, std::string("TypeError: argument of type '") + TypeName(hay) + "' is not iterable");
}

// Ints and floats whose comparison a double comparison decides exactly (ints
// up to 2^53 convert without rounding); sets *r and returns true, else false.
inline bool CompareFast(CmpOp op, const Val& a, const Val& b, bool* r) {
  constexpr int64_t kExact = int64_t{1} << 53;
  double x, y;
  if (a.kind == Kind::kFloat) {
    x = a.f;
  } else if (a.kind == Kind::kInt && a.i >= -kExact && a.i <= kExact) {
    x = static_cast<double>(a.i);
  } else {
    return false;
  }
  if (b.kind == Kind::kFloat) {
    y = b.f;
  } else if (b.kind == Kind::kInt && b.i >= -kExact && b.i <= kExact) {
    y = static_cast<double>(b.i);
  } else {
    return false;
  }
  switch (op) {
    case CmpOp::kEq: *r = x == y; return true;
    case CmpOp::kNe: *r = x != y; return true;
    case CmpOp::kLt: *r = x < y; return true;
    case CmpOp::kLe: *r = x <= y; return true;
    case CmpOp::kGt: *r = x > y; return true;
    case CmpOp::kGe: *r = x >= y; return true;
    default: return false;
  }
}

bool Compare(CmpOp op, const Val& a, const Val& b, Ctx& c, bool* r) {
  switch (op) {
    case CmpOp::kEq: *r = Equal(a, b); return true;
    case CmpOp::kNe: *r = !Equal(a, b); return true;
    case CmpOp::kIn: return Contains(b, a, c, r);
    case CmpOp::kNotIn:
      if (!Contains(b, a, c, r)) return false;
      *r = !*r;
      return true;
    case CmpOp::kIs:
    case CmpOp::kIsNot: {
      // The compiler only allows `is` against None, True or False, whose
      // identity is their value.
      bool same = a.kind == b.kind && (a.kind == Kind::kNone || (a.kind == Kind::kBool && a.b == b.b));
      *r = (op == CmpOp::kIs) == same;
      return true;
    }
    default:
      break;
  }
  int cmp;
  if (IsNum(a) && IsNum(b)) {
    cmp = CompareNumbers(a, b);
    if (cmp == 2) return *r = false, true;
  } else if (a.kind == Kind::kStr && b.kind == Kind::kStr) {
    int k = a.s.compare(b.s);  // bytewise == code point order for UTF-8
    cmp = (k > 0) - (k < 0);
  } else {
    return Fail(c, std::string("TypeError: '") + kCmpOpText[static_cast<int>(op)] +
                       "' not supported between instances of '" + TypeName(a) + "' and '" + TypeName(b) + "'");
  }
  switch (op) {
    case CmpOp::kLt: *r = cmp < 0; break;
    case CmpOp::kLe: *r = cmp <= 0; break;
    case CmpOp::kGt: *r = cmp > 0; break;
    default: *r = cmp >= 0; break;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Builtins

enum class Builtin : uint8_t { kLen, kStr, kInt, kFloat, kAbs, kMin, kMax, kRound, kBool };

struct BuiltinInfo {
  const char* name;
  Builtin id;
  int min_args, max_args;  // max -1: any
};
constexpr BuiltinInfo kBuiltins[] = {
    {"len", Builtin::kLen, 1, 1},     {"str", Builtin::kStr, 0, 1},     {"int", Builtin::kInt, 0, 1},
    {"float", Builtin::kFloat, 0, 1}, {"abs", Builtin::kAbs, 1, 1},     {"min", Builtin::kMin, 1, -1},
    {"max", Builtin::kMax, 1, -1},    {"round", Builtin::kRound, 1, 2}, {"bool", Builtin::kBool, 0, 1},
};

const BuiltinInfo* FindBuiltin(std::string_view name) {
  for (const auto& b : kBuiltins) {
    if (name == b.name) return &b;
  }
  return nullptr;
}

bool ToStr(const Val& v, Ctx& c, Val& out) {
  switch (v.kind) {
    case Kind::kStr:
    case Kind::kJson: out = StrVal(v.s); return true;
    case Kind::kNone: out = StrVal("None"); return true;
    case Kind::kBool: out = StrVal(v.b ? "True" : "False"); return true;
    case Kind::kInt: return Keep(c, IntText(v.i), Kind::kStr, out);
    case Kind::kFloat: return Keep(c, ToKeyString(Value::Float(v.f)), Kind::kStr, out);
  }
  return false;
}

bool ToInt(const Val& v, Ctx& c, Val& out) {
  if (IsIntLike(v)) return out = IntVal(IntOf(v)), true;
  if (v.kind == Kind::kFloat) {
    if (std::isnan(v.f)) return Fail(c, "ValueError: cannot convert float NaN to integer");
    if (std::isinf(v.f)) return Fail(c, "OverflowError: cannot convert float infinity to integer");
    double t = std::trunc(v.f);
    if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) return Overflow(c);
    return out = IntVal(static_cast<int64_t>(t)), true;
  }
  if (v.kind == Kind::kStr) return ParseIntText(v.s, c, out);
  return Fail(c, std::string("TypeError: int() argument must be a string, a bytes-like object or a real number, "
                             "not '") + TypeName(v) + "'");
}

bool ToFloat(const Val& v, Ctx& c, Val& out) {
  if (IsNum(v)) return out = FloatVal(FloatOf(v)), true;
  if (v.kind == Kind::kStr) return ParseFloatText(v.s, c, out);
  return Fail(c, std::string("TypeError: float() argument must be a string or a real number, not '") + TypeName(v) +
                     "'");
}

bool Len(const Val& v, Ctx& c, Val& out) {
  if (v.kind == Kind::kStr) return out = IntVal(static_cast<int64_t>(CodePointCount(v.s))), true;
  if (v.kind == Kind::kJson) {
    std::vector<Val> items;
    bool is_dict;
    if (!JsonElements(v, c, &items, &is_dict)) return false;
    return out = IntVal(static_cast<int64_t>(items.size())), true;
  }
  return Fail(c, std::string("TypeError: object of type '") + TypeName(v) + "' has no len()");
}

bool Abs(const Val& v, Ctx& c, Val& out) {
  if (IsIntLike(v)) {
    int64_t x = IntOf(v);
    if (x == INT64_MIN) return Overflow(c);
    return out = IntVal(x < 0 ? -x : x), true;
  }
  if (v.kind == Kind::kFloat) return out = FloatVal(std::fabs(v.f)), true;
  return Fail(c, std::string("TypeError: bad operand type for abs(): '") + TypeName(v) + "'");
}

// round(x) of a float: half to even, to an int.
bool RoundToInt(double x, Ctx& c, Val& out) {
  if (std::isnan(x)) return Fail(c, "ValueError: cannot convert float NaN to integer");
  if (std::isinf(x)) return Fail(c, "OverflowError: cannot convert float infinity to integer");
  double r = std::round(x);
  if (std::fabs(x - r) == 0.5) r = 2.0 * std::round(x / 2.0);
  if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0)) return Overflow(c);
  out = IntVal(static_cast<int64_t>(r));
  return true;
}

// round(x, ndigits) of a float: like CPython's double_round, the correctly
// rounded (half to even on the exact binary value) decimal, read back.
bool RoundFloatDigits(double x, int64_t nd, Ctx& c, Val& out) {
  if (!std::isfinite(x) || nd > 323) return out = FloatVal(x), true;
  if (nd < -308) return out = FloatVal(0.0 * x), true;
  double r;
  if (nd >= 0) {
    char buf[720];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(nd), x);  // exact, ties to even
    r = std::strtod(buf, nullptr);
  } else {
    size_t k = static_cast<size_t>(-nd);
    double ax = std::fabs(x), t = std::trunc(ax);
    bool frac = ax != t;
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", t);  // the exact integer digits
    std::string d = buf;
    if (d.size() < k + 1) d.insert(0, k + 1 - d.size(), '0');
    size_t keep = d.size() - k;
    int cmp = d[keep] > '5' ? 1 : d[keep] < '5' ? -1 : 0;
    if (cmp == 0) cmp = (frac || d.find_first_not_of('0', keep + 1) != std::string::npos) ? 1 : 0;
    std::string kept = d.substr(0, keep);
    if (cmp > 0 || (cmp == 0 && (kept.back() - '0') % 2 == 1)) {
      size_t p = kept.size();
      while (p > 0 && kept[p - 1] == '9') kept[--p] = '0';
      if (p == 0) {
        kept.insert(0, 1, '1');
      } else {
        ++kept[p - 1];
      }
    }
    kept.append(k, '0');
    r = std::copysign(std::strtod(kept.c_str(), nullptr), x);
  }
  if (std::isinf(r)) return Fail(c, "OverflowError: rounded value too large to represent");
  out = FloatVal(r);
  return true;
}

// round(int, ndigits < 0): half to even at 10^-ndigits.
bool RoundIntDigits(int64_t v, int64_t nd, Ctx& c, Val& out) {
  if (nd >= 0) return out = IntVal(v), true;
  if (nd < -19) return out = IntVal(0), true;  // |v| < 10^19 / 2
  __int128 p = 1;
  for (int64_t k = 0; k < -nd; ++k) p *= 10;
  __int128 x = v;
  __int128 q = x / p, rem = x % p;
  if (rem < 0) {
    rem += p;
    q -= 1;
  }
  if (2 * rem > p || (2 * rem == p && (q & 1))) q += 1;
  __int128 res = q * p;
  if (res > INT64_MAX || res < INT64_MIN) return Overflow(c);
  out = IntVal(static_cast<int64_t>(res));
  return true;
}

bool Round(const Val* args, size_t n, Ctx& c, Val& out) {
  const Val& x = args[0];
  bool has_digits = n == 2 && args[1].kind != Kind::kNone;
  int64_t nd = 0;
  if (has_digits) {
    if (!IsIntLike(args[1])) {
      return Fail(c, std::string("TypeError: '") + TypeName(args[1]) + "' object cannot be interpreted as an integer");
    }
    nd = IntOf(args[1]);
  }
  if (IsIntLike(x)) return has_digits ? RoundIntDigits(IntOf(x), nd, c, out) : (out = IntVal(IntOf(x)), true);
  if (x.kind == Kind::kFloat) return has_digits ? RoundFloatDigits(x.f, nd, c, out) : RoundToInt(x.f, c, out);
  return Fail(c, std::string("TypeError: type ") + TypeName(x) + " doesn't define __round__ method");
}

bool MinMax(bool is_max, const std::vector<Val>& items, Ctx& c, Val& out) {
  if (items.empty()) {
    return Fail(c, std::string("ValueError: ") + (is_max ? "max" : "min") + "() arg is an empty sequence");
  }
  Val best = items[0];
  for (size_t k = 1; k < items.size(); ++k) {
    bool better;
    if (!Compare(is_max ? CmpOp::kGt : CmpOp::kLt, items[k], best, c, &better)) return false;
    if (better) best = items[k];
  }
  out = best;
  return true;
}

// The items min(x)/max(x) iterate for a single argument.
bool IterItems(const Val& v, Ctx& c, std::vector<Val>* items) {
  if (v.kind == Kind::kStr) {
    for (size_t k = 0; k < v.s.size();) {
      size_t start = k;
      NextCodePoint(v.s, &k);
      items->push_back(StrVal(v.s.substr(start, k - start)));
    }
    return true;
  }
  if (v.kind == Kind::kJson) {
    bool is_dict;
    return JsonElements(v, c, items, &is_dict);
  }
  return Fail(c, std::string("TypeError: '") + TypeName(v) + "' object is not iterable");
}

enum class Method : uint8_t { kStartsWith, kEndsWith, kLower, kUpper, kStrip };

struct MethodInfo {
  const char* name;
  Method id;
  int min_args, max_args;
};
constexpr MethodInfo kMethods[] = {
    {"startswith", Method::kStartsWith, 1, 1}, {"endswith", Method::kEndsWith, 1, 1},
    {"lower", Method::kLower, 0, 0},           {"upper", Method::kUpper, 0, 0},
    {"strip", Method::kStrip, 0, 1},
};

const MethodInfo* FindMethod(std::string_view name) {
  for (const auto& m : kMethods) {
    if (name == m.name) return &m;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Nodes

class Node {
 public:
  explicit Node(size_t pos) : pos(pos) {}
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Sets `out`, or returns false with c.error set.
  virtual bool Eval(Ctx& c, Val& out) const = 0;
  // A literal's value; nullptr for anything computed.
  virtual const Val* Constant() const { return nullptr; }
  // Conditions every truthy result needs: a top-level string field equal to a
  // literal (`kind == 'pv'`, and the equalities of an `and`). Lets Test()
  // reject most events with a string compare before evaluating the tree.
  virtual void CollectGuards(std::vector<std::pair<const std::string Event::*, std::string_view>>*) const {}

  size_t pos;           // byte offset in the source, for compile errors
  int depth = 1;        // longest path to a leaf
  bool is_tuple = false;  // a tuple or list display (TupleNode)
};
using NodePtr = std::unique_ptr<Node>;

void AddDepth(Node* n, const Node* child) { n->depth = std::max(n->depth, child->depth + 1); }

class ConstNode final : public Node {
 public:
  ConstNode(size_t pos, Val v, std::string text = {}) : Node(pos), text_(std::move(text)), v_(v) {
    if (v_.kind == Kind::kStr) v_.s = text_;
  }
  bool Eval(Ctx&, Val& out) const override {
    out = v_;
    return true;
  }
  const Val* Constant() const override { return &v_; }

 private:
  std::string text_;
  Val v_;
};

// A top-level string field of the event; optional ones read "" as None.
class FieldNode final : public Node {
 public:
  FieldNode(size_t pos, const std::string Event::*member, bool optional)
      : Node(pos), member(member), optional(optional) {}
  bool Eval(Ctx& c, Val& out) const override {
    const std::string& s = c.ev.event().*member;
    out = optional && s.empty() ? NoneVal() : StrVal(s);
    return true;
  }
  const std::string Event::*member;
  bool optional;
};

class TsNode final : public Node {
 public:
  using Node::Node;
  bool Eval(Ctx& c, Val& out) const override {
    out = IntVal(c.ev.ts_ms());
    return true;
  }
};

// `field == 'literal'` / `!=` on a string field: the commonest filter.
class FieldEqualsNode final : public Node {
 public:
  FieldEqualsNode(size_t pos, const FieldNode& f, std::string_view want, bool negate)
      : Node(pos), member_(f.member), optional_(f.optional), want_(want), negate_(negate) {
    depth = 2;
  }
  bool Eval(Ctx& c, Val& out) const override {
    const std::string& s = c.ev.event().*member_;
    bool eq = !(optional_ && s.empty()) && s == want_;
    out = BoolVal(eq != negate_);
    return true;
  }
  void CollectGuards(std::vector<std::pair<const std::string Event::*, std::string_view>>* out) const override {
    if (!negate_) out->emplace_back(member_, want_);
  }

 private:
  const std::string Event::*member_;
  bool optional_;
  std::string want_;
  bool negate_;
};

// props.NAME (None when absent), props['NAME'] (KeyError) or
// props.get('NAME'[, default]).
class PropNode final : public Node {
 public:
  enum class Mode : uint8_t { kAttr, kItem, kGet };
  PropNode(size_t pos, std::string name, Mode mode, NodePtr fallback)
      : Node(pos), name_(std::move(name)), mode_(mode), fallback_(std::move(fallback)) {
    if (fallback_) {
      AddDepth(this, fallback_.get());
      fallback_const_ = fallback_->Constant();
    }
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val def;
    if (fallback_const_) {
      def = *fallback_const_;
    } else if (fallback_ && !fallback_->Eval(c, def)) {
      return false;  // Python evaluates the arguments before the lookup
    }
    const Value* v = c.ev.Prop(name_);
    if (v) {
      out = FromValue(*v);
      return true;
    }
    if (mode_ == Mode::kItem) return Fail(c, "KeyError: " + Repr(name_));
    out = def;
    return true;
  }

 private:
  std::string name_;
  Mode mode_;
  NodePtr fallback_;
  const Val* fallback_const_ = nullptr;  // fallback_'s value when it is a literal
};

// A tuple or list display; only in the places the compiler allows (after
// `in`, as the argument of min/max/startswith/endswith), which read its items.
class TupleNode final : public Node {
 public:
  TupleNode(size_t pos, std::vector<NodePtr> items) : Node(pos), items(std::move(items)) {
    is_tuple = true;
    for (const auto& n : this->items) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val&) const override { return Fail(c, "TypeError: a tuple is not a value here"); }
  std::vector<NodePtr> items;
};

bool EvalAll(const std::vector<NodePtr>& nodes, Ctx& c, std::vector<Val>* out) {
  out->reserve(out->size() + nodes.size());
  for (const auto& n : nodes) {
    Val v;
    if (!n->Eval(c, v)) return false;
    out->push_back(v);
  }
  return true;
}

// The right operand of `in` when it is a tuple or list display. Literal items
// are collected at compile time (strings sorted for a binary search when many).
class Members {
 public:
  explicit Members(std::vector<NodePtr> items) : items_(std::move(items)) {
    all_const_ = true;
    all_str_ = true;
    for (const auto& n : items_) {
      const Val* k = n->Constant();
      if (!k) {
        all_const_ = false;
        break;
      }
      consts_.push_back(*k);
      if (k->kind != Kind::kStr) all_str_ = false;
    }
    if (!all_const_) consts_.clear();
    if (all_const_ && all_str_) {
      for (const Val& v : consts_) strs_.push_back(v.s);
      if (strs_.size() > 8) std::sort(strs_.begin(), strs_.end());
    }
  }
  const std::vector<NodePtr>& items() const { return items_; }

  bool Contains(const Val& x, Ctx& c, bool* r) const {
    if (all_const_) {
      if (all_str_) {
        if (x.kind != Kind::kStr) return *r = false, true;
        if (strs_.size() > 8) return *r = std::binary_search(strs_.begin(), strs_.end(), x.s), true;
        for (std::string_view s : strs_) {
          if (s == x.s) return *r = true, true;
        }
        return *r = false, true;
      }
      return *r = AnyEqual(consts_, x), true;
    }
    std::vector<Val> vals;  // Python builds the whole tuple before testing
    if (!EvalAll(items_, c, &vals)) return false;
    *r = AnyEqual(vals, x);
    return true;
  }

 private:
  static bool AnyEqual(const std::vector<Val>& vals, const Val& x) {
    for (const Val& v : vals) {
      if (Equal(v, x)) return true;
    }
    return false;
  }

  std::vector<NodePtr> items_;
  bool all_const_ = false;
  bool all_str_ = false;
  std::vector<Val> consts_;
  std::vector<std::string_view> strs_;
};

// a OP b, the common case of a comparison; a literal right operand is read
// in place.
class Compare2Node final : public Node {
 public:
  Compare2Node(size_t pos, NodePtr left, CmpOp op, NodePtr right)
      : Node(pos), left_(std::move(left)), right_(std::move(right)), op_(op) {
    AddDepth(this, left_.get());
    AddDepth(this, right_.get());
    right_const_ = right_->Constant();
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val a, b;
    if (!left_->Eval(c, a)) return false;
    if (right_const_) {
      b = *right_const_;
    } else if (!right_->Eval(c, b)) {
      return false;
    }
    bool r;
    if (!CompareFast(op_, a, b, &r) && !Compare(op_, a, b, c, &r)) return false;
    out = BoolVal(r);
    return true;
  }

 private:
  NodePtr left_, right_;
  const Val* right_const_ = nullptr;
  CmpOp op_;
};

// x in (tuple or list display) / x not in (...).
class InNode final : public Node {
 public:
  InNode(size_t pos, NodePtr x, bool negate, std::unique_ptr<Members> members)
      : Node(pos), x_(std::move(x)), members_(std::move(members)), negate_(negate) {
    AddDepth(this, x_.get());
    for (const auto& n : members_->items()) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val x;
    bool r;
    if (!x_->Eval(c, x) || !members_->Contains(x, c, &r)) return false;
    out = BoolVal(r != negate_);
    return true;
  }

 private:
  NodePtr x_;
  std::unique_ptr<Members> members_;
  bool negate_;
};

// a OP1 b OP2 c ...: each operand evaluated once, stopping at the first false
// link; a tuple display may be the last operand when the last operator is in.
class CompareNode final : public Node {
 public:
  CompareNode(size_t pos, std::vector<NodePtr> operands, std::vector<CmpOp> ops, std::unique_ptr<Members> tail)
      : Node(pos), operands_(std::move(operands)), ops_(std::move(ops)), tail_(std::move(tail)) {
    for (const auto& n : operands_) AddDepth(this, n.get());
    if (tail_) {
      for (const auto& n : tail_->items()) AddDepth(this, n.get());
    }
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val left;
    if (!operands_[0]->Eval(c, left)) return false;
    for (size_t k = 0; k < ops_.size(); ++k) {
      bool r;
      Val right;
      if (k + 1 == ops_.size() && tail_) {
        if (!tail_->Contains(left, c, &r)) return false;
        if (ops_[k] == CmpOp::kNotIn) r = !r;
      } else {
        if (!operands_[k + 1]->Eval(c, right)) return false;
        if (!Compare(ops_[k], left, right, c, &r)) return false;
      }
      if (!r) return out = BoolVal(false), true;
      left = right;
    }
    out = BoolVal(true);
    return true;
  }

 private:
  std::vector<NodePtr> operands_;
  std::vector<CmpOp> ops_;
  std::unique_ptr<Members> tail_;
};

// a OP b OP c ... for one precedence level of + - or * / // %, left to right.
class ArithNode final : public Node {
 public:
  ArithNode(size_t pos, NodePtr first, std::vector<std::pair<BinOp, NodePtr>> rest)
      : Node(pos), first_(std::move(first)), rest_(std::move(rest)) {
    AddDepth(this, first_.get());
    for (const auto& [op, n] : rest_) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val acc;
    if (!first_->Eval(c, acc)) return false;
    for (const auto& [op, n] : rest_) {
      Val rhs, res;
      if (!n->Eval(c, rhs) || !Arith(op, acc, rhs, c, res)) return false;
      acc = res;
    }
    out = acc;
    return true;
  }

 private:
  NodePtr first_;
  std::vector<std::pair<BinOp, NodePtr>> rest_;
};

class PowNode final : public Node {
 public:
  PowNode(size_t pos, NodePtr base, NodePtr exp) : Node(pos), base_(std::move(base)), exp_(std::move(exp)) {
    AddDepth(this, base_.get());
    AddDepth(this, exp_.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val a, b;
    return base_->Eval(c, a) && exp_->Eval(c, b) && Arith(BinOp::kPow, a, b, c, out);
  }

 private:
  NodePtr base_, exp_;
};

class UnaryNode final : public Node {
 public:
  UnaryNode(size_t pos, bool negate, NodePtr x) : Node(pos), negate_(negate), x_(std::move(x)) {
    AddDepth(this, x_.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val v;
    if (!x_->Eval(c, v)) return false;
    if (IsIntLike(v)) {
      int64_t i = IntOf(v);
      if (negate_ && i == INT64_MIN) return Overflow(c);
      return out = IntVal(negate_ ? -i : i), true;
    }
    if (v.kind == Kind::kFloat) return out = FloatVal(negate_ ? -v.f : v.f), true;
    return Fail(c, std::string("TypeError: bad operand type for unary ") + (negate_ ? "-" : "+") + ": '" +
                       TypeName(v) + "'");
  }

 private:
  bool negate_;
  NodePtr x_;
};

class NotNode final : public Node {
 public:
  NotNode(size_t pos, NodePtr x) : Node(pos), x_(std::move(x)) { AddDepth(this, x_.get()); }
  bool Eval(Ctx& c, Val& out) const override {
    Val v;
    if (!x_->Eval(c, v)) return false;
    out = BoolVal(!Truth(v));
    return true;
  }

 private:
  NodePtr x_;
};

// `a and b and c` / `a or b or c`: the first operand that decides, as Python.
class BoolOpNode final : public Node {
 public:
  BoolOpNode(size_t pos, bool is_and, std::vector<NodePtr> items)
      : Node(pos), is_and_(is_and), items_(std::move(items)) {
    for (const auto& n : items_) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    for (size_t k = 0; k + 1 < items_.size(); ++k) {
      if (!items_[k]->Eval(c, out)) return false;
      if (Truth(out) != is_and_) return true;
    }
    return items_.back()->Eval(c, out);
  }
  void CollectGuards(std::vector<std::pair<const std::string Event::*, std::string_view>>* out) const override {
    if (!is_and_) return;  // `a and b` is truthy only when both are
    for (const auto& n : items_) n->CollectGuards(out);
  }

 private:
  bool is_and_;
  std::vector<NodePtr> items_;
};

class CondNode final : public Node {
 public:
  CondNode(size_t pos, NodePtr cond, NodePtr yes, NodePtr no)
      : Node(pos), cond_(std::move(cond)), yes_(std::move(yes)), no_(std::move(no)) {
    AddDepth(this, cond_.get());
    AddDepth(this, yes_.get());
    AddDepth(this, no_.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val v;
    if (!cond_->Eval(c, v)) return false;
    return (Truth(v) ? yes_ : no_)->Eval(c, out);
  }

 private:
  NodePtr cond_, yes_, no_;
};

class CallNode final : public Node {
 public:
  // For min/max, `spread` means the single argument was a tuple display whose
  // items are the arguments.
  CallNode(size_t pos, Builtin fn, std::vector<NodePtr> args, bool spread)
      : Node(pos), fn_(fn), args_(std::move(args)), spread_(spread) {
    for (const auto& n : args_) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val a[2];
    size_t n = args_.size();
    if (fn_ == Builtin::kMin || fn_ == Builtin::kMax) {
      std::vector<Val> items;
      if (!EvalAll(args_, c, &items)) return false;
      if (n == 1 && !spread_) {
        Val only = items[0];
        items.clear();
        if (!IterItems(only, c, &items)) return false;
      }
      return MinMax(fn_ == Builtin::kMax, items, c, out);
    }
    for (size_t k = 0; k < n; ++k) {
      if (!args_[k]->Eval(c, a[k])) return false;
    }
    switch (fn_) {
      case Builtin::kLen: return Len(a[0], c, out);
      case Builtin::kStr: return n == 0 ? (out = StrVal(""), true) : ToStr(a[0], c, out);
      case Builtin::kInt: return n == 0 ? (out = IntVal(0), true) : ToInt(a[0], c, out);
      case Builtin::kFloat: return n == 0 ? (out = FloatVal(0), true) : ToFloat(a[0], c, out);
      case Builtin::kAbs: return Abs(a[0], c, out);
      case Builtin::kRound: return Round(a, n, c, out);
      case Builtin::kBool: return out = BoolVal(n == 1 && Truth(a[0])), true;
      default: return false;
    }
  }

 private:
  Builtin fn_;
  std::vector<NodePtr> args_;
  bool spread_;
};

class MethodNode final : public Node {
 public:
  // For startswith/endswith, `spread` means the argument was a tuple display.
  MethodNode(size_t pos, const MethodInfo& m, NodePtr self, std::vector<NodePtr> args, bool spread)
      : Node(pos), m_(m), self_(std::move(self)), args_(std::move(args)), spread_(spread) {
    AddDepth(this, self_.get());
    for (const auto& n : args_) AddDepth(this, n.get());
  }
  bool Eval(Ctx& c, Val& out) const override {
    Val self;
    if (!self_->Eval(c, self)) return false;
    if (self.kind != Kind::kStr) {
      return Fail(c, std::string("AttributeError: '") + TypeName(self) + "' object has no attribute '" + m_.name + "'");
    }
    std::vector<Val> args;
    if (!args_.empty() && !EvalAll(args_, c, &args)) return false;
    switch (m_.id) {
      case Method::kLower: return ChangeCase(self.s, false, c, out);
      case Method::kUpper: return ChangeCase(self.s, true, c, out);
      case Method::kStrip: {
        if (args.empty() || args[0].kind == Kind::kNone) return out = StrVal(StripSpace(self.s)), true;
        if (args[0].kind != Kind::kStr) return Fail(c, "TypeError: strip arg must be None or str");
        std::vector<uint32_t> set;
        for (size_t k = 0; k < args[0].s.size();) set.push_back(NextCodePoint(args[0].s, &k));
        out = StrVal(StripIf(self.s, [&](uint32_t cp) { return std::find(set.begin(), set.end(), cp) != set.end(); }));
        return true;
      }
      case Method::kStartsWith:
      case Method::kEndsWith: {
        bool starts = m_.id == Method::kStartsWith;
        auto test = [&](std::string_view fix) {
          return fix.size() <= self.s.size() &&
                 (starts ? self.s.substr(0, fix.size()) : self.s.substr(self.s.size() - fix.size())) == fix;
        };
        if (spread_) {
          for (const Val& v : args) {  // in order, stopping at the first match, as CPython
            if (v.kind != Kind::kStr) {
              return Fail(c, std::string("TypeError: tuple for ") + m_.name + " must only contain str, not " +
                                 TypeName(v));
            }
            if (test(v.s)) return out = BoolVal(true), true;
          }
          return out = BoolVal(false), true;
        }
        if (args[0].kind != Kind::kStr) {
          return Fail(c, std::string("TypeError: ") + m_.name + " first arg must be str or a tuple of str, not " +
                             TypeName(args[0]));
        }
        return out = BoolVal(test(args[0].s)), true;
      }
    }
    return false;
  }

 private:
  const MethodInfo& m_;
  NodePtr self_;
  std::vector<NodePtr> args_;
  bool spread_;
};

// ---------------------------------------------------------------------------
// Lexer

enum class Tok : uint8_t { kEnd, kName, kInt, kFloat, kStr, kOp };

struct Token {
  Tok kind = Tok::kEnd;
  size_t pos = 0;
  std::string_view text;  // as written
  int64_t i = 0;          // kInt
  double f = 0;           // kFloat
  std::string str;        // kStr: the decoded text
};

bool IsIdentStart(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || static_cast<unsigned char>(ch) >= 0x80;
}
bool IsIdentChar(char ch) { return IsIdentStart(ch) || (ch >= '0' && ch <= '9'); }

bool IsKeyword(std::string_view w) {
  static constexpr const char* kKeywords[] = {
      "False", "None",   "True",    "and",      "as",     "assert", "async", "await",  "break",
      "class", "continue", "def",   "del",      "elif",   "else",   "except", "finally", "for",
      "from",  "global", "if",      "import",   "in",     "is",     "lambda", "nonlocal", "not",
      "or",    "pass",   "raise",   "return",   "try",    "while",  "with",  "yield"};
  for (const char* k : kKeywords) {
    if (w == k) return true;
  }
  return false;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  // Reads the next token; on a lexical error returns false with `err` and `err_pos`.
  bool Next(Token* t, std::string* err, size_t* err_pos) {
    err_ = err;
    err_pos_ = err_pos;
    if (!SkipSpace()) return false;
    t->str.clear();
    t->pos = pos_;
    if (pos_ >= src_.size()) {
      t->kind = Tok::kEnd;
      t->text = {};
      return true;
    }
    char ch = src_[pos_];
    if (IsIdentStart(ch)) {
      size_t start = pos_;
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
      std::string_view word = src_.substr(start, pos_ - start);
      if (pos_ < src_.size() && (src_[pos_] == '\'' || src_[pos_] == '"') && word.size() <= 2) {
        std::string lower;
        for (char w : word) lower.push_back(static_cast<char>(w >= 'A' && w <= 'Z' ? w + 32 : w));
        if (lower == "r" || lower == "u") return String(t, start, lower == "r");
        if (lower == "b" || lower == "br" || lower == "rb") return Error(start, "bytes literals are not supported");
        if (lower == "f" || lower == "fr" || lower == "rf") return Error(start, "f-strings are not supported");
      }
      t->kind = Tok::kName;
      t->text = word;
      return true;
    }
    if ((ch >= '0' && ch <= '9') || (ch == '.' && pos_ + 1 < src_.size() && src_[pos_ + 1] >= '0' && src_[pos_ + 1] <= '9')) {
      return Number(t);
    }
    if (ch == '\'' || ch == '"') return String(t, pos_, false);
    static constexpr const char* kOps[] = {"**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=",
                                           ":=",  "->",  "<<",  ">>",  "+=",  "-=", "*=", "/=", "%=", "&=", "|=",
                                           "^=",  "@=",  "<>",  "+",   "-",   "*",  "/",  "%",  "(",  ")",  "[",
                                           "]",   "{",   "}",   ",",   ".",   "<",  ">",  "=",  "~",  "&",  "|",
                                           "^",   "@",   ":",   ";"};
    for (const char* op : kOps) {
      size_t n = std::strlen(op);
      if (src_.substr(pos_, n) == op) {
        t->kind = Tok::kOp;
        t->text = src_.substr(pos_, n);
        pos_ += n;
        if (n == 1 && (ch == '(' || ch == '[' || ch == '{')) ++brackets_;
        if (n == 1 && (ch == ')' || ch == ']' || ch == '}') && brackets_ > 0) --brackets_;
        return true;
      }
    }
    unsigned char u = static_cast<unsigned char>(ch);
    char buf[48];
    if (u >= 0x21 && u < 0x7F) {
      std::snprintf(buf, sizeof buf, "unexpected character '%c'", ch);
    } else {
      std::snprintf(buf, sizeof buf, "unexpected character 0x%02x", u);
    }
    return Error(pos_, buf);
  }

 private:
  bool Error(size_t pos, std::string msg) {
    *err_ = std::move(msg);
    *err_pos_ = pos;
    return false;
  }

  bool SkipSpace() {
    while (pos_ < src_.size()) {
      char ch = src_[pos_];
      if (ch == ' ' || ch == '\t' || ch == '\f') {
        ++pos_;
      } else if (ch == '\\' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == '\n' || src_[pos_ + 1] == '\r')) {
        pos_ += 2;  // explicit line joining
        if (src_[pos_ - 1] == '\r' && pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
      } else if (ch == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else if (ch == '\n' || ch == '\r') {
        if (brackets_ == 0) {
          // Outside brackets a newline ends the expression: only blank lines
          // and comments may follow, as for Python's eval().
          size_t k = pos_;
          while (k < src_.size()) {
            char w = src_[k];
            if (w == '#') {
              while (k < src_.size() && src_[k] != '\n') ++k;
            } else if (w == ' ' || w == '\t' || w == '\f' || w == '\n' || w == '\r') {
              ++k;
            } else {
              return Error(pos_, "line break outside brackets (wrap the expression in parentheses)");
            }
          }
          pos_ = k;
        } else {
          ++pos_;
        }
      } else {
        break;
      }
    }
    return true;
  }

  static int HexValue(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
  }

  bool Number(Token* t) {
    size_t start = pos_;
    std::string digits;
    auto digit_run = [&](auto is_digit) {
      if (pos_ >= src_.size() || !is_digit(src_[pos_])) return false;
      while (pos_ < src_.size()) {
        if (is_digit(src_[pos_])) {
          digits.push_back(src_[pos_++]);
        } else if (src_[pos_] == '_' && pos_ + 1 < src_.size() && is_digit(src_[pos_ + 1])) {
          ++pos_;
        } else {
          break;
        }
      }
      return true;
    };
    auto decimal = [](char ch) { return ch >= '0' && ch <= '9'; };
    auto finish = [&](bool is_float) {
      if (pos_ < src_.size() && (src_[pos_] == 'j' || src_[pos_] == 'J')) {
        return Error(start, "complex (imaginary) literals are not supported");
      }
      if (pos_ < src_.size() && IsIdentChar(src_[pos_])) return Error(start, "invalid number literal");
      t->text = src_.substr(start, pos_ - start);
      t->kind = is_float ? Tok::kFloat : Tok::kInt;
      return true;
    };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() && std::strchr("xXoObB", src_[pos_ + 1]) != nullptr) {
      char p = static_cast<char>(src_[pos_ + 1] | 0x20);
      int base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
      pos_ += 2;
      if (pos_ < src_.size() && src_[pos_] == '_') ++pos_;
      auto in_base = [base](char ch) {
        int v = HexValue(ch);
        return v >= 0 && v < base;
      };
      if (!digit_run(in_base)) return Error(start, "invalid number literal");
      uint64_t v = 0;
      for (char ch : digits) {
        uint64_t d = static_cast<uint64_t>(HexValue(ch));
        if (v > (UINT64_MAX - d) / base) return Error(start, "integer literal too large (ints are 64-bit)");
        v = v * base + d;
      }
      if (v > static_cast<uint64_t>(INT64_MAX)) return Error(start, "integer literal too large (ints are 64-bit)");
      t->i = static_cast<int64_t>(v);
      return finish(false);
    }
    bool is_float = false;
    if (src_[pos_] != '.') digit_run(decimal);
    std::string int_digits = digits;
    if (pos_ < src_.size() && src_[pos_] == '.') {
      is_float = true;
      digits.push_back('.');
      ++pos_;
      digit_run(decimal);
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      is_float = true;
      digits.push_back('e');
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) digits.push_back(src_[pos_++]);
      if (!digit_run(decimal)) return Error(start, "invalid number literal");
    }
    if (!is_float) {
      if (int_digits.size() > 1 && int_digits[0] == '0' && int_digits.find_first_not_of('0') != std::string::npos) {
        return Error(start, "leading zeros in decimal integer literals are not permitted");
      }
      uint64_t v = 0;
      for (char ch : int_digits) {
        unsigned d = ch - '0';
        if (v > (static_cast<uint64_t>(INT64_MAX) - d) / 10) {
          return Error(start, "integer literal too large (ints are 64-bit)");
        }
        v = v * 10 + d;
      }
      t->i = static_cast<int64_t>(v);
      return finish(false);
    }
    t->f = ParseDecimal(digits);
    return finish(true);
  }

  // A string literal starting at `start` (its prefix, if any); pos_ is at the quote.
  bool String(Token* t, size_t start, bool raw) {
    char q = src_[pos_];
    bool triple = src_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    std::string& out = t->str;
    for (;;) {
      if (pos_ >= src_.size()) return Error(start, "unterminated string literal");
      char ch = src_[pos_];
      if (ch == q && (!triple || src_.substr(pos_, 3) == std::string(3, q))) {
        pos_ += triple ? 3 : 1;
        break;
      }
      if (!triple && (ch == '\n' || ch == '\r')) return Error(start, "unterminated string literal");
      if (ch != '\\') {
        out.push_back(ch);
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= src_.size()) return Error(start, "unterminated string literal");
      char e = src_[pos_ + 1];
      if (raw) {
        out.push_back('\\');
        out.push_back(e);
        pos_ += 2;
        continue;
      }
      size_t esc = pos_;
      pos_ += 2;
      switch (e) {
        case '\n': break;
        case '\r':
          if (pos_ < src_.size() && src_[pos_] == '\n') ++pos_;
          break;
        case '\\': out.push_back('\\'); break;
        case '\'': out.push_back('\''); break;
        case '"': out.push_back('"'); break;
        case 'a': out.push_back('\a'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'v': out.push_back('\v'); break;
        case 'x':
        case 'u':
        case 'U': {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (int k = 0; k < n; ++k) {
            int h = pos_ < src_.size() ? HexValue(src_[pos_]) : -1;
            if (h < 0) {
              return Error(esc, std::string("truncated \\") + e + std::string(n, 'X') + " escape");
            }
            cp = cp * 16 + h;
            ++pos_;
          }
          if (cp > 0x10FFFF) return Error(esc, "illegal Unicode character in \\U escape");
          AppendUtf8(cp, &out);
          break;
        }
        case 'N':
          return Error(esc, "\\N{...} escapes are not supported");
        default:
          if (e >= '0' && e <= '7') {
            uint32_t cp = e - '0';
            for (int k = 0; k < 2 && pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '7'; ++k) {
              cp = cp * 8 + (src_[pos_++] - '0');
            }
            AppendUtf8(cp, &out);
          } else {
            // Python keeps unknown escapes as written; the next byte is
            // copied by the loop (it may start a multi-byte character).
            out.push_back('\\');
            --pos_;
          }
      }
    }
    t->kind = Tok::kStr;
    t->text = src_.substr(start, pos_ - start);
    return true;
  }

  std::string_view src_;
  size_t pos_ = 0;
  int brackets_ = 0;
  std::string* err_ = nullptr;
  size_t* err_pos_ = nullptr;
};

// ---------------------------------------------------------------------------
// Parser: recursive descent over Python's expression grammar,
//   expression  disjunction ['if' disjunction 'else' expression]
//   disjunction conjunction ('or' conjunction)*
//   conjunction inversion ('and' inversion)*
//   inversion   'not' inversion | comparison
//   comparison  sum (compare_op sum)*
//   sum         term (('+'|'-') term)*
//   term        factor (('*'|'/'|'//'|'%') factor)*
//   factor      ('+'|'-') factor | power
//   power       primary ['**' factor]
//   primary     atom ('.' NAME | '(' args ')' | '[' key ']')*

struct FieldInfo {
  const char* name;
  const std::string Event::*member;  // nullptr: ts
  bool optional;
};
const FieldInfo kFields[] = {
    {"type", &Event::type, false},         {"kind", &Event::kind, true},
    {"pageId", &Event::page_id, false},    {"clickId", &Event::click_id, true},
    {"itemId", &Event::item_id, true},     {"ts", nullptr, false},
};

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src), lex_(src) {}

  Result<NodePtr> Parse() {
    NodePtr root;
    if (Advance()) {
      if (tok_.kind == Tok::kEnd) {
        Error(tok_.pos, "empty expression");
      } else if ((root = ParseExpression()) && Scalar(root)) {
        if (tok_.kind == Tok::kOp && tok_.text == ",") {
          Error(tok_.pos, "a bare tuple is not a value (tuples are only supported after 'in')");
        } else if (tok_.kind != Tok::kEnd) {
          Unexpected();
        }
      }
    }
    if (!error_.empty()) return Status::InvalidArgument(Where(error_pos_) + ": " + error_);
    return Result<NodePtr>(std::move(root));
  }

 private:
  struct NestGuard {
    NestGuard(Parser* p, size_t pos) : p(p) {
      ok = ++p->nesting_ <= kMaxNesting;
      if (!ok) p->Error(pos, "expression nested too deeply (more than 100 levels)");
    }
    ~NestGuard() { --p->nesting_; }
    Parser* p;
    bool ok;
  };

  std::string Where(size_t pos) const {
    size_t line = 1, line_start = 0;
    for (size_t k = 0; k < pos && k < src_.size(); ++k) {
      if (src_[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
    size_t col = 1 + CodePointCount(src_.substr(line_start, std::min(pos, src_.size()) - line_start));
    return (line > 1 ? "line " + std::to_string(line) + ", " : std::string()) + "column " + std::to_string(col);
  }

  std::nullptr_t Error(size_t pos, std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      error_pos_ = pos;
    }
    return nullptr;
  }

  bool Advance() {
    std::string err;
    size_t pos = 0;
    if (!lex_.Next(&tok_, &err, &pos)) {
      Error(pos, err);
      tok_.kind = Tok::kEnd;
      return false;
    }
    return true;
  }

  bool IsOp(std::string_view op) const { return tok_.kind == Tok::kOp && tok_.text == op; }
  bool IsWord(std::string_view w) const { return tok_.kind == Tok::kName && tok_.text == w; }

  std::string Describe() const {
    switch (tok_.kind) {
      case Tok::kEnd: return "end of expression";
      case Tok::kName: return (IsKeyword(tok_.text) ? "keyword '" : "name '") + std::string(tok_.text) + "'";
      case Tok::kStr: return "string literal";
      case Tok::kInt:
      case Tok::kFloat: return "number '" + std::string(tok_.text) + "'";
      case Tok::kOp: return "'" + std::string(tok_.text) + "'";
    }
    return "token";
  }

  // An error for the current token where it cannot continue the expression.
  std::nullptr_t Unexpected(std::string_view expected = {}) {
    if (!error_.empty()) return nullptr;
    size_t pos = tok_.pos;
    if (tok_.kind == Tok::kOp) {
      std::string_view op = tok_.text;
      if (op == "=") return Error(pos, "assignment is not supported (use == to compare)");
      if (op == ":=") return Error(pos, "assignment expressions (:=) are not supported");
      if (op.size() >= 2 && op.back() == '=' && op != "==" && op != "!=" && op != "<=" && op != ">=") {
        return Error(pos, "assignment is not supported");
      }
      if (op == "&" || op == "|" || op == "^" || op == "<<" || op == ">>" || op == "@" || op == "~") {
        return Error(pos, "unsupported operator '" + std::string(op) + "'");
      }
      if (op == "<>") return Error(pos, "unsupported operator '<>' (use !=)");
      if (op == ":") return Error(pos, "slices and ':' are not supported");
    }
    if (IsWord("for")) return Error(pos, "comprehensions are not supported");
    if (IsWord("lambda")) return Error(pos, "lambda is not supported");
    std::string msg = "unexpected " + Describe();
    if (!expected.empty()) msg += " (expected " + std::string(expected) + ")";
    return Error(pos, msg);
  }

  bool Expect(std::string_view op) {
    if (IsOp(op)) return Advance();
    Unexpected("'" + std::string(op) + "'");
    return false;
  }

  bool Scalar(const NodePtr& n) {
    if (!n->is_tuple) return true;
    Error(n->pos,
          "tuples and lists are only supported after 'in'/'not in' and as the argument of min(), max(), "
          "startswith() and endswith()");
    return false;
  }

  NodePtr Finish(NodePtr n) {
    if (n->depth > kMaxTreeDepth) return Error(n->pos, "expression nested too deeply (more than 256 operations deep)");
    return n;
  }

  NodePtr ParseExpression() {
    NestGuard guard(this, tok_.pos);
    if (!guard.ok) return nullptr;
    if (IsWord("lambda")) return Unexpected();
    size_t pos = tok_.pos;
    NodePtr yes = ParseBoolOp(false);
    if (!yes || !IsWord("if")) return yes;
    if (!Scalar(yes) || !Advance()) return nullptr;
    NodePtr cond = ParseBoolOp(false);
    if (!cond || !Scalar(cond)) return nullptr;
    if (!IsWord("else")) return Unexpected("'else'");
    if (!Advance()) return nullptr;
    NodePtr no = ParseExpression();
    if (!no || !Scalar(no)) return nullptr;
    return Finish(std::make_unique<CondNode>(pos, std::move(cond), std::move(yes), std::move(no)));
  }

  // is_and false: disjunction ('or'); true: conjunction ('and').
  NodePtr ParseBoolOp(bool is_and) {
    size_t pos = tok_.pos;
    NodePtr first = is_and ? ParseNot() : ParseBoolOp(true);
    if (!first || !IsWord(is_and ? "and" : "or")) return first;
    std::vector<NodePtr> items;
    if (!Scalar(first)) return nullptr;
    items.push_back(std::move(first));
    while (IsWord(is_and ? "and" : "or")) {
      if (!Advance()) return nullptr;
      NodePtr n = is_and ? ParseNot() : ParseBoolOp(true);
      if (!n || !Scalar(n)) return nullptr;
      items.push_back(std::move(n));
    }
    return Finish(std::make_unique<BoolOpNode>(pos, is_and, std::move(items)));
  }

  NodePtr ParseNot() {
    if (!IsWord("not")) return ParseComparison();
    size_t pos = tok_.pos;
    NestGuard guard(this, pos);
    if (!guard.ok || !Advance()) return nullptr;
    NodePtr x = ParseNot();
    if (!x || !Scalar(x)) return nullptr;
    return Finish(std::make_unique<NotNode>(pos, std::move(x)));
  }

  static bool IsSingleton(const Node& n) {
    const Val* k = n.Constant();
    return k && (k->kind == Kind::kNone || k->kind == Kind::kBool);
  }

  NodePtr ParseComparison() {
    size_t pos = tok_.pos;
    NodePtr first = ParseSum();
    if (!first) return nullptr;
    std::vector<NodePtr> operands;
    std::vector<CmpOp> ops;
    operands.push_back(std::move(first));
    for (;;) {
      CmpOp op;
      bool at_operand = false;  // `is` alone: the current token starts the operand
      if (IsOp("==")) {
        op = CmpOp::kEq;
      } else if (IsOp("!=")) {
        op = CmpOp::kNe;
      } else if (IsOp("<")) {
        op = CmpOp::kLt;
      } else if (IsOp("<=")) {
        op = CmpOp::kLe;
      } else if (IsOp(">")) {
        op = CmpOp::kGt;
      } else if (IsOp(">=")) {
        op = CmpOp::kGe;
      } else if (IsWord("in")) {
        op = CmpOp::kIn;
      } else if (IsWord("not")) {
        if (!Advance()) return nullptr;
        if (!IsWord("in")) return Unexpected("'in' after 'not'");
        op = CmpOp::kNotIn;
      } else if (IsWord("is")) {
        if (!Advance()) return nullptr;
        op = IsWord("not") ? CmpOp::kIsNot : CmpOp::kIs;
        at_operand = op == CmpOp::kIs;
      } else {
        break;
      }
      if (!at_operand && !Advance()) return nullptr;
      NodePtr rhs = ParseSum();
      if (!rhs) return nullptr;
      ops.push_back(op);
      operands.push_back(std::move(rhs));
    }
    if (ops.empty()) return std::move(operands[0]);
    for (size_t k = 0; k < operands.size(); ++k) {
      bool tail = k + 1 == operands.size() && (ops.back() == CmpOp::kIn || ops.back() == CmpOp::kNotIn);
      if (!tail && !Scalar(operands[k])) return nullptr;
    }
    for (size_t k = 0; k < ops.size(); ++k) {
      if ((ops[k] == CmpOp::kIs || ops[k] == CmpOp::kIsNot) && !IsSingleton(*operands[k]) &&
          !IsSingleton(*operands[k + 1])) {
        return Error(operands[k + 1]->pos, "'is' is only supported with None, True or False (use == to compare values)");
      }
    }
    // Fast path: a string field == or != a string literal.
    if (ops.size() == 1 && (ops[0] == CmpOp::kEq || ops[0] == CmpOp::kNe)) {
      for (int side = 0; side < 2; ++side) {
        const auto* field = dynamic_cast<const FieldNode*>(operands[side].get());
        const Val* lit = operands[1 - side]->Constant();
        if (field && lit && lit->kind == Kind::kStr) {
          return std::make_unique<FieldEqualsNode>(pos, *field, lit->s, ops[0] == CmpOp::kNe);
        }
      }
    }
    std::unique_ptr<Members> tail;
    if (operands.back()->is_tuple) {
      auto* t = static_cast<TupleNode*>(operands.back().get());
      tail = std::make_unique<Members>(std::move(t->items));
      operands.pop_back();
    }
    if (ops.size() == 1 && tail) {
      return Finish(std::make_unique<InNode>(pos, std::move(operands[0]), ops[0] == CmpOp::kNotIn, std::move(tail)));
    }
    if (ops.size() == 1) {
      return Finish(std::make_unique<Compare2Node>(pos, std::move(operands[0]), ops[0], std::move(operands[1])));
    }
    return Finish(std::make_unique<CompareNode>(pos, std::move(operands), std::move(ops), std::move(tail)));
  }

  NodePtr ParseSum() { return ParseArith(false); }

  // terms false: sum of terms (+ -); true: term of factors (* / // %).
  NodePtr ParseArith(bool terms) {
    size_t pos = tok_.pos;
    NodePtr first = terms ? ParseFactor() : ParseArith(true);
    if (!first) return nullptr;
    std::vector<std::pair<BinOp, NodePtr>> rest;
    for (;;) {
      BinOp op;
      if (!terms && IsOp("+")) {
        op = BinOp::kAdd;
      } else if (!terms && IsOp("-")) {
        op = BinOp::kSub;
      } else if (terms && IsOp("*")) {
        op = BinOp::kMul;
      } else if (terms && IsOp("/")) {
        op = BinOp::kDiv;
      } else if (terms && IsOp("//")) {
        op = BinOp::kFloorDiv;
      } else if (terms && IsOp("%")) {
        op = BinOp::kMod;
        const Val* lit = first->Constant();
        if (rest.empty() && lit && lit->kind == Kind::kStr) {
          return Error(tok_.pos, "'%' string formatting is not supported (use str() and +)");
        }
      } else {
        break;
      }
      if (!Scalar(first) || !Advance()) return nullptr;
      NodePtr rhs = terms ? ParseFactor() : ParseArith(true);
      if (!rhs || !Scalar(rhs)) return nullptr;
      rest.emplace_back(op, std::move(rhs));
    }
    if (rest.empty()) return first;
    return Finish(std::make_unique<ArithNode>(pos, std::move(first), std::move(rest)));
  }

  NodePtr ParseFactor() {
    if (IsOp("~")) return Unexpected();
    if (!IsOp("-") && !IsOp("+")) return ParsePower();
    size_t pos = tok_.pos;
    bool negate = IsOp("-");
    NestGuard guard(this, pos);
    if (!guard.ok || !Advance()) return nullptr;
    NodePtr x = ParseFactor();
    if (!x || !Scalar(x)) return nullptr;
    if (const Val* k = x->Constant()) {
      if (k->kind == Kind::kInt && !(negate && k->i == INT64_MIN)) {
        return std::make_unique<ConstNode>(pos, IntVal(negate ? -k->i : k->i));
      }
      if (k->kind == Kind::kFloat) return std::make_unique<ConstNode>(pos, FloatVal(negate ? -k->f : k->f));
    }
    return Finish(std::make_unique<UnaryNode>(pos, negate, std::move(x)));
  }

  NodePtr ParsePower() {
    size_t pos = tok_.pos;
    NodePtr base = ParsePrimary();
    if (!base || !IsOp("**")) return base;
    NestGuard guard(this, tok_.pos);
    if (!guard.ok || !Scalar(base) || !Advance()) return nullptr;
    NodePtr exp = ParseFactor();
    if (!exp || !Scalar(exp)) return nullptr;
    return Finish(std::make_unique<PowNode>(pos, std::move(base), std::move(exp)));
  }

  NodePtr ParsePrimary() {
    NodePtr node;
    if (tok_.kind == Tok::kName && !IsKeyword(tok_.text)) {
      size_t pos = tok_.pos;
      std::string name(tok_.text);
      if (!Advance()) return nullptr;
      node = ParseName(name, pos);
    } else {
      node = ParseAtom();
    }
    if (!node) return nullptr;
    return ParsePostfix(std::move(node));
  }

  struct Args {
    std::vector<NodePtr> nodes;
    bool ok = false;
  };

  // '(' args ')': positional arguments only; tuple displays are left for the
  // caller to accept or reject.
  Args ParseArgs() {
    Args a;
    if (!Expect("(")) return a;
    while (!IsOp(")")) {
      if (IsOp("*") || IsOp("**")) {
        Error(tok_.pos, "argument unpacking (*args, **kwargs) is not supported");
        return a;
      }
      if (tok_.kind == Tok::kName && !IsKeyword(tok_.text)) {
        Lexer peek = lex_;
        Token next;
        std::string err;
        size_t err_pos;
        if (peek.Next(&next, &err, &err_pos) && next.kind == Tok::kOp && next.text == "=") {
          Error(tok_.pos, "keyword arguments are not supported");
          return a;
        }
      }
      NodePtr n = ParseExpression();
      if (!n) return a;
      if (IsWord("for")) {
        Unexpected();
        return a;
      }
      a.nodes.push_back(std::move(n));
      if (IsOp(",")) {
        if (!Advance()) return a;
        continue;
      }
      if (!IsOp(")")) {
        Unexpected("',' or ')'");
        return a;
      }
    }
    a.ok = Advance();
    return a;
  }

  NodePtr ParseName(const std::string& name, size_t pos) {
    if (name == "props") return ParseProps(pos);
    for (const auto& f : kFields) {
      if (name == f.name) {
        if (!f.member) return std::make_unique<TsNode>(pos);
        return std::make_unique<FieldNode>(pos, f.member, f.optional);
      }
    }
    const BuiltinInfo* b = FindBuiltin(name);
    if (!b) return Error(pos, "unsupported name '" + name + "' (fields: " + kFieldList + ")");
    if (!IsOp("(")) return Error(pos, "builtin '" + name + "' must be called, e.g. " + name + "(x)");
    size_t call_pos = tok_.pos;
    Args args = ParseArgs();
    if (!args.ok) return nullptr;
    int n = static_cast<int>(args.nodes.size());
    if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
      std::string want = b->max_args < 0 ? "at least " + std::to_string(b->min_args)
                         : b->min_args == b->max_args ? std::to_string(b->min_args)
                                                      : std::to_string(b->min_args) + " to " + std::to_string(b->max_args);
      return Error(call_pos, name + "() takes " + want + " argument" + (want == "1" ? "" : "s") + " (" +
                                 std::to_string(n) + " given; keyword and extra arguments are not supported)");
    }
    bool spread = false;
    if ((b->id == Builtin::kMin || b->id == Builtin::kMax) && n == 1 && args.nodes[0]->is_tuple) {
      spread = true;
      auto items = std::move(static_cast<TupleNode*>(args.nodes[0].get())->items);
      args.nodes = std::move(items);
    }
    for (const auto& a : args.nodes) {
      if (!Scalar(a)) return nullptr;
    }
    return Finish(std::make_unique<CallNode>(pos, b->id, std::move(args.nodes), spread));
  }

  // The literal string a props key must be.
  bool PropKey(const NodePtr& n, std::string* key) {
    const Val* k = n->Constant();
    if (!k || k->kind != Kind::kStr) {
      Error(n->pos, "props keys must be string literals, e.g. props['price'] or props.get('price', 0)");
      return false;
    }
    *key = std::string(k->s);
    return true;
  }

  NodePtr ParseProps(size_t pos) {
    const char* usage = "'props' must be followed by .NAME, ['NAME'] or .get('NAME'[, default])";
    if (IsOp("[")) {
      if (!Advance()) return nullptr;
      NodePtr key = ParseExpression();
      std::string name;
      if (!key || !PropKey(key, &name)) return nullptr;
      if (!Expect("]")) return nullptr;
      return std::make_unique<PropNode>(pos, std::move(name), PropNode::Mode::kItem, nullptr);
    }
    if (!IsOp(".")) return Error(pos, usage);
    if (!Advance()) return nullptr;
    if (tok_.kind != Tok::kName || IsKeyword(tok_.text)) return Unexpected("a props member name after 'props.'");
    std::string name(tok_.text);
    size_t name_pos = tok_.pos;
    if (!Advance()) return nullptr;
    if (name == "get" && IsOp("(")) {
      size_t call_pos = tok_.pos;
      Args args = ParseArgs();
      if (!args.ok) return nullptr;
      if (args.nodes.empty() || args.nodes.size() > 2) {
        return Error(call_pos, "props.get() takes 1 or 2 arguments (" + std::to_string(args.nodes.size()) + " given)");
      }
      std::string key;
      if (!PropKey(args.nodes[0], &key)) return nullptr;
      NodePtr fallback;
      if (args.nodes.size() == 2) {
        if (!Scalar(args.nodes[1])) return nullptr;
        fallback = std::move(args.nodes[1]);
      }
      return Finish(std::make_unique<PropNode>(pos, std::move(key), PropNode::Mode::kGet, std::move(fallback)));
    }
    if (name == "get") return Error(name_pos, "props.get must be called: props.get('NAME'[, default])");
    if (name.size() >= 2 && name.compare(0, 2, "__") == 0) {
      return Error(name_pos, "unsupported attribute '" + name + "' of props");
    }
    return std::make_unique<PropNode>(pos, std::move(name), PropNode::Mode::kAttr, nullptr);
  }

  NodePtr ParsePostfix(NodePtr node) {
    for (;;) {
      if (IsOp(".")) {
        if (!Advance()) return nullptr;
        if (tok_.kind != Tok::kName || IsKeyword(tok_.text)) return Unexpected("a method name after '.'");
        std::string name(tok_.text);
        size_t name_pos = tok_.pos;
        if (!Advance()) return nullptr;
        const MethodInfo* m = FindMethod(name);
        if (!m) {
          if (name == "get") return Error(name_pos, "'.get()' is only supported on props");
          return Error(name_pos, "unsupported attribute '" + name +
                                     "' (str methods: startswith, endswith, lower, upper, strip)");
        }
        if (!IsOp("(")) return Error(name_pos, "method '" + name + "' must be called, e.g. ." + name + "()");
        if (!Scalar(node)) return nullptr;
        size_t call_pos = tok_.pos;
        Args args = ParseArgs();
        if (!args.ok) return nullptr;
        int n = static_cast<int>(args.nodes.size());
        if (n < m->min_args || n > m->max_args) {
          return Error(call_pos, "str." + name + "() takes " +
                                     (m->min_args == m->max_args ? std::to_string(m->min_args)
                                                                 : std::to_string(m->min_args) + " or " +
                                                                       std::to_string(m->max_args)) +
                                     " argument(s) here (" + std::to_string(n) + " given)");
        }
        bool spread = false;
        if ((m->id == Method::kStartsWith || m->id == Method::kEndsWith) && args.nodes[0]->is_tuple) {
          spread = true;
          auto items = std::move(static_cast<TupleNode*>(args.nodes[0].get())->items);
          args.nodes = std::move(items);
        }
        for (const auto& a : args.nodes) {
          if (!Scalar(a)) return nullptr;
        }
        size_t pos = node->pos;
        node = Finish(std::make_unique<MethodNode>(pos, *m, std::move(node), std::move(args.nodes), spread));
        if (!node) return nullptr;
      } else if (IsOp("(")) {
        return Error(tok_.pos, "only builtins (len, str, int, float, abs, min, max, round, bool) and str methods "
                               "can be called");
      } else if (IsOp("[")) {
        return Error(tok_.pos, "subscripts are only supported on props, e.g. props['price']");
      } else {
        return node;
      }
    }
  }

  // Items of a tuple or list display up to `close`; the first item is given.
  NodePtr ParseDisplay(size_t pos, NodePtr first, std::string_view close) {
    std::vector<NodePtr> items;
    if (first) items.push_back(std::move(first));
    while (!IsOp(close)) {
      if (!items.empty()) {
        if (!IsOp(",")) return Unexpected("',' or '" + std::string(close) + "'");
        if (!Advance()) return nullptr;
        if (IsOp(close)) break;
      }
      if (IsOp("*")) return Error(tok_.pos, "starred expressions are not supported");
      NodePtr n = ParseExpression();
      if (!n) return nullptr;
      if (IsWord("for")) return Unexpected();
      if (!Scalar(n)) return nullptr;
      items.push_back(std::move(n));
    }
    if (!Advance()) return nullptr;
    return Finish(std::make_unique<TupleNode>(pos, std::move(items)));
  }

  NodePtr ParseAtom() {
    size_t pos = tok_.pos;
    switch (tok_.kind) {
      case Tok::kInt: {
        int64_t v = tok_.i;
        if (!Advance()) return nullptr;
        return std::make_unique<ConstNode>(pos, IntVal(v));
      }
      case Tok::kFloat: {
        double v = tok_.f;
        if (!Advance()) return nullptr;
        return std::make_unique<ConstNode>(pos, FloatVal(v));
      }
      case Tok::kStr: {
        std::string text;
        while (tok_.kind == Tok::kStr) {  // adjacent literals concatenate
          text += tok_.str;
          if (text.size() > kMaxSourceBytes) return Error(pos, "string literal too long");
          if (!Advance()) return nullptr;
        }
        return std::make_unique<ConstNode>(pos, StrVal(""), std::move(text));
      }
      case Tok::kName: {
        std::string_view w = tok_.text;
        Val v;
        if (w == "True") {
          v = BoolVal(true);
        } else if (w == "False") {
          v = BoolVal(false);
        } else if (w == "None") {
          v = NoneVal();
        } else if (w == "yield" || w == "await") {
          return Error(pos, "'" + std::string(w) + "' is not supported");
        } else {
          return Unexpected();
        }
        if (!Advance()) return nullptr;
        return std::make_unique<ConstNode>(pos, v);
      }
      case Tok::kOp:
        break;
      case Tok::kEnd:
        return Error(pos, "unexpected end of expression");
    }
    if (IsOp("(")) {
      if (!Advance()) return nullptr;
      if (IsOp(")")) {
        if (!Advance()) return nullptr;
        return std::make_unique<TupleNode>(pos, std::vector<NodePtr>());
      }
      if (IsOp("*")) return Error(tok_.pos, "starred expressions are not supported");
      NodePtr first = ParseExpression();
      if (!first) return nullptr;
      if (IsWord("for")) return Unexpected();
      if (IsOp(",")) {
        if (!Scalar(first)) return nullptr;
        return ParseDisplay(pos, std::move(first), ")");
      }
      if (!Expect(")")) return nullptr;
      return first;
    }
    if (IsOp("[")) {
      if (!Advance()) return nullptr;
      return ParseDisplay(pos, nullptr, "]");
    }
    if (IsOp("{")) return Error(pos, "dict and set displays are not supported");
    if (IsOp("*")) return Error(pos, "starred expressions are not supported");
    return Unexpected();
  }

  std::string_view src_;
  Lexer lex_;
  Token tok_;
  std::string error_;
  size_t error_pos_ = 0;
  int nesting_ = -1;  // the whole expression is level 0
};

class CompiledExpr final : public Expr {
 public:
  CompiledExpr(std::string_view source, NodePtr root) : Expr(source), root_(std::move(root)) {
    root_->CollectGuards(&guards_);
    if (guards_.size() > 4) guards_.resize(4);  // a few string compares, not a second evaluation
  }

  Result<Value> Eval(const EventView& event) const override {
    Ctx c(event);
    Val v;
    if (!root_->Eval(c, v)) return Status::InvalidArgument(c.error);
    return ToValue(v);
  }

  bool Test(const EventView& event) const override {
    for (const auto& [member, want] : guards_) {
      if (event.event().*member != want) return false;
    }
    Ctx c(event);
    Val v;
    return root_->Eval(c, v) && Truth(v);
  }

 private:
  NodePtr root_;
  std::vector<std::pair<const std::string Event::*, std::string_view>> guards_;  // views into root_'s nodes
};

}  // namespace

Result<std::unique_ptr<Expr>> Expr::Compile(std::string_view source) {
  if (source.size() > kMaxSourceBytes) {
    return Status::InvalidArgument("expression too long (" + std::to_string(source.size()) + " bytes; the limit is " +
                                   std::to_string(kMaxSourceBytes) + ")");
  }
  Parser parser(source);
  auto root = parser.Parse();
  if (!root.ok()) return root.status();
  return std::unique_ptr<Expr>(new CompiledExpr(source, std::move(root).value()));
}

}  // namespace edgeflow::pipeline
