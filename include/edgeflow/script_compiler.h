// The script compiler (toolchain only; not part of the device library): Python
// source to verified bytecode. `edgeflow script compile` and the bundle packer
// use it; devices receive the bytecode.
#ifndef EDGEFLOW_PUBLIC_SCRIPT_COMPILER_H_
#define EDGEFLOW_PUBLIC_SCRIPT_COMPILER_H_

#include <memory>
#include <string>
#include <string_view>

#include "edgeflow/script.h"
#include "edgeflow/status.h"

namespace edgeflow {

// Compiles a module. A syntax error is kInvalidArgument whose message is the
// CPython-style report ("  File \"f.py\", line 3\n ...\nSyntaxError: msg"); source
// nested too deeply is the same report ending in "RecursionError: ...".
Result<std::shared_ptr<const ScriptProgram>> CompileScript(std::string_view source,
                                                          const std::string& filename);

}  // namespace edgeflow

#endif  // EDGEFLOW_PUBLIC_SCRIPT_COMPILER_H_
