// The regex engine: a parser that follows CPython 3.11's re/_parser.py decision by decision (so
// that error messages and positions agree), a compiler to sre-style code following
// re/_compiler.py, and a backtracking matcher with sre's semantics (Modules/_sre/sre_lib.h:
// capture marks, lastindex, repeat contexts, empty-match guards) on an explicit heap stack.
//
// Supported: all of CPython 3.11's re syntax for str patterns: literals and escapes (\a \b \f \n
// \r \t \v \\ \xhh \uhhhh \Uhhhhhhhh, octal \0 \ooo), ".", classes with ranges, negation and
// \d \w \s \D \W \S (\b is backspace inside a class), ^ $ \A \Z \b \B, groups (capturing,
// (?:...), (?P<name>...), (?P=name), \1..\99), (?#...), lookahead and fixed-width lookbehind,
// conditionals (?(1)yes|no) and (?(name)...), atomic groups (?>...), greedy, lazy and possessive
// quantifiers (* + ? {m} {m,} {,n} {m,n}, then ? or +), inline flags (?aimsux) at the start and
// scoped (?aimsux-imsx:...), VERBOSE, IGNORECASE with sre's simple case folding plus the
// re._casefix equivalences (ASCII-only under (?a)), Unicode \d \w \s by default.
//
// Differences from CPython 3.11.2:
// - Possessive repeats of subpatterns that can backtrack match as in CPython >= 3.11.5, i.e. as
//   (?>X*) (gh-106052); 3.11.2 returns wrong spans there (gh-100061) or raises SystemError
//   (gh-101955).
// - \N{name} is rejected with ErrorKind::kUnsupported (there is no Unicode name database on the
//   device); bytes patterns and LOCALE do not exist (LOCALE is rejected, as CPython rejects it
//   for str patterns).
// - re.DEBUG prints nothing, and CPython's warnings (FutureWarning for possible set operations,
//   DeprecationWarning for re.TEMPLATE and odd group names) are not emitted; the patterns
//   compile as in CPython.
#include "script/regex.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script/stack_guard.h"
#include "script/unicode.h"

namespace edgeflow::script::regex {
namespace {

constexpr uint32_t kMaxRepeat = 0xFFFFFFFFu;  // _sre.MAXREPEAT: "no upper bound"
constexpr int64_t kMaxGroups = 0x3FFFFFFF;    // _sre.MAXGROUPS on 64-bit builds
constexpr int kTypeFlags = kAscii | kLocale | kUnicode;
constexpr int kGlobalFlags = kDebug | kTemplate;

// CPython's parser recurses twice per nesting level (_parse_sub, _parse) and fails at its
// recursion limit; called from module level that is 494 nested groups.
constexpr int kMaxParseFrames = 990;

// ---------------------------------------------------------------------------------------------
// Python text helpers for error messages.

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {  // lone surrogates too, as Python's "surrogatepass" would
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string Utf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) AppendUtf8(c, &out);
  return out;
}

// repr(s) for a str, as CPython's unicode_repr writes it.
std::string PyRepr(std::u32string_view s) {
  bool has_single = s.find(U'\'') != s.npos;
  bool has_double = s.find(U'"') != s.npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  static const char kHex[] = "0123456789abcdef";
  for (char32_t c : s) {
    if (c == static_cast<char32_t>(quote) || c == U'\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c == U'\t') {
      out += "\\t";
    } else if (c == U'\n') {
      out += "\\n";
    } else if (c == U'\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else if (c < 0x7F || unicode::IsPrintable(c)) {
      AppendUtf8(c, &out);
    } else if (c < 0x100) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else if (c < 0x10000) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(c >> shift) & 15]);
    } else {
      out += "\\U";
      for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(c >> shift) & 15]);
    }
  }
  out.push_back(quote);
  return out;
}

bool IsIdentifier(std::u32string_view s) {
  if (s.empty() || !(unicode::IsXidStart(s[0]) || s[0] == U'_')) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!unicode::IsXidContinue(s[i])) return false;
  }
  return true;
}

bool IsAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool IsOctDigit(char32_t c) { return c >= U'0' && c <= U'7'; }
bool IsHexDigit(char32_t c) {
  return IsAsciiDigit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}
bool IsAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

