// Lexer: Python source text to tokens, with INDENT/DEDENT, implicit line joining
// inside brackets, and every string literal form (raw, triple-quoted, f-strings).
#ifndef EDGEFLOW_SCRIPT_LEXER_H_
#define EDGEFLOW_SCRIPT_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "script/stack_guard.h"

namespace edgeflow::script {

// Thrown inside the compiler library only; the public entry point turns it into
// a SyntaxError status with line and column.
struct CompileError {
  std::string msg;
  int line;
  int col;  // 0-based
  // The exception CPython raises for it: SyntaxError (IndentationError and
  // TabError are reported as their base class), or RecursionError for source
  // nested deeper than the compiler recurses.
  const char* type = "SyntaxError";
};

// How deeply expressions and statements may nest: the parser's recursion, and
// the syntax tree's depth, which scope analysis (the first pass over the whole
// tree) checks for the passes after it. CPython 3.11 stops near the same depth
// ("maximum recursion depth exceeded during compilation"); bracket nesting
// stops much earlier, at 200.
constexpr int kMaxNesting = 3000;

// The RecursionError for nesting past kMaxNesting, or past what the thread's
// stack holds, at (line, col); CPython's message has no position of its own.
inline CompileError NestingError(int line, int col) {
  return {"maximum recursion depth exceeded during compilation", line, col, "RecursionError"};
}

// One level of a compiler pass's recursion, counted in *depth: throws
// NestingError(line, col) past kMaxNesting levels or near the end of the
// thread's stack.
class NestingLevel {
 public:
  NestingLevel(int* depth, int line, int col) : depth_(depth) {
    if (*depth_ >= kMaxNesting || StackNearlyExhausted()) throw NestingError(line, col);
    ++*depth_;
  }
  ~NestingLevel() { --*depth_; }
  NestingLevel(const NestingLevel&) = delete;
  NestingLevel& operator=(const NestingLevel&) = delete;

 private:
  int* depth_;
};

// A bracket still open at the end of the source.
struct OpenBracket {
  char c = 0;  // 0: none
  int line = 0;
  int col = 0;
};

inline CompileError NeverClosedError(const OpenBracket& b) {
  return {std::string("'") + b.c + "' was never closed", b.line, b.col};
}

enum class TokKind { kName, kInt, kFloat, kString, kFString, kOp, kNewline, kIndent, kDedent, kEnd };

struct Token {
  TokKind kind;
  std::string text;  // name / operator / decoded string / raw f-string body
  int64_t ival = 0;
  double fval = 0;
  bool raw = false;  // f-strings: the literal parts are raw
  int line = 0;
  int col = 0;
  int end_line = 0;  // strings: just past the closing quote
  int end_col = 0;
};

// Tokenizes a whole file. `line_offset`/`col_offset` position a fragment
// (f-string expressions) inside its file for error messages. A file that ends
// inside brackets is tokenized up to its end and the innermost open bracket
// goes to *unclosed (the parser's error decides what is reported); without
// `unclosed` that is "'(' was never closed".
std::vector<Token> Tokenize(std::string_view src, int line_offset = 0, int col_offset = 0,
                            bool fragment = false, OpenBracket* unclosed = nullptr);

// Decodes backslash escapes of a (non-raw) string literal body. An escape of a
// lone surrogate (\ud800) becomes U+FFFD: edgeflow strings are valid UTF-8.
std::string DecodeEscapes(std::string_view body, int line, int col);

// CPython's UnicodeDecodeError text for the first sequence of `s` that is not
// UTF-8 ("'utf-8' codec can't decode byte 0x80 in position 3: invalid start
// byte"), or "" when all of `s` is UTF-8.
std::string Utf8DecodeError(std::string_view s);

// Throws CPython's "(unicode error) ..." SyntaxError at (line, col) unless the
// literal text `body` is UTF-8. `whole`: CPython decodes the text in one piece
// (raw literals, and plain ones without a backslash), so positions count from
// its start; otherwise each run of non-ASCII bytes is decoded on its own.
void CheckLiteralUtf8(std::string_view body, bool whole, int line, int col);

// `s` with each sequence that is not UTF-8 replaced by U+FFFD, as CPython's
// errors="replace" decoding does (for source lines shown in reports).
std::string ReplaceInvalidUtf8(std::string_view s);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_LEXER_H_
