// Lexer implementation (Python 3.11 lexical rules, minus bytes and imaginary literals).
#include "script/lexer.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace edgeflow::script {

namespace {

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The classification of one UTF-8 sequence by CPython's strict decoder
// (Objects/stringlib/codecs.h): how long the valid sequence is, or how many
// bytes the error covers and why.
enum class Utf8Fault { kNone, kTruncated, kBadStart, kBadContinuation };

Utf8Fault ScanUtf8(std::string_view s, size_t i, size_t* len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *len = 1;
    return Utf8Fault::kNone;
  }
  if (c < 0xC2 || c > 0xF4) {  // continuation byte, overlong lead (C0 C1), past U+10FFFF
    *len = 1;
    return Utf8Fault::kBadStart;
  }
  size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  // The second byte's range excludes overlong forms (after E0, F0), surrogates
  // (after ED) and code points past U+10FFFF (after F4).
  unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
  unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
  for (size_t k = 1; k < need; ++k) {
    if (i + k >= s.size()) {
      *len = k;
      return Utf8Fault::kTruncated;
    }
    auto d = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (d < lo || d > hi) : (d & 0xC0) != 0x80) {
      *len = k;
      return Utf8Fault::kBadContinuation;
    }
  }
  *len = need;
  return Utf8Fault::kNone;
}

bool IsIdStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

const char* const kOps3[] = {"**=", "//=", ">>=", "<<=", "...", nullptr};
const char* const kOps2[] = {"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=",
                             "/=", "%=", "&=", "|=", "^=", "@=", "->", ":=", nullptr};

// Opening brackets CPython's tokenizer accepts inside each other (MAXLEVEL),
// and indentation levels (MAXINDENT, counting the outermost).
constexpr size_t kMaxBrackets = 200;
constexpr size_t kMaxIndents = 100;

class Lexer {
 public:
  Lexer(std::string_view src, int line_offset, int col_offset, bool fragment, OpenBracket* unclosed)
      : src_(src),
        line_(1 + line_offset),
        col_offset_(col_offset),
        fragment_(fragment),
        unclosed_(unclosed) {}

