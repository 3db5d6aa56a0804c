// Program and Code helpers: opcode tables, line lookup, static constants.
#include "script/code.h"

#include "script/runtime.h"

namespace edgeflow::script {

namespace {
struct OpInfo {
  const char* name;
  Operand operand;
  int words;
};
const OpInfo kOps[] = {
#define EF_OP_INFO(name, kind, b) {#name, Operand::kind, 1 + (b)},
    EF_SCRIPT_OPCODES(EF_OP_INFO)
#undef EF_OP_INFO
};
}  // namespace

const char* OpName(int op) { return op >= 0 && op < kNumOps ? kOps[op].name : "?"; }
Operand OpOperand(int op) { return kOps[op].operand; }

int Code::LineOf(uint32_t pc) const {
  int line = firstline;
  for (const LineEntry& e : lines) {
    if (e.pc > pc) break;
    line = static_cast<int>(e.line);
  }
  return line;
}

Program::Program() { InitTypes(); }

Program::~Program() {
  for (Object* o : statics_) FreeObject(nullptr, o);
}

StrObj* Program::NewStaticStr(std::string_view s) {
  auto it = strings_.find(std::string(s));
  if (it != strings_.end()) return it->second;
  StrObj* o = NewStr(nullptr, s);
  statics_.push_back(o);
  strings_.emplace(std::string(s), o);
  return o;
}

TupleObj* Program::NewStaticTuple(const std::vector<Value>& items) {
  TupleObj* t = NewTupleFrom(nullptr, items.data(), static_cast<int64_t>(items.size()));
  statics_.push_back(t);
  return t;
}

CodeObj* Program::NewStaticCode(const Code* code) {
  auto* c = New<CodeObj>(nullptr, Kind::kCode, T().code);
  c->code = code;
  statics_.push_back(c);
  return c;
}

void Program::Link() {
  global_slots.clear();
  global_name_objs.clear();
  builtin_fallback.clear();
  const DictObj* builtins = BuiltinsDict();
  for (size_t i = 0; i < global_names.size(); ++i) {
    global_slots.emplace(global_names[i], static_cast<int>(i));
    StrObj* name = NewStaticStr(global_names[i]);
    global_name_objs.push_back(name);
    Value v;
    DictGetStr(const_cast<DictObj*>(builtins), name, &v);
    builtin_fallback.push_back(v);
  }
}

}  // namespace edgeflow::script
