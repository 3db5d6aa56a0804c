// Scope analysis: decides for every name in every scope whether it is a fast
// local, a cell (captured by an inner function), a free variable (closure), a
// global, or a class-body name. Runs over the whole AST before code generation.
#ifndef EDGEFLOW_SCRIPT_SYMTABLE_H_
#define EDGEFLOW_SCRIPT_SYMTABLE_H_

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "script/ast.h"

namespace edgeflow::script {

enum class ScopeKind { kModule, kFunction, kClass, kComprehension };
enum class NameKind { kLocal, kCell, kFree, kGlobal, kClassName };

struct Scope {
  ScopeKind kind;
  Node* node = nullptr;
  Scope* parent = nullptr;
  std::string name;
  std::vector<std::unique_ptr<Scope>> children;
  // Per-name facts gathered in the first pass.
  std::map<std::string, int> flags;   // NameFlags
  std::vector<std::string> params;    // in slot order
  std::vector<std::string> locals;    // slot order: params then others (first binding order)
  // global and nonlocal declarations in source order, each with its statement.
  std::vector<std::pair<std::string, Node*>> declarations;
  // Results.
  std::unordered_map<std::string, NameKind> kinds;
  std::vector<std::string> cellvars;  // own cells, ordered
  std::vector<std::string> freevars;  // ordered
  bool generator = false;
  bool uses_super = false;
  bool needs_class_cell = false;      // class scope: methods use super()/__class__

  NameKind KindOf(const std::string& name) const;
  int LocalIndex(const std::string& name) const;
  int CellIndex(const std::string& name) const;  // own cells then free vars
};

enum NameFlags {
  kAssigned = 1,
  kParam = 2,
  kUsed = 4,
  kDeclGlobal = 8,
  kDeclNonlocal = 16,
};

// Builds the scope tree for a module. Throws CompileError.
std::unique_ptr<Scope> AnalyzeScopes(Node* module);

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_SYMTABLE_H_
