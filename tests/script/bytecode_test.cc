// Bytecode files and their verification (script/bytecode.h, script/verifier.h):
// a program survives SaveBytecode -> LoadBytecode unchanged; truncated, flipped
// or hand-crafted hostile bytecode is refused with kCorruption and a message
// naming the problem, and whatever the loader accepts runs under tiny limits to
// a Status, never a crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "edgeflow/script.h"
#include "script/bytecode.h"
#include "script/code.h"
#include "script/compiler.h"
#include "script/runtime.h"
#include "script/verifier.h"
#include "script/vm.h"

namespace edgeflow::script {
namespace {

// ctest sets EDGEFLOW_SOURCE_DIR; run by hand, this file's own path tells.
std::string SourceDir() {
  const char* d = std::getenv("EDGEFLOW_SOURCE_DIR");
  if (d != nullptr) return d;
  std::string here = __FILE__;
  return here.substr(0, here.rfind("/tests/script/"));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<Program> MustCompile(const std::string& source, const std::string& name = "t.py") {
  auto p = CompileSource(source, name);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : nullptr;
}

// What running a program printed and how it ended.
struct Outcome {
  std::string out;
  std::string status;  // "ok", or the Status text
};

Outcome RunProgram(std::shared_ptr<const Program> prog, const Limits& limits = Limits()) {
  VM vm(std::move(prog), limits);
  Status st = vm.RunMain();
  return {vm.out, st.ok() ? "ok" : st.ToString()};
}

// Tiny limits for programs that came out of a mutation.
Limits Tiny() {
  Limits l;
  l.memory_bytes = 1 << 20;
  l.instructions = 5000;
  l.max_depth = 50;
  return l;
}

// Recomputes the size and checksum fields after an edit (see bytecode.h).
void RepairHeader(std::string* bytes) {
  if (bytes->size() < 24) return;
  uint64_t size = bytes->size();
  std::memcpy(&(*bytes)[8], &size, 8);
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 24; i < bytes->size(); ++i) {
    h ^= static_cast<unsigned char>((*bytes)[i]);
    h *= 1099511628211ull;
  }
  std::memcpy(&(*bytes)[16], &h, 8);
}

// Programs covering most of the instruction set, from the conformance suite.
const char* const kSamplePrograms[] = {
    "real_rerank_candidates.py", "exc_finally_control_flow.py", "gen_send_close.py",
    "closure_nonlocal_nested_levels.py", "cls_property_inheritance_override.py",
    "comp_scoping_and_order.py", "set_literal_collision_order.py", "fmt_fstring_specs_nested.py",
    "func_keyword_only_positional_only.py", "import_forms.py", "assign_chained_and_star.py",
    "exc_raise_from_variants.py",
};

std::string Conformance(const std::string& name) {
  return SourceDir() + "/tests/script/conformance/" + name;
}

// ---------------------------------------------------------------------------
// Round trip

TEST(BytecodeRoundTrip, EveryConformanceProgramRunsTheSameFromBytecode) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(SourceDir() + "/tests/script/conformance")) {
    if (e.path().extension() == ".py" && e.path().filename() != "run.py") {
      files.push_back(e.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 100u) << "conformance programs not found under " << SourceDir();
  int compared = 0;
  for (const std::string& path : files) {
    std::string name = std::filesystem::path(path).filename().string();
    SCOPED_TRACE(name);
    if (name.rfind("time_", 0) == 0) continue;  // reads the clock
    auto prog = MustCompile(ReadFile(path), name);
    ASSERT_NE(prog, nullptr);
    std::string bytes = SaveBytecode(*prog);
    ASSERT_TRUE(LooksLikeBytecode(bytes));
    auto loaded = LoadBytecode(bytes, name + "c");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    // Saving the loaded program gives the same bytes: nothing was lost.
    EXPECT_EQ(SaveBytecode(**loaded), bytes);
    EXPECT_EQ((*loaded)->filename, prog->filename);
    EXPECT_EQ((*loaded)->codes.size(), prog->codes.size());
    Outcome a = RunProgram(prog);
    Outcome b = RunProgram(*loaded);
    EXPECT_EQ(a.status, b.status);
    EXPECT_EQ(a.out, b.out);
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

TEST(BytecodeRoundTrip, PublicProgramBytecodeRoundTrip) {
  const std::string source = ReadFile(Conformance("real_rerank_candidates.py"));
  auto compiled = MustCompile(source, "rerank.py");
  ASSERT_NE(compiled, nullptr);
  auto prog = std::make_shared<const ScriptProgram>(compiled);
  std::string bytes = prog->ToBytecode();
  auto loaded = ScriptProgram::FromBytecode(bytes, "rerank.pyc");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->filename(), "rerank.py");
  std::string outs[2];
  int i = 0;
  for (const auto& p : {prog, *loaded}) {
    auto ctx = ScriptContext::Create(p);
    ASSERT_TRUE(ctx.ok());
    Status st = (*ctx)->Run();
    ASSERT_TRUE(st.ok()) << st.ToString();
    outs[i++] = (*ctx)->TakeOutput();
  }
  EXPECT_FALSE(outs[0].empty());
  EXPECT_EQ(outs[0], outs[1]);
  auto bad = ScriptProgram::FromBytecode(bytes.substr(0, bytes.size() / 2), "half.pyc");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(bad.status().message().rfind("half.pyc: ", 0), 0u) << bad.status().ToString();
}

TEST(BytecodeRoundTrip, TracebacksFromBytecodeKeepFileAndLines) {
  auto prog = MustCompile("def f(x):\n    return 1 // x\n\nf(0)\n", "div.py");
  ASSERT_NE(prog, nullptr);
  auto loaded = LoadBytecode(SaveBytecode(*prog), "div.pyc");
  ASSERT_TRUE(loaded.ok());
  Outcome a = RunProgram(prog);
  Outcome b = RunProgram(*loaded);
  EXPECT_EQ(a.status, b.status);
  EXPECT_NE(b.status.find("File \"div.py\", line 2, in f\n    return 1 // x"), std::string::npos)
      << b.status;
  EXPECT_NE(b.status.find("ZeroDivisionError: integer division or modulo by zero"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Truncation and corruption

std::string SampleBytes() {
  auto prog = MustCompile(ReadFile(Conformance("exc_finally_control_flow.py")), "exc.py");
  return prog ? SaveBytecode(*prog) : "";
}

TEST(BytecodeCorruption, EveryTruncationIsCorruption) {
  const std::string bytes = SampleBytes();
  ASSERT_GT(bytes.size(), 100u);
  for (size_t len = 0; len < bytes.size(); ++len) {
    auto r = LoadBytecode(std::string_view(bytes).substr(0, len), "cut.pyc");
    ASSERT_FALSE(r.ok()) << "accepted a truncation to " << len << " bytes";
    ASSERT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
    ASSERT_EQ(r.status().message().rfind("cut.pyc: ", 0), 0u) << r.status().ToString();
  }
}

// With the size and checksum fields patched to match, a truncation reaches the
// record reader, which must notice the missing bytes itself.
TEST(BytecodeCorruption, EveryTruncationWithARepairedHeaderIsCorruption) {
  const std::string bytes = SampleBytes();
  ASSERT_GT(bytes.size(), 100u);
  for (size_t len = 24; len < bytes.size(); ++len) {
    std::string cut = bytes.substr(0, len);
    RepairHeader(&cut);
    auto r = LoadBytecode(cut, "cut.pyc");
    ASSERT_FALSE(r.ok()) << "accepted a truncation to " << len << " bytes";
    ASSERT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
    ASSERT_EQ(r.status().message().find("checksum"), std::string::npos) << r.status().ToString();
  }
}

TEST(BytecodeCorruption, TrailingBytesAreCorruption) {
  std::string bytes = SampleBytes() + std::string("\0\0\0\0", 4);
  RepairHeader(&bytes);
  auto r = LoadBytecode(bytes, "long.pyc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_NE(r.status().message().find("trailing"), std::string::npos) << r.status().ToString();
}

// A string in the file whose bytes are not UTF-8 (checksum repaired): refused,
// and never hashed or decoded on the way (ASan checks the reads). In a child
// process, so that an out-of-bounds read fails only this test.
TEST(BytecodeCorruption, StringsThatAreNotUtf8AreRefused) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto prog = MustCompile("import math\nvalue = math.floor(2.5)\nlabel = 'a constant string'\n", "u.py");
  ASSERT_NE(prog, nullptr);
  const std::string bytes = SaveBytecode(*prog);
  struct Case {
    std::string find, replace;
  } cases[] = {
      {std::string("\x05\0\0\0floor", 9), std::string("\x05\0\0\0floo\xf1", 9)},
      {std::string("\x11\0\0\0a constant string", 21), std::string("\x11\0\0\0a constant strin\xf1", 21)},
      {std::string("\x05\0\0\0value", 9), std::string("\x05\0\0\0valu\xc3", 9)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.find.substr(4));
    size_t at = bytes.find(c.find);
    ASSERT_NE(at, std::string::npos);
    std::string b = bytes;
    b.replace(at, c.find.size(), c.replace);
    RepairHeader(&b);
    EXPECT_EXIT(
        {
          auto r = LoadBytecode(b, "u.pyc");
          bool refused = !r.ok() && r.status().code() == StatusCode::kCorruption &&
                         r.status().message().find("UTF-8") != std::string::npos;
          std::fprintf(stderr, "%s\n", r.ok() ? "loaded" : r.status().ToString().c_str());
          std::_Exit(refused ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "UTF-8");
  }
}

// The refusal names the string (code object, table and index) and the file
// offset of the first byte that is not UTF-8.
TEST(BytecodeCorruption, InvalidUtf8ErrorNamesTheStringAndOffset) {
  auto prog = MustCompile("import math\nvalue = math.floor(2.5)\nlabel = 'a constant string'\n", "u.py");
  ASSERT_NE(prog, nullptr);
  const std::string bytes = SaveBytecode(*prog);
  struct Case {
    std::string find, replace, what;
    size_t bad;  // offset of the bad byte within the replacement
  } cases[] = {
      {std::string("\x05\0\0\0floor", 9), std::string("\x05\0\0\0fl\xffor", 9),
       "invalid UTF-8 in code 0 names[", 6},
      {std::string("\x11\0\0\0a constant string", 21),
       std::string("\x11\0\0\0a constant strin\xf1", 21),
       "invalid UTF-8 in code 0 str constant (byte 16 of 17)", 20},
      {std::string("\x04\0\0\0u.py", 8), std::string("\x04\0\0\0u\xc0py", 8),
       "invalid UTF-8 in filename (byte 1 of 4)", 5},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    size_t at = bytes.find(c.find);
    ASSERT_NE(at, std::string::npos);
    std::string b = bytes;
    b.replace(at, c.find.size(), c.replace);
    RepairHeader(&b);
    auto r = LoadBytecode(b, "u.pyc");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    const std::string& msg = r.status().message();
    EXPECT_EQ(msg.rfind("u.pyc: ", 0), 0u) << msg;
    EXPECT_NE(msg.find(c.what), std::string::npos) << msg;
    EXPECT_NE(msg.find(" at byte " + std::to_string(at + c.bad)), std::string::npos) << msg;
  }
}

TEST(BytecodeCorruption, HeaderDamageIsNamed) {
  const std::string bytes = SampleBytes();
  struct Case {
    size_t pos;
    const char* what;
  } cases[] = {{0, "not an edgeflow bytecode file"},
               {4, "version"},
               {8, "header says"},
               {16, "checksum"},
               {40, "checksum"}};
  for (const Case& c : cases) {
    std::string b = bytes;
    b[c.pos] ^= 0x5A;
    auto r = LoadBytecode(b, "h.pyc");
    ASSERT_FALSE(r.ok()) << c.pos;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_NE(r.status().message().find(c.what), std::string::npos) << r.status().ToString();
  }
  EXPECT_FALSE(LooksLikeBytecode("EFP"));
  EXPECT_FALSE(LooksLikeBytecode("efpy"));
}

// Single-byte flips in the body, checksum repaired: every file is either
// refused with kCorruption naming the file, or runs to a Status under tiny
// limits. Runs in a child process so that a crash is reported with the flip
// that caused it instead of ending the test binary.
std::string FlipCampaign(int flips_per_program, uint32_t seed, int* accepted_out) {
  std::mt19937 rng(seed);
  std::string problems;
  int accepted = 0;
  // EDGEFLOW_BYTECODE_FLIP_LOG names a file for progress, to find the flip
  // that crashed (not stderr: the death test's capture of a long stderr can block).
  const char* log_path = std::getenv("EDGEFLOW_BYTECODE_FLIP_LOG");
  FILE* log = log_path != nullptr ? std::fopen(log_path, "w") : nullptr;
  for (const char* file : kSamplePrograms) {
    auto prog = MustCompile(ReadFile(Conformance(file)), file);
    if (prog == nullptr) return std::string("cannot compile ") + file;
    const std::string bytes = SaveBytecode(*prog);
    for (int i = 0; i < flips_per_program; ++i) {
      size_t pos = 24 + rng() % (bytes.size() - 24);
      uint8_t mask = static_cast<uint8_t>(1 + rng() % 255);
      std::string b = bytes;
      b[pos] = static_cast<char>(b[pos] ^ mask);
      RepairHeader(&b);
      auto r = LoadBytecode(b, "flip.pyc");
      if (!r.ok()) {
        if (r.status().code() != StatusCode::kCorruption ||
            r.status().message().rfind("flip.pyc: ", 0) != 0 ||
            r.status().message().size() <= std::strlen("flip.pyc: ")) {
          problems += std::string(file) + " flip at " + std::to_string(pos) + ": unclear error " +
                      r.status().ToString() + "\n";
        }
        continue;
      }
      ++accepted;
      // Printed first, so that a crash shows which flip caused it.
      if (log != nullptr) {
        std::fprintf(log, "running %s with byte %zu ^ 0x%02x\n", file, pos, mask);
        std::fflush(log);
      }
      RunProgram(*r, Tiny());
    }
  }
  *accepted_out = accepted;
  if (log != nullptr) std::fclose(log);
  return problems;
}

// Loading only: every refusal is kCorruption naming the file and the problem.
TEST(BytecodeCorruption, RandomByteFlipsAreRefusedWithAClearError) {
  std::mt19937 rng(12345);
  int accepted = 0, refused = 0;
  for (const char* file : kSamplePrograms) {
    auto prog = MustCompile(ReadFile(Conformance(file)), file);
    ASSERT_NE(prog, nullptr);
    const std::string bytes = SaveBytecode(*prog);
    for (int i = 0; i < 1000; ++i) {
      size_t pos = 24 + rng() % (bytes.size() - 24);
      std::string b = bytes;
      b[pos] = static_cast<char>(b[pos] ^ (1 + rng() % 255));
      RepairHeader(&b);
      auto r = LoadBytecode(b, "flip.pyc");
      if (r.ok()) {
        ++accepted;
        continue;
      }
      ++refused;
      ASSERT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
      ASSERT_EQ(r.status().message().rfind("flip.pyc: ", 0), 0u) << r.status().ToString();
      ASSERT_GT(r.status().message().size(), std::strlen("flip.pyc: ") + 8) << r.status().ToString();
    }
  }
  EXPECT_GT(refused, accepted);
}

// Loading and running whatever loads, in a child process so that a crash
// fails this test instead of ending the binary. EDGEFLOW_BYTECODE_FLIPS and
// EDGEFLOW_BYTECODE_FLIP_SEED change the campaign; EDGEFLOW_BYTECODE_FLIP_LOG
// records each flip run (the last line names the one that crashed).
TEST(BytecodeCorruption, AcceptedByteFlipsRunSafelyUnderTinyLimits) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const char* env_flips = std::getenv("EDGEFLOW_BYTECODE_FLIPS");
  const int flips = env_flips != nullptr ? std::atoi(env_flips) : 5000;
  const char* env_seed = std::getenv("EDGEFLOW_BYTECODE_FLIP_SEED");
  const uint32_t seed = env_seed != nullptr ? static_cast<uint32_t>(std::atoll(env_seed)) : 1;
  EXPECT_EXIT(
      {
        int accepted = 0;
        std::string problems = FlipCampaign(flips, seed, &accepted);
        std::fprintf(stderr, "%d accepted\n%s", accepted, problems.c_str());
        std::_Exit(problems.empty() ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "accepted");
}

// ---------------------------------------------------------------------------
// Hand-made hostile programs, rejected by the verifier

constexpr const char* kBase = R"PY(
import math
G = 3

def loop(n):
    total = 0
    i = 0
    while i < n:
        total += i
        i += 1
    return total

def guarded(x):
    try:
        return 10 // x
    except ZeroDivisionError:
        return -1

def outer(a):
    def inner(b):
        return a + b
    return inner

def kw(x, *, y=2):
    return x * y

class Point:
    def __init__(self, x):
        self.x = x

def gen(n):
    for i in range(n):
        yield i

result = [loop(5), guarded(0), outer(1)(2), kw(3, y=4), Point(1).x, list(gen(3)), math.floor(G / 2)]
print(result)
)PY";

struct Insn {
  size_t pc;
  int op;
  uint32_t a;
  uint32_t b;
};

std::vector<Insn> Decode(const Code& c) {
  std::vector<Insn> out;
  for (size_t pc = 0; pc < c.insns.size();) {
    int op = c.insns[pc] & 0xFF;
    uint32_t b = OpWords(op) == 2 && pc + 1 < c.insns.size() ? c.insns[pc + 1] : 0;
    out.push_back({pc, op, c.insns[pc] >> 8, b});
    pc += OpWords(op);
  }
  return out;
}

std::string Dump(const Code& c) {
  std::string s = c.qualname + ":\n";
  for (const Insn& i : Decode(c)) {
    s += "  " + std::to_string(i.pc) + " " + OpName(i.op) + " " + std::to_string(i.a);
    if (OpWords(i.op) == 2) s += " " + std::to_string(i.b);
    s += "\n";
  }
  return s;
}

uint32_t Word(int op, uint32_t a = 0) { return static_cast<uint32_t>(op) | (a << 8); }

Code* FindCode(Program& p, const std::string& qualname) {
  for (auto& c : p.codes) {
    if (c->qualname == qualname) return c.get();
  }
  ADD_FAILURE() << "no code " << qualname;
  return p.codes[0].get();
}

// The first instruction of `c` satisfying `pred`.
std::optional<Insn> FindInsn(const Code& c, const std::function<bool(const Insn&)>& pred) {
  for (const Insn& i : Decode(c)) {
    if (pred(i)) return i;
  }
  return std::nullopt;
}

// Replaces the instruction at `pc` with `words`, padding with NOPs to keep
// every other instruction where it was.
void Replace(Code* c, size_t pc, std::vector<uint32_t> words) {
  int old = c->insns[pc] & 0xFF;
  size_t n = std::max<size_t>(OpWords(old), words.size());
  while (words.size() < n) words.push_back(Word(OP_NOP));
  if (pc + n > c->insns.size()) c->insns.resize(pc + n, Word(OP_NOP));
  for (size_t k = 0; k < n; ++k) c->insns[pc + k] = words[k];
}

struct Hostile {
  const char* name;
  const char* message;  // a phrase the verifier's error must contain
  std::function<void(Program&)> mutate;
  bool in_file = true;  // false: the mutation does not survive SaveBytecode
};

const std::vector<Hostile>& HostileCases() {
  static const std::vector<Hostile> cases = {
      {"jump out of range", "operand out of range for",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         auto j = FindInsn(*c, [](const Insn& i) { return OpOperand(i.op) == Operand::kJump; });
         ASSERT_TRUE(j) << Dump(*c);
         c->insns[j->pc] = Word(j->op, static_cast<uint32_t>(c->insns.size() + 7));
       }},
      {"compare-jump target out of range", "invalid operand for COMPARE_JUMP",
       [](Program& p) {
         for (auto& c : p.codes) {
           auto j = FindInsn(*c, [](const Insn& i) { return i.op == OP_COMPARE_JUMP; });
           if (j) {
             c->insns[j->pc + 1] = static_cast<uint32_t>(c->insns.size() + 3);
             return;
           }
         }
         FAIL() << "no COMPARE_JUMP in " << Dump(*FindCode(p, "loop"));
       }},
      {"backward JUMP that is not JUMP_BACKWARD", "jump direction not allowed for JUMP",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         auto j = FindInsn(*c, [](const Insn& i) { return i.op == OP_JUMP_BACKWARD; });
         ASSERT_TRUE(j) << Dump(*c);
         c->insns[j->pc] = Word(OP_JUMP, j->a);
       }},
      {"JUMP_BACKWARD that jumps forward", "jump direction not allowed for JUMP_BACKWARD",
       [](Program& p) {
         for (auto& c : p.codes) {
           auto j = FindInsn(*c, [](const Insn& i) { return i.op == OP_JUMP && i.a > i.pc; });
           if (j) {
             c->insns[j->pc] = Word(OP_JUMP_BACKWARD, j->a);
             return;
           }
         }
         FAIL() << "no forward JUMP";
       }},
      {"conditional jump backwards", "jump direction not allowed for",
       [](Program& p) {
         Code* c = FindCode(p, "guarded");
         auto j = FindInsn(*c, [](const Insn& i) {
           return OpOperand(i.op) == Operand::kJump && i.op != OP_JUMP_BACKWARD && i.pc > 0;
         });
         ASSERT_TRUE(j) << Dump(*c);
         c->insns[j->pc] = Word(j->op, 0);
       }},
      {"stack underflow", "stack underflow",
       [](Program& p) { Replace(FindCode(p, "loop"), 0, {Word(OP_POP_TOP)}); }},
      {"LOAD_FAST beyond nlocals", "operand out of range for LOAD_FAST",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         Replace(c, 0, {Word(OP_LOAD_FAST, static_cast<uint32_t>(c->nlocals))});
       }},
      {"STORE_FAST beyond nlocals", "operand out of range for STORE_FAST",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         auto s = FindInsn(*c, [](const Insn& i) { return i.op == OP_STORE_FAST; });
         ASSERT_TRUE(s) << Dump(*c);
         c->insns[s->pc] = Word(OP_STORE_FAST, 1u << 20);
       }},
      {"LOAD_DEREF beyond the cells", "operand out of range for LOAD_DEREF",
       [](Program& p) {
         Code* c = FindCode(p, "outer.<locals>.inner");
         Replace(c, 0, {Word(OP_LOAD_DEREF, static_cast<uint32_t>(c->ncells + c->nfree))});
       }},
      {"LOAD_GLOBAL beyond the globals", "operand out of range for LOAD_GLOBAL",
       [](Program& p) {
         Replace(FindCode(p, "loop"), 0, {Word(OP_LOAD_GLOBAL, static_cast<uint32_t>(p.global_names.size()))});
       }},
      {"bad constant index", "operand out of range for LOAD_CONST",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         Replace(c, 0, {Word(OP_LOAD_CONST, static_cast<uint32_t>(c->consts.size()))});
       }},
      {"LOAD_FAST_CONST with a bad constant", "invalid operand for LOAD_FAST_CONST",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         Replace(c, 0, {Word(OP_LOAD_FAST_CONST, 0), static_cast<uint32_t>(c->consts.size() + 1)});
       }},
      {"attribute cache slot out of range", "invalid operand for STORE_ATTR",
       [](Program& p) {
         Code* c = FindCode(p, "Point.__init__");
         auto s = FindInsn(*c, [](const Insn& i) { return i.op == OP_STORE_ATTR; });
         ASSERT_TRUE(s) << Dump(*c);
         c->insns[s->pc + 1] = static_cast<uint32_t>(c->ncaches);
       }},
      {"name index out of range", "operand out of range for STORE_ATTR",
       [](Program& p) {
         Code* c = FindCode(p, "Point.__init__");
         auto s = FindInsn(*c, [](const Insn& i) { return i.op == OP_STORE_ATTR; });
         ASSERT_TRUE(s) << Dump(*c);
         c->insns[s->pc] = Word(OP_STORE_ATTR, static_cast<uint32_t>(c->names.size()));
       }},
      {"handler target before its range", "handler target before its range",
       [](Program& p) {
         Code* c = FindCode(p, "guarded");
         ASSERT_FALSE(c->handlers.empty());
         c->handlers[0].target = c->handlers[0].start;
       }},
      {"handler range past the code", "handler out of range",
       [](Program& p) {
         Code* c = FindCode(p, "guarded");
         ASSERT_FALSE(c->handlers.empty());
         c->handlers[0].end = static_cast<uint32_t>(c->insns.size() + 1);
       }},
      {"handler deeper than the frame", "handler too deep",
       [](Program& p) {
         Code* c = FindCode(p, "guarded");
         ASSERT_FALSE(c->handlers.empty());
         c->handlers[0].depth = static_cast<uint32_t>(c->stacksize);
       }},
      {"empty handler range", "handler out of range",
       [](Program& p) {
         Code* c = FindCode(p, "guarded");
         ASSERT_FALSE(c->handlers.empty());
         c->handlers[0].end = c->handlers[0].start;
       }},
      {"oversize stack claim", "frame too large", [](Program& p) { FindCode(p, "loop")->stacksize = 1 << 21; }},
      {"oversize locals claim", "frame too large",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         c->nlocals = (1 << 16) + 1;
         c->varnames.resize(c->nlocals, "v");
       }},
      {"stack size too small", "stack size too small", [](Program& p) { FindCode(p, "loop")->stacksize = 1; }},
      {"negative count", "negative or inconsistent counts", [](Program& p) { FindCode(p, "loop")->ncells = -1; }},
      {"more positional-only than positional", "negative or inconsistent counts",
       [](Program& p) { FindCode(p, "loop")->posonlyargcount = 2; }},
      {"more parameters than locals", "more parameters than locals",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         c->argcount = c->nlocals + 1;
       }},
      {"name tables that do not match the counts", "name tables do not match the counts",
       [](Program& p) { FindCode(p, "loop")->varnames.pop_back(); }},
      {"cell argument out of range", "cell argument index out of range",
       [](Program& p) {
         Code* c = FindCode(p, "outer");
         ASSERT_FALSE(c->cell2arg.empty()) << "outer has no cell";
         c->cell2arg[0] = 7;
       }},
      {"unknown code flags", "unknown code flags", [](Program& p) { FindCode(p, "loop")->flags |= 0x400; }},
      {"constant tuple nested too deeply", "invalid constant",
       [](Program& p) {
         Value t = Value::None();
         for (int i = 0; i < 12; ++i) t = V(p.NewStaticTuple({t}));
         FindCode(p, "loop")->consts.push_back(t);
       }},
      {"mutable set constant", "invalid constant",
       [](Program& p) {
         SetObj* s = StaticFrozenset(&p, {Value::Int(1)});
         s->cls = T().set;
         FindCode(p, "loop")->consts.push_back(V(s));
       },
       false},
      {"invalid opcode", "invalid opcode",
       [](Program& p) { Replace(FindCode(p, "loop"), 0, {Word(kNumOps + 3)}); }},
      {"operand on an operand-less op", "operand out of range for NOP",
       [](Program& p) { Replace(FindCode(p, "loop"), 0, {Word(OP_NOP, 1)}); }},
      {"invalid BINARY_OP kind", "invalid operand for BINARY_OP",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         auto b = FindInsn(*c, [](const Insn& i) { return i.op == OP_INPLACE_OP || i.op == OP_BINARY_OP; });
         ASSERT_TRUE(b) << Dump(*c);
         c->insns[b->pc] = Word(OP_BINARY_OP, kNumBinOps);
       }},
      {"truncated two-word instruction", "truncated instruction",
       [](Program& p) { FindCode(p, "loop")->insns.push_back(Word(OP_LOAD_ATTR, 0)); }},
      {"empty code", "empty code",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         c->insns.clear();
         c->lines.clear();
       }},
      {"MAKE_FUNCTION of an earlier code object", "invalid operand for MAKE_FUNCTION",
       [](Program& p) {
         Code* c = p.codes[0].get();
         auto m = FindInsn(*c, [](const Insn& i) { return i.op == OP_MAKE_FUNCTION; });
         ASSERT_TRUE(m) << Dump(*c);
         c->consts[m->a] = V(p.NewStaticCode(p.codes[0].get()));
       }},
      {"MAKE_FUNCTION of its own code", "invalid operand for MAKE_FUNCTION",
       [](Program& p) {
         Code* c = FindCode(p, "outer");
         auto m = FindInsn(*c, [](const Insn& i) { return i.op == OP_MAKE_FUNCTION; });
         ASSERT_TRUE(m) << Dump(*c);
         c->consts[m->a] = V(p.NewStaticCode(c));
       }},
      {"MAKE_FUNCTION of a code outside the program", "invalid operand for MAKE_FUNCTION",
       [](Program& p) {
         static Code stray;
         stray.index = 99;
         Code* c = p.codes[0].get();
         auto m = FindInsn(*c, [](const Insn& i) { return i.op == OP_MAKE_FUNCTION; });
         ASSERT_TRUE(m) << Dump(*c);
         c->consts[m->a] = V(p.NewStaticCode(&stray));
       }},
      {"MAKE_FUNCTION of a non-code constant", "invalid operand for MAKE_FUNCTION",
       [](Program& p) {
         Code* c = p.codes[0].get();
         auto m = FindInsn(*c, [](const Insn& i) { return i.op == OP_MAKE_FUNCTION; });
         ASSERT_TRUE(m) << Dump(*c);
         c->consts[m->a] = V(p.NewStaticStr("not code"));
       }},
      {"MAKE_FUNCTION without the closure its code needs", "invalid operand for MAKE_FUNCTION",
       [](Program& p) {
         Code* c = FindCode(p, "outer");
         auto m = FindInsn(*c, [](const Insn& i) { return i.op == OP_MAKE_FUNCTION; });
         ASSERT_TRUE(m) << Dump(*c);
         ASSERT_NE(m->b & 8, 0u);
         c->insns[m->pc + 1] = m->b & ~8u;
       }},
      {"CALL_KW whose names are not a tuple", "invalid operand for CALL_KW",
       [](Program& p) {
         Code* c = p.codes[0].get();
         auto k = FindInsn(*c, [](const Insn& i) { return i.op == OP_CALL_KW; });
         ASSERT_TRUE(k) << Dump(*c);
         size_t idx = 0;
         while (idx < c->consts.size() && IsTuple(c->consts[idx])) ++idx;
         if (idx == c->consts.size()) c->consts.push_back(Value::Int(1));
         c->insns[k->pc + 1] = static_cast<uint32_t>(idx);
       }},
      {"CALL_KW naming more keywords than arguments", "invalid operand for CALL_KW",
       [](Program& p) {
         Code* c = p.codes[0].get();
         auto k = FindInsn(*c, [](const Insn& i) { return i.op == OP_CALL_KW; });
         ASSERT_TRUE(k) << Dump(*c);
         c->insns[k->pc] = Word(OP_CALL_KW, 0);
       }},
      {"LOAD_NAME outside a class body", "invalid operand for LOAD_NAME",
       [](Program& p) {
         Code* c = FindCode(p, "Point.__init__");
         ASSERT_FALSE(c->names.empty());
         Replace(c, 0, {Word(OP_LOAD_NAME, 0)});
       }},
      {"YIELD_VALUE outside a generator", "invalid operand for YIELD_VALUE",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         auto r = FindInsn(*c, [](const Insn& i) { return i.op == OP_RETURN_VALUE; });
         ASSERT_TRUE(r);
         c->insns[r->pc] = Word(OP_YIELD_VALUE);
       }},
      {"first code object not a module body", "first code object is not a module body",
       [](Program& p) { p.codes[0]->flags &= ~kModuleBody; }},
      {"nested module body", "nested module body", [](Program& p) { FindCode(p, "loop")->flags |= kModuleBody; }},
      {"code index mismatch", "code index mismatch", [](Program& p) { p.codes[0]->index = 1; }, false},
      {"line table out of order", "line table out of order",
       [](Program& p) {
         Code* c = FindCode(p, "loop");
         c->lines.push_back({0, 1});
       }},
      {"program not linked", "program not linked", [](Program& p) { p.builtin_fallback.pop_back(); }, false},
      {"no code objects", "no code objects", [](Program& p) { p.codes.clear(); }},
  };
  return cases;
}

