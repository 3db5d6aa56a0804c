// CPython as the reference for script tests: runs Debian's /usr/bin/python3
// (CPython 3.11, the interpreter the VM is checked against; not the first
// python3 on PATH) on a file and captures what it printed.
#ifndef EDGEFLOW_TESTS_SCRIPT_CPYTHON_ORACLE_H_
#define EDGEFLOW_TESTS_SCRIPT_CPYTHON_ORACLE_H_

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace edgeflow::testing {

constexpr const char* kCPython = "/usr/bin/python3";

inline bool HaveCPython() { return access(kCPython, X_OK) == 0; }

struct CPythonRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `/usr/bin/python3 ARGS` in `dir` with PYTHONHASHSEED=0. ARGS is shell
// text: quote what needs quoting.
inline CPythonRun RunCPython(const std::string& dir, const std::string& args) {
  CPythonRun r;
  std::string err_path = dir + "/.cpython_stderr";
  std::string cmd = "cd '" + dir + "' && PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 " + kCPython +
                    " " + args + " 2>'" + err_path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_path);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

}  // namespace edgeflow::testing

#endif  // EDGEFLOW_TESTS_SCRIPT_CPYTHON_ORACLE_H_
