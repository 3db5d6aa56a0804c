// Code generation: AST + scopes to Code objects (stack bytecode), then stack
// depth analysis and verification of the result.
#include "script/compiler.h"

#include "edgeflow/script_compiler.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "script/lexer.h"
#include "script/parser.h"
#include "script/runtime.h"
#include "script/stack_guard.h"
#include "script/symtable.h"
#include "script/verifier.h"
#include "script/bytecode.h"

namespace edgeflow::script {

namespace {

// The deepest level of a constant container that VerifyProgram accepts.
constexpr int kMaxConstLevel = 8;

enum class FB { kForLoop, kWhileLoop, kTryExcept, kFinallyTry, kHandler, kFinallyEnd };

struct Region {
  std::vector<std::pair<uint32_t, uint32_t>> segs;
  uint32_t open_start = 0;
  bool open = false;
  int target = -1;  // label
  int depth = 0;
};

struct FBlock {
  FBlock(FB k = FB::kWhileLoop, int brk = -1, int cont = -1) : kind(k), break_label(brk), continue_label(cont) {}
  FB kind;
  int break_label = -1;
  int continue_label = -1;
  const std::vector<Node*>* final_body = nullptr;
  Region* region = nullptr;
  std::string handler_name;
  Scope* scope = nullptr;
};

struct Fixup {
  size_t word;  // index of the word holding the label
  int label;
  bool in_b;    // label is in the B word (whole word) rather than operand A
};

struct Unit {
  Scope* scope;
  Code* code;
  std::vector<int> labels;
  std::vector<Fixup> fixups;
  std::map<std::string, int> const_index;
  std::unordered_map<std::string, int> name_index;
  int line = 0;
  std::vector<FBlock> fblocks;
  std::vector<std::unique_ptr<Region>> regions;
  std::vector<Region*> done_regions;  // in completion order (innermost first)
};

class Compiler {
 public:
  Compiler(Program* prog, Scope* root, const std::string& source) : prog_(prog), root_(root) {
    (void)source;
    Index(root);
  }

  void CompileModule(Node* module) {
    Code* code = NewCode(root_, "<module>", module->line);
    code->flags |= kModuleBody;
    Unit u{root_, code, {}, {}, {}, {}, 0, {}, {}, {}};
    PushUnit(&u);
    Stmts(module->a);
    EmitConst(Value::None());
    Emit(OP_RETURN_VALUE);
    FinishUnit();
  }

 private:
  // ---- scopes ----
  void Index(Scope* s) {
    if (s->node) scope_of_[s->node] = s;
    for (auto& c : s->children) Index(c.get());
  }
  Scope* ScopeOf(Node* n) {
    auto it = scope_of_.find(n);
    if (it == scope_of_.end()) throw CompileError{"internal: no scope", n->line, n->col};
    return it->second;
  }

  // ---- units ----
  Code* NewCode(Scope* s, const std::string& name, int line) {
    prog_->codes.push_back(std::make_unique<Code>());
    Code* c = prog_->codes.back().get();
    c->index = static_cast<int>(prog_->codes.size() - 1);
    c->name = name;
    c->firstline = line;
    c->varnames = s->locals;
    c->nlocals = static_cast<int>(s->locals.size());
    c->cellnames = s->cellvars;
    c->cellnames.insert(c->cellnames.end(), s->freevars.begin(), s->freevars.end());
    c->ncells = static_cast<int>(s->cellvars.size());
    c->nfree = static_cast<int>(s->freevars.size());
    for (const std::string& cell : s->cellvars) {
      auto it = std::find(s->params.begin(), s->params.end(), cell);
      c->cell2arg.push_back(it == s->params.end() ? -1 : static_cast<int>(it - s->params.begin()));
    }
    if (s->generator) c->flags |= kGenerator;
    return c;
  }
  void PushUnit(Unit* u) {
    units_.push_back(u);
    u_ = u;
  }
  void FinishUnit() {
    Unit* u = u_;
    Code* c = u->code;
    for (const Fixup& f : u->fixups) {
      int pos = u->labels[f.label];
      if (pos < 0) throw CompileError{"internal: unbound label", c->firstline, 0};
      if (f.in_b) {
        c->insns[f.word] = static_cast<uint32_t>(pos);
      } else {
        c->insns[f.word] = (c->insns[f.word] & 0xFF) | (static_cast<uint32_t>(pos) << 8);
      }
    }
    for (Region* r : u->done_regions) {
      for (auto& [start, end] : r->segs) {
        if (start >= end) continue;
        c->handlers.push_back({start, end, static_cast<uint32_t>(u->labels[r->target]),
                               static_cast<uint32_t>(r->depth)});
      }
    }
    if (c->lines.empty()) c->lines.push_back({0, static_cast<uint32_t>(c->firstline)});
    FuseInstructions(c);
    int depth = 0;
    Status st = ComputeStackDepth(*c, &depth);
    if (!st.ok()) throw CompileError{"internal compiler error: " + st.message(), c->firstline, 0};
    c->stacksize = depth;
    CheckFrameLimits(*c);
    units_.pop_back();
    u_ = units_.empty() ? nullptr : units_.back();
  }

  // CPython has no such limits; ours (code.h) keep one call's frame bounded.
  static void CheckFrameLimits(const Code& c) {
    auto fail = [&](const char* what, int limit) {
      std::string where = c.name == "<module>" ? "the module body" : "'" + c.name + "'";
      throw CompileError{"too many " + std::string(what) + " in " + where + " (edgeflow's limit is " +
                             std::to_string(limit) + ")",
                         c.firstline, 0};
    };
    if (c.nlocals > kMaxLocals) fail("local variables and parameters", kMaxLocals);
    if (c.ncells + c.nfree > kMaxCellSlots) fail("closure variables", kMaxCellSlots);
    if (c.stacksize > kMaxStackDepth) fail("values on the operand stack", kMaxStackDepth);
    if (c.ncaches > kMaxCaches) fail("attribute and method sites", kMaxCaches);
  }