TEST(BytecodeVerifier, CompiledBaseProgramVerifiesAndRuns) {
  auto prog = MustCompile(kBase, "base.py");
  ASSERT_NE(prog, nullptr);
  Status st = VerifyProgram(*prog);
  ASSERT_TRUE(st.ok()) << st.ToString();
  Outcome o = RunProgram(prog);
  EXPECT_EQ(o.status, "ok");
  EXPECT_EQ(o.out, "[10, -1, 3, 12, 1, [0, 1, 2], 1]\n");
}

TEST(BytecodeVerifier, HostileProgramsAreRejectedWithTheProblemNamed) {
  for (const Hostile& h : HostileCases()) {
    SCOPED_TRACE(h.name);
    auto prog = MustCompile(kBase, "base.py");
    ASSERT_NE(prog, nullptr);
    h.mutate(*prog);
    if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;
    Status st = VerifyProgram(*prog);
    ASSERT_FALSE(st.ok()) << "accepted: " << h.name;
    EXPECT_EQ(st.code(), StatusCode::kCorruption);
    EXPECT_NE(st.message().find(h.message), std::string::npos)
        << h.name << ": expected \"" << h.message << "\" in " << st.message();
    // The loader runs the same verification on the serialized form.
    if (prog->codes.empty() || !h.in_file) continue;
    auto loaded = LoadBytecode(SaveBytecode(*prog), "hostile.pyc");
    ASSERT_FALSE(loaded.ok()) << "loader accepted: " << h.name;
    EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
  }
}