// int(s) for base 10 as Python parses a str: surrounding whitespace, a sign, Unicode decimal
// digits with single underscores between them. Returns false when Python raises ValueError.
// *negative is set for a nonzero negative value; *digits gets the value's decimal text (no
// leading zeros) and *value the value saturated at INT64_MAX.
bool ParsePyInt(std::u32string_view s, bool* negative, std::string* digits, int64_t* value) {
  size_t b = 0, e = s.size();
  while (b < e && unicode::IsSpace(s[b])) ++b;
  while (e > b && unicode::IsSpace(s[e - 1])) --e;
  bool neg = false;
  if (b < e && (s[b] == U'+' || s[b] == U'-')) {
    neg = s[b] == U'-';
    ++b;
  }
  if (b == e) return false;
  std::string d;
  bool prev_digit = false;
  for (size_t i = b; i < e; ++i) {
    int v = unicode::DecimalValue(s[i]);
    if (v >= 0) {
      d.push_back(static_cast<char>('0' + v));
      prev_digit = true;
    } else if (s[i] == U'_' && prev_digit && i + 1 < e) {
      prev_digit = false;
    } else {
      return false;
    }
  }
  if (!prev_digit) return false;
  size_t nz = d.find_first_not_of('0');
  d = nz == std::string::npos ? "0" : d.substr(nz);
  int64_t v = 0;
  for (char c : d) {
    v = v > (INT64_MAX - 9) / 10 ? INT64_MAX : v * 10 + (c - '0');
  }
  *negative = neg && d != "0";
  *digits = (*negative ? "-" : "") + d;
  *value = v;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The parse tree: _parser.py's (op, av) items.

enum class Op : uint8_t {
  kLiteral,
  kNotLiteral,
  kAny,
  kIn,
  kAt,
  kBranch,
  kSubpattern,
  kRepeat,
  kAtomicGroup,
  kGroupRef,
  kGroupRefExists,
  kAssert,
  kAssertNot,
};

enum class RepeatKind : uint8_t { kGreedy, kLazy, kPossessive };

// sre's CATEGORY_* codes; the matcher picks the ASCII or Unicode version from the flags.
enum Category : uint8_t {
  kCatDigit,
  kCatNotDigit,
  kCatSpace,
  kCatNotSpace,
  kCatWord,
  kCatNotWord,
};

// sre's AT_* codes.
enum At : uint8_t {
  kAtBeginning,
  kAtBeginningLine,
  kAtBeginningString,
  kAtBoundary,
  kAtNonBoundary,
  kAtEnd,
  kAtEndLine,
  kAtEndString,
  kAtUniBoundary,
  kAtUniNonBoundary,
};

struct SetItem {
  enum Kind : uint8_t { kNegate, kLiteral, kRange, kCategory } kind;
  uint32_t lo = 0;  // literal, range start, or category
  uint32_t hi = 0;
  bool operator==(const SetItem& o) const {
    return kind == o.kind && lo == o.lo && hi == o.hi;
  }
};

struct Node;
using Seq = std::vector<Node>;  // a SubPattern

struct Node {
  Op op;
  uint32_t value = 0;  // literal; AT code; group number; condition group
  std::vector<SetItem> set;
  uint32_t min = 0, max = 0;  // kRepeat
  RepeatKind repeat = RepeatKind::kGreedy;
  int group = 0;  // kSubpattern: capturing group number, 0 for none
  int add_flags = 0, del_flags = 0;
  bool behind = false;  // kAssert / kAssertNot: lookbehind
  // kBranch: the alternatives; kSubpattern, kRepeat, kAtomicGroup, kAssert*: one body;
  // kGroupRefExists: yes and, when present, no.
  std::vector<Seq> subs;
  bool has_no = false;  // kGroupRefExists has a "no" branch

  // The equality sre gets from comparing (op, av) tuples, used to hoist common prefixes out of
  // alternatives: subpatterns compare by identity there, so only leaf items can be equal.
  bool SameItem(const Node& o) const {
    if (op != o.op) return false;
    switch (op) {
      case Op::kLiteral:
      case Op::kNotLiteral:
      case Op::kAt:
      case Op::kGroupRef:
        return value == o.value;
      case Op::kAny:
        return true;
      case Op::kIn:
        return set == o.set;
      default:
        return false;
    }
  }
};

Node Leaf(Op op, uint32_t value = 0) {
  Node n;
  n.op = op;
  n.value = value;
  return n;
}

Node InNode(std::vector<SetItem> set) {
  Node n;
  n.op = Op::kIn;
  n.set = std::move(set);
  return n;
}

struct Width {
  uint64_t lo = 0, hi = 0;
  bool operator==(const Width& o) const { return lo == o.lo && hi == o.hi; }
};

// ---------------------------------------------------------------------------------------------
// Parser.

// Thrown inside the parser and compiler only; Pattern::Compile turns it into a CompileError.
struct ParseFailure {
  CompileError error;
};

[[noreturn]] void Fail(ErrorKind kind, std::string message, int64_t pos) {
  throw ParseFailure{CompileError{kind, std::move(message), pos}};
}

// _parser.Tokenizer: yields single characters, or a backslash and the character after it.
class Tokenizer {
 public:
  explicit Tokenizer(std::u32string_view s) : s_(s) { Advance(); }

  // `next` in _parser.py: the pending token (empty at the end).
  std::u32string_view next() const { return std::u32string_view(tok_, tok_len_); }
  bool at_end() const { return tok_len_ == 0; }
  bool NextIs(char32_t c) const { return tok_len_ == 1 && tok_[0] == c; }
  bool NextIsDigit() const { return tok_len_ == 1 && IsAsciiDigit(tok_[0]); }
  bool NextIsOct() const { return tok_len_ == 1 && IsOctDigit(tok_[0]); }

  bool Match(char32_t c) {
    if (!NextIs(c)) return false;
    Advance();
    return true;
  }
  std::u32string Get() {
    std::u32string t(next());
    Advance();
    return t;
  }
  // Up to n single-character tokens satisfying pred.
  template <typename Pred>
  std::u32string GetWhile(int n, Pred pred) {
    std::u32string out;
    for (int i = 0; i < n; ++i) {
      if (tok_len_ != 1 || !pred(tok_[0])) break;
      out.push_back(tok_[0]);
      Advance();
    }
    return out;
  }
  std::u32string GetUntil(char32_t terminator, const char* name) {
    std::u32string result;
    for (;;) {
      std::u32string c(next());
      Advance();
      if (c.empty()) {
        if (result.empty()) Error(std::string("missing ") + name);
        Error(std::string("missing ") + static_cast<char>(terminator) + ", unterminated name",
              static_cast<int64_t>(result.size()));
      }
      if (c.size() == 1 && c[0] == terminator) {
        if (result.empty()) Error(std::string("missing ") + name, 1);
        break;
      }
      result += c;
    }
    return result;
  }
  int64_t tell() const { return static_cast<int64_t>(index_) - tok_len_; }
  void Seek(int64_t index) {
    index_ = static_cast<size_t>(index);
    Advance();
  }
  [[noreturn]] void Error(std::string msg, int64_t offset = 0) const {
    Fail(ErrorKind::kReError, std::move(msg), tell() - offset);
  }
  void CheckGroupName(std::u32string_view name, int64_t offset) const {
    if (!IsIdentifier(name)) {
      Error("bad character in group name " + PyRepr(name),
            static_cast<int64_t>(name.size()) + offset);
    }
  }

 private:
  void Advance() {
    size_t index = index_;
    if (index >= s_.size()) {
      tok_len_ = 0;
      return;
    }
    tok_[0] = s_[index];
    tok_len_ = 1;
    if (s_[index] == U'\\') {
      ++index;
      if (index >= s_.size()) {
        Fail(ErrorKind::kReError, "bad escape (end of pattern)",
             static_cast<int64_t>(s_.size()) - 1);
      }
      tok_[1] = s_[index];
      tok_len_ = 2;
    }
    index_ = index + 1;
  }

  std::u32string_view s_;
  size_t index_ = 0;
  char32_t tok_[2] = {0, 0};
  int tok_len_ = 0;
};

bool TokIs(std::u32string_view t, char32_t c) { return t.size() == 1 && t[0] == c; }

// _parser.State.
struct ParseState {
  int flags = 0;
  std::vector<std::pair<std::u32string, int>> groupdict;  // in definition order
  std::vector<std::optional<Width>> groupwidths{std::nullopt};  // [0]: the whole match
  int lookbehindgroups = -1;  // -1: None
  std::vector<std::pair<int64_t, int64_t>> grouprefpos;  // condition group -> position
  int frames = 0;

  int groups() const { return static_cast<int>(groupwidths.size()); }
  int FindGroup(std::u32string_view name) const {
    for (const auto& [n, g] : groupdict) {
      if (n == name) return g;
    }
    return -1;
  }
  bool CheckGroup(int64_t gid) const {
    return gid < groups() && groupwidths[static_cast<size_t>(gid)].has_value();
  }
  void CheckLookbehindGroup(int64_t gid, const Tokenizer& source) const {
    if (lookbehindgroups >= 0) {
      if (!CheckGroup(gid)) source.Error("cannot refer to an open group");
      if (gid >= lookbehindgroups) {
        source.Error("cannot refer to group defined in the same lookbehind subpattern");
      }
    }
  }
};

uint64_t SatAdd(uint64_t a, uint64_t b) {
  uint64_t r = a + b;
  return r < a ? UINT64_MAX : r;
}

// SubPattern.getwidth: (min, max) width, clamped as sre clamps them.
Width GetWidth(const Seq& seq, const ParseState& state) {
  uint64_t lo = 0, hi = 0;
  for (const Node& n : seq) {
    switch (n.op) {
      case Op::kBranch: {
        uint64_t i = kMaxRepeat - 1, j = 0;
        for (const Seq& alt : n.subs) {
          Width w = GetWidth(alt, state);
          i = std::min(i, w.lo);
          j = std::max(j, w.hi);
        }
        lo = SatAdd(lo, i);
        hi = SatAdd(hi, j);
        break;
      }
      case Op::kAtomicGroup:
      case Op::kSubpattern: {
        Width w = GetWidth(n.subs[0], state);
        lo = SatAdd(lo, w.lo);
        hi = SatAdd(hi, w.hi);
        break;
      }
      case Op::kRepeat: {
        Width w = GetWidth(n.subs[0], state);
        // Both factors are below 2^32, so the products fit.
        lo = SatAdd(lo, w.lo * n.min);
        hi = SatAdd(hi, w.hi * n.max);
        break;
      }
      case Op::kAny:
      case Op::kIn:
      case Op::kLiteral:
      case Op::kNotLiteral:
        lo = SatAdd(lo, 1);
        hi = SatAdd(hi, 1);
        break;
      case Op::kGroupRef: {
        const Width& w = *state.groupwidths[n.value];
        lo = SatAdd(lo, w.lo);
        hi = SatAdd(hi, w.hi);
        break;
      }
      case Op::kGroupRefExists: {
        Width w = GetWidth(n.subs[0], state);
        uint64_t i = w.lo, j = w.hi;
        if (n.has_no) {
          Width no = GetWidth(n.subs[1], state);
          i = std::min(i, no.lo);
          j = std::max(j, no.hi);
        } else {
          i = 0;
        }
        lo = SatAdd(lo, i);
        hi = SatAdd(hi, j);
        break;
      }
      case Op::kAt:
      case Op::kAssert:
      case Op::kAssertNot:
        break;
    }
  }
  return Width{std::min<uint64_t>(lo, kMaxRepeat - 1), std::min<uint64_t>(hi, kMaxRepeat)};
}

int FlagOf(char32_t c) {
  switch (c) {
    case U'i': return kIgnoreCase;
    case U'L': return kLocale;
    case U'm': return kMultiline;
    case U's': return kDotAll;
    case U'x': return kVerbose;
    case U'a': return kAscii;
    case U't': return kTemplate;
    case U'u': return kUnicode;
    default: return 0;
  }
}

bool IsWhitespace(std::u32string_view t) {
  return t.size() == 1 && (t[0] == U' ' || t[0] == U'\t' || t[0] == U'\n' || t[0] == U'\r' ||
                           t[0] == U'\v' || t[0] == U'\f');
}

class Parser {
 public:
  Parser(std::u32string_view pattern, int flags) : source_(pattern) { state_.flags = flags; }

  Seq Parse() {
    Seq p = ParseSub(state_.flags & kVerbose, 0);
    FixFlags();
    if (!source_.at_end()) source_.Error("unbalanced parenthesis");
    for (const auto& [g, pos] : state_.grouprefpos) {
      if (g >= state_.groups()) {
        Fail(ErrorKind::kReError, "invalid group reference " + std::to_string(g), pos);
      }
    }
    return p;
  }

  ParseState& state() { return state_; }

 private:
  // Counts parser recursion like CPython's frame depth (see kMaxParseFrames).
  struct Frame {
    explicit Frame(ParseState* s) : state(s) {
      if (++state->frames > kMaxParseFrames || StackNearlyExhausted()) {
        Fail(ErrorKind::kRecursionError, "maximum recursion depth exceeded", -1);
      }
    }
    ~Frame() { --state->frames; }
    ParseState* state;
  };

  void FixFlags() {
    int& flags = state_.flags;
    if (flags & kLocale) {
      Fail(ErrorKind::kValueError, "cannot use LOCALE flag with a str pattern", -1);
    }
    if (!(flags & kAscii)) {
      flags |= kUnicode;
    } else if (flags & kUnicode) {
      Fail(ErrorKind::kValueError, "ASCII and UNICODE flags are incompatible", -1);
    }
  }

  // _escape: a backslash escape outside a character class.
  Node Escape(std::u32string escape) {
    char32_t c = escape[1];
    switch (c) {
      case U'A': return Leaf(Op::kAt, kAtBeginningString);
      case U'b': return Leaf(Op::kAt, kAtBoundary);
      case U'B': return Leaf(Op::kAt, kAtNonBoundary);
      case U'd': return InNode({{SetItem::kCategory, kCatDigit}});
      case U'D': return InNode({{SetItem::kCategory, kCatNotDigit}});
      case U's': return InNode({{SetItem::kCategory, kCatSpace}});
      case U'S': return InNode({{SetItem::kCategory, kCatNotSpace}});
      case U'w': return InNode({{SetItem::kCategory, kCatWord}});
      case U'W': return InNode({{SetItem::kCategory, kCatNotWord}});
      case U'Z': return Leaf(Op::kAt, kAtEndString);
      default: break;
    }
    if (auto lit = SimpleEscape(c)) return Leaf(Op::kLiteral, *lit);
    if (auto lit = NumericEscape(&escape)) return Leaf(Op::kLiteral, *lit);
    if (c == U'0') {
      escape += source_.GetWhile(2, IsOctDigit);
      return Leaf(Op::kLiteral, OctalValue(escape, 1));
    }
    if (IsAsciiDigit(c)) {
      // An octal escape or a group reference.
      if (source_.NextIsDigit()) {
        escape += source_.Get();
        if (IsOctDigit(escape[1]) && IsOctDigit(escape[2]) && source_.NextIsOct()) {
          escape += source_.Get();
          uint32_t v = OctalValue(escape, 1);
          if (v > 0377) {
            source_.Error("octal escape value " + Utf8(escape) + " outside of range 0-0o377",
                          static_cast<int64_t>(escape.size()));
          }
          return Leaf(Op::kLiteral, v);
        }
      }
      int group = 0;
      for (size_t i = 1; i < escape.size(); ++i) group = group * 10 + (escape[i] - U'0');
      if (group < state_.groups()) {
        if (!state_.CheckGroup(group)) {
          source_.Error("cannot refer to an open group", static_cast<int64_t>(escape.size()));
        }
        state_.CheckLookbehindGroup(group, source_);
        return Leaf(Op::kGroupRef, static_cast<uint32_t>(group));
      }
      source_.Error("invalid group reference " + std::to_string(group),
                    static_cast<int64_t>(escape.size()) - 1);
    }
    if (escape.size() == 2) {
      if (IsAsciiLetter(c)) source_.Error("bad escape " + Utf8(escape), 2);
      return Leaf(Op::kLiteral, c);
    }
    source_.Error("bad escape " + Utf8(escape), static_cast<int64_t>(escape.size()));
  }

  // _class_escape: a backslash escape inside a character class; a literal or a category.
  SetItem ClassEscape(std::u32string escape) {
    char32_t c = escape[1];
    if (auto lit = SimpleEscape(c)) return {SetItem::kLiteral, *lit};
    switch (c) {
      case U'd': return {SetItem::kCategory, kCatDigit};
      case U'D': return {SetItem::kCategory, kCatNotDigit};
      case U's': return {SetItem::kCategory, kCatSpace};
      case U'S': return {SetItem::kCategory, kCatNotSpace};
      case U'w': return {SetItem::kCategory, kCatWord};
      case U'W': return {SetItem::kCategory, kCatNotWord};
      default: break;
    }
    if (auto lit = NumericEscape(&escape)) return {SetItem::kLiteral, *lit};
    if (IsOctDigit(c)) {
      escape += source_.GetWhile(2, IsOctDigit);
      uint32_t v = OctalValue(escape, 1);
      if (v > 0377) {
        source_.Error("octal escape value " + Utf8(escape) + " outside of range 0-0o377",
                      static_cast<int64_t>(escape.size()));
      }
      return {SetItem::kLiteral, v};
    }
    if (!IsAsciiDigit(c) && escape.size() == 2) {
      if (IsAsciiLetter(c)) source_.Error("bad escape " + Utf8(escape), 2);
      return {SetItem::kLiteral, c};
    }
    source_.Error("bad escape " + Utf8(escape), static_cast<int64_t>(escape.size()));
  }

  static std::optional<uint32_t> SimpleEscape(char32_t c) {
    switch (c) {
      case U'a': return 7;
      case U'b': return 8;
      case U'f': return 12;
      case U'n': return 10;
      case U'r': return 13;
      case U't': return 9;
      case U'v': return 11;
      case U'\\': return '\\';
      default: return std::nullopt;
    }
  }

  static uint32_t OctalValue(std::u32string_view s, size_t from) {
    uint32_t v = 0;
    for (size_t i = from; i < s.size(); ++i) v = v * 8 + (s[i] - U'0');
    return v;
  }

  // \x \u \U \N, shared by both escape contexts; nullopt when `escape` is none of them.
  std::optional<uint32_t> NumericEscape(std::u32string* escape) {
    char32_t c = (*escape)[1];
    int digits = c == U'x' ? 2 : c == U'u' ? 4 : c == U'U' ? 8 : 0;
    if (digits > 0) {
      *escape += source_.GetWhile(digits, IsHexDigit);
      if (escape->size() != static_cast<size_t>(digits) + 2) {
        source_.Error("incomplete escape " + Utf8(*escape), static_cast<int64_t>(escape->size()));
      }
      uint64_t v = 0;
      for (size_t i = 2; i < escape->size(); ++i) {
        char32_t h = (*escape)[i];
        v = v * 16 + (IsAsciiDigit(h) ? h - U'0' : (h | 0x20) - U'a' + 10);
      }
      if (v > 0x10FFFF) {  // chr() raises ValueError, which becomes "bad escape"
        source_.Error("bad escape " + Utf8(*escape), static_cast<int64_t>(escape->size()));
      }
      return static_cast<uint32_t>(v);
    }
    if (c == U'N') {
      int64_t start = source_.tell() - 2;
      if (!source_.Match(U'{')) source_.Error("missing {");
      std::u32string name = source_.GetUntil(U'}', "character name");
      Fail(ErrorKind::kUnsupported,
           "\\N{...} escapes are not supported (no Unicode name database): " + PyRepr(name),
           start);
    }
    return std::nullopt;
  }

  // _parse_sub: an alternation.
  Seq ParseSub(bool verbose, int nested) {
    Frame frame(&state_);
    std::vector<Seq> items;
    for (;;) {
      items.push_back(ParseSeq(verbose, nested + 1, nested == 0 && items.empty()));
      if (!source_.Match(U'|')) break;
      if (nested == 0) verbose = state_.flags & kVerbose;
    }
    if (items.size() == 1) return std::move(items[0]);

    Seq subpattern;
    // Hoist a prefix common to all alternatives.
    for (;;) {
      bool all_same = true;
      const Node* prefix = nullptr;
      for (const Seq& item : items) {
        if (item.empty()) {
          all_same = false;
          break;
        }
        if (prefix == nullptr) {
          prefix = &item[0];
        } else if (!item[0].SameItem(*prefix)) {
          all_same = false;
          break;
        }
      }
      if (!all_same) break;
      Node hoisted = items[0][0];
      for (Seq& item : items) item.erase(item.begin());
      subpattern.push_back(std::move(hoisted));
    }
    // Alternatives of single characters become a character set.
    std::vector<SetItem> set;
    bool all_chars = true;
    for (const Seq& item : items) {
      if (item.size() != 1) {
        all_chars = false;
        break;
      }
      const Node& n = item[0];
      if (n.op == Op::kLiteral) {
        set.push_back({SetItem::kLiteral, n.value});
      } else if (n.op == Op::kIn && n.set[0].kind != SetItem::kNegate) {
        set.insert(set.end(), n.set.begin(), n.set.end());
      } else {
        all_chars = false;
        break;
      }
    }
    if (all_chars) {
      subpattern.push_back(InNode(Uniq(std::move(set))));
      return subpattern;
    }
    Node branch;
    branch.op = Op::kBranch;
    branch.subs = std::move(items);
    subpattern.push_back(std::move(branch));
    return subpattern;
  }

  static std::vector<SetItem> Uniq(std::vector<SetItem> items) {
    std::vector<SetItem> out;
    for (const SetItem& it : items) {
      if (std::find(out.begin(), out.end(), it) == out.end()) out.push_back(it);
    }
    return out;
  }

  // _parse: a sequence of items up to '|' or ')'.
  Seq ParseSeq(bool verbose, int nested, bool first) {
    Frame frame(&state_);
    Seq subpattern;
    for (;;) {
      if (source_.at_end()) break;
      if (source_.NextIs(U'|') || source_.NextIs(U')')) break;
      std::u32string self = source_.Get();
      if (verbose) {
        if (IsWhitespace(self)) continue;
        if (TokIs(self, U'#')) {
          for (;;) {
            std::u32string t = source_.Get();
            if (t.empty() || TokIs(t, U'\n')) break;
          }
          continue;
        }
      }
      if (self[0] == U'\\') {
        subpattern.push_back(Escape(self));
        continue;
      }
      char32_t c = self[0];
      switch (c) {
        case U'[':
          subpattern.push_back(ParseClass());
          break;
        case U'*':
        case U'+':
        case U'?':
        case U'{':
          ParseRepeat(c, &subpattern);
          break;
        case U'.':
          subpattern.push_back(Leaf(Op::kAny));
          break;
        case U'(':
          if (ParseGroup(&subpattern, &verbose, nested, first)) continue;
          break;
        case U'^':
          subpattern.push_back(Leaf(Op::kAt, kAtBeginning));
          break;
        case U'$':
          subpattern.push_back(Leaf(Op::kAt, kAtEnd));
          break;
        default:
          subpattern.push_back(Leaf(Op::kLiteral, c));
          break;
      }
    }
    // Unpack non-capturing groups without flags.
    Seq out;
    for (Node& n : subpattern) {
      if (n.op == Op::kSubpattern && n.group == 0 && n.add_flags == 0 && n.del_flags == 0) {
        for (Node& inner : n.subs[0]) out.push_back(std::move(inner));
      } else {
        out.push_back(std::move(n));
      }
    }
    return out;
  }

  Node ParseClass() {
    int64_t here = source_.tell() - 1;
    std::vector<SetItem> set;
    bool negate = source_.Match(U'^');
    for (;;) {
      std::u32string self = source_.Get();
      if (self.empty()) source_.Error("unterminated character set", source_.tell() - here);
      if (TokIs(self, U']') && !set.empty()) break;
      SetItem code1 = self[0] == U'\\' ? ClassEscape(self) : SetItem{SetItem::kLiteral, self[0]};
      if (source_.Match(U'-')) {
        std::u32string that = source_.Get();
        if (that.empty()) source_.Error("unterminated character set", source_.tell() - here);
        if (TokIs(that, U']')) {
          set.push_back(code1);
          set.push_back({SetItem::kLiteral, U'-'});
          break;
        }
        SetItem code2 =
            that[0] == U'\\' ? ClassEscape(that) : SetItem{SetItem::kLiteral, that[0]};
        std::string msg = "bad character range " + Utf8(self) + "-" + Utf8(that);
        int64_t offset = static_cast<int64_t>(self.size() + 1 + that.size());
        if (code1.kind != SetItem::kLiteral || code2.kind != SetItem::kLiteral) {
          source_.Error(msg, offset);
        }
        if (code2.lo < code1.lo) source_.Error(msg, offset);
        set.push_back({SetItem::kRange, code1.lo, code2.lo});
      } else {
        set.push_back(code1);
      }
    }
    set = Uniq(std::move(set));
    if (set.size() == 1 && set[0].kind == SetItem::kLiteral) {
      return Leaf(negate ? Op::kNotLiteral : Op::kLiteral, set[0].lo);
    }
    if (negate) set.insert(set.begin(), SetItem{SetItem::kNegate});
    return InNode(std::move(set));
  }

  // Reads digits for a {m,n} bound, saturating: anything >= MAXREPEAT is an error anyway.
  uint64_t ParseBound(const std::u32string& digits) {
    uint64_t v = 0;
    for (char32_t d : digits) v = std::min<uint64_t>(v * 10 + (d - U'0'), uint64_t{1} << 40);
    if (v >= kMaxRepeat) {
      Fail(ErrorKind::kOverflowError, "the repetition number is too large", -1);
    }
    return v;
  }

  void ParseRepeat(char32_t self, Seq* subpattern) {
    int64_t here = source_.tell();
    uint64_t min = 0, max = kMaxRepeat;
    if (self == U'?') {
      max = 1;
    } else if (self == U'+') {
      min = 1;
    } else if (self == U'{') {
      if (source_.NextIs(U'}')) {
        subpattern->push_back(Leaf(Op::kLiteral, self));
        return;
      }
      std::u32string lo, hi;
      while (source_.NextIsDigit()) lo += source_.Get();
      if (source_.Match(U',')) {
        while (source_.NextIsDigit()) hi += source_.Get();
      } else {
        hi = lo;
      }
      if (!source_.Match(U'}')) {
        subpattern->push_back(Leaf(Op::kLiteral, self));
        source_.Seek(here);
        return;
      }
      if (!lo.empty()) min = ParseBound(lo);
      if (!hi.empty()) {
        max = ParseBound(hi);
        if (max < min) {
          source_.Error("min repeat greater than max repeat", source_.tell() - here);
        }
      }
    }
    int64_t offset = source_.tell() - here + 1;
    if (subpattern->empty() || subpattern->back().op == Op::kAt) {
      source_.Error("nothing to repeat", offset);
    }
    if (subpattern->back().op == Op::kRepeat) source_.Error("multiple repeat", offset);
    Node item = std::move(subpattern->back());
    subpattern->pop_back();
    Node rep;
    rep.op = Op::kRepeat;
    rep.min = static_cast<uint32_t>(min);
    rep.max = static_cast<uint32_t>(max);
    if (item.op == Op::kSubpattern && item.group == 0 && item.add_flags == 0 &&
        item.del_flags == 0) {
      rep.subs.push_back(std::move(item.subs[0]));
    } else {
      rep.subs.push_back(Seq{});
      rep.subs[0].push_back(std::move(item));
    }
    if (source_.Match(U'?')) {
      rep.repeat = RepeatKind::kLazy;
    } else if (source_.Match(U'+')) {
      rep.repeat = RepeatKind::kPossessive;
    }
    subpattern->push_back(std::move(rep));
  }

  // After '(' . Returns true when nothing was appended and parsing should just continue.
  bool ParseGroup(Seq* subpattern, bool* verbose, int nested, bool first) {
    int64_t start = source_.tell() - 1;
    bool capture = true, atomic = false;
    std::optional<std::u32string> name;
    int add_flags = 0, del_flags = 0;
    if (source_.Match(U'?')) {
      std::u32string ch = source_.Get();
      if (ch.empty()) source_.Error("unexpected end of pattern");
      if (TokIs(ch, U'P')) {
        if (source_.Match(U'<')) {
          name = source_.GetUntil(U'>', "group name");
          source_.CheckGroupName(*name, 1);
        } else if (source_.Match(U'=')) {
          std::u32string ref = source_.GetUntil(U')', "group name");
          source_.CheckGroupName(ref, 1);
          int gid = state_.FindGroup(ref);
          if (gid < 0) {
            source_.Error("unknown group name " + PyRepr(ref),
                          static_cast<int64_t>(ref.size()) + 1);
          }
          if (!state_.CheckGroup(gid)) {
            source_.Error("cannot refer to an open group", static_cast<int64_t>(ref.size()) + 1);
          }
          state_.CheckLookbehindGroup(gid, source_);
          subpattern->push_back(Leaf(Op::kGroupRef, static_cast<uint32_t>(gid)));
          return true;
        } else {
          std::u32string c = source_.Get();
          if (c.empty()) source_.Error("unexpected end of pattern");
          source_.Error("unknown extension ?P" + Utf8(c), static_cast<int64_t>(c.size()) + 2);
        }
      } else if (TokIs(ch, U':')) {
        capture = false;
      } else if (TokIs(ch, U'#')) {
        for (;;) {
          if (source_.at_end()) {
            source_.Error("missing ), unterminated comment", source_.tell() - start);
          }
          if (TokIs(source_.Get(), U')')) break;
        }
        return true;
      } else if (TokIs(ch, U'=') || TokIs(ch, U'!') || TokIs(ch, U'<')) {
        bool behind = false;
        int saved_lookbehind = 0;
        if (TokIs(ch, U'<')) {
          ch = source_.Get();
          if (ch.empty()) source_.Error("unexpected end of pattern");
          if (!TokIs(ch, U'=') && !TokIs(ch, U'!')) {
            source_.Error("unknown extension ?<" + Utf8(ch), static_cast<int64_t>(ch.size()) + 2);
          }
          behind = true;
          saved_lookbehind = state_.lookbehindgroups;
          if (saved_lookbehind < 0) state_.lookbehindgroups = state_.groups();
        }
        Seq p = ParseSub(*verbose, nested + 1);
        if (behind && saved_lookbehind < 0) state_.lookbehindgroups = -1;
        if (!source_.Match(U')')) {
          source_.Error("missing ), unterminated subpattern", source_.tell() - start);
        }
        Node n;
        n.op = TokIs(ch, U'=') ? Op::kAssert : Op::kAssertNot;
        n.behind = behind;
        n.subs.push_back(std::move(p));
        subpattern->push_back(std::move(n));
        return true;
      } else if (TokIs(ch, U'(')) {
        ParseConditional(subpattern, *verbose, nested, start);
        return true;
      } else if (TokIs(ch, U'>')) {
        capture = false;
        atomic = true;
      } else if (ch.size() == 1 && (FlagOf(ch[0]) != 0 || ch[0] == U'-')) {
        bool global = ParseFlags(ch[0], &add_flags, &del_flags);
        if (global) {
          if (!first || !subpattern->empty()) {
            source_.Error("global flags not at the start of the expression",
                          source_.tell() - start);
          }
          *verbose = state_.flags & kVerbose;
          return true;
        }
        capture = false;
      } else {
        source_.Error("unknown extension ?" + Utf8(ch), static_cast<int64_t>(ch.size()) + 1);
      }
    }
    int group = 0;
    if (capture) {
      group = state_.groups();
      state_.groupwidths.emplace_back();
      if (group > kMaxGroups) source_.Error("too many groups");
      if (name) {
        int ogid = state_.FindGroup(*name);
        if (ogid >= 0) {
          source_.Error("redefinition of group name " + PyRepr(*name) + " as group " +
                            std::to_string(group) + "; was group " + std::to_string(ogid),
                        static_cast<int64_t>(name->size()) + 1);
        }
        state_.groupdict.emplace_back(*name, group);
      }
    }
    bool sub_verbose = (*verbose || (add_flags & kVerbose)) && !(del_flags & kVerbose);
    Seq p = ParseSub(sub_verbose, nested + 1);
    if (!source_.Match(U')')) {
      source_.Error("missing ), unterminated subpattern", source_.tell() - start);
    }
    if (group != 0) state_.groupwidths[static_cast<size_t>(group)] = GetWidth(p, state_);
    Node n;
    n.op = atomic ? Op::kAtomicGroup : Op::kSubpattern;
    n.group = group;
    n.add_flags = add_flags;
    n.del_flags = del_flags;
    n.subs.push_back(std::move(p));
    subpattern->push_back(std::move(n));
    return false;
  }

  void ParseConditional(Seq* subpattern, bool verbose, int nested, int64_t start) {
    std::u32string condname = source_.GetUntil(U')', "group name");
    int64_t condgroup = 0;
    int64_t name_offset = static_cast<int64_t>(condname.size()) + 1;
    if (IsIdentifier(condname)) {
      condgroup = state_.FindGroup(condname);
      if (condgroup < 0) source_.Error("unknown group name " + PyRepr(condname), name_offset);
    } else {
      bool negative;
      std::string digits;
      if (!ParsePyInt(condname, &negative, &digits, &condgroup) || negative) {
        source_.Error("bad character in group name " + PyRepr(condname), name_offset);
      }
      if (condgroup == 0) source_.Error("bad group number", name_offset);
      if (condgroup >= kMaxGroups) source_.Error("invalid group reference " + digits, name_offset);
      bool seen = false;
      for (const auto& gp : state_.grouprefpos) seen |= gp.first == condgroup;
      if (!seen) state_.grouprefpos.emplace_back(condgroup, source_.tell() - name_offset);
    }
    state_.CheckLookbehindGroup(condgroup, source_);
    Node n;
    n.op = Op::kGroupRefExists;
    n.value = static_cast<uint32_t>(condgroup);
    n.subs.push_back(ParseSeq(verbose, nested + 1, false));
    if (source_.Match(U'|')) {
      n.subs.push_back(ParseSeq(verbose, nested + 1, false));
      n.has_no = true;
      if (source_.NextIs(U'|')) {
        source_.Error("conditional backref with more than two branches");
      }
    }
    if (!source_.Match(U')')) {
      source_.Error("missing ), unterminated subpattern", source_.tell() - start);
    }
    subpattern->push_back(std::move(n));
  }

  // _parse_flags. Returns true for global flags "(?flags)", false for "(?flags-flags:".
  bool ParseFlags(char32_t c, int* add_flags, int* del_flags) {
    std::u32string ch(1, c);
    if (c != U'-') {
      for (;;) {
        int flag = FlagOf(ch[0]);
        if (ch[0] == U'L') {
          source_.Error("bad inline flags: cannot use 'L' flag with a str pattern");
        }
        *add_flags |= flag;
        if ((flag & kTypeFlags) && (*add_flags & kTypeFlags) != flag) {
          source_.Error("bad inline flags: flags 'a', 'u' and 'L' are incompatible");
        }
        ch = source_.Get();
        if (ch.empty()) source_.Error("missing -, : or )");
        if (TokIs(ch, U')') || TokIs(ch, U'-') || TokIs(ch, U':')) break;
        if (ch.size() != 1 || FlagOf(ch[0]) == 0) {
          bool alpha = ch.size() == 1 && unicode::IsAlpha(ch[0]);
          source_.Error(alpha ? "unknown flag" : "missing -, : or )",
                        static_cast<int64_t>(ch.size()));
        }
      }
    }
    if (TokIs(ch, U')')) {
      state_.flags |= *add_flags;
      return true;
    }
    if (*add_flags & kGlobalFlags) {
      source_.Error("bad inline flags: cannot turn on global flag", 1);
    }
    if (TokIs(ch, U'-')) {
      ch = source_.Get();
      if (ch.empty()) source_.Error("missing flag");
      if (ch.size() != 1 || FlagOf(ch[0]) == 0) {
        bool alpha = ch.size() == 1 && unicode::IsAlpha(ch[0]);
        source_.Error(alpha ? "unknown flag" : "missing flag", static_cast<int64_t>(ch.size()));
      }
      for (;;) {
        int flag = FlagOf(ch[0]);
        if (flag & kTypeFlags) {
          source_.Error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'");
        }
        *del_flags |= flag;
        ch = source_.Get();
        if (ch.empty()) source_.Error("missing :");
        if (TokIs(ch, U':')) break;
        if (ch.size() != 1 || FlagOf(ch[0]) == 0) {
          bool alpha = ch.size() == 1 && unicode::IsAlpha(ch[0]);
          source_.Error(alpha ? "unknown flag" : "missing :", static_cast<int64_t>(ch.size()));
        }
      }
    }
    if (*del_flags & kGlobalFlags) {
      source_.Error("bad inline flags: cannot turn off global flag", 1);
    }
    if (*add_flags & *del_flags) source_.Error("bad inline flags: flag turned on and off", 1);
    return false;
  }

  Tokenizer source_;
  ParseState state_;
};

// ---------------------------------------------------------------------------------------------
// Compiled form. Code is a flat array of 32-bit words; jump operands are absolute indices.
//
//   kFailure                        fail
//   kSuccess                        end of the pattern or of a sub-program (assertion body...)
//   kAny / kAnyAll                  any character but '\n' / any character
//   kAt code                        zero-width assertion (At)
//   kLiteral c                      text char == c        (kNotLiteral: !=)
//   kLiteralAscii c                 ASCII-lowered char == c (c already lowered); + kNot...
//   kLiteralUni c                   SimpleLower(char) == c; + kNotLiteralUni
//   kIn set                         sets[set] contains char; kInAscii / kInUni lower it first
//   kMark i                         mark[i] = position (group g: 2g-2 start, 2g-1 end)
//   kJump target
//   kBranch {next body.. kJump end}* 0      alternatives; `next` is the following header
//   kRepeatOne tail min max item kSuccess   greedy repeat of a one-character item
//   kMinRepeatOne, kPossessiveRepeatOne     lazy / possessive versions
//   kRepeat until min max body kMaxUntil|kMinUntil   general repeat; until = index of the UNTIL
//   kAtomicGroup tail body kSuccess
//   kGroupRef g                     backreference to group g (0-based); +Ascii/Uni ignore-case
//   kGroupRefExists g no            conditional: yes code follows, `no` is the else branch
//   kAssert tail back body kSuccess lookahead (back 0) or lookbehind of width `back`
//   kAssertNot tail back body kSuccess

enum Opcode : uint32_t {
  kFailure = 0,  // also the kBranch terminator
  kSuccess,
  kAny,
  kAnyAll,
  kAtOp,
  kLiteral,
  kNotLiteral,
  kLiteralAscii,
  kNotLiteralAscii,
  kLiteralUni,
  kNotLiteralUni,
  kIn,
  kInAscii,
  kInUni,
  kMark,
  kJump,
  kBranch,
  kRepeatOne,
  kMinRepeatOne,
  kPossessiveRepeatOne,
  kRepeat,
  kMaxUntil,
  kMinUntil,
  kAtomicGroup,
  kGroupRef,
  kGroupRefAscii,
  kGroupRefUni,
  kGroupRefExists,
  kAssert,
  kAssertNot,
};

uint32_t AsciiLower(uint32_t c) { return c - U'A' < 26 ? c + 32 : c; }
bool AsciiIsCased(uint32_t c) { return c < 128 && IsAsciiLetter(c); }
bool UniIsCased(uint32_t c) { return unicode::SimpleLower(c) != c || unicode::SimpleUpper(c) != c; }

bool IsAsciiSpace(uint32_t c) { return c == U' ' || (c >= U'\t' && c <= U'\r'); }
bool IsAsciiWord(uint32_t c) {
  return c < 128 && (IsAsciiLetter(c) || IsAsciiDigit(c) || c == U'_');
}
bool IsUniWord(uint32_t c) { return c == U'_' || unicode::IsAlnum(c); }

// A character class as sre evaluates it: membership is the union of its parts, negated by a
// leading NEGATE.
struct CharSet {
  bool negate = false;
  // Membership (before negation) of every code point below 256, all parts included; built by
  // Finalize so that the common case is one bit test.
  uint64_t latin1[4] = {0, 0, 0, 0};
  std::vector<std::pair<uint32_t, uint32_t>> ranges;  // members, sorted and disjoint
  uint32_t categories = 0;  // bit (category + 6 * unicode)
  // sre's RANGE_UNI_IGNORE: c matches when c or SimpleUpper(c) is in the range.
  std::vector<std::pair<uint32_t, uint32_t>> upper_ranges;

  void Finalize() {
    for (uint32_t c = 0; c < 256; ++c) {
      if (InParts(c)) latin1[c >> 6] |= uint64_t{1} << (c & 63);
    }
  }

  bool Contains(uint32_t c) const {
    if (c < 256) return (((latin1[c >> 6] >> (c & 63)) & 1) != 0) != negate;
    return InParts(c) != negate;
  }

  bool InParts(uint32_t c) const {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), std::make_pair(c, UINT32_MAX));
    if (it != ranges.begin() && (it - 1)->second >= c) return true;
    if (categories != 0 && InCategories(c)) return true;
    if (!upper_ranges.empty()) {
      uint32_t u = unicode::SimpleUpper(c);
      for (const auto& [lo, hi] : upper_ranges) {
        if ((lo <= c && c <= hi) || (lo <= u && u <= hi)) return true;
      }
    }
    return false;
  }

  bool InCategories(uint32_t c) const {
    for (uint32_t bits = categories; bits != 0; bits &= bits - 1) {
      int cat = __builtin_ctz(bits);
      bool uni = cat >= 6;
      bool yes;
      switch (cat % 6) {
        case kCatDigit:
        case kCatNotDigit:
          yes = uni ? unicode::IsDecimal(c) : IsAsciiDigit(c);
          break;
        case kCatSpace:
        case kCatNotSpace:
          yes = uni ? unicode::IsSpace(c) : IsAsciiSpace(c);
          break;
        default:
          yes = uni ? IsUniWord(c) : IsAsciiWord(c);
          break;
      }
      if (yes != (cat % 2 == 1)) return true;  // odd categories are the negated ones
    }
    return false;
  }
};