  // Superinstructions: LOAD_FAST a; LOAD_FAST b -> LOAD_FAST_FAST a b and
  // LOAD_FAST a; LOAD_CONST b -> LOAD_FAST_CONST a b. Each pair keeps its two
  // words, so no jump target moves; a pair is fused only when nothing (a
  // jump, a handler, a line boundary) refers to its second instruction.
  static void FuseInstructions(Code* c) {
    auto& ins = c->insns;
    std::vector<uint8_t> start(ins.size(), 0), referenced(ins.size() + 1, 0);
    for (size_t pc = 0; pc < ins.size(); pc += OpWords(ins[pc] & 0xFF)) start[pc] = 1;
    for (size_t pc = 0; pc < ins.size(); pc += OpWords(ins[pc] & 0xFF)) {
      int op = ins[pc] & 0xFF;
      uint32_t a = ins[pc] >> 8;
      if (OpOperand(op) == Operand::kJump && a < referenced.size()) referenced[a] = 1;
      if (op == OP_COMPARE_JUMP && ins[pc + 1] < referenced.size()) referenced[ins[pc + 1]] = 1;
    }
    for (const Handler& h : c->handlers) {
      referenced[h.start] = referenced[h.end] = referenced[h.target] = 1;
    }
    for (const LineEntry& e : c->lines) {
      if (e.pc < referenced.size()) referenced[e.pc] = 1;
    }
    for (size_t pc = 0; pc + 1 < ins.size(); ++pc) {
      if (!start[pc] || !start[pc + 1] || referenced[pc + 1]) continue;
      int op = ins[pc] & 0xFF, next = ins[pc + 1] & 0xFF;
      if (op != OP_LOAD_FAST || (next != OP_LOAD_FAST && next != OP_LOAD_CONST)) continue;
      uint32_t b = ins[pc + 1] >> 8;
      ins[pc] = (ins[pc] & ~0xFFu) | (next == OP_LOAD_FAST ? OP_LOAD_FAST_FAST : OP_LOAD_FAST_CONST);
      ins[pc + 1] = b;
      start[pc + 1] = 0;
      ++pc;
    }
  }

  // ---- emission ----
  uint32_t Pc() const { return static_cast<uint32_t>(u_->code->insns.size()); }
  void MarkLine() {
    Code* c = u_->code;
    if (c->lines.empty() || c->lines.back().line != static_cast<uint32_t>(u_->line)) {
      if (!c->lines.empty() && c->lines.back().pc == Pc()) {
        c->lines.back().line = u_->line;
      } else {
        c->lines.push_back({Pc(), static_cast<uint32_t>(u_->line)});
      }
    }
  }
  void Emit(int op, uint32_t a = 0) {
    if (a > 0xFFFFFF) throw CompileError{"program too large (operand overflow)", u_->line, 0};
    MarkLine();
    u_->code->insns.push_back(static_cast<uint32_t>(op) | (a << 8));
  }
  void Emit2(int op, uint32_t a, uint32_t b) {
    Emit(op, a);
    u_->code->insns.push_back(b);
  }
  int NewLabel() {
    u_->labels.push_back(-1);
    return static_cast<int>(u_->labels.size() - 1);
  }
  void Bind(int label) { u_->labels[label] = static_cast<int>(Pc()); }
  void EmitJump(int op, int label) {
    Emit(op, 0);
    u_->fixups.push_back({u_->code->insns.size() - 1, label, false});
  }
  void EmitJumpB(int op, uint32_t a, int label) {
    Emit2(op, a, 0);
    u_->fixups.push_back({u_->code->insns.size() - 1, label, true});
  }
  int Const(Value v, const std::string& key) {
    auto it = u_->const_index.find(key);
    if (it != u_->const_index.end()) return it->second;
    int idx = static_cast<int>(u_->code->consts.size());
    u_->code->consts.push_back(v);
    u_->const_index.emplace(key, idx);
    return idx;
  }
  int IntConst(int64_t v) { return Const(Value::Int(v), "i" + std::to_string(v)); }
  int StrConst(const std::string& s) {
    return Const(V(prog_->NewStaticStr(s)), "s" + s);
  }
  int FloatConst(double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return Const(Value::Float(d), "f" + std::to_string(bits));
  }
  void EmitConst(Value v) {
    std::string key;
    switch (v.tag) {
      case Tag::kNone: key = "N"; break;
      case Tag::kBool: key = v.i ? "T" : "F"; break;
      case Tag::kInt: key = "i" + std::to_string(v.i); break;
      default: key = "?"; break;
    }
    Emit(OP_LOAD_CONST, Const(v, key));
  }
  int NameIdx(const std::string& name) {
    auto it = u_->name_index.find(name);
    if (it != u_->name_index.end()) return it->second;
    int idx = static_cast<int>(u_->code->names.size());
    u_->code->names.push_back(prog_->NewStaticStr(name));
    u_->name_index.emplace(name, idx);
    return idx;
  }
  int GlobalSlot(const std::string& name) {
    auto it = global_slot_.find(name);
    if (it != global_slot_.end()) return it->second;
    int slot = static_cast<int>(prog_->global_names.size());
    prog_->global_names.push_back(name);
    global_slot_.emplace(name, slot);
    return slot;
  }
  uint32_t NewCache() { return static_cast<uint32_t>(u_->code->ncaches++); }
  void SetLine(Node* n) {
    if (n->line > 0) u_->line = n->line;
  }

  // ---- names ----
  void LoadName(const std::string& name) {
    Scope* s = u_->scope;
    switch (s->KindOf(name)) {
      case NameKind::kLocal: Emit(OP_LOAD_FAST, s->LocalIndex(name)); break;
      case NameKind::kCell:
      case NameKind::kFree: Emit(OP_LOAD_DEREF, s->CellIndex(name)); break;
      case NameKind::kGlobal: Emit(OP_LOAD_GLOBAL, GlobalSlot(name)); break;
      case NameKind::kClassName:
        GlobalSlot(name);
        Emit(OP_LOAD_NAME, NameIdx(name));
        break;
    }
  }
  void StoreName(const std::string& name) {
    Scope* s = u_->scope;
    switch (s->KindOf(name)) {
      case NameKind::kLocal: Emit(OP_STORE_FAST, s->LocalIndex(name)); break;
      case NameKind::kCell:
      case NameKind::kFree: Emit(OP_STORE_DEREF, s->CellIndex(name)); break;
      case NameKind::kGlobal: Emit(OP_STORE_GLOBAL, GlobalSlot(name)); break;
      case NameKind::kClassName: Emit(OP_STORE_NAME, NameIdx(name)); break;
    }
  }
  void DeleteName(const std::string& name) {
    Scope* s = u_->scope;
    switch (s->KindOf(name)) {
      case NameKind::kLocal: Emit(OP_DELETE_FAST, s->LocalIndex(name)); break;
      case NameKind::kCell:
      case NameKind::kFree: Emit(OP_DELETE_DEREF, s->CellIndex(name)); break;
      case NameKind::kGlobal: Emit(OP_DELETE_GLOBAL, GlobalSlot(name)); break;
      case NameKind::kClassName: Emit(OP_DELETE_NAME, NameIdx(name)); break;
    }
  }

  // ---- statements ----
  int BaseDepth() const {
    int d = 0;
    for (const FBlock& f : u_->fblocks) {
      if (f.kind == FB::kForLoop || f.kind == FB::kHandler) d += 1;
      if (f.kind == FB::kFinallyEnd) d += 2;
    }
    return d;
  }

  void Stmts(const std::vector<Node*>& v) {
    for (Node* n : v) Stmt(n);
  }