// A program assembled instruction by instruction: a module body and optional
// function codes.
struct Assembler {
  std::shared_ptr<Program> prog = std::make_shared<Program>();

  Code* Add(const std::string& name, uint32_t flags, std::vector<uint32_t> insns, std::vector<Value> consts = {},
            std::vector<std::string> names = {}) {
    auto c = std::make_unique<Code>();
    c->name = c->qualname = name;
    c->flags = flags;
    c->index = static_cast<int>(prog->codes.size());
    c->insns = std::move(insns);
    c->consts = std::move(consts);
    for (const std::string& n : names) c->names.push_back(prog->NewStaticStr(n));
    c->firstline = 1;
    prog->codes.push_back(std::move(c));
    return prog->codes.back().get();
  }
  // Fills stack sizes (when they verify) and links the globals.
  std::shared_ptr<Program> Finish() {
    prog->filename = "asm.py";
    prog->Link();
    for (auto& c : prog->codes) {
      int depth = 0;
      if (ComputeStackDepth(*c, &depth).ok()) c->stacksize = depth + 1;
    }
    return prog;
  }
};

TEST(BytecodeVerifier, InconsistentStackDepthAtAMergeIsRejected) {
  Assembler a;
  // LOAD_CONST; POP_JUMP_IF_TRUE L; LOAD_CONST; L: LOAD_CONST; RETURN_VALUE
  a.Add("<module>", kModuleBody,
        {Word(OP_LOAD_CONST, 0), Word(OP_POP_JUMP_IF_TRUE, 3), Word(OP_LOAD_CONST, 0),
         Word(OP_LOAD_CONST, 0), Word(OP_RETURN_VALUE)},
        {Value::None()});
  auto prog = a.Finish();
  prog->codes[0]->stacksize = 4;
  Status st = VerifyProgram(*prog);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("inconsistent stack depth"), std::string::npos) << st.message();
}

