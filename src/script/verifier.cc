// Bytecode verification: operand bounds, jump targets, constant kinds, handler
// ranges and a stack-depth proof over every path, so that the interpreter can run
// verified code without bounds checks. Kinds are proven where they are static
// (constants an operand indexes, names, code flags); the kinds of stack values
// are checked by the interpreter's handlers that depend on them.
#include "script/verifier.h"

#include <deque>
#include <string>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

Status Bad(const Code& code, size_t pc, const std::string& what) {
  return Status::Corruption("bytecode of '" + code.qualname + "' at instruction " +
                            std::to_string(pc) + ": " + what);
}

bool Terminates(int op) {
  return op == OP_RETURN_VALUE || op == OP_RAISE || op == OP_RERAISE || op == OP_JUMP ||
         op == OP_JUMP_BACKWARD;
}

bool IsJump(int op) { return OpOperand(op) == Operand::kJump || op == OP_COMPARE_JUMP; }

uint32_t JumpTarget(int op, uint32_t a, uint32_t b) { return op == OP_COMPARE_JUMP ? b : a; }

bool ValidConst(const Value& v, int level) {
  switch (v.tag) {
    case Tag::kNone:
    case Tag::kBool:
    case Tag::kInt:
    case Tag::kFloat: return true;
    case Tag::kObj: break;
    default: return false;
  }
  Object* o = v.o;
  if ((o->flags & kStatic) == 0) return false;
  switch (o->kind) {
    case Kind::kStr:
    case Kind::kCode: return true;
    case Kind::kInstance: return o == T().ellipsis;
    case Kind::kSet: {
      if (o->cls != T().frozenset || level > 8) return false;
      for (const SetEntry& e : static_cast<SetObj*>(o)->table) {
        if (!e.key.unbound() && !ValidConst(e.key, level + 1)) return false;
      }
      return true;
    }
    case Kind::kTuple: {
      if (level > 8) return false;
      auto* t = static_cast<TupleObj*>(o);
      for (int64_t i = 0; i < t->n; ++i) {
        if (!ValidConst(t->items[i], level + 1)) return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace

bool StackEffect(int op, uint32_t a, uint32_t b, int* pops, int* push, int* push_jump) {
  int po = 0, pu = 0;
  int pj = -1;  // -1: same as fall-through
  switch (op) {
    case OP_NOP: break;
    case OP_POP_TOP: po = 1; break;
    case OP_DUP_TOP: po = 1; pu = 2; break;
    case OP_DUP_TOP_TWO: po = 2; pu = 4; break;
    case OP_ROT_TWO: po = pu = 2; break;
    case OP_ROT_THREE: po = pu = 3; break;
    case OP_ROT_FOUR: po = pu = 4; break;
    case OP_LOAD_CONST:
    case OP_LOAD_FAST:
    case OP_LOAD_DEREF:
    case OP_LOAD_CLOSURE:
    case OP_LOAD_GLOBAL:
    case OP_LOAD_NAME:
    case OP_LOAD_ASSERTION_ERROR:
    case OP_IMPORT_NAME: pu = 1; break;
    case OP_STORE_FAST:
    case OP_STORE_DEREF:
    case OP_STORE_GLOBAL:
    case OP_STORE_NAME: po = 1; break;
    case OP_DELETE_FAST:
    case OP_DELETE_DEREF:
    case OP_DELETE_GLOBAL:
    case OP_DELETE_NAME: break;
    case OP_LOAD_ATTR: po = pu = 1; break;
    case OP_STORE_ATTR: po = 2; break;
    case OP_DELETE_ATTR: po = 1; break;
    case OP_LOAD_METHOD: po = 1; pu = 2; break;
    case OP_CALL_METHOD: po = static_cast<int>(a) + 2; pu = 1; break;
    case OP_BINARY_OP:
    case OP_INPLACE_OP:
      if (a >= kNumBinOps) return false;
      po = 2; pu = 1;
      break;
    case OP_BINARY_ADD:
    case OP_BINARY_SUB:
    case OP_BINARY_MUL:
    case OP_BINARY_SUBSCR: po = 2; pu = 1; break;
    case OP_COMPARE_OP:
      if (a >= kNumCmpOps) return false;
      po = 2; pu = 1;
      break;
    case OP_IS_OP:
    case OP_CONTAINS_OP:
      if (a > 1) return false;
      po = 2; pu = 1;
      break;
    case OP_UNARY_NEG:
    case OP_UNARY_POS:
    case OP_UNARY_NOT:
    case OP_UNARY_INVERT:
    case OP_GET_ITER:
    case OP_LIST_TO_TUPLE: po = pu = 1; break;
    case OP_STORE_SUBSCR: po = 3; break;
    case OP_DELETE_SUBSCR: po = 2; break;
    case OP_BUILD_SLICE:
      if (a != 2 && a != 3) return false;
      po = static_cast<int>(a); pu = 1;
      break;
    case OP_BUILD_TUPLE:
    case OP_BUILD_LIST:
    case OP_BUILD_SET:
    case OP_BUILD_STRING: po = static_cast<int>(a); pu = 1; break;
    case OP_BUILD_MAP: po = 2 * static_cast<int>(a); pu = 1; break;
    case OP_LIST_APPEND:
    case OP_SET_ADD:
    case OP_LIST_EXTEND:
    case OP_SET_UPDATE:
    case OP_DICT_UPDATE:
      if (a < 1) return false;
      po = 1;
      break;
    case OP_MAP_ADD:
      if (a < 1) return false;
      po = 2;
      break;
    case OP_FORMAT_VALUE:
      if (a > 7) return false;
      po = (a & 4) ? 2 : 1; pu = 1;
      break;
    case OP_UNPACK_SEQUENCE: po = 1; pu = static_cast<int>(a); break;
    case OP_UNPACK_EX: po = 1; pu = static_cast<int>((a & 0xFFF) + (a >> 12) + 1); break;
    case OP_JUMP:
    case OP_JUMP_BACKWARD: break;
    case OP_POP_JUMP_IF_FALSE:
    case OP_POP_JUMP_IF_TRUE: po = 1; break;
    case OP_JUMP_IF_FALSE_OR_POP:
    case OP_JUMP_IF_TRUE_OR_POP: po = 1; pu = 0; pj = 1; break;
    case OP_FOR_ITER: po = 1; pu = 2; pj = 0; break;
    case OP_FOR_ITER_STORE: po = 1; pu = 1; pj = 0; break;
    case OP_SEND: po = 2; pu = 2; pj = 1; break;
    case OP_CALL:
    case OP_CALL_KW: po = static_cast<int>(a) + 1; pu = 1; break;
    case OP_CALL_EX:
      if (a > 1) return false;
      po = 2 + static_cast<int>(a); pu = 1;
      break;
    case OP_MAKE_FUNCTION:
      if (b & ~0xBu) return false;
      po = (b & 1) + ((b >> 1) & 1) + ((b >> 3) & 1); pu = 1;
      break;
    case OP_BUILD_CLASS:
      if (a > 1) return false;  // single inheritance
      po = static_cast<int>(a) + 2; pu = 1;
      break;
    case OP_RETURN_VALUE: po = 1; break;
    case OP_YIELD_VALUE: po = pu = 1; break;
    case OP_RAISE:
      if (a > 2) return false;
      po = static_cast<int>(a);
      break;
    case OP_PUSH_EXC_INFO: po = 1; pu = 2; break;
    case OP_POP_EXCEPT: po = 1; break;
    case OP_CHECK_EXC_MATCH: po = pu = 2; break;
    case OP_RERAISE: po = 2; break;
    case OP_IMPORT_FROM: po = 1; pu = 2; break;
    case OP_LOAD_FAST_CONST:
    case OP_LOAD_FAST_FAST: pu = 2; break;
    case OP_COMPARE_JUMP:
      if (a >= kNumCmpOps) return false;
      po = 2;
      break;
    default: return false;
  }
  *pops = po;
  *push = pu;
  *push_jump = pj < 0 ? pu : pj;
  return true;
}

namespace {

// Depth analysis shared by the compiler (computes) and the loader (checks).
Status AnalyzeDepth(const Code& code, int* max_depth) {
  const auto& ins = code.insns;
  size_t n = ins.size();
  if (n == 0) return Bad(code, 0, "empty code");
  // Instruction boundaries.
  std::vector<uint8_t> start(n, 0);
  for (size_t pc = 0; pc < n;) {
    int op = ins[pc] & 0xFF;
    if (op >= kNumOps) return Bad(code, pc, "invalid opcode " + std::to_string(op));
    start[pc] = 1;
    pc += OpWords(op);
    if (pc > n) return Bad(code, pc, "truncated instruction");
  }
  std::vector<int> depth(n, -1);
  std::deque<size_t> work;
  int maxd = 0;
  auto reach = [&](size_t from, size_t pc, int d) -> Status {
    if (pc >= n || !start[pc]) return Bad(code, from, "jump or fall-through to a non-instruction");
    if (d < 0) return Bad(code, from, "stack underflow");
    if (depth[pc] < 0) {
      depth[pc] = d;
      if (d > maxd) maxd = d;
      work.push_back(pc);
    } else if (depth[pc] != d) {
      return Bad(code, pc, "inconsistent stack depth (" + std::to_string(depth[pc]) + " vs " +
                               std::to_string(d) + ")");
    }
    return Status::OK();
  };
  EF_RETURN_IF_ERROR(reach(0, 0, 0));
  for (const Handler& h : code.handlers) {
    EF_RETURN_IF_ERROR(reach(h.target, h.target, static_cast<int>(h.depth) + 1));
  }
  while (!work.empty()) {
    size_t pc = work.front();
    work.pop_front();
    uint32_t w = ins[pc];
    int op = w & 0xFF;
    uint32_t a = w >> 8;
    uint32_t b = OpWords(op) == 2 ? ins[pc + 1] : 0;
    int pops, push, push_jump;
    if (!StackEffect(op, a, b, &pops, &push, &push_jump)) {
      return Bad(code, pc, std::string("invalid operand for ") + OpName(op));
    }
    int d = depth[pc];
    if (d < pops) return Bad(code, pc, std::string("stack underflow in ") + OpName(op));
    int after = d - pops;
    // Ops that reach below their own operands.
    if (op == OP_LIST_APPEND || op == OP_SET_ADD || op == OP_MAP_ADD || op == OP_LIST_EXTEND ||
        op == OP_SET_UPDATE || op == OP_DICT_UPDATE) {
      if (after < static_cast<int>(a)) return Bad(code, pc, "container operand out of stack");
    }
    if (IsJump(op)) EF_RETURN_IF_ERROR(reach(pc, JumpTarget(op, a, b), after + push_jump));
    if (!Terminates(op)) EF_RETURN_IF_ERROR(reach(pc, pc + OpWords(op), after + push));
  }
  // Every protected instruction keeps at least the handler's depth on the stack.
  for (const Handler& h : code.handlers) {
    for (uint32_t pc = h.start; pc < h.end && pc < n; ++pc) {
      if (depth[pc] >= 0 && depth[pc] < static_cast<int>(h.depth)) {
        return Bad(code, pc, "handler depth above the protected stack");
      }
    }
  }
  *max_depth = maxd;
  return Status::OK();
}

}  // namespace

Status ComputeStackDepth(const Code& code, int* max_depth) { return AnalyzeDepth(code, max_depth); }

Status VerifyCode(const Code& code, const Program& program) {
  const size_t n = code.insns.size();
  if (code.nlocals < 0 || code.ncells < 0 || code.nfree < 0 || code.stacksize < 0 ||
      code.ncaches < 0 || code.argcount < 0 || code.kwonlyargcount < 0 ||
      code.posonlyargcount < 0 || code.posonlyargcount > code.argcount) {
    return Bad(code, 0, "negative or inconsistent counts");
  }
  if (code.nlocals > kMaxLocals || code.ncells + code.nfree > kMaxCellSlots ||
      code.stacksize > kMaxStackDepth || code.ncaches > kMaxCaches) {
    return Bad(code, 0, "frame too large");
  }
  if (static_cast<int>(code.varnames.size()) != code.nlocals ||
      static_cast<int>(code.cellnames.size()) != code.ncells + code.nfree ||
      static_cast<int>(code.cell2arg.size()) != code.ncells) {
    return Bad(code, 0, "name tables do not match the counts");
  }
  int nparams = code.argcount + code.kwonlyargcount + ((code.flags & kVarArgs) ? 1 : 0) +
                ((code.flags & kVarKw) ? 1 : 0);
  if (nparams > code.nlocals) return Bad(code, 0, "more parameters than locals");
  for (int c : code.cell2arg) {
    if (c < -1 || c >= nparams) return Bad(code, 0, "cell argument index out of range");
  }
  if (code.flags & ~0x7Fu) return Bad(code, 0, "unknown code flags");
  // RunMain runs the module body in a plain frame: no generator, no arguments,
  // no cells (its cell slots would not hold cells).
  if ((code.flags & kModuleBody) &&
      ((code.flags & (kGenerator | kClassBody | kVarArgs | kVarKw)) || code.argcount != 0 ||
       code.kwonlyargcount != 0 || code.ncells != 0 || code.nfree != 0)) {
    return Bad(code, 0, "module body with generator, class body, argument or cell flags");
  }
  // BUILD_CLASS runs a class body for its namespace; a generator would not run.
  if ((code.flags & kClassBody) && (code.flags & kGenerator)) {
    return Bad(code, 0, "generator class body");
  }
  for (const Value& v : code.consts) {
    if (!ValidConst(v, 0)) return Bad(code, 0, "invalid constant");
  }
  for (StrObj* s : code.names) {
    if (s == nullptr || s->kind != Kind::kStr) return Bad(code, 0, "name that is not a str");
  }
  for (size_t i = 0; i < code.lines.size(); ++i) {
    if (code.lines[i].pc > n || (i > 0 && code.lines[i].pc < code.lines[i - 1].pc)) {
      return Bad(code, 0, "line table out of order");
    }
  }
  for (const Handler& h : code.handlers) {
    if (h.start >= h.end || h.end > n || h.target >= n) return Bad(code, 0, "handler out of range");
    // Handlers lie after what they protect, so that an exception cannot loop
    // back without passing a polling backward jump.
    if (h.target < h.end) return Bad(code, 0, "handler target before its range");
    if (static_cast<int>(h.depth) + 1 > code.stacksize) return Bad(code, 0, "handler too deep");
  }
  const int ncellslots = code.ncells + code.nfree;
  const bool class_body = (code.flags & kClassBody) != 0;
  for (size_t pc = 0; pc < n;) {
    uint32_t w = code.insns[pc];
    int op = w & 0xFF;
    if (op >= kNumOps) return Bad(code, pc, "invalid opcode");
    if (pc + OpWords(op) > n) return Bad(code, pc, "truncated instruction");
    uint32_t a = w >> 8;
    uint32_t b = OpWords(op) == 2 ? code.insns[pc + 1] : 0;
    auto in = [&](uint32_t v, size_t limit) { return v < limit; };
    bool ok = true;
    switch (OpOperand(op)) {
      case Operand::kNone: ok = a == 0; break;
      case Operand::kConst: ok = in(a, code.consts.size()); break;
      case Operand::kLocal: ok = in(a, code.nlocals); break;
      case Operand::kCell: ok = in(a, ncellslots); break;
      case Operand::kGlobal: ok = in(a, program.global_names.size()); break;
      case Operand::kName: ok = in(a, code.names.size()); break;
      case Operand::kJump: ok = in(a, n); break;
      case Operand::kCount:
      case Operand::kSmall: break;  // checked by StackEffect
    }
    if (!ok) return Bad(code, pc, std::string("operand out of range for ") + OpName(op));
    switch (op) {
      case OP_LOAD_ATTR:
      case OP_STORE_ATTR:
      case OP_LOAD_METHOD: ok = in(b, code.ncaches); break;
      case OP_LOAD_FAST_CONST: ok = in(b, code.consts.size()); break;
      case OP_LOAD_FAST_FAST:
      case OP_FOR_ITER_STORE: ok = in(b, code.nlocals); break;
      case OP_COMPARE_JUMP: ok = in(b, n); break;
      case OP_CALL_KW: {
        ok = in(b, code.consts.size()) && IsTuple(code.consts[b]);
        if (ok) {
          auto* t = As<TupleObj>(code.consts[b]);
          ok = t->n <= static_cast<int64_t>(a);
          for (int64_t i = 0; ok && i < t->n; ++i) ok = IsStr(t->items[i]);
        }
        break;
      }
      case OP_MAKE_FUNCTION: {
        ok = IsObj(code.consts[a], Kind::kCode);
        if (ok) {
          const Code* child = As<CodeObj>(code.consts[a])->code;
          ok = child != nullptr && child->index > code.index &&
               child->index < static_cast<int>(program.codes.size()) &&
               program.codes[child->index].get() == child;
          // A closure tuple is passed exactly when the child has free variables.
          if (ok) ok = ((b & 8) != 0) == (child->nfree > 0);
        }
        break;
      }
      case OP_LOAD_NAME:
      case OP_STORE_NAME:
      case OP_DELETE_NAME: ok = class_body; break;
      case OP_YIELD_VALUE: ok = (code.flags & kGenerator) != 0; break;
      case OP_IMPORT_NAME:
      case OP_IMPORT_FROM: break;
      default: break;
    }
    if (!ok) return Bad(code, pc, std::string("invalid operand for ") + OpName(op));
    // Only JUMP_BACKWARD (which polls the limits) may go backwards: no loop
    // escapes the instruction budget or cancellation.
    if (IsJump(op)) {
      uint32_t target = JumpTarget(op, a, b);
      bool backward = target <= pc;
      if (backward != (op == OP_JUMP_BACKWARD)) {
        return Bad(code, pc, std::string("jump direction not allowed for ") + OpName(op));
      }
    }
    pc += OpWords(op);
  }
  int depth = 0;
  EF_RETURN_IF_ERROR(AnalyzeDepth(code, &depth));
  if (depth > code.stacksize) return Bad(code, 0, "stack size too small");
  return Status::OK();
}

Status VerifyProgram(const Program& program) {
  if (program.codes.empty()) return Status::Corruption("bytecode: no code objects");
  if ((program.codes[0]->flags & kModuleBody) == 0) {
    return Status::Corruption("bytecode: first code object is not a module body");
  }
  if (program.global_names.size() != program.builtin_fallback.size()) {
    return Status::Corruption("bytecode: program not linked");
  }
  for (size_t i = 0; i < program.codes.size(); ++i) {
    const Code& c = *program.codes[i];
    if (c.index != static_cast<int>(i)) return Status::Corruption("bytecode: code index mismatch");
    if (i > 0 && (c.flags & kModuleBody)) {
      return Status::Corruption("bytecode: nested module body");
    }
    EF_RETURN_IF_ERROR(VerifyCode(c, program));
  }
  return Status::OK();
}

}  // namespace edgeflow::script
