// Code objects and Programs: the immutable result of compiling (or loading) one
// script. A Program is shared by any number of Contexts on any threads; nothing in
// it is mutated after construction (its constant objects are "static").
#ifndef EDGEFLOW_SCRIPT_CODE_H_
#define EDGEFLOW_SCRIPT_CODE_H_

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "script/objects.h"
#include "script/value.h"
#include "script/opcodes.h"

namespace edgeflow::script {

// The protected range [start, end) of instruction indexes jumps to target with
// the stack cut back to `depth` items and the exception pushed.
struct Handler {
  uint32_t start, end, target, depth;
};

// Instructions from `pc` on belong to source line `line`.
struct LineEntry {
  uint32_t pc;
  uint32_t line;
};

// The largest frame a code object may ask for (the verifier refuses more, the
// compiler reports more as a SyntaxError naming the function): it bounds the
// value-stack slots one call takes, 16 bytes each.
constexpr int kMaxLocals = 1 << 16;      // nlocals (parameters included)
constexpr int kMaxCellSlots = 1 << 16;   // ncells + nfree
constexpr int kMaxStackDepth = 1 << 20;  // stacksize
constexpr int kMaxCaches = 1 << 20;      // ncaches

struct Code {
  std::string name;
  std::string qualname;
  std::string doc;         // the docstring when flags has kHasDoc
  int argcount = 0;        // positional parameters (incl. positional-only)
  int posonlyargcount = 0;
  int kwonlyargcount = 0;
  uint32_t flags = 0;      // CodeFlags
  int nlocals = 0;         // parameters first, then *args, **kwargs, then other locals
  int ncells = 0;          // own cell variables
  int nfree = 0;           // free variables (closure), after the own cells
  int stacksize = 0;       // maximum operand stack depth
  int ncaches = 0;         // inline cache slots used by LOAD_ATTR/STORE_ATTR/LOAD_METHOD
  int firstline = 0;
  int index = 0;           // position in Program::codes
  std::vector<std::string> varnames;   // nlocals
  std::vector<std::string> cellnames;  // ncells + nfree
  std::vector<int> cell2arg;           // per own cell: parameter it starts from, or -1
  std::vector<uint32_t> insns;
  std::vector<Value> consts;           // None/bool/int/float or static str/tuple/code objects
  std::vector<StrObj*> names;          // static strings
  std::vector<LineEntry> lines;
  std::vector<Handler> handlers;       // innermost first

  int LineOf(uint32_t pc) const;
  int nslots() const { return nlocals + ncells + nfree + stacksize; }
};

struct Program {
  Program();
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  std::string filename;
  std::vector<std::unique_ptr<Code>> codes;  // codes[0] is the module body
  std::vector<std::string> global_names;     // by slot
  std::vector<StrObj*> global_name_objs;     // by slot (static)
  std::unordered_map<std::string, int> global_slots;
  std::vector<Value> builtin_fallback;       // by slot: the builtin of that name, or unbound
  std::vector<std::string> source_lines;     // for tracebacks; may be empty

  // Static objects owned by this program. Strings are interned per program:
  // equal constants and names share one object, so dict and attribute
  // lookups usually match by pointer.
  StrObj* NewStaticStr(std::string_view s);
  TupleObj* NewStaticTuple(const std::vector<Value>& items);
  CodeObj* NewStaticCode(const Code* code);
  // Takes ownership of a static object built elsewhere (a frozenset constant).
  void Adopt(Object* o) { statics_.push_back(o); }
  // Frozenset constants with the order their elements were added in, which
  // fixes their table layout (and so their iteration order) when reloaded.
  std::vector<std::pair<const SetObj*, std::vector<Value>>> frozenset_orders;
  // Fills global_slots, global_name_objs and builtin_fallback from global_names.
  void Link();

 private:
  std::vector<Object*> statics_;
  std::unordered_map<std::string, StrObj*> strings_;  // interned constants and names
};

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_CODE_H_