  // Scope analysis bounds the tree's depth; a thread with a small stack can
  // still run out first.
  static void CheckStack(Node* n) {
    if (StackNearlyExhausted()) throw NestingError(n->line, n->col);
  }

  void Stmt(Node* n) {
    CheckStack(n);
    SetLine(n);
    switch (n->kind) {
      case NK::kExpr:
        if (n->x->kind == NK::kStr || n->x->kind == NK::kInt || n->x->kind == NK::kConst) break;
        Expr(n->x);
        Emit(OP_POP_TOP);
        break;
      case NK::kAssign: {
        Expr(n->x);
        for (size_t i = 0; i < n->a.size(); ++i) {
          if (i + 1 < n->a.size()) Emit(OP_DUP_TOP);
          Store(n->a[i]);
        }
        break;
      }
      case NK::kAugAssign: AugAssign(n); break;
      case NK::kAnnAssign:
        if (n->y) {
          Expr(n->y);
          Store(n->x);
        }
        break;
      case NK::kIf: {
        int else_label = NewLabel();
        int end = NewLabel();
        JumpIf(n->x, false, else_label);
        Stmts(n->a);
        if (!n->b.empty()) EmitJump(OP_JUMP, end);
        Bind(else_label);
        Stmts(n->b);
        Bind(end);
        break;
      }
      case NK::kWhile: {
        int top = NewLabel(), else_label = NewLabel(), end = NewLabel();
        Bind(top);
        bool forever = n->x->kind == NK::kConst && n->x->i == 1;
        if (!forever) JumpIf(n->x, false, else_label);
        u_->fblocks.push_back({FB::kWhileLoop, end, top});
        Stmts(n->a);
        u_->fblocks.pop_back();
        EmitJump(OP_JUMP_BACKWARD, top);
        Bind(else_label);
        Stmts(n->b);
        Bind(end);
        break;
      }
      case NK::kFor: {
        int top = NewLabel(), exhausted = NewLabel(), end = NewLabel();
        Expr(n->y);
        Emit(OP_GET_ITER);
        Bind(top);
        SetLine(n);
        ForIter(n->x, exhausted);
        u_->fblocks.push_back({FB::kForLoop, end, top});
        Stmts(n->a);
        u_->fblocks.pop_back();
        SetLine(n);
        EmitJump(OP_JUMP_BACKWARD, top);
        Bind(exhausted);
        Stmts(n->b);
        Bind(end);
        break;
      }
      case NK::kBreak:
      case NK::kContinue: {
        int idx = -1;
        for (int i = static_cast<int>(u_->fblocks.size()) - 1; i >= 0; --i) {
          FB k = u_->fblocks[i].kind;
          if (k == FB::kForLoop || k == FB::kWhileLoop) {
            idx = i;
            break;
          }
        }
        if (idx < 0) {
          throw CompileError{n->kind == NK::kBreak ? "'break' outside loop"
                                                   : "'continue' not properly in loop",
                             n->line, n->col};
        }
        FBlock loop = u_->fblocks[idx];
        std::vector<Region*> suspended;
        Unwind(idx + 1, false, &suspended);
        if (n->kind == NK::kBreak) {
          if (loop.kind == FB::kForLoop) Emit(OP_POP_TOP);
          EmitJump(OP_JUMP, loop.break_label);
        } else {
          EmitJump(OP_JUMP_BACKWARD, loop.continue_label);
        }
        Resume(suspended);
        break;
      }
      case NK::kPass: break;
      case NK::kReturn: {
        if (n->x) Expr(n->x);
        else EmitConst(Value::None());
        std::vector<Region*> suspended;
        Unwind(0, true, &suspended);
        Emit(OP_RETURN_VALUE);
        Resume(suspended);
        break;
      }
      case NK::kFunctionDef: FunctionDef(n); break;
      case NK::kClassDef: ClassDef(n); break;
      case NK::kTry:
        if (!n->d.empty()) TryFinally(n);
        else TryExcept(n);
        break;
      case NK::kRaise:
        if (n->x) Expr(n->x);
        if (n->y) Expr(n->y);
        Emit(OP_RAISE, n->y ? 2 : n->x ? 1 : 0);
        break;
      case NK::kAssert: {
        int ok = NewLabel();
        JumpIf(n->x, true, ok);
        Emit(OP_LOAD_ASSERTION_ERROR);
        if (n->y) {
          Expr(n->y);
          Emit(OP_CALL, 1);
        }
        Emit(OP_RAISE, 1);
        Bind(ok);
        break;
      }
      case NK::kDelete:
        for (Node* t : n->a) Delete(t);
        break;
      case NK::kGlobal:
      case NK::kNonlocal: break;
      case NK::kImport:
        for (size_t i = 0; i < n->names.size(); ++i) {
          if (n->names[i].find('.') != std::string::npos) {
            throw CompileError{"dotted module names are not supported: " + n->names[i], n->line,
                               n->col};
          }
          Emit(OP_IMPORT_NAME, NameIdx(n->names[i]));
          StoreName(n->asnames[i].empty() ? n->names[i] : n->asnames[i]);
        }
        break;
      case NK::kImportFrom:
        Emit(OP_IMPORT_NAME, NameIdx(n->s));
        for (size_t i = 0; i < n->names.size(); ++i) {
          Emit(OP_IMPORT_FROM, NameIdx(n->names[i]));
          StoreName(n->asnames[i].empty() ? n->names[i] : n->asnames[i]);
        }
        Emit(OP_POP_TOP);
        break;
      case NK::kWith:
        throw CompileError{"'with' statements are not supported", n->line, n->col};
      default: throw CompileError{"internal: unexpected statement", n->line, n->col};
    }
  }

  // Emits the cleanup for leaving fblocks [stop, end) (innermost first). The
  // value to return, if any, is on top of the stack (preserve_tos).
  void Unwind(size_t stop, bool preserve_tos, std::vector<Region*>* suspended) {
    std::vector<FBlock> saved = u_->fblocks;
    for (size_t i = saved.size(); i-- > stop;) {
      FBlock fb = saved[i];
      if (fb.region && fb.region->open) {
        Suspend(fb.region);
        suspended->push_back(fb.region);
      }
      switch (fb.kind) {
        case FB::kForLoop:
          if (preserve_tos) Emit(OP_ROT_TWO);
          Emit(OP_POP_TOP);
          break;
        case FB::kWhileLoop:
        case FB::kTryExcept: break;
        case FB::kFinallyTry:
          u_->fblocks.resize(i);
          Stmts(*fb.final_body);
          u_->fblocks = saved;
          break;
        case FB::kHandler:
          if (preserve_tos) Emit(OP_ROT_TWO);
          Emit(OP_POP_EXCEPT);
          if (!fb.handler_name.empty()) {
            EmitConst(Value::None());
            StoreName(fb.handler_name);
            DeleteName(fb.handler_name);
          }
          break;
        case FB::kFinallyEnd:
          if (preserve_tos) {
            Emit(OP_ROT_TWO);
            Emit(OP_POP_TOP);
            Emit(OP_ROT_TWO);
          } else {
            Emit(OP_POP_TOP);
          }
          Emit(OP_POP_EXCEPT);
          break;
      }
    }
  }
  void Suspend(Region* r) {
    if (!r->open) return;
    r->segs.push_back({r->open_start, Pc()});
    r->open = false;
  }
  void Resume(const std::vector<Region*>& regions) {
    for (Region* r : regions) {
      r->open = true;
      r->open_start = Pc();
    }
  }
  Region* BeginRegion(int target, int depth) {
    u_->regions.push_back(std::make_unique<Region>());
    Region* r = u_->regions.back().get();
    r->target = target;
    r->depth = depth;
    r->open = true;
    r->open_start = Pc();
    return r;
  }
  void EndRegion(Region* r) { Suspend(r); }

