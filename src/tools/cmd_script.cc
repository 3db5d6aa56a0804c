// `edgeflow script compile` (Python source -> verified bytecode file) and
// `edgeflow script run` (a .py or .pyc file; stdout is the program's output).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "script/bytecode.h"
#include "script/compiler.h"
#include "script/vm.h"
#include "tools/cli.h"

namespace edgeflow::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: edgeflow script run IN.py|IN.pyc [--max-memory BYTES] [--max-ticks N]\n"
    "\n"
    "Runs a script. stdout is exactly the program's print output; an uncaught\n"
    "exception prints a CPython-style traceback on stderr and exits 1. A .py file is\n"
    "compiled first; a .pyc file (from `edgeflow script compile`) is verified on load.\n"
    "  --max-memory BYTES  heap cap of the script context (default 256 MiB)\n"
    "  --max-ticks N       instruction budget, counted at loop iterations and calls\n";

constexpr const char* kCompileUsage =
    "usage: edgeflow script compile IN.py -o OUT.pyc\n"
    "\n"
    "Compiles a script to a versioned, verified bytecode file. Syntax errors are\n"
    "reported with file, line and column, as CPython does.\n";

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void WriteOut(void*, const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

Result<std::shared_ptr<script::Program>> Load(const std::string& path) {
  std::string data;
  if (!ReadFile(path, &data)) return Status::IOError("cannot read " + path);
  if (EndsWith(path, ".pyc") || script::LooksLikeBytecode(data)) {
    return script::LoadBytecode(data, path);
  }
  return script::CompileSource(data, path);
}

int Run(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::fputs(kRunUsage, stdout);
    return 0;
  }
  std::string path;
  script::Limits limits;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if ((a == "--max-memory" || a == "--max-ticks") && i + 1 < argv.size()) {
      int64_t v = std::strtoll(argv[++i].c_str(), nullptr, 10);
      if (v <= 0) return Fail("script run", a + " needs a positive number");
      if (a == "--max-memory") limits.memory_bytes = v;
      else limits.instructions = v;
    } else if (!a.empty() && a[0] == '-') {
      return Fail("script run", "unknown option " + a + " (see --help)");
    } else if (path.empty()) {
      path = a;
    } else {
      return Fail("script run", "expected one script, got also " + a);
    }
  }
  if (path.empty()) return Fail("script run", "missing script file (see --help)");
  auto program = Load(path);
  if (!program.ok()) {
    std::fprintf(stderr, "%s\n", program.status().message().c_str());
    return 1;
  }
  script::VM vm(*program, limits);
  vm.out_fn = WriteOut;
  Status st = vm.RunMain();
  std::fflush(stdout);
  if (const char* e = std::getenv("EDGEFLOW_SCRIPT_STATS"); e != nullptr && e[0] == '1') {
    std::fprintf(stderr, "script stats: gc %lld collections, %lld survivors, %lld freed; heap peak %lld bytes\n",
                 static_cast<long long>(vm.gc_stats.collections), static_cast<long long>(vm.gc_stats.survivors),
                 static_cast<long long>(vm.gc_stats.freed), static_cast<long long>(vm.peak_bytes));
  }
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.message().c_str());
    return 1;
  }
  return 0;
}

int Compile(const std::vector<std::string>& argv) {
  if (WantsHelp(argv)) {
    std::fputs(kCompileUsage, stdout);
    return 0;
  }
  std::string in, out;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "-o" && i + 1 < argv.size()) {
      out = argv[++i];
    } else if (!argv[i].empty() && argv[i][0] == '-') {
      return Fail("script compile", "unknown option " + argv[i] + " (see --help)");
    } else if (in.empty()) {
      in = argv[i];
    } else {
      return Fail("script compile", "expected one input, got also " + argv[i]);
    }
  }
  if (in.empty() || out.empty()) return Fail("script compile", "usage: edgeflow script compile IN.py -o OUT.pyc");
  std::string source;
  if (!ReadFile(in, &source)) return Fail("script compile", "cannot read " + in);
  auto program = script::CompileSource(source, in);
  if (!program.ok()) {
    std::fprintf(stderr, "%s\n", program.status().message().c_str());
    return 1;
  }
  std::string bytes = script::SaveBytecode(**program);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Fail("script compile", "cannot write " + out);
  }
  return 0;
}

}  // namespace

EF_CLI_COMMAND("script run", "run a script (.py or .pyc); stdout is its print output", Run);
EF_CLI_COMMAND("script compile", "compile a script to verified bytecode (.pyc)", Compile);

}  // namespace edgeflow::cli
