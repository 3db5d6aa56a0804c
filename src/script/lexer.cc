// Lexer implementation (Python 3.11 lexical rules, minus bytes and imaginary literals).
#include "script/lexer.h"

#include <cerrno>
#include <cmath>
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

bool IsIdStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

const char* const kOps3[] = {"**=", "//=", ">>=", "<<=", "...", nullptr};
const char* const kOps2[] = {"**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=",
                             "/=", "%=", "&=", "|=", "^=", "@=", "->", ":=", nullptr};

class Lexer {
 public:
  Lexer(std::string_view src, int line_offset, int col_offset, bool fragment)
      : src_(src), line_(1 + line_offset), col_offset_(col_offset), fragment_(fragment) {}

  std::vector<Token> Run() {
    indents_.push_back(0);
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
        if (depth_ == 0 && !fragment_ && !toks_.empty() && toks_.back().kind != TokKind::kNewline) {
          Push(TokKind::kNewline, "", line_, Col(pos_ - 1));
        }
        NewLine();
        if (depth_ == 0) at_line_start = !fragment_;
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
        Push(TokKind::kName, std::string(src_.substr(start, pos_ - start)), line_, Col(start));
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
    if (depth_ > 0 && !fragment_) Error("unexpected EOF while parsing", line_, 0);
    if (!fragment_) {
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
  int Col(size_t p) const {
    int col = 0;
    for (size_t i = line_start_; i < p && i < src_.size(); ++i) {
      col += (static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80;
    }
    return col + (line_ == first_line() ? col_offset_ : 0);
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
    int width = 0;
    while (p < src_.size() && (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\f')) {
      width = src_[p] == '\t' ? (width / 8 + 1) * 8 : width + 1;
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
    if (width > indents_.back()) {
      indents_.push_back(width);
      Push(TokKind::kIndent, "", line_, 0);
    } else {
      while (width < indents_.back()) {
        indents_.pop_back();
        Push(TokKind::kDedent, "", line_, 0);
      }
      if (width != indents_.back()) {
        Error("unindent does not match any outer indentation level", line_, Col(pos_));
      }
    }
    return false;
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
        if (triple) Error("unterminated triple-quoted string literal (detected at line " +
                              std::to_string(line_) + ")", line, col);
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
    if (f) {
      t.kind = TokKind::kFString;
      t.text = std::string(body);
      t.raw = raw;
      // f-string expressions are re-lexed relative to the body start.
      t.ival = static_cast<int64_t>(col + (qpos - start) + (triple ? 3 : 1));
    } else {
      t.kind = TokKind::kString;
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
      ++depth_;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth_ == 0 && !fragment_) Error(std::string("unmatched '") + c + "'", line_, col);
      if (depth_ > 0) --depth_;
    }
    Push(TokKind::kOp, std::string(1, c), line_, col);
  }

  std::string_view src_;
  size_t pos_ = 0;
  int line_;
  int line0_ = 0;
  size_t line_start_ = 0;
  int col_offset_;
  bool fragment_;
  int depth_ = 0;
  std::vector<int> indents_;
  std::vector<Token> toks_;
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

std::vector<Token> Tokenize(std::string_view src, int line_offset, int col_offset, bool fragment) {
  return Lexer(src, line_offset, col_offset, fragment).Run();
}

}  // namespace edgeflow::script