  void TryExcept(Node* n) {
    int handler = NewLabel(), cleanup = NewLabel(), end = NewLabel();
    int depth = BaseDepth();
    Region* body = BeginRegion(handler, depth);
    u_->fblocks.push_back({FB::kTryExcept});
    u_->fblocks.back().region = body;
    Stmts(n->a);
    u_->fblocks.pop_back();
    EndRegion(body);
    Stmts(n->c);
    EmitJump(OP_JUMP, end);
    Bind(handler);
    SetLine(n->b[0]);
    Emit(OP_PUSH_EXC_INFO);
    Region* clean = BeginRegion(cleanup, depth + 1);
    for (Node* h : n->b) {
      SetLine(h);
      int next = NewLabel();
      if (h->x) {
        Expr(h->x);
        Emit(OP_CHECK_EXC_MATCH);
        EmitJump(OP_POP_JUMP_IF_FALSE, next);
      }
      if (!h->s.empty()) StoreName(h->s);
      else Emit(OP_POP_TOP);
      u_->fblocks.push_back({FB::kHandler});
      u_->fblocks.back().region = clean;
      u_->fblocks.back().handler_name = h->s;
      Stmts(h->a);
      u_->fblocks.pop_back();
      // After POP_EXCEPT the stack is back at the try's depth: the cleanup
      // region (which expects the saved exception on the stack) must not
      // cover the rest of this handler.
      Emit(OP_POP_EXCEPT);
      Suspend(clean);
      if (!h->s.empty()) {
        EmitConst(Value::None());
        StoreName(h->s);
        DeleteName(h->s);
      }
      EmitJump(OP_JUMP, end);
      Resume({clean});
      Bind(next);
      if (!h->x && h != n->b.back()) {
        throw CompileError{"default 'except:' must be last", h->line, h->col};
      }
    }
    Emit(OP_RERAISE);
    EndRegion(clean);
    Bind(cleanup);
    Emit(OP_RERAISE);
    Bind(end);
    u_->done_regions.push_back(body);
    u_->done_regions.push_back(clean);
  }

  void TryFinally(Node* n) {
    int handler = NewLabel(), cleanup = NewLabel(), end = NewLabel();
    int depth = BaseDepth();
    Region* body = BeginRegion(handler, depth);
    u_->fblocks.push_back({FB::kFinallyTry});
    u_->fblocks.back().final_body = &n->d;
    u_->fblocks.back().region = body;
    if (!n->b.empty()) {
      TryExcept(n);
    } else {
      Stmts(n->a);
    }
    u_->fblocks.pop_back();
    EndRegion(body);
    Stmts(n->d);
    EmitJump(OP_JUMP, end);
    Bind(handler);
    Emit(OP_PUSH_EXC_INFO);
    Region* clean = BeginRegion(cleanup, depth + 1);
    u_->fblocks.push_back({FB::kFinallyEnd});
    u_->fblocks.back().region = clean;
    Stmts(n->d);
    u_->fblocks.pop_back();
    Emit(OP_RERAISE);
    EndRegion(clean);
    Bind(cleanup);
    Emit(OP_RERAISE);
    Bind(end);
    u_->done_regions.push_back(body);
    u_->done_regions.push_back(clean);
  }

  void ForIter(Node* target, int exhausted) {
    if (target->kind == NK::kName && u_->scope->KindOf(target->s) == NameKind::kLocal) {
      Emit2(OP_FOR_ITER_STORE, 0, static_cast<uint32_t>(u_->scope->LocalIndex(target->s)));
      u_->fixups.push_back({u_->code->insns.size() - 2, exhausted, false});
      return;
    }
    EmitJump(OP_FOR_ITER, exhausted);
    Store(target);
  }

  void Store(Node* t) {
    switch (t->kind) {
      case NK::kName: StoreName(t->s); break;
      case NK::kAttribute:
        Expr(t->x);
        SetLine(t);
        Emit2(OP_STORE_ATTR, NameIdx(t->s), NewCache());
        break;
      case NK::kSubscript:
        Expr(t->x);
        Expr(t->y);
        SetLine(t);
        Emit(OP_STORE_SUBSCR);
        break;
      case NK::kTuple:
      case NK::kList: {
        int star = -1;
        for (size_t i = 0; i < t->a.size(); ++i) {
          if (t->a[i]->kind == NK::kStarred) star = static_cast<int>(i);
        }
        if (star < 0) {
          Emit(OP_UNPACK_SEQUENCE, static_cast<uint32_t>(t->a.size()));
        } else {
          uint32_t before = star, after = static_cast<uint32_t>(t->a.size() - star - 1);
          if (before > 0xFFF || after > 0xFFF) throw CompileError{"too many expressions in star-unpacking assignment", t->line, t->col};
          Emit(OP_UNPACK_EX, before | (after << 12));
        }
        for (Node* e : t->a) Store(e->kind == NK::kStarred ? e->x : e);
        break;
      }
      default: throw CompileError{"cannot assign to expression", t->line, t->col};
    }
  }

  void Delete(Node* t) {
    switch (t->kind) {
      case NK::kName: DeleteName(t->s); break;
      case NK::kAttribute:
        Expr(t->x);
        Emit(OP_DELETE_ATTR, NameIdx(t->s));
        break;
      case NK::kSubscript:
        Expr(t->x);
        Expr(t->y);
        Emit(OP_DELETE_SUBSCR);
        break;
      case NK::kTuple:
      case NK::kList:
        for (Node* e : t->a) Delete(e);
        break;
      default: throw CompileError{"cannot delete expression", t->line, t->col};
    }
  }

