// script_fuzz_seeds OUT_DIR FILE.py...: writes OUT_DIR/FILE.pyc for each
// program, the seeds of script_bytecode_fuzzer.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "script/bytecode.h"
#include "script/compiler.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: script_fuzz_seeds OUT_DIR FILE.py...\n");
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  int failed = 0;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream source;
    source << in.rdbuf();
    std::string name = std::filesystem::path(argv[i]).filename().string();
    auto prog = edgeflow::script::CompileSource(source.str(), name);
    if (!prog.ok()) {
      std::fprintf(stderr, "%s: %s\n", argv[i], prog.status().ToString().c_str());
      ++failed;
      continue;
    }
    std::string out = std::string(argv[1]) + "/" + std::filesystem::path(name).stem().string() + ".pyc";
    std::ofstream(out, std::ios::binary) << edgeflow::script::SaveBytecode(**prog);
  }
  return failed == 0 ? 0 : 1;
}