TEST(BytecodeVerifier, FallingOffTheEndOfTheCodeIsRejected) {
  Assembler a;
  a.Add("<module>", kModuleBody, {Word(OP_LOAD_CONST, 0), Word(OP_POP_TOP)}, {Value::None()});
  auto prog = a.Finish();
  Status st = VerifyProgram(*prog);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("fall-through to a non-instruction"), std::string::npos) << st.message();
}

TEST(BytecodeVerifier, ContainerOperandBelowTheStackIsRejected) {
  Assembler a;
  a.Add("<module>", kModuleBody,
        {Word(OP_BUILD_LIST, 0), Word(OP_LOAD_CONST, 0), Word(OP_LIST_APPEND, 2), Word(OP_RETURN_VALUE)},
        {Value::None()});
  auto prog = a.Finish();
  prog->codes[0]->stacksize = 4;
  Status st = VerifyProgram(*prog);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("container operand out of stack"), std::string::npos) << st.message();
}

TEST(BytecodeVerifier, LoopWithoutJumpBackwardCannotBeExpressed) {
  // A forward-only program cannot loop; the only way back is JUMP_BACKWARD,
  // which polls. Exception handlers cannot loop either: they lie after what
  // they protect.
  Assembler a;
  a.Add("<module>", kModuleBody,
        {Word(OP_LOAD_CONST, 0), Word(OP_POP_JUMP_IF_TRUE, 0), Word(OP_LOAD_CONST, 0), Word(OP_RETURN_VALUE)},
        {Value::None()});
  auto prog = a.Finish();
  prog->codes[0]->stacksize = 2;
  Status st = VerifyProgram(*prog);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("jump direction not allowed for POP_JUMP_IF_TRUE"), std::string::npos)
      << st.message();
}