  void AugAssign(Node* n) {
    Node* t = n->x;
    switch (t->kind) {
      case NK::kName:
        LoadName(t->s);
        Expr(n->y);
        SetLine(n);
        Emit(OP_INPLACE_OP, n->op);
        StoreName(t->s);
        break;
      case NK::kAttribute: {
        Expr(t->x);
        Emit(OP_DUP_TOP);
        Emit2(OP_LOAD_ATTR, NameIdx(t->s), NewCache());
        Expr(n->y);
        SetLine(n);
        Emit(OP_INPLACE_OP, n->op);
        Emit(OP_ROT_TWO);
        Emit2(OP_STORE_ATTR, NameIdx(t->s), NewCache());
        break;
      }
      case NK::kSubscript:
        Expr(t->x);
        Expr(t->y);
        Emit(OP_DUP_TOP_TWO);
        Emit(OP_BINARY_SUBSCR);
        Expr(n->y);
        SetLine(n);
        Emit(OP_INPLACE_OP, n->op);
        Emit(OP_ROT_THREE);
        Emit(OP_STORE_SUBSCR);
        break;
      default: throw CompileError{"illegal expression for augmented assignment", t->line, t->col};
    }
  }

  // Pushes defaults/kwdefaults; returns MAKE_FUNCTION flags.
  uint32_t Defaults(Arguments* args) {
    uint32_t flags = 0;
    int n = 0;
    for (const Param& p : args->args) {
      if (p.default_value) {
        Expr(p.default_value);
        ++n;
      }
    }
    if (n > 0) {
      Emit(OP_BUILD_TUPLE, n);
      flags |= 1;
    }
    int k = 0;
    for (const Param& p : args->kwonly) {
      if (p.default_value) {
        Emit(OP_LOAD_CONST, StrConst(p.name));
        Expr(p.default_value);
        ++k;
      }
    }
    if (k > 0) {
      Emit(OP_BUILD_MAP, k);
      flags |= 2;
    }
    return flags;
  }

  void MakeClosure(Scope* child, uint32_t* flags) {
    if (child->freevars.empty()) return;
    for (const std::string& name : child->freevars) {
      int idx = u_->scope->CellIndex(name);
      if (idx < 0) throw CompileError{"internal: missing closure cell '" + name + "'", u_->line, 0};
      Emit(OP_LOAD_CLOSURE, idx);
    }
    Emit(OP_BUILD_TUPLE, static_cast<uint32_t>(child->freevars.size()));
    *flags |= 8;
  }

  std::string Qualname(Scope* child, const std::string& name) {
    std::string prefix;
    Scope* p = child->parent;
    if (p && p->kind != ScopeKind::kModule) {
      prefix = qualnames_[p];
      if (p->kind != ScopeKind::kClass) prefix += ".<locals>";
      prefix += ".";
    }
    qualnames_[child] = prefix + name;
    return prefix + name;
  }

  // Compiles the body of a function scope into a new code object; returns its const index.
  int FunctionCode(Node* n, Scope* child, const std::string& name, bool lambda) {
    Code* code = NewCode(child, name, n->line);
    code->qualname = Qualname(child, name);
    Arguments* args = n->args;
    code->argcount = static_cast<int>(args->args.size());
    code->posonlyargcount = args->posonly;
    code->kwonlyargcount = static_cast<int>(args->kwonly.size());
    if (!args->vararg.empty()) code->flags |= kVarArgs;
    if (!args->kwarg.empty()) code->flags |= kVarKw;
    Unit* parent = u_;
    Unit u{child, code, {}, {}, {}, {}, n->line, {}, {}, {}};
    PushUnit(&u);
    if (!lambda && !n->a.empty() && n->a[0]->kind == NK::kExpr && n->a[0]->x->kind == NK::kStr) {
      code->flags |= kHasDoc;
      code->doc = n->a[0]->x->s;
    }
    if (lambda) {
      Expr(n->x);
      Emit(OP_RETURN_VALUE);
    } else {
      Stmts(n->a);
      EmitConst(Value::None());
      Emit(OP_RETURN_VALUE);
    }
    FinishUnit();
    u_ = parent;
    return Const(V(prog_->NewStaticCode(code)), "c" + std::to_string(code->index));
  }

  void FunctionDef(Node* n) {
    for (Node* d : n->b) Expr(d);
    SetLine(n);
    uint32_t flags = Defaults(n->args);
    Scope* child = ScopeOf(n);
    int code_idx = FunctionCode(n, child, n->s, false);
    MakeClosure(child, &flags);
    SetLine(n);
    Emit2(OP_MAKE_FUNCTION, code_idx, flags);
    for (size_t i = 0; i < n->b.size(); ++i) Emit(OP_CALL, 1);
    StoreName(n->s);
  }

  void ClassDef(Node* n) {
    for (Node* d : n->b) Expr(d);
    SetLine(n);
    Scope* child = ScopeOf(n);
    Code* code = NewCode(child, n->s, n->line);
    code->qualname = Qualname(child, n->s);
    code->flags |= kClassBody;
    if (child->needs_class_cell) code->flags |= kHasClassCell;
    Unit* parent = u_;
    Unit u{child, code, {}, {}, {}, {}, n->line, {}, {}, {}};
    PushUnit(&u);
    if (!n->a.empty() && n->a[0]->kind == NK::kExpr && n->a[0]->x->kind == NK::kStr) {
      // A class docstring is its __doc__ (CPython stores it first thing).
      Emit(OP_LOAD_CONST, StrConst(n->a[0]->x->s));
      Emit(OP_STORE_NAME, NameIdx("__doc__"));
    }
    Stmts(n->a);
    if (child->needs_class_cell) {
      Emit(OP_LOAD_CLOSURE, child->CellIndex("__class__"));
    } else {
      EmitConst(Value::None());
    }
    Emit(OP_RETURN_VALUE);
    FinishUnit();
    u_ = parent;
    int code_idx = Const(V(prog_->NewStaticCode(code)), "c" + std::to_string(code->index));
    uint32_t flags = 0;
    MakeClosure(child, &flags);
    Emit2(OP_MAKE_FUNCTION, code_idx, flags);
    Emit(OP_LOAD_CONST, StrConst(n->s));
    int nbases = 0;
    for (Node* b : n->c) {
      if (b->kind == NK::kKeyword) {
        throw CompileError{"class keyword arguments are not supported", b->line, b->col};
      }
      Expr(b);
      ++nbases;
    }
    if (nbases > 1) throw CompileError{"multiple inheritance is not supported", n->line, n->col};
    Emit(OP_BUILD_CLASS, nbases);
    for (size_t i = 0; i < n->b.size(); ++i) Emit(OP_CALL, 1);
    StoreName(n->s);
  }