// What Compiler produces and Matcher runs.
struct CompiledProgram {
  std::vector<uint32_t> code;
  std::vector<CharSet> sets;
  int groups = 0;
  uint64_t min_width = 0;  // no match is shorter (sre's INFO block)
  // Search acceleration. Every match consumes a first character, tested by the one-character
  // instruction at code[first_op] (-1: no such test is known); when that instruction is a
  // plain literal, first_char is its character and the search scans for it directly.
  int64_t first_op = -1;
  int64_t first_char = -1;
};

// _compiler._compile: parse tree to code.
class Compiler {
 public:
  Compiler(CompiledProgram* prog, const ParseState& state) : prog_(prog), state_(state) {}

  void Compile(const Seq& seq, int flags) {
    for (const Node& n : seq) CompileNode(n, flags);
  }

 private:
  void Emit(uint32_t w) { code().push_back(w); }
  std::vector<uint32_t>& code() { return prog_->code; }
  uint32_t here() const { return static_cast<uint32_t>(prog_->code.size()); }

  static int CombineFlags(int flags, int add, int del) {
    if (add & kTypeFlags) flags &= ~kTypeFlags;
    return (flags | add) & ~del;
  }

  static bool IsSimple(const Seq& p) {
    if (p.size() != 1) return false;
    const Node& n = p[0];
    if (n.op == Op::kSubpattern) return n.group == 0 && IsSimple(n.subs[0]);
    return n.op == Op::kAny || n.op == Op::kIn || n.op == Op::kLiteral || n.op == Op::kNotLiteral;
  }