// ---------------------------------------------------------------------------
// Verified programs whose operands have the wrong type at run time. The
// verifier proves stack depths, not what the slots hold; each program here
// must either be rejected or run to a Status.

struct IllTyped {
  const char* name;
  std::function<std::shared_ptr<Program>()> build;
  // When set: the verifier's message, or the SystemError the program raises,
  // contains this.
  const char* expect = nullptr;
};

// A module body of `insns` whose constant 0 is an int (an operand of the wrong
// kind for most instructions), with `names`.
std::shared_ptr<Program> ModuleOverInt(std::vector<uint32_t> insns,
                                       std::vector<std::string> names = {}) {
  Assembler a;
  a.Add("<module>", kModuleBody, std::move(insns), {Value::Int(0x1234)}, std::move(names));
  return a.Finish();
}

std::vector<IllTyped> IllTypedCases() {
  const uint32_t kRet = Word(OP_RETURN_VALUE);
  return {
      {"BUILD_STRING over an int",
       [=] { return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_BUILD_STRING, 1), kRet}); },
       "BUILD_STRING expects a str, got int"},
      {"LIST_APPEND onto an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_LIST_APPEND, 1), kRet});
       },
       "LIST_APPEND expects a list, got int"},
      {"LIST_TO_TUPLE of an int",
       [=] { return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LIST_TO_TUPLE), kRet}); },
       "LIST_TO_TUPLE expects a list, got int"},
      {"IMPORT_FROM a missing name of an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_IMPORT_FROM, 0),
                               Word(OP_POP_TOP), kRet}, {"missing"});
       },
       "IMPORT_FROM expects a module, got int"},
      {"FORMAT_VALUE with an int spec",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_FORMAT_VALUE, 4), kRet});
       },
       "FORMAT_VALUE expects a str format spec, got int"},
      {"MAKE_FUNCTION with an int closure",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_LOAD_CONST, 0), Word(OP_MAKE_FUNCTION, 1), 8, kRet}, {Value::Int(0x1234)});
         Code* f = a.Add("f", 0, {Word(OP_LOAD_DEREF, 0), kRet});
         f->nfree = 1;
         f->cellnames = {"x"};
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "MAKE_FUNCTION expects a closure tuple, got int"},
      {"closure cell that is not a cell",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_LOAD_CONST, 0), Word(OP_BUILD_TUPLE, 1), Word(OP_MAKE_FUNCTION, 1), 8,
                          Word(OP_CALL, 0), kRet},
                         {Value::Int(0x1234)});
         Code* f = a.Add("f", 0, {Word(OP_LOAD_DEREF, 0), kRet});
         f->nfree = 1;
         f->cellnames = {"x"};
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "MAKE_FUNCTION expects a closure of cells, got int"},
      {"MAKE_FUNCTION with int defaults",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_LOAD_CONST, 0), Word(OP_MAKE_FUNCTION, 1), 1, Word(OP_CALL, 0), kRet},
                         {Value::Int(0x1234)});
         Code* f = a.Add("f", 0, {Word(OP_LOAD_FAST, 0), kRet});
         f->argcount = 1;
         f->nlocals = 1;
         f->varnames = {"x"};
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "MAKE_FUNCTION expects a tuple of defaults, got int"},
      {"class body called as a function",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_MAKE_FUNCTION, 0), 0, Word(OP_CALL, 0), kRet});
         Code* f = a.Add("C", kClassBody, {Word(OP_LOAD_NAME, 0), kRet}, {}, {"x"});
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "LOAD_NAME outside a class body"},
      {"generator module body",
       [=] {
         Assembler a;
         a.Add("<module>", kModuleBody | kGenerator,
               {Word(OP_LOAD_CONST, 0), Word(OP_YIELD_VALUE), kRet}, {Value::None()});
         return a.Finish();
       },
       "module body with generator"},
      {"FOR_ITER over an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_FOR_ITER, 4), Word(OP_POP_TOP),
                               Word(OP_POP_TOP), Word(OP_LOAD_CONST, 0), kRet});
       }},
      {"RERAISE of an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0), Word(OP_RERAISE)});
       }},
      {"BUILD_CLASS with an int body and name",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_BUILD_CLASS, 0), kRet});
       },
       "BUILD_CLASS expects a class body function, got int"},
      {"SEND to an int",
       [=] {
         Assembler a;
         a.Add("<module>", kModuleBody,
               {Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 1), Word(OP_SEND, 4), Word(OP_POP_TOP), kRet},
               {Value::Int(0x1234), Value::None()});
         return a.Finish();
       }},
      {"CALL_METHOD of ints",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_CALL_METHOD, 0), kRet});
       }},
      {"SET_ADD onto a frozenset constant",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 1), Word(OP_SET_ADD, 1), kRet},
                         {Value::None(), Value::Int(0x1234)});
         m->consts[0] = V(StaticFrozenset(a.prog.get(), {Value::Int(1)}));
         return a.Finish();
       },
       "SET_ADD expects a set, got frozenset"},
      {"SET_UPDATE of an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_SET_UPDATE, 1), kRet});
       },
       "SET_UPDATE expects a set, got int"},
      {"LIST_EXTEND of an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_LIST_EXTEND, 1), kRet});
       },
       "LIST_EXTEND expects a list, got int"},
      {"MAP_ADD onto an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_LOAD_CONST, 0), Word(OP_MAP_ADD, 1), kRet});
       },
       "MAP_ADD expects a dict, got int"},
      {"DICT_UPDATE onto an int",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_BUILD_MAP, 0),
                               Word(OP_DICT_UPDATE, 1), kRet});
       },
       "DICT_UPDATE expects a dict, got int"},
      {"CALL_EX with int arguments",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_LOAD_CONST, 0),
                               Word(OP_CALL_EX, 0), kRet});
       },
       "CALL_EX expects a tuple, got int"},
      {"CALL_EX with int keywords",
       [=] {
         return ModuleOverInt({Word(OP_LOAD_CONST, 0), Word(OP_BUILD_TUPLE, 0),
                               Word(OP_LOAD_CONST, 0), Word(OP_CALL_EX, 1), kRet});
       },
       "CALL_EX expects a dict, got int"},
      {"MAKE_FUNCTION with int kwdefaults",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_LOAD_CONST, 0), Word(OP_MAKE_FUNCTION, 1), 2, Word(OP_CALL, 0), kRet},
                         {Value::Int(0x1234)});
         Code* f = a.Add("f", 0, {Word(OP_LOAD_FAST, 0), kRet});
         f->kwonlyargcount = 1;
         f->nlocals = 1;
         f->varnames = {"x"};
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "MAKE_FUNCTION expects a dict of kwdefaults, got int"},
      {"BUILD_CLASS with a plain function body",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_MAKE_FUNCTION, 1), 0, Word(OP_LOAD_CONST, 0), Word(OP_BUILD_CLASS, 0),
                          kRet},
                         {V(a.prog->NewStaticStr("C"))});
         Code* f = a.Add("f", 0, {Word(OP_LOAD_CONST, 0), kRet}, {Value::None()});
         m->consts.push_back(V(a.prog->NewStaticCode(f)));
         return a.Finish();
       },
       "BUILD_CLASS expects a class body function, got function"},
      {"BUILD_CLASS with an int name",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_MAKE_FUNCTION, 1), 0, Word(OP_LOAD_CONST, 0), Word(OP_BUILD_CLASS, 0),
                          kRet},
                         {Value::Int(0x1234)});
         Code* c = a.Add("C", kClassBody, {Word(OP_LOAD_CONST, 0), kRet}, {Value::None()});
         m->consts.push_back(V(a.prog->NewStaticCode(c)));
         return a.Finish();
       },
       "BUILD_CLASS expects a str name, got int"},
      {"generator class body",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody,
                         {Word(OP_MAKE_FUNCTION, 1), 0, Word(OP_LOAD_CONST, 0), Word(OP_BUILD_CLASS, 0),
                          kRet},
                         {V(a.prog->NewStaticStr("C"))});
         Code* c = a.Add("C", kClassBody | kGenerator,
                         {Word(OP_LOAD_CONST, 0), Word(OP_YIELD_VALUE), kRet}, {Value::None()});
         m->consts.push_back(V(a.prog->NewStaticCode(c)));
         return a.Finish();
       },
       "generator class body"},
      {"module body with a cell",
       [=] {
         Assembler a;
         Code* m = a.Add("<module>", kModuleBody, {Word(OP_LOAD_DEREF, 0), kRet});
         m->ncells = 1;
         m->cellnames = {"x"};
         m->cell2arg = {-1};
         return a.Finish();
       },
       "module body with"},
  };
}