  // ---- expressions ----
  void JumpIf(Node* e, bool cond, int label) {
    CheckStack(e);
    if (e->kind == NK::kUnaryOp && e->op == 2) {
      JumpIf(e->x, !cond, label);
      return;
    }
    if (e->kind == NK::kBoolOp) {
      bool is_and = e->op == 0;
      if (is_and != cond) {
        // and/false or or/true: any operand decides
        for (Node* v : e->a) JumpIf(v, cond, label);
      } else {
        int skip = NewLabel();
        for (size_t i = 0; i + 1 < e->a.size(); ++i) JumpIf(e->a[i], !cond, skip);
        JumpIf(e->a.back(), cond, label);
        Bind(skip);
      }
      return;
    }
    if (e->kind == NK::kCompare && e->ops.size() == 1 && e->ops[0] < kNumCmpOps && !cond) {
      Expr(e->x);
      Expr(e->a[0]);
      SetLine(e);
      EmitJumpB(OP_COMPARE_JUMP, e->ops[0], label);
      return;
    }
    Expr(e);
    EmitJump(cond ? OP_POP_JUMP_IF_TRUE : OP_POP_JUMP_IF_FALSE, label);
  }

  void Expr(Node* e) {
    CheckStack(e);
    int saved_line = u_->line;
    if (e->line > 0) u_->line = e->line;
    ExprInner(e);
    u_->line = saved_line;
  }

  void CompareOp(int op) {
    if (op < kNumCmpOps) Emit(OP_COMPARE_OP, op);
    else if (op == 10) Emit(OP_CONTAINS_OP, 0);
    else if (op == 11) Emit(OP_CONTAINS_OP, 1);
    else if (op == 12) Emit(OP_IS_OP, 0);
    else Emit(OP_IS_OP, 1);
  }

  // Builds a sequence display with possible starred items as a list on the stack.
  void StarredList(const std::vector<Node*>& items) {
    size_t i = 0;
    while (i < items.size() && items[i]->kind != NK::kStarred) Expr(items[i++]);
    Emit(OP_BUILD_LIST, static_cast<uint32_t>(i));
    for (; i < items.size(); ++i) {
      if (items[i]->kind == NK::kStarred) {
        Expr(items[i]->x);
        Emit(OP_LIST_EXTEND, 1);
      } else {
        Expr(items[i]);
        Emit(OP_LIST_APPEND, 1);
      }
    }
  }
  static bool HasStar(const std::vector<Node*>& items) {
    for (Node* n : items) {
      if (n && n->kind == NK::kStarred) return true;
    }
    return false;
  }

  void ExprInner(Node* e) {
    switch (e->kind) {
      case NK::kName: LoadName(e->s); break;
      case NK::kInt: Emit(OP_LOAD_CONST, IntConst(e->i)); break;
      case NK::kFloat: Emit(OP_LOAD_CONST, FloatConst(e->f)); break;
      case NK::kStr: Emit(OP_LOAD_CONST, StrConst(e->s)); break;
      case NK::kConst:
        if (e->i == 3) {
          Emit(OP_LOAD_CONST, Const(V(T().ellipsis), "E"));
        } else {
          EmitConst(e->i == 0 ? Value::None() : Value::Bool(e->i == 1));
        }
        break;
      case NK::kJoinedStr: {
        int n = 0;
        for (Node* part : e->a) {
          if (part->kind == NK::kStr) {
            if (part->s.empty()) continue;
            Emit(OP_LOAD_CONST, StrConst(part->s));
          } else {
            Expr(part->x);
            uint32_t flags = part->i == 's' ? 1 : part->i == 'r' ? 2 : part->i == 'a' ? 3 : 0;
            if (part->y) {
              Expr(part->y);
              flags |= 4;
            }
            Emit(OP_FORMAT_VALUE, flags);
          }
          ++n;
        }
        if (n == 0) Emit(OP_LOAD_CONST, StrConst(""));
        else if (n > 1 || e->a[0]->kind == NK::kStr) Emit(OP_BUILD_STRING, n);
        break;
      }
      case NK::kTuple:
        if (HasStar(e->a)) {
          StarredList(e->a);
          Emit(OP_LIST_TO_TUPLE);
        } else {
          for (Node* x : e->a) Expr(x);
          Emit(OP_BUILD_TUPLE, static_cast<uint32_t>(e->a.size()));
        }
        break;
      case NK::kList:
        if (HasStar(e->a)) {
          StarredList(e->a);
        } else {
          for (Node* x : e->a) Expr(x);
          Emit(OP_BUILD_LIST, static_cast<uint32_t>(e->a.size()));
        }
        break;
      case NK::kSet:
        if (e->a.size() > 2 && AllConstant(e->a)) {
          // CPython builds constant set displays from a frozenset constant,
          // which fixes the element order the set ends up with.
          std::vector<Value> items;
          for (Node* x : e->a) items.push_back(ConstValue(x));
          SetObj* fs = StaticFrozenset(prog_, items);
          Emit(OP_BUILD_SET, 0);
          Emit(OP_LOAD_CONST, Const(V(fs), "S" + std::to_string(reinterpret_cast<uintptr_t>(fs))));
          Emit(OP_SET_UPDATE, 1);
          break;
        }
        if (HasStar(e->a)) {
          Emit(OP_BUILD_SET, 0);
          for (Node* x : e->a) {
            if (x->kind == NK::kStarred) {
              Expr(x->x);
              Emit(OP_SET_UPDATE, 1);
            } else {
              Expr(x);
              Emit(OP_SET_ADD, 1);
            }
          }
        } else {
          for (Node* x : e->a) Expr(x);
          Emit(OP_BUILD_SET, static_cast<uint32_t>(e->a.size()));
        }
        break;
      case NK::kDict: {
        bool has_unpack = std::find(e->a.begin(), e->a.end(), nullptr) != e->a.end();
        if (!has_unpack) {
          for (size_t i = 0; i < e->a.size(); ++i) {
            Expr(e->a[i]);
            Expr(e->b[i]);
          }
          Emit(OP_BUILD_MAP, static_cast<uint32_t>(e->a.size()));
        } else {
          Emit(OP_BUILD_MAP, 0);
          for (size_t i = 0; i < e->a.size(); ++i) {
            if (e->a[i] == nullptr) {
              Expr(e->b[i]);
              Emit(OP_DICT_UPDATE, 1);
            } else {
              Expr(e->a[i]);
              Expr(e->b[i]);
              Emit(OP_MAP_ADD, 1);
            }
          }
        }
        break;
      }
      case NK::kBinOp:
        Expr(e->x);
        Expr(e->y);
        SetLine(e);
        if (e->op == kAdd) Emit(OP_BINARY_ADD);
        else if (e->op == kSub) Emit(OP_BINARY_SUB);
        else if (e->op == kMul) Emit(OP_BINARY_MUL);
        else Emit(OP_BINARY_OP, e->op);
        break;
      case NK::kUnaryOp:
        if (e->op == 0 && e->x->kind == NK::kInt) {
          Emit(OP_LOAD_CONST, IntConst(-e->x->i));
          break;
        }
        if (e->op == 0 && e->x->kind == NK::kFloat) {
          Emit(OP_LOAD_CONST, FloatConst(-e->x->f));
          break;
        }
        Expr(e->x);
        Emit(e->op == 0 ? OP_UNARY_NEG : e->op == 1 ? OP_UNARY_POS : e->op == 2 ? OP_UNARY_NOT
                                                                                : OP_UNARY_INVERT);
        break;
      case NK::kBoolOp: {
        int end = NewLabel();
        for (size_t i = 0; i < e->a.size(); ++i) {
          Expr(e->a[i]);
          if (i + 1 < e->a.size()) {
            EmitJump(e->op == 0 ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP, end);
          }
        }
        Bind(end);
        break;
      }
      case NK::kCompare: {
        Expr(e->x);
        if (e->ops.size() == 1) {
          Expr(e->a[0]);
          SetLine(e);
          CompareOp(e->ops[0]);
          break;
        }
        int cleanup = NewLabel(), end = NewLabel();
        for (size_t i = 0; i < e->ops.size(); ++i) {
          Expr(e->a[i]);
          if (i + 1 < e->ops.size()) {
            Emit(OP_DUP_TOP);
            Emit(OP_ROT_THREE);
            CompareOp(e->ops[i]);
            EmitJump(OP_JUMP_IF_FALSE_OR_POP, cleanup);
          } else {
            CompareOp(e->ops[i]);
          }
        }
        EmitJump(OP_JUMP, end);
        Bind(cleanup);
        Emit(OP_ROT_TWO);
        Emit(OP_POP_TOP);
        Bind(end);
        break;
      }
      case NK::kCall: Call(e); break;
      case NK::kAttribute:
        Expr(e->x);
        SetLine(e);
        Emit2(OP_LOAD_ATTR, NameIdx(e->s), NewCache());
        break;
      case NK::kSubscript:
        Expr(e->x);
        Expr(e->y);
        SetLine(e);
        Emit(OP_BINARY_SUBSCR);
        break;
      case NK::kSlice: {
        for (Node* part : {e->x, e->y}) {
          if (part) Expr(part);
          else EmitConst(Value::None());
        }
        if (e->z) {
          Expr(e->z);
          Emit(OP_BUILD_SLICE, 3);
        } else {
          Emit(OP_BUILD_SLICE, 2);
        }
        break;
      }
      case NK::kLambda: {
        uint32_t flags = Defaults(e->args);
        Scope* child = ScopeOf(e);
        int code_idx = FunctionCode(e, child, "<lambda>", true);
        MakeClosure(child, &flags);
        Emit2(OP_MAKE_FUNCTION, code_idx, flags);
        break;
      }
      case NK::kIfExp: {
        int else_label = NewLabel(), end = NewLabel();
        JumpIf(e->x, false, else_label);
        Expr(e->y);
        EmitJump(OP_JUMP, end);
        Bind(else_label);
        Expr(e->z);
        Bind(end);
        break;
      }
      case NK::kListComp:
      case NK::kSetComp:
      case NK::kGenExp:
      case NK::kDictComp: Comprehension(e); break;
      case NK::kStarred:
        throw CompileError{"can't use starred expression here", e->line, e->col};
      case NK::kNamedExpr:
        Expr(e->y);
        Emit(OP_DUP_TOP);
        StoreName(e->x->s);
        break;
      case NK::kYield:
        if (e->x) Expr(e->x);
        else EmitConst(Value::None());
        Emit(OP_YIELD_VALUE);
        break;
      case NK::kYieldFrom: {
        // it None; top: SEND -> it y; YIELD -> it sent; loop. SEND jumps to
        // end with the sub-iterator's return value when it finishes.
        int top = NewLabel(), end = NewLabel();
        Expr(e->x);
        Emit(OP_GET_ITER);
        EmitConst(Value::None());
        Bind(top);
        EmitJump(OP_SEND, end);
        Emit(OP_YIELD_VALUE);
        EmitJump(OP_JUMP_BACKWARD, top);
        Bind(end);
        break;
      }
      default: throw CompileError{"invalid syntax", e->line, e->col};
    }
  }