  // 0: case-sensitive; 1: ASCII ignore-case; 2: Unicode ignore-case (with re._casefix).
  static int CaseMode(int flags) {
    if (!(flags & kIgnoreCase)) return 0;
    return (flags & kUnicode) ? 2 : 1;
  }

  uint32_t AddSet(CharSet set) {
    set.Finalize();
    prog_->sets.push_back(std::move(set));
    return static_cast<uint32_t>(prog_->sets.size() - 1);
  }

  // _optimize_charset, reduced to its effect on membership. Returns whether sre would treat
  // the set as cased (and so lower the text character before testing it).
  bool BuildSet(const std::vector<SetItem>& items, int case_mode, bool unicode, CharSet* out) {
    bool hascased = false;
    std::vector<std::pair<uint32_t, uint32_t>> ranges;
    std::vector<uint64_t> bmp;  // lowered BMP members, for the ignore-case modes
    auto fix = [case_mode](uint32_t c) {
      return case_mode == 2 ? unicode::SimpleLower(c) : AsciiLower(c);
    };
    auto iscased = [case_mode](uint32_t c) {
      return case_mode == 2 ? UniIsCased(c) : AsciiIsCased(c);
    };
    auto mark = [&](uint32_t lo) {
      if (bmp.empty()) bmp.assign(1024, 0);
      bmp[lo >> 6] |= uint64_t{1} << (lo & 63);
      if (case_mode == 2) {
        for (char32_t k : unicode::ExtraCaseEquivalents(lo)) {
          bmp[k >> 6] |= uint64_t{1} << (k & 63);
        }
      }
    };
    for (const SetItem& it : items) {
      switch (it.kind) {
        case SetItem::kNegate:
          out->negate = true;
          break;
        case SetItem::kCategory:
          out->categories |= 1u << (it.lo + (unicode ? 6 : 0));
          break;
        case SetItem::kLiteral:
          if (case_mode == 0) {
            ranges.emplace_back(it.lo, it.lo);
          } else if (fix(it.lo) >= 0x10000) {
            // Beyond sre's 64K charmap: kept as written, and the set counts as cased.
            ranges.emplace_back(it.lo, it.lo);
            hascased = true;
          } else {
            mark(fix(it.lo));
            if (iscased(it.lo)) hascased = true;
          }
          break;
        case SetItem::kRange: {
          if (case_mode == 0) {
            ranges.emplace_back(it.lo, it.hi);
            break;
          }
          bool beyond = false;
          for (uint32_t c = it.lo;; ++c) {
            uint32_t l = fix(c);
            if (l >= 0x10000) {
              beyond = true;
              break;
            }
            mark(l);
            if (c == it.hi) break;
          }
          if (beyond) {
            out->upper_ranges.emplace_back(it.lo, it.hi);
            hascased = true;
          } else if (!hascased) {
            for (uint32_t c = it.lo;; ++c) {
              if (iscased(c)) {
                hascased = true;
                break;
              }
              if (c == it.hi) break;
            }
          }
          break;
        }
      }
    }
    if (!bmp.empty()) {
      auto bit = [&bmp](uint32_t c) { return (bmp[c >> 6] >> (c & 63)) & 1; };
      for (uint32_t c = 0; c < 0x10000;) {
        if (bmp[c >> 6] == 0) {
          c = (c | 63) + 1;
        } else if (!bit(c)) {
          ++c;
        } else {
          uint32_t lo = c;
          while (c < 0x10000 && bit(c)) ++c;
          ranges.emplace_back(lo, c - 1);
        }
      }
    }
    std::sort(ranges.begin(), ranges.end());
    for (const auto& r : ranges) {
      if (!out->ranges.empty() && r.first <= out->ranges.back().second + 1) {
        out->ranges.back().second = std::max(out->ranges.back().second, r.second);
      } else {
        out->ranges.push_back(r);
      }
    }
    return hascased;
  }