  std::vector<Token> Run() {
    indents_.push_back({0, 0});
    bool at_line_start = !fragment_;
    while (true) {
      if (at_line_start) {
        at_line_start = false;
        if (HandleIndent()) {
          // A blank or comment line was consumed: the next line starts a
          // logical line too and its indentation must be measured.
          at_line_start = true;
          continue;
        }
      }
      if (pos_ >= src_.size()) break;
      char c = src_[pos_];
      if (c == '\n') {
        ++pos_;
        if (brackets_.empty() && !fragment_ && !toks_.empty() &&
            toks_.back().kind != TokKind::kNewline) {
          Push(TokKind::kNewline, "", line_, Col(pos_ - 1));
        }
        NewLine();
        if (brackets_.empty()) at_line_start = !fragment_;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++pos_;
        continue;
      }
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '\\') {
        size_t p = pos_ + 1;
        if (p < src_.size() && src_[p] == '\r') ++p;
        if (p < src_.size() && src_[p] == '\n') {
          pos_ = p + 1;
          NewLine();
          continue;
        }
        Error("unexpected character after line continuation character", line_, Col(pos_));
      }
      if (IsIdStart(static_cast<unsigned char>(c))) {
        if (LexStringWithPrefix()) continue;
        size_t start = pos_;
        while (pos_ < src_.size() && IsIdChar(static_cast<unsigned char>(src_[pos_]))) ++pos_;
        std::string_view name = src_.substr(start, pos_ - start);
        CheckIdentifierUtf8(name);
        Push(TokKind::kName, std::string(name), line_, Col(start));
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) ||
          (c == '.' && pos_ + 1 < src_.size() &&
           std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
        LexNumber();
        continue;
      }
      if (c == '"' || c == '\'') {
        LexString(pos_, pos_, false, false);
        continue;
      }
      LexOp();
    }
    bool open = !brackets_.empty() && !fragment_;
    if (open) {
      // CPython's tokenizer stops here with an error token: no NEWLINE or
      // DEDENT, so the parser fails at the end of the file at the latest.
      if (unclosed_ == nullptr) throw NeverClosedError(brackets_.back());
      *unclosed_ = brackets_.back();
    } else if (!fragment_) {
      if (!toks_.empty() && toks_.back().kind != TokKind::kNewline) {
        Push(TokKind::kNewline, "", line_, Col(pos_));
      }
      while (indents_.size() > 1) {
        indents_.pop_back();
        Push(TokKind::kDedent, "", line_, 0);
      }
    }
    Push(TokKind::kEnd, "", line_, Col(pos_));
    return std::move(toks_);
  }

 private:
  [[noreturn]] void Error(const std::string& msg, int line, int col) {
    throw CompileError{msg, line, col};
  }
  // Code points from the line start to byte `p`. Counting resumes from the
  // previous call on the same line, so a long line costs linear time overall.
  int Col(size_t p) const {
    if (col_line_start_ != line_start_ || p < col_pos_) {
      col_line_start_ = col_pos_ = line_start_;
      col_count_ = 0;
    }
    for (; col_pos_ < p && col_pos_ < src_.size(); ++col_pos_) {
      col_count_ += (static_cast<unsigned char>(src_[col_pos_]) & 0xC0) != 0x80;
    }
    return col_count_ + (line_ == first_line() ? col_offset_ : 0);
  }
  // A name is decoded as UTF-8 (CPython's verify_identifier), the error
  // reported at its last character.
  void CheckIdentifierUtf8(std::string_view name) {
    std::string error = Utf8DecodeError(name);
    if (!error.empty()) Error("(unicode error) " + error, line_, Col(pos_) - 1);
    // Only a byte order mark opening the source is skipped (CompileSource);
    // anywhere else U+FEFF is CPython's invalid character, not part of a name.
    // (Other non-identifier characters are not checked yet.)
    size_t bom = name.find("\xEF\xBB\xBF");
    if (bom != std::string_view::npos) {
      Error("invalid non-printable character U+FEFF", line_, Col(pos_ - name.size() + bom));
    }
  }
  int first_line() const { return line0_; }
  void NewLine() {
    ++line_;
    line_start_ = pos_;
  }
  void Push(TokKind kind, std::string text, int line, int col) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    t.line = line;
    t.col = col;
    toks_.push_back(std::move(t));
  }

  // At the start of a logical line: measure indentation; returns true when the
  // line is blank or a comment (nothing emitted).
  bool HandleIndent() {
    size_t p = pos_;
    Indent ind;
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\f')) {
      if (src_[p] == '\t') {
        ind.width = (ind.width / 8 + 1) * 8;
        ind.alt += 1;
      } else if (src_[p] == '\f') {
        ind = Indent();  // CPython restarts the count after a form feed
      } else {
        ind.width += 1;
        ind.alt += 1;
      }
      ++p;
    }
    if (p >= src_.size()) {
      pos_ = p;
      return false;
    }
    if (src_[p] == '\n' || src_[p] == '#' || src_[p] == '\r') {
      while (p < src_.size() && src_[p] != '\n') ++p;
      pos_ = p;
      if (p < src_.size()) {
        ++pos_;
        NewLine();
      }
      return true;
    }
    if (src_[p] == '\\' && p + 1 < src_.size() && src_[p + 1] == '\n') {
      pos_ = p;
      return false;
    }
    pos_ = p;
    MeasureIndent(ind);
    return false;
  }

  // Indentation is compared twice, with a tab as 8 columns and as 1: a line
  // whose order against the enclosing levels depends on the tab size mixes
  // tabs and spaces inconsistently (CPython's TabError).
  struct Indent {
    int width = 0;  // tabs to multiples of 8
    int alt = 0;    // tabs as one column
  };
  void MeasureIndent(const Indent& ind) {
    const char* const kTabError = "inconsistent use of tabs and spaces in indentation";
    if (ind.width > indents_.back().width) {
      if (indents_.size() >= kMaxIndents) Error("too many levels of indentation", line_, Col(pos_));
      if (ind.alt <= indents_.back().alt) Error(kTabError, line_, 0);
      indents_.push_back(ind);
      Push(TokKind::kIndent, "", line_, 0);
      return;
    }
    while (ind.width < indents_.back().width) {
      indents_.pop_back();
      Push(TokKind::kDedent, "", line_, 0);
    }
    if (ind.width != indents_.back().width) {
      Error("unindent does not match any outer indentation level", line_, Col(pos_));
    }
    if (ind.alt != indents_.back().alt) Error(kTabError, line_, 0);
  }

  bool LexStringWithPrefix() {
    size_t start = pos_;
    size_t p = pos_;
    bool raw = false, f = false, b = false, u = false;
    while (p < src_.size() && p - start < 3) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(src_[p])));
      if (c == 'r' && !raw) raw = true;
      else if (c == 'f' && !f) f = true;
      else if (c == 'b' && !b) b = true;
      else if (c == 'u' && !u) u = true;
      else break;
      ++p;
    }
    if (p == start || p >= src_.size() || (src_[p] != '\'' && src_[p] != '"')) return false;
    if ((u && (raw || f || b)) || (b && f)) return false;
    if (b) Error("bytes literals are not supported", line_, Col(start));
    LexString(start, p, raw, f);
    return true;
  }

  void LexString(size_t start, size_t qpos, bool raw, bool f) {
    int line = line_;
    int col = Col(start);
    char q = src_[qpos];
    bool triple = qpos + 2 < src_.size() && src_[qpos + 1] == q && src_[qpos + 2] == q;
    size_t p = qpos + (triple ? 3 : 1);
    size_t body_start = p;
    while (true) {
      if (p >= src_.size()) {
        // CPython's line count stops at the last line; a final newline does not open another.
        int last = line_ - (p > 0 && src_[p - 1] == '\n' && line_ > line ? 1 : 0);
        if (triple) Error("unterminated triple-quoted string literal (detected at line " +
                              std::to_string(last) + ")", line, col);
        Error("unterminated string literal (detected at line " + std::to_string(line_) + ")",
              line, col);
      }
      char c = src_[p];
      if (c == '\\') {
        if (p + 1 < src_.size() && src_[p + 1] == '\n') {
          p += 2;
          NewLineAt(p);
          continue;
        }
        p += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) {
          Error("unterminated string literal (detected at line " + std::to_string(line_) + ")",
                line, col);
        }
        ++p;
        NewLineAt(p);
        continue;
      }
      if (c == q) {
        if (!triple) break;
        if (p + 2 < src_.size() && src_[p + 1] == q && src_[p + 2] == q) break;
      }
      ++p;
    }
    std::string_view body = src_.substr(body_start, p - body_start);
    pos_ = p + (triple ? 3 : 1);
    Token t;
    t.line = line;
    t.col = col;
    // CPython reports a literal that is not UTF-8 where the next token starts;
    // just past the closing quote is that place in all but odd layouts.
    t.end_line = line_;
    t.end_col = Col(pos_);
    if (f) {
      t.kind = TokKind::kFString;
      t.text = std::string(body);
      t.raw = raw;
      // f-string expressions are re-lexed relative to the body start.
      t.ival = static_cast<int64_t>(col + (qpos - start) + (triple ? 3 : 1));
    } else {
      t.kind = TokKind::kString;
      CheckLiteralUtf8(body, raw || body.find('\\') == std::string_view::npos, t.end_line,
                       t.end_col);
      t.text = raw ? RawBody(body) : DecodeEscapes(body, line, col);
    }
    toks_.push_back(std::move(t));
  }
  static std::string RawBody(std::string_view body) {
    std::string s;
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
      s += body[i];
    }
    return s;
  }
  void NewLineAt(size_t p) {
    ++line_;
    line_start_ = p;
  }

  void LexNumber() {
    size_t start = pos_;
    int col = Col(start);
    std::string digits;
    auto take_digits = [&](auto pred) {
      bool last_us = true;
      while (pos_ < src_.size()) {
        char c = src_[pos_];
        if (c == '_') {
          if (last_us) Error("invalid decimal literal", line_, Col(pos_));
          last_us = true;
          ++pos_;
          continue;
        }
        if (!pred(c)) break;
        digits += c;
        last_us = false;
        ++pos_;
      }
      if (last_us && !digits.empty() && src_[pos_ - 1] == '_') {
        Error("invalid decimal literal", line_, Col(pos_));
      }
    };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() &&
        std::strchr("xXoObB", src_[pos_ + 1]) != nullptr) {
      char kind = static_cast<char>(std::tolower(static_cast<unsigned char>(src_[pos_ + 1])));
      pos_ += 2;
      if (pos_ < src_.size() && src_[pos_] == '_') ++pos_;
      int base = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
      take_digits([&](char c) {
        if (base == 16) return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        if (base == 8) return c >= '0' && c <= '7';
        return c == '0' || c == '1';
      });
      if (digits.empty()) Error("invalid " + std::string(base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary") + " literal", line_, col);
      errno = 0;
      unsigned long long v = std::strtoull(digits.c_str(), nullptr, base);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
        Error("integer literal too large (edgeflow ints are 64-bit)", line_, col);
      }
      Token t;
      t.kind = TokKind::kInt;
      t.ival = static_cast<int64_t>(v);
      t.line = line_;
      t.col = col;
      toks_.push_back(t);
      CheckNumberEnd();
      return;
    }
    bool is_float = false;
    take_digits([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
    if (pos_ < src_.size() && src_[pos_] == '.') {
      is_float = true;
      digits += '.';
      ++pos_;
      if (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) {
        take_digits([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
      }
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t save = pos_;
      std::string save_digits = digits;
      digits += 'e';
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) digits += src_[pos_++];
      if (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) {
        take_digits([](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
        is_float = true;
      } else {
        pos_ = save;
        digits = save_digits;
      }
    }
    if (pos_ < src_.size() && (src_[pos_] == 'j' || src_[pos_] == 'J')) {
      Error("complex numbers are not supported", line_, col);
    }
    Token t;
    t.line = line_;
    t.col = col;
    if (is_float) {
      t.kind = TokKind::kFloat;
      t.fval = std::strtod(digits.c_str(), nullptr);
    } else {
      if (digits.size() > 1 && digits[0] == '0') {
        for (char c : digits) {
          if (c != '0') {
            Error("leading zeros in decimal integer literals are not permitted; use an 0o "
                  "prefix for octal integers", line_, col);
          }
        }
      }
      errno = 0;
      unsigned long long v = std::strtoull(digits.c_str(), nullptr, 10);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX)) {
        Error("integer literal too large (edgeflow ints are 64-bit)", line_, col);
      }
      t.kind = TokKind::kInt;
      t.ival = static_cast<int64_t>(v);
    }
    toks_.push_back(t);
    CheckNumberEnd();
  }
  void CheckNumberEnd() {
    if (pos_ < src_.size() && IsIdChar(static_cast<unsigned char>(src_[pos_]))) {
      Error("invalid decimal literal", line_, Col(pos_));
    }
  }

  void LexOp() {
    size_t start = pos_;
    int col = Col(start);
    for (const char* const* ops : {kOps3, kOps2}) {
      for (int i = 0; ops[i]; ++i) {
        size_t n = std::strlen(ops[i]);
        if (src_.substr(pos_, n) == ops[i]) {
          pos_ += n;
          Push(TokKind::kOp, ops[i], line_, col);
          return;
        }
      }
    }
    char c = src_[pos_];
    if (std::strchr("+-*/%@&|^~<>()[]{},:.;=", c) == nullptr || c == 0) {
      if (c == '!') Error("invalid syntax", line_, col);
      Error(std::string("invalid character '") + c + "'", line_, col);
    }
    ++pos_;
    if (c == '(' || c == '[' || c == '{') {
      if (brackets_.size() >= kMaxBrackets) Error("too many nested parentheses", line_, col);
      brackets_.push_back({c, line_, col});
    } else if (c == ')' || c == ']' || c == '}') {
      CloseBracket(c, col);
    }
    Push(TokKind::kOp, std::string(1, c), line_, col);
  }
  void CloseBracket(char c, int col) {
    if (brackets_.empty()) {
      if (!fragment_) Error(std::string("unmatched '") + c + "'", line_, col);
      return;
    }
    OpenBracket open = brackets_.back();
    brackets_.pop_back();
    if (fragment_ || open.c == (c == ')' ? '(' : c == ']' ? '[' : '{')) return;
    std::string msg = std::string("closing parenthesis '") + c +
                      "' does not match opening parenthesis '" + open.c + "'";
    if (open.line != line_) msg += " on line " + std::to_string(open.line);
    Error(msg, line_, col);
  }

  std::string_view src_;
  size_t pos_ = 0;
  int line_;
  int line0_ = 0;
  size_t line_start_ = 0;
  int col_offset_;
  bool fragment_;
  OpenBracket* unclosed_;
  std::vector<OpenBracket> brackets_;  // innermost last
  std::vector<Indent> indents_;
  std::vector<Token> toks_;
  // Col()'s resume point: byte position and its column on the line starting at col_line_start_.
  mutable size_t col_line_start_ = 0, col_pos_ = 0;
  mutable int col_count_ = 0;
};

}  // namespace

std::string DecodeEscapes(std::string_view body, int line, int col) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    char e = body[++i];
    switch (e) {
      case '\n': break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'N':
        // Named escapes need the Unicode name database, which edgeflow does not ship.
        throw CompileError{"(unicode error) \\N{...} escapes are not supported by edgeflow scripts; "
                           "use \\uXXXX",
                           line, col};
      case 'x':
      case 'u':
      case 'U': {
        int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (i + n >= body.size() + 0 && i + n > body.size() - 1 + 1) {
          throw CompileError{"(unicode error) truncated \\" + std::string(1, e) + " escape", line,
                             col};
        }
        uint32_t cp = 0;
        for (int k = 0; k < n; ++k) {
          if (i + 1 >= body.size() || !std::isxdigit(static_cast<unsigned char>(body[i + 1]))) {
            throw CompileError{"(unicode error) truncated \\" + std::string(1, e) + " escape",
                               line, col};
          }
          char h = body[++i];
          cp = cp * 16 + (std::isdigit(static_cast<unsigned char>(h))
                              ? h - '0'
                              : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
        }
        if (cp > 0x10FFFF) throw CompileError{"(unicode error) illegal Unicode character", line, col};
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // UTF-8 cannot hold a lone surrogate
        AppendUtf8(out, cp);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t cp = e - '0';
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7';
               ++k) {
            cp = cp * 8 + (body[++i] - '0');
          }
          AppendUtf8(out, cp);
        } else {
          out += '\\';
          out += e;
        }
    }
  }
  return out;
}