  // `level`: how deep in the folded constant the node would sit; the
  // verifier accepts tuples down to level 8 (the frozenset is level 0), so a
  // display nested deeper is built at run time instead.
  static bool IsConstantNode(Node* n, int level) {
    switch (n->kind) {
      case NK::kInt:
      case NK::kFloat:
      case NK::kStr: return true;
      case NK::kConst: return n->i <= 2;
      case NK::kUnaryOp:
        return n->op == 0 && (n->x->kind == NK::kInt || n->x->kind == NK::kFloat);
      case NK::kTuple:
        if (level > kMaxConstLevel) return false;
        for (Node* x : n->a) {
          if (!IsConstantNode(x, level + 1)) return false;
        }
        return true;
      default: return false;
    }
  }
  static bool AllConstant(const std::vector<Node*>& items) {
    for (Node* n : items) {
      if (!IsConstantNode(n, 1)) return false;
    }
    return true;
  }
  Value ConstValue(Node* n) {
    switch (n->kind) {
      case NK::kInt: return Value::Int(n->i);
      case NK::kFloat: return Value::Float(n->f);
      case NK::kStr: return V(prog_->NewStaticStr(n->s));
      case NK::kConst: return n->i == 0 ? Value::None() : Value::Bool(n->i == 1);
      case NK::kUnaryOp:
        return n->x->kind == NK::kInt ? Value::Int(-n->x->i) : Value::Float(-n->x->f);
      default: {
        std::vector<Value> items;
        for (Node* x : n->a) items.push_back(ConstValue(x));
        return V(prog_->NewStaticTuple(items));
      }
    }
  }