  void CompileLiteral(const Node& n, int flags) {
    bool negated = n.op == Op::kNotLiteral;
    int mode = CaseMode(flags);
    bool cased = mode == 2 ? UniIsCased(n.value) : AsciiIsCased(n.value);
    if (mode == 0 || !cased) {
      Emit(negated ? kNotLiteral : kLiteral);
      Emit(n.value);
      return;
    }
    if (mode == 1) {
      Emit(negated ? kNotLiteralAscii : kLiteralAscii);
      Emit(AsciiLower(n.value));
      return;
    }
    uint32_t lo = unicode::SimpleLower(n.value);
    std::u32string_view extra = unicode::ExtraCaseEquivalents(lo);
    if (extra.empty()) {
      Emit(negated ? kNotLiteralUni : kLiteralUni);
      Emit(lo);
      return;
    }
    CharSet set;
    set.negate = negated;
    std::vector<uint32_t> members{lo};
    members.insert(members.end(), extra.begin(), extra.end());
    std::sort(members.begin(), members.end());
    for (uint32_t m : members) set.ranges.emplace_back(m, m);
    Emit(kInUni);
    Emit(AddSet(std::move(set)));
  }

  void CompileNode(const Node& n, int flags) {
    switch (n.op) {
      case Op::kLiteral:
      case Op::kNotLiteral:
        CompileLiteral(n, flags);
        break;
      case Op::kIn: {
        CharSet set;
        int mode = CaseMode(flags);
        bool hascased = BuildSet(n.set, mode, flags & kUnicode, &set);
        Emit(!hascased ? kIn : mode == 1 ? kInAscii : kInUni);
        Emit(AddSet(std::move(set)));
        break;
      }
      case Op::kAny:
        Emit((flags & kDotAll) ? kAnyAll : kAny);
        break;
      case Op::kRepeat: {
        if (flags & kTemplate) {
          static const char* kNames[] = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"};
          Fail(ErrorKind::kReError,
               std::string("internal: unsupported template operator ") +
                   kNames[static_cast<int>(n.repeat)],
               -1);
        }
        if (IsSimple(n.subs[0])) {
          static const Opcode kOps[] = {kRepeatOne, kMinRepeatOne, kPossessiveRepeatOne};
          Emit(kOps[static_cast<int>(n.repeat)]);
          uint32_t skip = here();
          Emit(0);
          Emit(n.min);
          Emit(n.max);
          Compile(n.subs[0], flags);
          Emit(kSuccess);
          code()[skip] = here();
        } else if (n.repeat == RepeatKind::kPossessive) {
          // As CPython >= 3.11.5 compiles it (gh-106052): an atomic group around the greedy
          // repeat. 3.11.2's POSSESSIVE_REPEAT instruction returned wrong spans when the body
          // could backtrack or failed inside a lookaround (gh-100061, gh-101955).
          Emit(kAtomicGroup);
          uint32_t atomic_skip = here();
          Emit(0);
          Node greedy = n;
          greedy.repeat = RepeatKind::kGreedy;
          CompileNode(greedy, flags);
          Emit(kSuccess);
          code()[atomic_skip] = here();
        } else {
          Emit(kRepeat);
          uint32_t skip = here();
          Emit(0);
          Emit(n.min);
          Emit(n.max);
          Compile(n.subs[0], flags);
          code()[skip] = here();
          Emit(n.repeat == RepeatKind::kGreedy ? kMaxUntil : kMinUntil);
        }
        break;
      }
      case Op::kSubpattern:
        if (n.group != 0) {
          Emit(kMark);
          Emit(static_cast<uint32_t>(n.group - 1) * 2);
        }
        Compile(n.subs[0], CombineFlags(flags, n.add_flags, n.del_flags));
        if (n.group != 0) {
          Emit(kMark);
          Emit(static_cast<uint32_t>(n.group - 1) * 2 + 1);
        }
        break;
      case Op::kAtomicGroup: {
        Emit(kAtomicGroup);
        uint32_t skip = here();
        Emit(0);
        Compile(n.subs[0], flags);
        Emit(kSuccess);
        code()[skip] = here();
        break;
      }
      case Op::kAssert:
      case Op::kAssertNot: {
        Emit(n.op == Op::kAssert ? kAssert : kAssertNot);
        uint32_t skip = here();
        Emit(0);
        if (!n.behind) {
          Emit(0);
        } else {
          Width w = GetWidth(n.subs[0], state_);
          if (w.lo != w.hi) {
            Fail(ErrorKind::kReError, "look-behind requires fixed-width pattern", -1);
          }
          Emit(static_cast<uint32_t>(w.lo));
        }
        Compile(n.subs[0], flags);
        Emit(kSuccess);
        code()[skip] = here();
        break;
      }
      case Op::kAt: {
        uint32_t at = n.value;
        if (flags & kMultiline) {
          if (at == kAtBeginning) at = kAtBeginningLine;
          if (at == kAtEnd) at = kAtEndLine;
        }
        if (flags & kUnicode) {
          if (at == kAtBoundary) at = kAtUniBoundary;
          if (at == kAtNonBoundary) at = kAtUniNonBoundary;
        }
        Emit(kAtOp);
        Emit(at);
        break;
      }
      case Op::kBranch: {
        Emit(kBranch);
        std::vector<uint32_t> tails;
        for (const Seq& alt : n.subs) {
          uint32_t header = here();
          Emit(0);
          Compile(alt, flags);
          Emit(kJump);
          tails.push_back(here());
          Emit(0);
          code()[header] = here();
        }
        Emit(0);  // end of alternatives
        for (uint32_t t : tails) code()[t] = here();
        break;
      }
      case Op::kGroupRef: {
        int mode = CaseMode(flags);
        Emit(mode == 0 ? kGroupRef : mode == 1 ? kGroupRefAscii : kGroupRefUni);
        Emit(n.value - 1);
        break;
      }
      case Op::kGroupRefExists: {
        Emit(kGroupRefExists);
        Emit(n.value - 1);
        uint32_t skip_yes = here();
        Emit(0);
        Compile(n.subs[0], flags);
        if (n.has_no) {
          Emit(kJump);
          uint32_t skip_no = here();
          Emit(0);
          code()[skip_yes] = here();
          Compile(n.subs[1], flags);
          code()[skip_no] = here();
        } else {
          code()[skip_yes] = here();
        }
        break;
      }
    }
  }

  CompiledProgram* prog_;
  const ParseState& state_;
};

bool IsOneCharOp(uint32_t op) {
  return op == kAny || op == kAnyAll || (op >= kLiteral && op <= kInUni);
}