std::string Utf8DecodeError(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t len;
    Utf8Fault fault = ScanUtf8(s, i, &len);
    if (fault == Utf8Fault::kNone) {
      i += len;
      continue;
    }
    char head[96];
    if (len == 1) {
      std::snprintf(head, sizeof head, "'utf-8' codec can't decode byte 0x%02x in position %zu",
                    static_cast<unsigned char>(s[i]), i);
    } else {
      std::snprintf(head, sizeof head, "'utf-8' codec can't decode bytes in position %zu-%zu", i,
                    i + len - 1);
    }
    const char* why = fault == Utf8Fault::kTruncated  ? "unexpected end of data"
                      : fault == Utf8Fault::kBadStart ? "invalid start byte"
                                                      : "invalid continuation byte";
    return std::string(head) + ": " + why;
  }
  return "";
}

void CheckLiteralUtf8(std::string_view body, bool whole, int line, int col) {
  size_t i = 0;
  while (i < body.size() && static_cast<unsigned char>(body[i]) < 0x80) ++i;
  if (i == body.size()) return;  // ASCII: the common case
  std::string error;
  if (whole) {
    error = Utf8DecodeError(body);
  } else {
    // Python/string_parser.c decodes each run of bytes >= 0x80 separately.
    while (i < body.size() && error.empty()) {
      size_t run = i;
      while (run < body.size() && static_cast<unsigned char>(body[run]) >= 0x80) ++run;
      error = Utf8DecodeError(body.substr(i, run - i));
      i = run;
      while (i < body.size() && static_cast<unsigned char>(body[i]) < 0x80) ++i;
    }
  }
  if (!error.empty()) throw CompileError{"(unicode error) " + error, line, col};
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  size_t copied = 0;  // s[0, copied) is in `out`
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    if (static_cast<unsigned char>(s[i]) >= 0x80 && ScanUtf8(s, i, &len) != Utf8Fault::kNone) {
      out.append(s.substr(copied, i - copied));
      out += "\xEF\xBF\xBD";  // one U+FFFD for the bytes the error covers
      copied = i + len;
    }
    i += len;
  }
  out.append(s.substr(copied));
  return out;
}

std::vector<Token> Tokenize(std::string_view src, int line_offset, int col_offset, bool fragment,
                            OpenBracket* unclosed) {
  if (unclosed != nullptr) *unclosed = OpenBracket();
  return Lexer(src, line_offset, col_offset, fragment, unclosed).Run();
}

}  // namespace edgeflow::script
