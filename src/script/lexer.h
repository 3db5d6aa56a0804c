// Lexer: Python source text to tokens, with INDENT/DEDENT, implicit line joining
// inside brackets, and every string literal form (raw, triple-quoted, f-strings).
#ifndef EDGEFLOW_SCRIPT_LEXER_H_
#define EDGEFLOW_SCRIPT_LEXER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgeflow::script {

// Thrown inside the compiler library only; the public entry point turns it into
// a SyntaxError status with line and column.
struct CompileError {
  std::string msg;
  int line;
  int col;  // 0-based
};

enum class TokKind { kName, kInt, kFloat, kString, kFString, kOp, kNewline, kIndent, kDedent, kEnd };

struct Token {
  TokKind kind;
  std::string text;  // name / operator / decoded string / raw f-string body
  int64_t ival = 0;
  double fval = 0;
  bool raw = false;  // f-strings: the literal parts are raw
  int line = 0;
  int col = 0;
};

// Tokenizes a whole file. `line_offset`/`col_offset` position a fragment
// (f-string expressions) inside its file for error messages.
std::vector<Token> Tokenize(std::string_view src, int line_offset = 0, int col_offset = 0,
                            bool fragment = false);

// Decodes backslash escapes of a (non-raw) string literal body.
std::string DecodeEscapes(std::string_view body, int line, int col);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_LEXER_H_
