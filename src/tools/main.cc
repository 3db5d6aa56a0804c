// edgeflow: one binary, many commands (DESIGN.md "CLI"). Dispatches on the
// longest registered command name that prefixes the arguments.
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>

#include "tools/cli.h"

namespace edgeflow::cli {

namespace {
std::vector<Command>& Table() {
  static auto* table = new std::vector<Command>;
  return *table;
}
}  // namespace

bool Register(const Command& command) {
  Table().push_back(command);
  return true;
}

const std::vector<Command>& Commands() { return Table(); }

int Fail(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "edgeflow %s: %s\n", command.c_str(), message.c_str());
  return 1;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

}  // namespace edgeflow::cli

namespace {

void PrintUsage(FILE* out) {
  std::fprintf(out, "usage: edgeflow COMMAND [ARGS...]   (edgeflow COMMAND --help for details)\n\n");
  for (const auto& c : edgeflow::cli::Commands()) {
    std::fprintf(out, "  %-18s %s\n", c.name, c.summary);
  }
}

// Number of words in a command name ("device run" -> 2).
size_t WordCount(const char* name) {
  size_t n = 1;
  for (const char* p = name; *p; ++p) n += (*p == ' ');
  return n;
}

bool Matches(const char* name, const std::vector<std::string>& argv, size_t words) {
  if (argv.size() < words) return false;
  std::string joined;
  for (size_t i = 0; i < words; ++i) joined += (i ? " " : "") + argv[i];
  return joined == name;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    PrintUsage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const edgeflow::cli::Command* best = nullptr;
  size_t best_words = 0;
  for (const auto& c : edgeflow::cli::Commands()) {
    size_t w = WordCount(c.name);
    if (w > best_words && Matches(c.name, args, w)) {
      best = &c;
      best_words = w;
    }
  }
  if (!best) {
    // A command group ("edgeflow script"): list its commands.
    std::vector<const edgeflow::cli::Command*> group;
    for (const auto& c : edgeflow::cli::Commands()) {
      if (std::strncmp(c.name, args[0].c_str(), args[0].size()) == 0 && c.name[args[0].size()] == ' ') {
        group.push_back(&c);
      }
    }
    if (!group.empty()) {
      bool help = args.size() > 1 && (args[1] == "-h" || args[1] == "--help");
      FILE* out = help ? stdout : stderr;
      std::fprintf(out, "usage: edgeflow %s COMMAND [ARGS...]   (edgeflow %s COMMAND --help for details)\n\n",
                   args[0].c_str(), args[0].c_str());
      for (const auto* c : group) std::fprintf(out, "  %-18s %s\n", c->name, c->summary);
      if (!help && args.size() > 1) {
        std::fprintf(stderr, "\nedgeflow: unknown command '%s %s'\n", args[0].c_str(), args[1].c_str());
      }
      return help ? 0 : 2;
    }
    std::fprintf(stderr, "edgeflow: unknown command '%s' (edgeflow --help lists them)\n",
                 args[0].c_str());
    return 2;
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(best_words), args.end());
  try {
    return best->run(rest);
  } catch (const std::exception& e) {
    return edgeflow::cli::Fail(best->name, std::string("internal error: ") + e.what());
  }
}