// Follows the zero-width instructions at the start of the program at pc (marks, anchors,
// lookarounds) to the instruction that must match the first character. Returns its index, or
// -1. For alternatives that all start with plain literals it appends a kIn instruction for
// their union to the code (after the final kSuccess, where nothing jumps) and returns that.
int64_t FirstCharTest(CompiledProgram* prog, uint32_t pc, int depth) {
  std::vector<uint32_t>& code = prog->code;
  for (;;) {
    if (depth > 64) return -1;
    switch (code[pc]) {
      case kMark:
      case kAtOp:
        pc += 2;
        continue;
      case kAssert:
      case kAssertNot:
        pc = code[pc + 1];
        continue;
      case kRepeatOne:
      case kMinRepeatOne:
      case kPossessiveRepeatOne:
        return code[pc + 2] >= 1 ? static_cast<int64_t>(pc) + 4 : -1;
      case kRepeat:
        if (code[pc + 2] < 1) return -1;
        pc += 4;
        ++depth;
        continue;
      case kAtomicGroup:
        pc += 2;
        continue;
      case kBranch: {
        CharSet set;
        for (uint32_t alt = pc + 1; code[alt] != 0; alt = code[alt]) {
          int64_t first = FirstCharTest(prog, alt + 1, depth + 1);
          if (first < 0 || code[first] != kLiteral) return -1;
          set.ranges.emplace_back(code[first + 1], code[first + 1]);
        }
        std::sort(set.ranges.begin(), set.ranges.end());
        set.ranges.erase(std::unique(set.ranges.begin(), set.ranges.end()), set.ranges.end());
        set.Finalize();
        prog->sets.push_back(std::move(set));
        int64_t op = static_cast<int64_t>(code.size());
        code.push_back(kIn);
        code.push_back(static_cast<uint32_t>(prog->sets.size() - 1));
        return op;
      }
      default:
        return IsOneCharOp(code[pc]) ? static_cast<int64_t>(pc) : -1;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Matcher: sre's SRE(match) with its recursion turned into a heap stack of frames. A frame
// "calls" a sub-program by pushing a child frame and resumes at a labelled point when the child
// returns; what is saved and restored around each call (marks, lastmark, repeat counters) is
// exactly what sre saves, which is what makes the captures agree with CPython's.

// sre_lib.h's JUMP_* codes: where a frame resumes after its child returns.
enum Resume : uint8_t {
  kResumeNone,
  kResumeBranch,
  kResumeRepeatOne1,
  kResumeRepeatOne2,
  kResumeMinRepeatOne,
  kResumeRepeat,
  kResumeMaxUntil1,
  kResumeMaxUntil2,
  kResumeMaxUntil3,
  kResumeMinUntil1,
  kResumeMinUntil2,
  kResumeMinUntil3,
  kResumeAtomic,
  kResumeAssert,
  kResumeAssertNot,
};

constexpr int kMatchFailed = 0;
constexpr int kMatchFound = 1;
constexpr int kMatchAborted = -1;
constexpr int kMatchOutOfMemory = -2;

class Matcher {
 public:
  Matcher(const CompiledProgram& prog, std::u32string_view text, int64_t end,
          const ExecOptions& options)
      : code_(prog.code.data()),
        sets_(prog.sets.data()),
        text_(text.data()),
        size_(static_cast<int64_t>(text.size())),
        end_(end),
        options_(options),
        first_op_(prog.first_op),
        marks_(static_cast<size_t>(prog.groups) * 2, -1) {}

  // One attempt at `start`. Returns kMatch* codes.
  int Attempt(int64_t start, bool match_all, bool must_advance) {
    start_ = start;
    st_ptr_ = start;
    match_all_ = match_all;
    must_advance_ = must_advance;
    lastmark_ = -1;
    lastindex_ = -1;
    repeat_ = -1;
    repeats_.clear();
    data_.clear();
    return Run();
  }

  // Whether c can start a match (Program::first_op).
  bool FirstCharOk(char32_t c) const { return MatchOne(static_cast<uint32_t>(first_op_), c); }

  void Fill(Match* m) const {
    size_t groups = marks_.size() / 2;
    m->spans.assign(2 * (groups + 1), -1);
    m->spans[0] = start_;
    m->spans[1] = st_ptr_;
    for (size_t g = 0; g < groups; ++g) {
      int j = static_cast<int>(2 * g);
      if (j + 1 <= lastmark_ && marks_[j] >= 0 && marks_[j + 1] >= 0) {
        m->spans[2 * g + 2] = marks_[j];
        m->spans[2 * g + 3] = marks_[j + 1];
      }
    }
    m->lastindex = lastindex_;
  }

 private:
  struct Frame {
    uint32_t pc;
    uint32_t alt;  // kBranch: header of the alternative being tried
    int64_t ptr;
    int64_t count;
    int32_t lastmark;
    int32_t lastindex;
    int32_t rep;  // repeat context this frame works on
    uint32_t chr;
    Resume resume;
    bool toplevel;
    bool pushed;  // this frame pushed marks that it must pop
  };

  struct RepeatContext {
    int64_t count;
    int64_t last_ptr;  // position of the last iteration start; guards empty iterations
    uint32_t pc;       // its kRepeat instruction
    int32_t prev;
  };

  char32_t Ch(int64_t i) const { return i < size_ ? text_[i] : 0; }

  bool MemoryExceeded() const {
    size_t bytes = frames_.capacity() * sizeof(Frame) + data_.capacity() * sizeof(int64_t) +
                   repeats_.capacity() * sizeof(RepeatContext);
    return bytes > options_.max_state_bytes;
  }

  // Frames live in frames_[0, depth_); the array only grows, so a push writes just the fields
  // that every instruction reads before setting.
  bool PushFrame(uint32_t pc, bool toplevel) {
    if (depth_ == frames_.size()) {
      if (frames_.size() == frames_.capacity() && MemoryExceeded()) return false;
      frames_.emplace_back();
    }
    Frame& f = frames_[depth_++];
    f.pc = pc;
    f.toplevel = toplevel;
    f.rep = -1;
    return true;
  }

  // sre's MARK_PUSH / MARK_POP family: save marks[0..lastmark] around a backtracking point.
  bool MarkPush(int lastmark) {
    if (lastmark < 0) return true;
    if (data_.size() + lastmark + 1 > data_.capacity() && MemoryExceeded()) return false;
    data_.insert(data_.end(), marks_.begin(), marks_.begin() + lastmark + 1);
    return true;
  }
  void MarkPopKeep(int lastmark) {
    if (lastmark < 0) return;
    std::copy(data_.end() - (lastmark + 1), data_.end(), marks_.begin());
  }
  void MarkPopDiscard(int lastmark) {
    if (lastmark < 0) return;
    data_.resize(data_.size() - (lastmark + 1));
  }
  void MarkPop(int lastmark) {
    MarkPopKeep(lastmark);
    MarkPopDiscard(lastmark);
  }

  bool At(int64_t ptr, uint32_t at) const {
    switch (at) {
      case kAtBeginning:
      case kAtBeginningString:
        return ptr == 0;
      case kAtBeginningLine:
        return ptr == 0 || text_[ptr - 1] == U'\n';
      case kAtEnd:
        return (end_ - ptr == 1 && text_[ptr] == U'\n') || ptr == end_;
      case kAtEndLine:
        return ptr == end_ || Ch(ptr) == U'\n';
      case kAtEndString:
        return ptr == end_;
      case kAtBoundary:
      case kAtNonBoundary:
      case kAtUniBoundary:
      case kAtUniNonBoundary: {
        if (end_ == 0) return false;
        bool uni = at == kAtUniBoundary || at == kAtUniNonBoundary;
        auto word = [uni](char32_t c) { return uni ? IsUniWord(c) : IsAsciiWord(c); };
        bool that = ptr > 0 && word(text_[ptr - 1]);
        bool self = ptr < end_ && word(text_[ptr]);
        return (at == kAtBoundary || at == kAtUniBoundary) ? self != that : self == that;
      }
      default:
        return false;
    }
  }

  // Whether the one-character instruction at pc accepts c.
  bool MatchOne(uint32_t pc, char32_t c) const {
    uint32_t arg = code_[pc + 1];
    switch (code_[pc]) {
      case kAny: return c != U'\n';
      case kAnyAll: return true;
      case kLiteral: return c == arg;
      case kNotLiteral: return c != arg;
      case kLiteralAscii: return AsciiLower(c) == arg;
      case kNotLiteralAscii: return AsciiLower(c) != arg;
      case kLiteralUni: return unicode::SimpleLower(c) == arg;
      case kNotLiteralUni: return unicode::SimpleLower(c) != arg;
      case kIn: return sets_[arg].Contains(c);
      case kInAscii: return sets_[arg].Contains(AsciiLower(c));
      case kInUni: return sets_[arg].Contains(unicode::SimpleLower(c));
      default: return false;
    }
  }

  // SRE(count): how many times (up to maxcount) the one-character item at pc matches at ptr.
  int64_t Count(uint32_t pc, int64_t ptr, uint32_t maxcount) const {
    int64_t lim = end_;
    if (maxcount != kMaxRepeat && static_cast<int64_t>(maxcount) < end_ - ptr) lim = ptr + maxcount;
    if (lim <= ptr) return 0;
    int64_t p = ptr;
    uint32_t arg = code_[pc + 1];
    switch (code_[pc]) {
      case kAnyAll:
        return lim - ptr;
      case kAny:
        while (p < lim && text_[p] != U'\n') ++p;
        break;
      case kLiteral:
        while (p < lim && text_[p] == arg) ++p;
        break;
      case kNotLiteral:
        while (p < lim && text_[p] != arg) ++p;
        break;
      case kIn: {
        const CharSet& set = sets_[arg];
        while (p < lim && set.Contains(text_[p])) ++p;
        break;
      }
      default:
        while (p < lim && MatchOne(pc, text_[p])) ++p;
        break;
    }
    return p - ptr;
  }

  bool GroupRef(uint32_t op, uint32_t g, int64_t* ptr) const {
    int groupref = static_cast<int>(g) * 2;
    if (groupref >= lastmark_) return false;
    int64_t p = marks_[groupref], e = marks_[groupref + 1];
    if (p < 0 || e < 0 || e < p) return false;
    int64_t q = *ptr;
    for (; p < e; ++p, ++q) {
      if (q >= end_) return false;
      char32_t a = text_[q], b = text_[p];
      if (op == kGroupRefAscii) {
        a = AsciiLower(a);
        b = AsciiLower(b);
      } else if (op == kGroupRefUni) {
        a = unicode::SimpleLower(a);
        b = unicode::SimpleLower(b);
      }
      if (a != b) return false;
    }
    *ptr = q;
    return true;
  }

  int Run();

  const uint32_t* code_;
  const CharSet* sets_;
  const char32_t* text_;
  int64_t size_;
  int64_t end_;
  const ExecOptions& options_;
  int64_t first_op_;

  int64_t start_ = 0;
  int64_t st_ptr_ = 0;  // sre's state->ptr: where a child starts and where a success ended
  bool match_all_ = false;
  bool must_advance_ = false;
  std::vector<int64_t> marks_;
  int lastmark_ = -1;
  int lastindex_ = -1;
  int32_t repeat_ = -1;  // innermost active repeat context, -1 for none
  std::vector<RepeatContext> repeats_;
  std::vector<int64_t> data_;  // saved marks and last_ptr values
  std::vector<Frame> frames_;
  size_t depth_ = 0;
  uint32_t steps_ = 0;
};

// Calls the sub-program at `child` in a new frame; execution continues at `label` when it
// returns, with `ret` holding its result and f / pc / ptr reloaded.
#define EF_CALL(resume_id, label, child, toplevel)           \
  do {                                                       \
    f->pc = pc;                                              \
    f->ptr = ptr;                                            \
    f->resume = resume_id;                                   \
    if (!PushFrame(child, toplevel)) return kMatchOutOfMemory; \
    goto entrance;                                           \
    label:;                                                  \
  } while (0)

#define EF_FAIL      \
  do {               \
    ret = kMatchFailed; \
    goto exit;       \
  } while (0)

#define EF_SUCCEED  \
  do {              \
    ret = kMatchFound; \
    goto exit;      \
  } while (0)

#define EF_SAVE_LASTMARK()     \
  do {                         \
    f->lastmark = lastmark_;   \
    f->lastindex = lastindex_; \
  } while (0)

#define EF_RESTORE_LASTMARK()  \
  do {                         \
    lastmark_ = f->lastmark;   \
    lastindex_ = f->lastindex; \
  } while (0)

#define EF_MARK_PUSH(lm) \
  do {                   \
    if (!MarkPush(lm)) return kMatchOutOfMemory; \
  } while (0)

int Matcher::Run() {
  const uint32_t* code = code_;
  int ret = kMatchFailed;
  uint32_t pc = 0;
  int64_t ptr = 0;
  Frame* f = nullptr;
  // Scratch values of the instructions below. Declared here because resuming after a call
  // jumps into the middle of an instruction, past any declaration inside it.
  uint32_t tail = 0, body = 0, max = 0;
  int64_t n = 0;
  RepeatContext* r = nullptr;
  depth_ = 0;
  if (!PushFrame(0, true)) return kMatchOutOfMemory;

entrance:
  f = &frames_[depth_ - 1];
  pc = f->pc;
  ptr = st_ptr_;

  for (;;) {
    if ((++steps_ & 0xFFF) == 0 && options_.poll && !options_.poll()) return kMatchAborted;
    switch (code[pc]) {
      case kFailure:
        EF_FAIL;

      case kSuccess:
        if (f->toplevel &&
            ((match_all_ && ptr != end_) || (must_advance_ && ptr == start_))) {
          EF_FAIL;
        }
        st_ptr_ = ptr;
        EF_SUCCEED;

      case kMark: {
        int i = static_cast<int>(code[pc + 1]);
        if (i & 1) lastindex_ = i / 2 + 1;
        if (i > lastmark_) {
          for (int j = lastmark_ + 1; j < i; ++j) marks_[j] = -1;
          lastmark_ = i;
        }
        marks_[i] = ptr;
        pc += 2;
        continue;
      }

      case kAny:
      case kAnyAll:
        if (ptr >= end_ || !MatchOne(pc, text_[ptr])) EF_FAIL;
        pc += 1;
        ++ptr;
        continue;

      case kLiteral:
        if (ptr >= end_ || text_[ptr] != code[pc + 1]) EF_FAIL;
        pc += 2;
        ++ptr;
        continue;

      case kNotLiteral:
      case kLiteralAscii:
      case kNotLiteralAscii:
      case kLiteralUni:
      case kNotLiteralUni:
      case kIn:
      case kInAscii:
      case kInUni:
        if (ptr >= end_ || !MatchOne(pc, text_[ptr])) EF_FAIL;
        pc += 2;
        ++ptr;
        continue;

      case kAtOp:
        if (!At(ptr, code[pc + 1])) EF_FAIL;
        pc += 2;
        continue;

      case kJump:
        pc = code[pc + 1];
        continue;

      case kBranch:
        EF_SAVE_LASTMARK();
        f->pushed = repeat_ >= 0;
        if (f->pushed) EF_MARK_PUSH(f->lastmark);
        for (f->alt = pc + 1; code[f->alt] != 0; f->alt = code[f->alt]) {
          body = f->alt + 1;
          // Alternatives that cannot start here are skipped without a call.
          if (code[body] == kLiteral && (ptr >= end_ || text_[ptr] != code[body + 1])) continue;
          if (code[body] == kIn && (ptr >= end_ || !sets_[code[body + 1]].Contains(text_[ptr]))) {
            continue;
          }
          st_ptr_ = ptr;
          EF_CALL(kResumeBranch, resume_branch, body, f->toplevel);
          if (ret) {
            if (f->pushed) MarkPopDiscard(f->lastmark);
            EF_SUCCEED;
          }
          if (f->pushed) MarkPopKeep(f->lastmark);
          EF_RESTORE_LASTMARK();
        }
        if (f->pushed) MarkPopDiscard(f->lastmark);
        EF_FAIL;

      case kRepeatOne:
        // kRepeatOne tail min max item kSuccess
        if (static_cast<int64_t>(code[pc + 2]) > end_ - ptr) EF_FAIL;
        st_ptr_ = ptr;
        f->count = Count(pc + 4, ptr, code[pc + 3]);
        ptr += f->count;
        if (f->count < static_cast<int64_t>(code[pc + 2])) EF_FAIL;
        tail = code[pc + 1];
        if (code[tail] == kSuccess && ptr == end_ &&
            !(f->toplevel && must_advance_ && ptr == start_)) {
          st_ptr_ = ptr;
          EF_SUCCEED;
        }
        EF_SAVE_LASTMARK();
        f->pushed = repeat_ >= 0;
        if (f->pushed) EF_MARK_PUSH(f->lastmark);
        if (code[tail] == kLiteral) {
          // The tail starts with a literal: only try positions where it is.
          f->chr = code[tail + 1];
          for (;;) {
            while (f->count >= static_cast<int64_t>(code[pc + 2]) &&
                   (ptr >= end_ || text_[ptr] != f->chr)) {
              --ptr;
              --f->count;
            }
            if (f->count < static_cast<int64_t>(code[pc + 2])) break;
            st_ptr_ = ptr;
            EF_CALL(kResumeRepeatOne1, resume_repeat_one_1, code[pc + 1], f->toplevel);
            if (ret) {
              if (f->pushed) MarkPopDiscard(f->lastmark);
              EF_SUCCEED;
            }
            if (f->pushed) MarkPopKeep(f->lastmark);
            EF_RESTORE_LASTMARK();
            --ptr;
            --f->count;
          }
        } else {
          while (f->count >= static_cast<int64_t>(code[pc + 2])) {
            st_ptr_ = ptr;
            EF_CALL(kResumeRepeatOne2, resume_repeat_one_2, code[pc + 1], f->toplevel);
            if (ret) {
              if (f->pushed) MarkPopDiscard(f->lastmark);
              EF_SUCCEED;
            }
            if (f->pushed) MarkPopKeep(f->lastmark);
            EF_RESTORE_LASTMARK();
            --ptr;
            --f->count;
          }
        }
        if (f->pushed) MarkPopDiscard(f->lastmark);
        EF_FAIL;

      case kMinRepeatOne:
        if (static_cast<int64_t>(code[pc + 2]) > end_ - ptr) EF_FAIL;
        st_ptr_ = ptr;
        if (code[pc + 2] == 0) {
          f->count = 0;
        } else {
          n = Count(pc + 4, ptr, code[pc + 2]);
          if (n < static_cast<int64_t>(code[pc + 2])) EF_FAIL;
          f->count = n;
          ptr += n;
        }
        if (code[code[pc + 1]] == kSuccess &&
            !(f->toplevel &&
              ((match_all_ && ptr != end_) || (must_advance_ && ptr == start_)))) {
          st_ptr_ = ptr;
          EF_SUCCEED;
        }
        EF_SAVE_LASTMARK();
        f->pushed = repeat_ >= 0;
        if (f->pushed) EF_MARK_PUSH(f->lastmark);
        while (code[pc + 3] == kMaxRepeat || f->count <= static_cast<int64_t>(code[pc + 3])) {
          st_ptr_ = ptr;
          EF_CALL(kResumeMinRepeatOne, resume_min_repeat_one, code[pc + 1], f->toplevel);
          if (ret) {
            if (f->pushed) MarkPopDiscard(f->lastmark);
            EF_SUCCEED;
          }
          if (f->pushed) MarkPopKeep(f->lastmark);
          EF_RESTORE_LASTMARK();
          st_ptr_ = ptr;
          if (Count(pc + 4, ptr, 1) == 0) break;
          ++ptr;
          ++f->count;
        }
        if (f->pushed) MarkPopDiscard(f->lastmark);
        EF_FAIL;

      case kPossessiveRepeatOne:
        if (ptr + static_cast<int64_t>(code[pc + 2]) > end_) EF_FAIL;
        st_ptr_ = ptr;
        n = Count(pc + 4, ptr, code[pc + 3]);
        ptr += n;
        if (n < static_cast<int64_t>(code[pc + 2])) EF_FAIL;
        pc = code[pc + 1];
        if (code[pc] == kSuccess && ptr == end_ &&
            !(f->toplevel && must_advance_ && ptr == start_)) {
          st_ptr_ = ptr;
          EF_SUCCEED;
        }
        continue;

      case kRepeat:
        // kRepeat until min max body: install a repeat context and run the UNTIL instruction,
        // which does all the work.
        if (repeats_.size() == repeats_.capacity() && MemoryExceeded()) return kMatchOutOfMemory;
        repeats_.push_back(RepeatContext{-1, -1, pc, repeat_});
        f->rep = static_cast<int32_t>(repeats_.size() - 1);
        repeat_ = f->rep;
        st_ptr_ = ptr;
        EF_CALL(kResumeRepeat, resume_repeat, code[pc + 1], f->toplevel);
        repeat_ = repeats_[f->rep].prev;
        repeats_.pop_back();  // contexts are freed in the order they were made
        if (ret) EF_SUCCEED;
        EF_FAIL;

      case kMaxUntil:
        f->rep = repeat_;
        r = &repeats_[f->rep];
        st_ptr_ = ptr;
        f->count = r->count + 1;
        if (f->count < static_cast<int64_t>(code[r->pc + 2])) {
          // Not enough iterations yet.
          r->count = f->count;
          EF_CALL(kResumeMaxUntil1, resume_max_until_1, repeats_[f->rep].pc + 4, f->toplevel);
          if (ret) EF_SUCCEED;
          repeats_[f->rep].count = f->count - 1;
          st_ptr_ = ptr;
          EF_FAIL;
        }
        if ((f->count < static_cast<int64_t>(code[r->pc + 3]) || code[r->pc + 3] == kMaxRepeat) &&
            st_ptr_ != r->last_ptr) {
          // Enough iterations, but try one more first.
          r->count = f->count;
          EF_SAVE_LASTMARK();
          EF_MARK_PUSH(f->lastmark);
          data_.push_back(r->last_ptr);
          r->last_ptr = st_ptr_;
          EF_CALL(kResumeMaxUntil2, resume_max_until_2, repeats_[f->rep].pc + 4, f->toplevel);
          repeats_[f->rep].last_ptr = data_.back();
          data_.pop_back();
          if (ret) {
            MarkPopDiscard(f->lastmark);
            EF_SUCCEED;
          }
          MarkPop(f->lastmark);
          EF_RESTORE_LASTMARK();
          repeats_[f->rep].count = f->count - 1;
          st_ptr_ = ptr;
        }
        // No more iterations: the tail must match.
        repeat_ = repeats_[f->rep].prev;
        EF_CALL(kResumeMaxUntil3, resume_max_until_3, pc + 1, f->toplevel);
        repeat_ = f->rep;
        if (ret) EF_SUCCEED;
        st_ptr_ = ptr;
        EF_FAIL;

      case kMinUntil:
        f->rep = repeat_;
        r = &repeats_[f->rep];
        st_ptr_ = ptr;
        f->count = r->count + 1;
        if (f->count < static_cast<int64_t>(code[r->pc + 2])) {
          r->count = f->count;
          EF_CALL(kResumeMinUntil1, resume_min_until_1, repeats_[f->rep].pc + 4, f->toplevel);
          if (ret) EF_SUCCEED;
          repeats_[f->rep].count = f->count - 1;
          st_ptr_ = ptr;
          EF_FAIL;
        }
        // Try the tail first.
        repeat_ = r->prev;
        EF_SAVE_LASTMARK();
        f->pushed = repeat_ >= 0;
        if (f->pushed) EF_MARK_PUSH(f->lastmark);
        EF_CALL(kResumeMinUntil2, resume_min_until_2, pc + 1, f->toplevel);
        repeat_ = f->rep;
        if (ret) {
          if (f->pushed) MarkPopDiscard(f->lastmark);
          EF_SUCCEED;
        }
        if (f->pushed) MarkPop(f->lastmark);
        EF_RESTORE_LASTMARK();
        st_ptr_ = ptr;
        r = &repeats_[f->rep];
        max = code[r->pc + 3];
        if ((f->count >= static_cast<int64_t>(max) && max != kMaxRepeat) ||
            st_ptr_ == r->last_ptr) {
          EF_FAIL;
        }
        r->count = f->count;
        data_.push_back(r->last_ptr);
        r->last_ptr = st_ptr_;
        EF_CALL(kResumeMinUntil3, resume_min_until_3, repeats_[f->rep].pc + 4, f->toplevel);
        repeats_[f->rep].last_ptr = data_.back();
        data_.pop_back();
        if (ret) EF_SUCCEED;
        repeats_[f->rep].count = f->count - 1;
        st_ptr_ = ptr;
        EF_FAIL;

      case kAtomicGroup:
        st_ptr_ = ptr;
        EF_CALL(kResumeAtomic, resume_atomic, pc + 2, false);
        if (!ret) {
          st_ptr_ = ptr;
          EF_FAIL;
        }
        pc = code[pc + 1];
        ptr = st_ptr_;
        continue;

      case kGroupRef:
      case kGroupRefAscii:
      case kGroupRefUni:
        if (!GroupRef(code[pc], code[pc + 1], &ptr)) EF_FAIL;
        pc += 2;
        continue;

      case kGroupRefExists: {
        int groupref = static_cast<int>(code[pc + 1]) * 2;
        if (groupref >= lastmark_ || marks_[groupref] < 0 || marks_[groupref + 1] < 0 ||
            marks_[groupref + 1] < marks_[groupref]) {
          pc = code[pc + 2];
        } else {
          pc += 3;
        }
        continue;
      }

      case kAssert:
        // kAssert tail back body kSuccess
        if (ptr < static_cast<int64_t>(code[pc + 2])) EF_FAIL;
        st_ptr_ = ptr - code[pc + 2];
        EF_CALL(kResumeAssert, resume_assert, pc + 3, false);
        if (!ret) EF_FAIL;
        pc = code[pc + 1];
        continue;

      case kAssertNot:
        if (ptr >= static_cast<int64_t>(code[pc + 2])) {
          st_ptr_ = ptr - code[pc + 2];
          EF_SAVE_LASTMARK();
          f->pushed = repeat_ >= 0;
          if (f->pushed) EF_MARK_PUSH(f->lastmark);
          EF_CALL(kResumeAssertNot, resume_assert_not, pc + 3, false);
          if (ret) {
            if (f->pushed) MarkPopDiscard(f->lastmark);
            EF_FAIL;
          }
          if (f->pushed) MarkPop(f->lastmark);
          EF_RESTORE_LASTMARK();
        }
        pc = code[pc + 1];
        continue;

      default:  // kMaxUntil/kMinUntil are only reached through kRepeat
        EF_FAIL;
    }
  }

exit:
  if (--depth_ == 0) return ret;
  f = &frames_[depth_ - 1];
  pc = f->pc;
  ptr = f->ptr;
  switch (f->resume) {
    case kResumeBranch: goto resume_branch;
    case kResumeRepeatOne1: goto resume_repeat_one_1;
    case kResumeRepeatOne2: goto resume_repeat_one_2;
    case kResumeMinRepeatOne: goto resume_min_repeat_one;
    case kResumeRepeat: goto resume_repeat;
    case kResumeMaxUntil1: goto resume_max_until_1;
    case kResumeMaxUntil2: goto resume_max_until_2;
    case kResumeMaxUntil3: goto resume_max_until_3;
    case kResumeMinUntil1: goto resume_min_until_1;
    case kResumeMinUntil2: goto resume_min_until_2;
    case kResumeMinUntil3: goto resume_min_until_3;
    case kResumeAtomic: goto resume_atomic;
    case kResumeAssert: goto resume_assert;
    case kResumeAssertNot: goto resume_assert_not;
    case kResumeNone: break;
  }
  return ret;
}

#undef EF_CALL
#undef EF_FAIL
#undef EF_SUCCEED
#undef EF_SAVE_LASTMARK
#undef EF_RESTORE_LASTMARK
#undef EF_MARK_PUSH

ExecResult ToResult(int code) {
  switch (code) {
    case kMatchFound: return ExecResult::kMatch;
    case kMatchAborted: return ExecResult::kAborted;
    case kMatchOutOfMemory: return ExecResult::kOutOfMemory;
    default: return ExecResult::kNoMatch;
  }
}

}  // namespace

struct Pattern::Program : CompiledProgram {};

// ---------------------------------------------------------------------------------------------
// Pattern.

Pattern::Pattern() = default;
Pattern::~Pattern() = default;

std::unique_ptr<Pattern> Pattern::Compile(std::u32string_view pattern, int flags,
                                          CompileError* error) {
  try {
    Parser parser(pattern, flags);
    Seq seq = parser.Parse();
    const ParseState& state = parser.state();
    std::unique_ptr<Pattern> p(new Pattern());
    p->program_ = std::make_unique<Program>();
    Program& prog = *p->program_;
    prog.groups = state.groups() - 1;
    Compiler compiler(&prog, state);
    compiler.Compile(seq, state.flags | flags);
    prog.code.push_back(kSuccess);
    prog.min_width = GetWidth(seq, state).lo;
    prog.first_op = FirstCharTest(&prog, 0, 0);
    if (prog.first_op >= 0 && prog.code[prog.first_op] == kLiteral) {
      prog.first_char = prog.code[prog.first_op + 1];
    }
    p->groups_ = prog.groups;
    p->flags_ = flags | state.flags;
    for (const auto& [name, g] : state.groupdict) p->group_index_.emplace_back(Utf8(name), g);
    return p;
  } catch (const ParseFailure& f) {
    if (error != nullptr) *error = f.error;
    return nullptr;
  }
}

ExecResult Pattern::Exec(std::u32string_view text, int64_t pos, int64_t endpos, Mode mode,
                         const ExecOptions& options, Match* match) const {
  const int64_t size = static_cast<int64_t>(text.size());
  pos = std::clamp<int64_t>(pos, 0, size);
  endpos = std::clamp<int64_t>(endpos, 0, size);
  const Program& prog = *program_;
  Matcher m(prog, text, endpos, options);
  if (mode != Mode::kSearch) {
    if (prog.min_width > 0 && endpos - pos < static_cast<int64_t>(prog.min_width)) {
      return ExecResult::kNoMatch;
    }
    int r = m.Attempt(pos, mode == Mode::kFullMatch, options.must_advance);
    if (r == kMatchFound) m.Fill(match);
    return ToResult(r);
  }
  if (pos > endpos) return ExecResult::kNoMatch;
  // Starting later than this leaves too little text for the shortest match.
  const int64_t last_start =
      endpos - static_cast<int64_t>(std::min<uint64_t>(prog.min_width, size));
  for (int64_t start = pos; start <= last_start; ++start) {
    if (prog.first_char >= 0) {
      while (start < endpos && text[start] != static_cast<char32_t>(prog.first_char)) ++start;
      if (start >= endpos) break;
    } else if (prog.first_op >= 0) {
      while (start < endpos && !m.FirstCharOk(text[start])) ++start;
      if (start >= endpos) break;
    }
    if (start > last_start) break;
    // Only the first attempt can be an empty match at pos; later ones start after it.
    int r = m.Attempt(start, false, options.must_advance && start == pos);
    if (r == kMatchFound) {
      m.Fill(match);
      return ExecResult::kMatch;
    }
    if (r != kMatchFailed) return ToResult(r);
  }
  return ExecResult::kNoMatch;
}

// ---------------------------------------------------------------------------------------------
// Templates: _parser.parse_template and expand_template.

std::unique_ptr<Template> Template::Parse(const Pattern& p, std::u32string_view repl,
                                          CompileError* error) {
  try {
    std::unique_ptr<Template> t(new Template());
    Tokenizer s(repl);
    std::u32string literal;
    auto addgroup = [&](int64_t index, int64_t offset) {
      if (index > p.groups()) s.Error("invalid group reference " + std::to_string(index), offset);
      if (!literal.empty()) {
        t->pieces_.push_back(Piece{literal, -1});
        literal.clear();
      }
      t->pieces_.push_back(Piece{{}, static_cast<int>(index)});
    };
    for (;;) {
      std::u32string self = s.Get();
      if (self.empty()) break;
      if (self[0] != U'\\') {
        literal += self;
        continue;
      }
      char32_t c = self[1];
      if (c == U'g') {
        if (!s.Match(U'<')) s.Error("missing <");
        std::u32string name = s.GetUntil(U'>', "group name");
        int64_t offset = static_cast<int64_t>(name.size()) + 1;
        int64_t index = 0;
        if (IsIdentifier(name)) {
          index = -1;
          for (const auto& [n, g] : p.group_index()) {
            if (n == Utf8(name)) index = g;
          }
          if (index < 0) Fail(ErrorKind::kIndexError, "unknown group name " + PyRepr(name), -1);
        } else {
          bool negative;
          std::string digits;
          if (!ParsePyInt(name, &negative, &digits, &index) || negative) {
            s.Error("bad character in group name " + PyRepr(name), offset);
          }
          if (index >= kMaxGroups) s.Error("invalid group reference " + digits, offset);
        }
        addgroup(index, offset);
      } else if (c == U'0') {
        if (s.NextIsOct()) {
          self += s.Get();
          if (s.NextIsOct()) self += s.Get();
        }
        uint32_t v = 0;
        for (size_t i = 1; i < self.size(); ++i) v = v * 8 + (self[i] - U'0');
        literal.push_back(static_cast<char32_t>(v & 0xFF));
      } else if (IsAsciiDigit(c)) {
        bool isoctal = false;
        if (s.NextIsDigit()) {
          self += s.Get();
          if (IsOctDigit(c) && IsOctDigit(self[2]) && s.NextIsOct()) {
            self += s.Get();
            isoctal = true;
            uint32_t v = (self[1] - U'0') * 64 + (self[2] - U'0') * 8 + (self[3] - U'0');
            if (v > 0377) {
              s.Error("octal escape value " + Utf8(self) + " outside of range 0-0o377",
                      static_cast<int64_t>(self.size()));
            }
            literal.push_back(v);
          }
        }
        if (!isoctal) {
          int64_t index = 0;
          for (size_t i = 1; i < self.size(); ++i) index = index * 10 + (self[i] - U'0');
          addgroup(index, static_cast<int64_t>(self.size()) - 1);
        }
      } else {
        static const std::u32string_view kEscapes = U"abfnrtv\\";
        static const char32_t kValues[] = {7, 8, 12, 10, 13, 9, 11, U'\\'};
        size_t e = kEscapes.find(c);
        if (e != kEscapes.npos) {
          literal.push_back(kValues[e]);
        } else {
          if (IsAsciiLetter(c)) s.Error("bad escape " + Utf8(self), 2);
          literal += self;
        }
      }
    }
    if (!literal.empty()) t->pieces_.push_back(Piece{literal, -1});
    return t;
  } catch (const ParseFailure& f) {
    if (error != nullptr) *error = f.error;
    return nullptr;
  }
}

void Template::Expand(std::u32string_view text, const Match& match, std::u32string* out) const {
  for (const Piece& piece : pieces_) {
    if (piece.group < 0) {
      out->append(piece.literal);
      continue;
    }
    int64_t b = match.spans[2 * piece.group], e = match.spans[2 * piece.group + 1];
    if (b >= 0 && e >= b) {
      out->append(text.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
    }
  }
}

bool Template::is_literal() const {
  for (const Piece& piece : pieces_) {
    if (piece.group >= 0) return false;
  }
  return true;
}

bool ExpandTemplate(const Pattern& p, std::u32string_view repl, std::u32string_view text,
                    const Match& match, std::u32string* out, CompileError* error) {
  std::unique_ptr<Template> t = Template::Parse(p, repl, error);
  if (t == nullptr) return false;
  t->Expand(text, match, out);
  return true;
}

std::u32string Escape(std::u32string_view s) {
  static const std::u32string_view kSpecial = U"()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
  std::u32string out;
  out.reserve(s.size());
  for (char32_t c : s) {
    if (kSpecial.find(c) != kSpecial.npos) out.push_back(U'\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace edgeflow::script::regex
