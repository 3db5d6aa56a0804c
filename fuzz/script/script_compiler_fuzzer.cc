// libFuzzer target: the script compiler (CompileSource) on arbitrary bytes as
// source. A syntax error is fine; a program that compiles must also survive
// the bytecode round trip and run under tiny limits without crashing.
#include <cstdlib>
#include <string>
#include <string_view>

#include "script_limits.h"
#include "script/bytecode.h"
#include "script/compiler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::script;
  std::string_view source(reinterpret_cast<const char*>(data), size);
  SyntaxErrorInfo error;
  auto prog = CompileSource(source, "fuzz.py", &error);
  if (!prog.ok()) return 0;
  // What the compiler emits, the loader must accept.
  auto loaded = LoadBytecode(SaveBytecode(**prog), "fuzz.pyc");
  if (!loaded.ok()) std::abort();
  RunUnderTinyLimits(*prog);
  return 0;
}
