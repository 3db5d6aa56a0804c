// Parser: tokens to syntax tree (recursive descent over the Python 3.11 grammar
// subset that edgeflow scripts use). Errors are CompileError (line, column).
#ifndef EDGEFLOW_SCRIPT_PARSER_H_
#define EDGEFLOW_SCRIPT_PARSER_H_

#include <string_view>

#include "script/ast.h"

namespace edgeflow::script {

// Parses a whole module into `ast` (ast.root is a kModule). Throws CompileError,
// a RecursionError one when the parser would recurse deeper than kMaxNesting.
// The tree can still be deeper (a + b + ... is built by a loop); scope analysis
// bounds that.
void Parse(std::string_view source, Ast* ast);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_PARSER_H_
