// The script compiler (toolchain only): Python source to a verified Program.
#ifndef EDGEFLOW_SCRIPT_COMPILER_H_
#define EDGEFLOW_SCRIPT_COMPILER_H_

#include <memory>
#include <string>
#include <string_view>

#include "edgeflow/status.h"
#include "script/code.h"

namespace edgeflow::script {

struct SyntaxErrorInfo {
  std::string message;
  int line = 0;
  int col = 0;  // 0-based code point column
  std::string type = "SyntaxError";  // or RecursionError: nested deeper than the compiler goes
};

// Compiles a module. On a syntax error returns InvalidArgument whose message is
// the CPython-style report ("  File "f.py", line 3\n    src\n    ^\nSyntaxError: msg";
// the last line names RecursionError for source nested too deeply) and fills
// *error when given.
Result<std::shared_ptr<Program>> CompileSource(std::string_view source, const std::string& filename,
                                               SyntaxErrorInfo* error = nullptr);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_COMPILER_H_