  void Call(Node* e) {
    bool starred = HasStar(e->a);
    bool dstar = false;
    for (Node* k : e->b) dstar |= k->s.empty();
    // Zero-argument super() inside a method.
    if (e->x->kind == NK::kName && e->x->s == "super" && e->a.empty() && e->b.empty() &&
        u_->scope->CellIndex("__class__") >= 0 && !u_->scope->params.empty() &&
        u_->scope->kind == ScopeKind::kFunction) {
      LoadName("super");
      Emit(OP_LOAD_DEREF, u_->scope->CellIndex("__class__"));
      LoadName(u_->scope->params[0]);
      SetLine(e);
      Emit(OP_CALL, 2);
      return;
    }
    if (!starred && !dstar) {
      if (e->x->kind == NK::kAttribute && e->b.empty()) {
        Expr(e->x->x);
        SetLine(e->x);
        Emit2(OP_LOAD_METHOD, NameIdx(e->x->s), NewCache());
        for (Node* a : e->a) Expr(a);
        SetLine(e);
        Emit(OP_CALL_METHOD, static_cast<uint32_t>(e->a.size()));
        return;
      }
      Expr(e->x);
      for (Node* a : e->a) Expr(a);
      if (e->b.empty()) {
        SetLine(e);
        Emit(OP_CALL, static_cast<uint32_t>(e->a.size()));
        return;
      }
      std::vector<Value> names;
      std::string key = "k";
      for (Node* k : e->b) {
        Expr(k->x);
        names.push_back(V(prog_->NewStaticStr(k->s)));
        key += k->s + ",";
      }
      int kw = Const(V(prog_->NewStaticTuple(names)), key);
      SetLine(e);
      Emit2(OP_CALL_KW, static_cast<uint32_t>(e->a.size() + e->b.size()), kw);
      return;
    }
    Expr(e->x);
    StarredList(e->a);
    Emit(OP_LIST_TO_TUPLE);
    bool has_kw = !e->b.empty();
    if (has_kw) {
      Emit(OP_BUILD_MAP, 0);
      for (Node* k : e->b) {
        if (k->s.empty()) {
          Expr(k->x);
          Emit(OP_DICT_UPDATE, 1);
        } else {
          Emit(OP_LOAD_CONST, StrConst(k->s));
          Expr(k->x);
          Emit(OP_MAP_ADD, 1);
        }
      }
    }
    SetLine(e);
    Emit(OP_CALL_EX, has_kw ? 1 : 0);
  }

  void Comprehension(Node* e) {
    Scope* child = ScopeOf(e);
    std::string name = child->name;
    Code* code = NewCode(child, name, e->line);
    code->qualname = Qualname(child, name);
    code->argcount = 1;
    Unit* parent = u_;
    Unit u{child, code, {}, {}, {}, {}, e->line, {}, {}, {}};
    PushUnit(&u);
    if (e->kind == NK::kListComp) Emit(OP_BUILD_LIST, 0);
    else if (e->kind == NK::kSetComp) Emit(OP_BUILD_SET, 0);
    else if (e->kind == NK::kDictComp) Emit(OP_BUILD_MAP, 0);
    ComprehensionLevel(e, 0);
    if (e->kind == NK::kGenExp) EmitConst(Value::None());
    Emit(OP_RETURN_VALUE);
    FinishUnit();
    u_ = parent;
    int code_idx = Const(V(prog_->NewStaticCode(code)), "c" + std::to_string(code->index));
    uint32_t flags = 0;
    MakeClosure(child, &flags);
    Emit2(OP_MAKE_FUNCTION, code_idx, flags);
    Expr(e->a[0]->y);
    Emit(OP_GET_ITER);
    SetLine(e);
    Emit(OP_CALL, 1);
  }

  void ComprehensionLevel(Node* e, size_t level) {
    Node* gen = e->a[level];
    int top = NewLabel(), next = NewLabel(), end = NewLabel();
    if (level == 0) {
      Emit(OP_LOAD_FAST, 0);
    } else {
      Expr(gen->y);
      Emit(OP_GET_ITER);
    }
    Bind(top);
    ForIter(gen->x, end);
    for (Node* cond : gen->a) JumpIf(cond, false, next);
    if (level + 1 < e->a.size()) {
      ComprehensionLevel(e, level + 1);
    } else {
      uint32_t depth = static_cast<uint32_t>(e->a.size()) + 1;
      switch (e->kind) {
        case NK::kListComp:
          Expr(e->x);
          Emit(OP_LIST_APPEND, depth);
          break;
        case NK::kSetComp:
          Expr(e->x);
          Emit(OP_SET_ADD, depth);
          break;
        case NK::kDictComp:
          Expr(e->x);
          Expr(e->y);
          Emit(OP_MAP_ADD, depth);
          break;
        default:
          Expr(e->x);
          Emit(OP_YIELD_VALUE);
          Emit(OP_POP_TOP);
          break;
      }
    }
    Bind(next);
    EmitJump(OP_JUMP_BACKWARD, top);
    Bind(end);
  }

  Program* prog_;
  Scope* root_;
  std::unordered_map<Node*, Scope*> scope_of_;
  std::unordered_map<Scope*, std::string> qualnames_;
  std::unordered_map<std::string, int> global_slot_;
  std::vector<Unit*> units_;
  Unit* u_ = nullptr;
};

// The source lines kept for tracebacks. Comments may hold any bytes (CPython
// does not decode them), but the program's strings must be UTF-8 to load from
// bytecode, so what is not UTF-8 becomes U+FFFD as in CPython's error display.
std::vector<std::string> SplitLines(std::string_view src) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= src.size()) {
    size_t nl = src.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < src.size()) lines.push_back(ReplaceInvalidUtf8(src.substr(start)));
      break;
    }
    std::string line = ReplaceInvalidUtf8(src.substr(start, nl - start));
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

Result<std::shared_ptr<Program>> CompileSource(std::string_view source, const std::string& filename,
                                               SyntaxErrorInfo* error) {
  InitTypes();
  // A UTF-8 byte order mark opens the source as CPython's tokenizer skips it;
  // anywhere else U+FEFF is an invalid character.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (source.substr(0, kBom.size()) == kBom) source.remove_prefix(kBom.size());
  auto prog = std::make_shared<Program>();
  prog->filename = ReplaceInvalidUtf8(filename);  // a path is bytes; the program's strings are UTF-8
  prog->source_lines = SplitLines(source);
  try {
    Ast ast;
    Parse(source, &ast);
    std::unique_ptr<Scope> scopes = AnalyzeScopes(ast.root);
    Compiler compiler(prog.get(), scopes.get(), std::string(source));
    compiler.CompileModule(ast.root);
  } catch (const CompileError& e) {
    if (error) *error = {e.msg, e.line, e.col, e.type};
    std::string text = "  File \"" + filename + "\", line " + std::to_string(e.line) + "\n";
    if (e.line >= 1 && e.line <= static_cast<int>(prog->source_lines.size())) {
      std::string line = prog->source_lines[e.line - 1];
      size_t lead = line.find_first_not_of(" \t");
      if (lead == std::string::npos) lead = line.size();
      text += "    " + line.substr(lead) + "\n";
      int caret = e.col - static_cast<int>(lead);
      if (caret < 0) caret = 0;
      text += "    " + std::string(caret, ' ') + "^\n";
    }
    text += std::string(e.type) + ": " + e.msg;
    return Status::InvalidArgument(text);
  }
  prog->Link();
  Status st = VerifyProgram(*prog);
  if (!st.ok()) return Status::Internal("compiler produced invalid bytecode: " + st.message());
  return prog;
}

}  // namespace edgeflow::script

namespace edgeflow {

Result<std::shared_ptr<const ScriptProgram>> CompileScript(std::string_view source,
                                                          const std::string& filename) {
  auto p = script::CompileSource(source, filename);
  if (!p.ok()) return p.status();
  return std::make_shared<const ScriptProgram>(std::move(p).value());
}

}  // namespace edgeflow