// Runs one ill-typed program in a child process; the child exits 0 when the
// program was rejected or ran to a Status.
void ExpectRejectedOrRuns(const IllTyped& c) {
  SCOPED_TRACE(c.name);
  EXPECT_EXIT(
      {
        auto prog = c.build();
        Status st = VerifyProgram(*prog);
        if (st.ok()) {
          Outcome o = RunProgram(prog, Tiny());
          std::fprintf(stderr, "ran: %s\n", o.status.c_str());
        } else {
          std::fprintf(stderr, "rejected: %s\n", st.message().c_str());
        }
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(BytecodeVerifier, IllTypedVerifiedProgramsDoNotCrash) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (const IllTyped& c : IllTypedCases()) ExpectRejectedOrRuns(c);
}

// Operand kinds the verifier can prove are rejected by it; those only known at
// run time raise SystemError("bad bytecode: OP expects KIND, got TYPE"). In a
// child process, so that a crash fails only this case.
TEST(BytecodeVerifier, IllTypedOperandsAreRejectedOrRaiseSystemError) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  for (const IllTyped& c : IllTypedCases()) {
    if (c.expect == nullptr) continue;
    SCOPED_TRACE(c.name);
    EXPECT_EXIT(
        {
          auto prog = c.build();
          Status st = VerifyProgram(*prog);
          std::string what;
          bool good;
          if (st.ok()) {
            Outcome o = RunProgram(prog, Tiny());
            what = "ran: " + o.status;
            good = o.status.find("SystemError") != std::string::npos &&
                   o.status.find(std::string("bad bytecode: ") + c.expect) != std::string::npos;
          } else {
            what = "rejected: " + st.message();
            good = st.code() == StatusCode::kCorruption &&
                   st.message().find(c.expect) != std::string::npos;
          }
          std::fprintf(stderr, "%s\n", what.c_str());
          std::_Exit(good ? 0 : 1);
        },
        ::testing::ExitedWithCode(0), "");
  }
}

// ---------------------------------------------------------------------------
// Findings of script_bytecode_fuzzer, reduced to source and run from their
// bytecode under tiny limits (a sanitizer build also checks that nothing on
// the way is undefined behaviour).

// '%d' % 1e300 converted the float to int64 unchecked (UB, caught by UBSan),
// and so did math.trunc(1e300); like int(1e300) they are an OverflowError,
// since ints are 64-bit here. In range they give what CPython gives.
TEST(BytecodeFuzzFindings, HugeFloatsConvertedToIntAreOverflowError) {
  struct Case {
    const char* source;
    const char* expect;  // output, or a phrase of the error
  } cases[] = {
      {"print('%d' % 1e300)\n", "OverflowError: int too large"},
      {"print('%i' % -1e19)\n", "OverflowError: int too large"},
      {"print('%u' % 9.3e18)\n", "OverflowError: int too large"},
      {"print('%d' % 9.2e18)\n", "9200000000000000000\n"},
      {"print('%d' % -9223372036854775808.0)\n", "-9223372036854775808\n"},
      {"print('%d|%i' % (-2.9, 7.99))\n", "-2|7\n"},
      {"import math\nprint(math.trunc(1e300))\n", "OverflowError: int too large"},
      {"import math\nprint(math.trunc(-9.3e18))\n", "OverflowError: int too large"},
      {"import math\nprint(math.trunc(-2.9), math.floor(-2.5), math.ceil(2.1), round(2.5))\n",
       "-2 -3 3 2\n"},
      {"import math\nprint(math.floor(1e19))\n", "OverflowError: int too large"},
      {"print(round(-1e19))\n", "OverflowError: int too large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.source);
    auto prog = MustCompile(c.source, "f.py");
    ASSERT_NE(prog, nullptr);
    auto loaded = LoadBytecode(SaveBytecode(*prog), "f.pyc");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    Outcome o = RunProgram(*loaded, Tiny());
    if (o.status == "ok") {
      EXPECT_EQ(o.out, c.expect);
    } else {
      EXPECT_NE(o.status.find(c.expect), std::string::npos) << o.status;
    }
  }
}

}  // namespace
}  // namespace edgeflow::script
