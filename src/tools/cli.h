// The edgeflow CLI's command table. Each command lives in its own file
// (cmd_<name>.cc) and registers itself with EF_CLI_COMMAND; main.cc dispatches.
//
// Contract for every command (DESIGN.md): `--help` prints usage and exits 0;
// success exits 0; failure exits non-zero with a one-line reason on stderr;
// anything longer than a second reports progress on stderr.
#ifndef EDGEFLOW_TOOLS_CLI_H_
#define EDGEFLOW_TOOLS_CLI_H_

#include <string>
#include <vector>

namespace edgeflow::cli {

// args excludes the program name and the command word(s).
using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  const char* name;     // "device run", "script compile", ...
  const char* summary;  // one line for `edgeflow --help`
  CommandFn run;
};

// Registers a command; called from static initialisers via EF_CLI_COMMAND.
bool Register(const Command& command);
const std::vector<Command>& Commands();

// Prints "edgeflow <command>: <message>" on stderr and returns 1 (for `return Fail(...)`).
int Fail(const std::string& command, const std::string& message);
// True if args contains -h or --help.
bool WantsHelp(const std::vector<std::string>& args);

}  // namespace edgeflow::cli

#define EF_CLI_CONCAT_INNER_(a, b) a##b
#define EF_CLI_CONCAT_(a, b) EF_CLI_CONCAT_INNER_(a, b)
#define EF_CLI_COMMAND(name, summary, fn)                   \
  static const bool EF_CLI_CONCAT_(ef_cli_registered_, __LINE__) = \
      ::edgeflow::cli::Register({name, summary, fn})

#endif  // EDGEFLOW_TOOLS_CLI_H_
