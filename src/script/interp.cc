// The bytecode interpreter: one dispatch loop (computed goto) that runs Python
// frames without recursing on the C++ stack for Python-to-Python calls, and the
// exception unwinder that finds handlers and records tracebacks. Code reaching
// here has been verified (verifier.cc): operands are in range and stack depths
// proven, so the loop does no bounds checks of its own. The kinds of stack
// values are not proven: handlers that cast an operand the compiler always
// produces with one kind check that kind (see BadOperand).
#include <cmath>
#include <cstring>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

[[noreturn]] void UnboundLocal(VM& vm, const std::string& name) {
  Raise(vm, T().UnboundLocalError,
        "cannot access local variable '" + name + "' where it is not associated with a value");
}

[[noreturn]] void UnboundFree(VM& vm, const Code* code, uint32_t idx) {
  const std::string& name = code->cellnames[idx];
  if (static_cast<int>(idx) < code->ncells) UnboundLocal(vm, name);
  Raise(vm, T().NameError, "cannot access free variable '" + name +
                               "' where it is not associated with a value in enclosing scope");
}

[[noreturn]] void NameNotDefined(VM& vm, std::string_view name) {
  Raise(vm, T().NameError, "name '" + std::string(name) + "' is not defined");
}

// Verified bytecode has proven operand bounds and stack depths, not the kinds
// of stack values. Handlers whose inputs the compiler always produces with one
// kind check it (one compare, off the fast paths) and end here on a mismatch.
[[noreturn, gnu::cold, gnu::noinline]] void BadBytecode(VM& vm, const std::string& what) {
  Raise(vm, T().SystemError, "bad bytecode: " + what);
}

[[noreturn, gnu::cold, gnu::noinline]] void BadOperand(VM& vm, const char* op, const char* expected,
                                                       const Value& got) {
  BadBytecode(vm, std::string(op) + " expects " + expected + ", got " + std::string(TypeName(got)));
}

// A mutable set (the compiler's BUILD_SET), never a frozenset constant.
inline bool IsMutableSet(const Value& v) { return IsSet(v) && v.o->cls != T().frozenset; }

void AddTraceback(VM& vm, const Code* code, int line) {
  if (!IsObj(vm.exc, Kind::kInstance)) return;
  auto* e = As<InstanceObj>(vm.exc);
  if (e->tb == nullptr) e->tb = new std::vector<TraceEntry>();
  if (e->tb->size() < 10000) e->tb->push_back({code, line});
}

// Exceptions must be instances of BaseException subclasses: classes are
// instantiated, anything else is a TypeError.
Value NormalizeException(VM& vm, Value v, bool for_cause) {
  if (IsClass(v) && As<ClassObj>(v)->is_exception) return Call0(vm, v);
  if (IsObj(v, Kind::kInstance) && v.o->cls->is_exception) return v;
  if (for_cause) TypeError(vm, "exception causes must derive from BaseException");
  TypeError(vm, "exceptions must derive from BaseException");
}

inline bool RangeNext(IterObj* it, Value* out) {
  int64_t i = it->i;
  if (it->k > 0 ? i >= it->j : i <= it->j) return false;
  *out = Value::Int(i);
  if (__builtin_add_overflow(i, it->k, &it->i)) it->i = it->j;
  return true;
}

// Advances any iterator; false when exhausted. Inline fast paths for list,
// tuple and range iterators; generators resume without a GC barrier because
// every live value of the caller is on its (saved) frame stack.
inline bool IterNext(VM& vm, const Value& itv, Value* out) {
  if (IsObj(itv, Kind::kIter)) {
    auto* it = As<IterObj>(itv);
    switch (it->small) {
      case kIterList: {
        auto* l = As<ListObj>(it->a);
        if (it->i < static_cast<int64_t>(l->items.size())) {
          *out = l->items[it->i++];
          return true;
        }
        it->i = INT64_MAX;  // stays exhausted even if the list grows
        return false;
      }
      case kIterRange: return RangeNext(it, out);
      case kIterTuple: {
        auto* t = As<TupleObj>(it->a);
        if (it->i < t->n) {
          *out = t->items[it->i++];
          return true;
        }
        return false;
      }
      default: return it->next(vm, it, out);
    }
  }
  if (IsObj(itv, Kind::kGenerator)) {
    bool done = false;
    Value v = GeneratorSend(vm, As<GeneratorObj>(itv), Value::None(), &done);
    if (done) return false;
    *out = v;
    return true;
  }
  return NextRooted(vm, itv, out);
}

inline bool CompareInts(int op, int64_t a, int64_t b) {
  switch (op) {
    case kLt: return a < b;
    case kLe: return a <= b;
    case kEq: return a == b;
    case kNe: return a != b;
    case kGt: return a > b;
    default: return a >= b;
  }
}

inline bool CompareFloats(int op, double a, double b) {
  switch (op) {
    case kLt: return a < b;
    case kLe: return a <= b;
    case kEq: return a == b;
    case kNe: return a != b;
    case kGt: return a > b;
    default: return a >= b;
  }
}

// Compares two values for COMPARE_OP / COMPARE_JUMP: fast numeric paths, then
// the full protocol.
inline bool CompareTruth(VM& vm, int op, const Value& a, const Value& b) {
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) return CompareInts(op, a.i, b.i);
  if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) return CompareFloats(op, a.f, b.f);
  if (op == kEq || op == kNe) {
    bool eq = Eq(vm, a, b);
    return op == kEq ? eq : !eq;
  }
  Value r = CompareOp(vm, op, a, b);
  return r.tag == Tag::kBool ? r.i != 0 : Truthy(vm, r);
}

}  // namespace

bool VM::Unwind(Frame* entry) {
  bool add_tb = !reraise;
  reraise = false;
  Frame* f = frame;
  for (;;) {
    const Code* code = f->code;
    uint32_t pcidx = static_cast<uint32_t>(f->pc - code->insns.data());
    if (add_tb) AddTraceback(*this, code, code->LineOf(pcidx));
    add_tb = true;
    for (const Handler& h : code->handlers) {
      if (pcidx >= h.start && pcidx < h.end) {
        Value* base = f->slots + code->nlocals + code->ncells + code->nfree;
        Value* sp = base + h.depth;
        *sp++ = exc;
        exc = Value();
        f->sp = sp;
        f->pc = code->insns.data() + h.target;
        return true;
      }
    }
    bool was_entry = f->entry;
    if (f->gen != nullptr && IsInstance(exc, T().StopIteration)) {
      // PEP 479: a StopIteration escaping a generator body becomes a RuntimeError.
      Value inner = exc;
      Value rt = MakeException(*this, T().RuntimeError, "generator raised StopIteration");
      As<InstanceObj>(rt)->cause = inner;
      As<InstanceObj>(rt)->context = inner;
      As<InstanceObj>(rt)->suppress_context = true;
      exc = rt;
    }
    PopFrame(f);
    if (was_entry || f == entry) return false;
    f = frame;
  }
}

Value VM::Run(Frame* entry) {
  (void)entry;
  static void* const kLabels[kNumOps] = {
#define EF_OP_LABEL(name, kind, b) &&L_##name,
      EF_SCRIPT_OPCODES(EF_OP_LABEL)
#undef EF_OP_LABEL
  };

  Frame* f = frame;
  const Code* code;
  const uint32_t* insns;
  const Value* consts;
  Value* slots;
  Value* cells;
  Value* sp;
  const uint32_t* pc;
  Cache* caches;
  Value* const globals = main->globals.data();
  const Value* const fallback = program->builtin_fallback.data();

  // Call state shared by the call opcodes (see do_call).
  FunctionObj* call_fn;
  Value* call_args;
  int call_n;
  TupleObj* call_kw;
  Value* call_ret;
  Value call_self;

#define LOAD_FRAME()                 \
  do {                               \
    code = f->code;                  \
    insns = code->insns.data();      \
    consts = code->consts.data();    \
    slots = f->slots;                \
    cells = slots + code->nlocals;   \
    pc = f->pc;                      \
    sp = f->sp;                      \
    caches = f->caches;              \
  } while (0)
// The frame's pc and stack top are stored at every instruction: tracebacks read
// the pc, and a collection triggered inside any native call scans [slots, sp),
// which then covers the operands of the instruction in progress.
#define DISPATCH()                   \
  do {                               \
    f->pc = pc;                      \
    f->sp = sp;                      \
    goto* kLabels[*pc & 0xFF];       \
  } while (0)
#define ARG (*pc >> 8)
#define BARG (pc[1])
#define NEXT1()  \
  do {           \
    pc += 1;     \
    DISPATCH();  \
  } while (0)
#define NEXT2()  \
  do {           \
    pc += 2;     \
    DISPATCH();  \
  } while (0)
#define SAFEPOINT()                  \
  do {                               \
    if (--countdown <= 0) {          \
      f->sp = sp;                    \
      Poll();                        \
    }                                \
  } while (0)

  LOAD_FRAME();
  DISPATCH();

L_NOP:
  NEXT1();
L_POP_TOP:
  --sp;
  NEXT1();
L_DUP_TOP:
  sp[0] = sp[-1];
  ++sp;
  NEXT1();
L_DUP_TOP_TWO:
  sp[0] = sp[-2];
  sp[1] = sp[-1];
  sp += 2;
  NEXT1();
L_ROT_TWO: {
  Value t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = t;
  NEXT1();
}
L_ROT_THREE: {
  Value t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = sp[-3];
  sp[-3] = t;
  NEXT1();
}
L_ROT_FOUR: {
  Value t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = sp[-3];
  sp[-3] = sp[-4];
  sp[-4] = t;
  NEXT1();
}
L_LOAD_CONST:
  *sp++ = consts[ARG];
  NEXT1();
L_LOAD_FAST: {
  Value v = slots[ARG];
  if (v.unbound()) UnboundLocal(*this, code->varnames[ARG]);
  *sp++ = v;
  NEXT1();
}
L_STORE_FAST:
  slots[ARG] = *--sp;
  NEXT1();
L_DELETE_FAST:
  if (slots[ARG].unbound()) UnboundLocal(*this, code->varnames[ARG]);
  slots[ARG] = Value();
  NEXT1();
L_LOAD_DEREF: {
  Value v = As<CellObj>(cells[ARG])->v;
  if (v.unbound()) UnboundFree(*this, code, ARG);
  *sp++ = v;
  NEXT1();
}
L_STORE_DEREF:
  As<CellObj>(cells[ARG])->v = *--sp;
  NEXT1();
L_DELETE_DEREF: {
  auto* c = As<CellObj>(cells[ARG]);
  if (c->v.unbound()) UnboundFree(*this, code, ARG);
  c->v = Value();
  NEXT1();
}
L_LOAD_CLOSURE:
  *sp++ = cells[ARG];
  NEXT1();
L_LOAD_GLOBAL: {
  Value v = globals[ARG];
  if (v.unbound()) {
    v = fallback[ARG];
    if (v.unbound()) NameNotDefined(*this, program->global_names[ARG]);
  }
  *sp++ = v;
  NEXT1();
}
L_STORE_GLOBAL:
  globals[ARG] = *--sp;
  NEXT1();
L_DELETE_GLOBAL:
  if (globals[ARG].unbound()) NameNotDefined(*this, program->global_names[ARG]);
  globals[ARG] = Value();
  NEXT1();
L_LOAD_NAME: {
  StrObj* name = code->names[ARG];
  Value v;
  if (f->locals_dict == nullptr) [[unlikely]] {
    BadBytecode(*this, "LOAD_NAME outside a class body");
  }
  if (!DictGetStr(f->locals_dict, name, &v)) {
    auto it = program->global_slots.find(std::string(name->view()));
    if (it != program->global_slots.end()) {
      v = globals[it->second];
      if (v.unbound()) v = fallback[it->second];
    }
    if (v.unbound() && !DictGetStr(const_cast<DictObj*>(BuiltinsDict()), name, &v)) {
      NameNotDefined(*this, name->view());
    }
  }
  *sp++ = v;
  NEXT1();
}
L_STORE_NAME:
  if (f->locals_dict == nullptr) [[unlikely]] {
    BadBytecode(*this, "STORE_NAME outside a class body");
  }
  DictSet(this, f->locals_dict, V(code->names[ARG]), sp[-1]);
  --sp;
  NEXT1();
L_DELETE_NAME:
  if (f->locals_dict == nullptr) [[unlikely]] {
    BadBytecode(*this, "DELETE_NAME outside a class body");
  }
  if (!DictDel(this, f->locals_dict, V(code->names[ARG]))) {
    NameNotDefined(*this, code->names[ARG]->view());
  }
  NEXT1();
L_LOAD_ATTR:
  sp[-1] = LoadAttr(*this, sp[-1], code->names[ARG], &caches[BARG]);
  NEXT2();
L_STORE_ATTR:
  StoreAttr(*this, sp[-1], code->names[ARG], sp[-2], &caches[BARG]);
  sp -= 2;
  NEXT2();
L_DELETE_ATTR:
  DelAttr(*this, sp[-1], code->names[ARG]);
  --sp;
  NEXT1();
L_LOAD_METHOD: {
  {
    // Inline cache hit on a builtin type's method (str, list, dict, ...).
    const Value& o = sp[-1];
    const Cache& c = caches[BARG];
    if (o.is_obj() && o.o->cls == c.cls && c.epoch == class_epoch && o.o->kind != Kind::kInstance &&
        o.o->kind != Kind::kClass && o.o->kind != Kind::kModule && o.o->kind != Kind::kSuper &&
        IsObj(c.v, Kind::kNative)) {
      Value self = o;
      sp[-1] = c.v;
      *sp++ = self;
      NEXT2();
    }
  }
  Value meth, self;
  LoadMethod(*this, sp[-1], code->names[ARG], &meth, &self, &caches[BARG]);
  sp[-1] = meth;
  *sp++ = self;
  NEXT2();
}
L_CALL_METHOD: {
  int n = static_cast<int>(ARG);
  Value* base = sp - n - 2;
  Value callee = base[0];
  Value* args;
  int nargs;
  if (base[1].unbound()) {
    args = base + 2;
    nargs = n;
  } else {
    args = base + 1;
    nargs = n + 1;
  }
  if (IsObj(callee, Kind::kFunction)) {
    call_fn = As<FunctionObj>(callee);
    call_args = args;
    call_n = nargs;
    call_kw = nullptr;
    call_ret = base;
    call_self = Value();
    goto do_call;
  }
  Value r;
  if (IsObj(callee, Kind::kNative) && As<NativeObj>(callee)->self.unbound()) {
    r = As<NativeObj>(callee)->fn(*this, args, nargs, nullptr);
  } else {
    f->sp = sp;
    r = Call(*this, callee, args, nargs, nullptr);
  }
  *base = r;
  sp = base + 1;
  NEXT1();
}
L_BINARY_OP: {
  sp[-2] = BinaryOp(*this, static_cast<int>(ARG), sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_INPLACE_OP: {
  Value& a = sp[-2];
  const Value& b = sp[-1];
  int op = static_cast<int>(ARG);
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) {
    int64_t r;
    if (op == kAdd && !__builtin_add_overflow(a.i, b.i, &r)) {
      a.i = r;
      --sp;
      NEXT1();
    }
    if (op == kSub && !__builtin_sub_overflow(a.i, b.i, &r)) {
      a.i = r;
      --sp;
      NEXT1();
    }
  } else if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    if (op == kAdd) {
      a.f += b.f;
      --sp;
      NEXT1();
    }
    if (op == kMul) {
      a.f *= b.f;
      --sp;
      NEXT1();
    }
  }
  sp[-2] = InplaceOp(*this, op, sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_BINARY_ADD: {
  Value& a = sp[-2];
  const Value& b = sp[-1];
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) {
    int64_t r;
    if (!__builtin_add_overflow(a.i, b.i, &r)) {
      a.i = r;
      --sp;
      NEXT1();
    }
  } else if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    a.f += b.f;
    --sp;
    NEXT1();
  }
  sp[-2] = BinaryOp(*this, kAdd, sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_BINARY_SUB: {
  Value& a = sp[-2];
  const Value& b = sp[-1];
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) {
    int64_t r;
    if (!__builtin_sub_overflow(a.i, b.i, &r)) {
      a.i = r;
      --sp;
      NEXT1();
    }
  } else if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    a.f -= b.f;
    --sp;
    NEXT1();
  }
  sp[-2] = BinaryOp(*this, kSub, sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_BINARY_MUL: {
  Value& a = sp[-2];
  const Value& b = sp[-1];
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) {
    int64_t r;
    if (!__builtin_mul_overflow(a.i, b.i, &r)) {
      a.i = r;
      --sp;
      NEXT1();
    }
  } else if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    a.f *= b.f;
    --sp;
    NEXT1();
  }
  sp[-2] = BinaryOp(*this, kMul, sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_UNARY_NEG:
  sp[-1] = UnaryNeg(*this, sp[-1]);
  NEXT1();
L_UNARY_POS:
  sp[-1] = UnaryPos(*this, sp[-1]);
  NEXT1();
L_UNARY_NOT:
  sp[-1] = Value::Bool(!Truthy(*this, sp[-1]));
  NEXT1();
L_UNARY_INVERT:
  sp[-1] = UnaryInvert(*this, sp[-1]);
  NEXT1();
L_COMPARE_OP: {
  int op = static_cast<int>(ARG);
  const Value& a = sp[-2];
  const Value& b = sp[-1];
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) {
    sp[-2] = Value::Bool(CompareInts(op, a.i, b.i));
  } else if (a.tag == Tag::kFloat && b.tag == Tag::kFloat) {
    sp[-2] = Value::Bool(CompareFloats(op, a.f, b.f));
  } else if (IsStr(a) && IsStr(b) && (op == kEq || op == kNe)) {
    auto* x = As<StrObj>(a);
    auto* y = As<StrObj>(b);
    bool eq = x == y || (x->nbytes == y->nbytes && std::memcmp(x->data, y->data, x->nbytes) == 0);
    sp[-2] = Value::Bool(op == kEq ? eq : !eq);
  } else {
    sp[-2] = CompareOp(*this, op, a, b);
  }
  --sp;
  NEXT1();
}
L_IS_OP: {
  bool same = sp[-2].same(sp[-1]);
  sp[-2] = Value::Bool(ARG ? !same : same);
  --sp;
  NEXT1();
}
L_CONTAINS_OP: {
  bool in = Contains(*this, sp[-1], sp[-2]);
  sp[-2] = Value::Bool(ARG ? !in : in);
  --sp;
  NEXT1();
}
L_BINARY_SUBSCR: {
  const Value& o = sp[-2];
  const Value& k = sp[-1];
  if (IsDict(o) && o.o->cls == T().dict) {
    Value v;
    if (DictGet(this, As<DictObj>(o), k, &v)) {
      sp[-2] = v;
      --sp;
      NEXT1();
    }
  } else if (IsList(o) && k.tag == Tag::kInt) {
    auto* l = As<ListObj>(o);
    int64_t i = k.i;
    int64_t n = static_cast<int64_t>(l->items.size());
    if (i < 0) i += n;
    if (i >= 0 && i < n) {
      sp[-2] = l->items[i];
      --sp;
      NEXT1();
    }
  }
  sp[-2] = GetItem(*this, sp[-2], sp[-1]);
  --sp;
  NEXT1();
}
L_STORE_SUBSCR: {
  const Value& o = sp[-2];
  const Value& k = sp[-1];
  if (IsDict(o) && o.o->cls == T().dict) {
    DictSet(this, As<DictObj>(o), k, sp[-3]);
    sp -= 3;
    NEXT1();
  }
  if (IsList(o) && k.tag == Tag::kInt) {
    auto* l = As<ListObj>(o);
    int64_t i = k.i;
    int64_t n = static_cast<int64_t>(l->items.size());
    if (i < 0) i += n;
    if (i >= 0 && i < n) {
      l->items[i] = sp[-3];
      sp -= 3;
      NEXT1();
    }
  }
  SetItem(*this, sp[-2], sp[-1], sp[-3]);
  sp -= 3;
  NEXT1();
}
L_DELETE_SUBSCR:
  DelItem(*this, sp[-2], sp[-1]);
  sp -= 2;
  NEXT1();
L_BUILD_SLICE: {
  int n = static_cast<int>(ARG);
  auto* s = New<SliceObj>(this, Kind::kSlice, T().slice);
  Value* base = sp - n;
  s->start = base[0];
  s->stop = base[1];
  s->step = n == 3 ? base[2] : Value::None();
  sp = base;
  *sp++ = V(s);
  NEXT1();
}
L_BUILD_TUPLE: {
  int n = static_cast<int>(ARG);
  sp -= n;
  TupleObj* t = NewTupleFrom(this, sp, n);
  *sp++ = V(t);
  NEXT1();
}
L_BUILD_LIST: {
  int n = static_cast<int>(ARG);
  sp -= n;
  ListObj* l = NewList(this, n);
  for (int i = 0; i < n; ++i) l->items[i] = sp[i];
  *sp++ = V(l);
  NEXT1();
}
L_BUILD_SET: {
  int n = static_cast<int>(ARG);
  SetObj* s = NewSet(this);
  for (int i = 0; i < n; ++i) SetAdd(*this, s, sp[i - n]);
  sp -= n;
  *sp++ = V(s);
  NEXT1();
}
L_BUILD_MAP: {
  int n = static_cast<int>(ARG);
  DictObj* d = NewDict(this);
  Value* base = sp - 2 * n;
  DictReserve(this, d, n);
  for (int i = 0; i < n; ++i) DictSet(this, d, base[2 * i], base[2 * i + 1]);
  sp = base;
  *sp++ = V(d);
  NEXT1();
}
L_BUILD_STRING: {
  int n = static_cast<int>(ARG);
  Value* base = sp - n;
  Value r;
  {  // (scoped: a computed goto out of a block skips its destructors)
    std::string s;
    for (int i = 0; i < n; ++i) {
      if (!IsStr(base[i])) [[unlikely]] BadOperand(*this, "BUILD_STRING", "a str", base[i]);
      s.append(As<StrObj>(base[i])->view());
    }
    r = Str(*this, s);
  }
  sp = base;
  *sp++ = r;
  NEXT1();
}
L_LIST_APPEND: {
  Value v = *--sp;
  const Value& target = sp[-static_cast<int>(ARG)];
  if (!IsList(target)) [[unlikely]] BadOperand(*this, "LIST_APPEND", "a list", target);
  ListAppend(*this, As<ListObj>(target), v);
  NEXT1();
}
L_SET_ADD: {
  Value v = *--sp;
  const Value& target = sp[-static_cast<int>(ARG)];
  if (!IsMutableSet(target)) [[unlikely]] BadOperand(*this, "SET_ADD", "a set", target);
  SetAdd(*this, As<SetObj>(target), v);
  NEXT1();
}
L_MAP_ADD: {
  sp -= 2;
  const Value& target = sp[-static_cast<int>(ARG)];
  if (!IsDict(target)) [[unlikely]] BadOperand(*this, "MAP_ADD", "a dict", target);
  DictSet(this, As<DictObj>(target), sp[0], sp[1]);
  NEXT1();
}
L_LIST_EXTEND: {
  Value it = sp[-1];
  const Value& target = sp[-1 - static_cast<int>(ARG)];
  if (!IsList(target)) [[unlikely]] BadOperand(*this, "LIST_EXTEND", "a list", target);
  ListExtend(*this, As<ListObj>(target), it);
  --sp;
  NEXT1();
}
L_SET_UPDATE: {
  Value it = sp[-1];
  const Value& target = sp[-1 - static_cast<int>(ARG)];
  if (!IsMutableSet(target)) [[unlikely]] BadOperand(*this, "SET_UPDATE", "a set", target);
  SetUpdate(*this, As<SetObj>(target), it);
  --sp;
  NEXT1();
}
L_DICT_UPDATE: {
  Value m = sp[-1];
  Value target = sp[-1 - static_cast<int>(ARG)];
  if (!IsDict(target)) [[unlikely]] BadOperand(*this, "DICT_UPDATE", "a dict", target);
  if (!IsDict(m)) {
    TypeError(*this, "'" + std::string(TypeName(m)) + "' object is not a mapping");
  }
  DictUpdate(*this, As<DictObj>(target), m);
  --sp;
  NEXT1();
}
L_LIST_TO_TUPLE: {
  if (!IsList(sp[-1])) [[unlikely]] BadOperand(*this, "LIST_TO_TUPLE", "a list", sp[-1]);
  auto* l = As<ListObj>(sp[-1]);
  sp[-1] = V(NewTupleFrom(this, l->items.data(), static_cast<int64_t>(l->items.size())));
  NEXT1();
}
L_FORMAT_VALUE: {
  uint32_t flags = ARG;
  Value spec;
  if (flags & 4) {
    spec = *--sp;
    if (!IsStr(spec)) [[unlikely]] BadOperand(*this, "FORMAT_VALUE", "a str format spec", spec);
  }
  Value v = sp[-1];
  switch (flags & 3) {
    case 1: v = StrValue(*this, v); break;
    case 2: v = ReprValue(*this, v); break;
    case 3: v = AsciiValue(*this, v); break;
    default: break;
  }
  if (spec.unbound()) {
    if (!IsStr(v) || v.o->cls != T().str) v = V(NewStr(this, FormatValue(*this, v, "")));
  } else {
    v = V(NewStr(this, FormatValue(*this, v, As<StrObj>(spec)->view())));
  }
  sp[-1] = v;
  NEXT1();
}
L_UNPACK_SEQUENCE: {
  int n = static_cast<int>(ARG);
  Value seq = sp[-1];
  if (IsTuple(seq) && As<TupleObj>(seq)->n == n) {
    auto* t = As<TupleObj>(seq);
    --sp;
    for (int i = n - 1; i >= 0; --i) *sp++ = t->items[i];
    NEXT1();
  }
  if (IsList(seq) && static_cast<int64_t>(As<ListObj>(seq)->items.size()) == n) {
    auto* l = As<ListObj>(seq);
    --sp;
    for (int i = n - 1; i >= 0; --i) *sp++ = l->items[i];
    NEXT1();
  }
  f->sp = sp;
  {  // (scoped: a computed goto out of a block skips its destructors)
    std::vector<Value> items(n);
    Unpack(*this, seq, n, items.data());
    --sp;
    for (int i = n - 1; i >= 0; --i) *sp++ = items[i];
  }
  NEXT1();
}
L_UNPACK_EX: {
  int before = static_cast<int>(ARG & 0xFFF);
  int after = static_cast<int>(ARG >> 12);
  Value seq = sp[-1];
  f->sp = sp;
  {  // (scoped: a computed goto out of a block skips its destructors)
    std::vector<Value> items = ToVector(*this, seq);
    int64_t total = static_cast<int64_t>(items.size());
    if (total < before + after) {
      ValueError(*this, "not enough values to unpack (expected at least " +
                            std::to_string(before + after) + ", got " + std::to_string(total) + ")");
    }
    RootScope keep(*this);
    for (const Value& v : items) keep.Keep(v);
    ListObj* mid = NewList(this, total - before - after);
    for (int64_t i = before; i < total - after; ++i) mid->items[i - before] = items[i];
    --sp;
    for (int i = 0; i < after; ++i) *sp++ = items[total - 1 - i];
    *sp++ = V(mid);
    for (int i = before - 1; i >= 0; --i) *sp++ = items[i];
  }
  NEXT1();
}
L_JUMP:
  pc = insns + ARG;
  DISPATCH();
L_JUMP_BACKWARD:
  pc = insns + ARG;
  SAFEPOINT();
  DISPATCH();
L_POP_JUMP_IF_FALSE: {
  Value v = *--sp;
  bool t = v.tag == Tag::kBool ? v.i != 0 : Truthy(*this, v);
  if (!t) {
    pc = insns + ARG;
    DISPATCH();
  }
  NEXT1();
}
L_POP_JUMP_IF_TRUE: {
  Value v = *--sp;
  bool t = v.tag == Tag::kBool ? v.i != 0 : Truthy(*this, v);
  if (t) {
    pc = insns + ARG;
    DISPATCH();
  }
  NEXT1();
}
L_JUMP_IF_FALSE_OR_POP:
  if (!Truthy(*this, sp[-1])) {
    pc = insns + ARG;
    DISPATCH();
  }
  --sp;
  NEXT1();
L_JUMP_IF_TRUE_OR_POP:
  if (Truthy(*this, sp[-1])) {
    pc = insns + ARG;
    DISPATCH();
  }
  --sp;
  NEXT1();
L_GET_ITER:
  sp[-1] = GetIter(*this, sp[-1]);
  NEXT1();
L_FOR_ITER: {
  Value out;
  f->sp = sp;
  if (IterNext(*this, sp[-1], &out)) {
    *sp++ = out;
    NEXT1();
  }
  --sp;
  pc = insns + ARG;
  DISPATCH();
}
L_FOR_ITER_STORE: {
  Value itv = sp[-1];
  if (IsObj(itv, Kind::kIter) && itv.o->small == kIterRange) {
    if (RangeNext(As<IterObj>(itv), &slots[BARG])) NEXT2();
    --sp;
    pc = insns + ARG;
    DISPATCH();
  }
  Value out;
  f->sp = sp;
  if (IterNext(*this, itv, &out)) {
    slots[BARG] = out;
    NEXT2();
  }
  --sp;
  pc = insns + ARG;
  DISPATCH();
}
L_CALL: {
  int n = static_cast<int>(ARG);
  Value* args = sp - n;
  Value callee = args[-1];
  if (IsObj(callee, Kind::kFunction)) {
    call_fn = As<FunctionObj>(callee);
    call_args = args;
    call_n = n;
    call_kw = nullptr;
    call_ret = args - 1;
    call_self = Value();
    goto do_call;
  }
  if (IsObj(callee, Kind::kNative)) {
    auto* nat = As<NativeObj>(callee);
    if (nat->self.unbound()) {
      args[-1] = nat->fn(*this, args, n, nullptr);
      sp = args;
      NEXT1();
    }
  }
  if (IsObj(callee, Kind::kBoundMethod) && IsObj(As<BoundMethodObj>(callee)->func, Kind::kFunction)) {
    // Replace the method by its self: the arguments become self, a1..an.
    auto* bm = As<BoundMethodObj>(callee);
    call_fn = As<FunctionObj>(bm->func);
    args[-1] = bm->self;
    call_args = args - 1;
    call_n = n + 1;
    call_kw = nullptr;
    call_ret = args - 1;
    call_self = Value();
    // The function stays reachable through the new frame.
    goto do_call;
  }
  if (IsClass(callee) && !As<ClassObj>(callee)->is_builtin) {
    Value init;
    Value inst = NewInstanceForCall(*this, As<ClassObj>(callee), args, n, nullptr, &init);
    if (IsObj(init, Kind::kFunction)) {
      // Inline the __init__ call: self, a1..an, then the frame returns self.
      args[-1] = inst;
      call_fn = As<FunctionObj>(init);
      call_args = args - 1;
      call_n = n + 1;
      call_kw = nullptr;
      call_ret = args - 1;
      call_self = inst;
      goto do_call;
    }
    args[-1] = inst;
    sp = args;
    NEXT1();
  }
  f->sp = sp;
  Value r = Call(*this, callee, args, n, nullptr);
  args[-1] = r;
  sp = args;
  NEXT1();
}
L_CALL_KW: {
  auto* kw = As<TupleObj>(consts[BARG]);
  int total = static_cast<int>(ARG);
  int npos = total - static_cast<int>(kw->n);
  Value* args = sp - total;
  Value callee = args[-1];
  if (IsObj(callee, Kind::kFunction)) {
    call_fn = As<FunctionObj>(callee);
    call_args = args;
    call_n = npos;
    call_kw = kw;
    call_ret = args - 1;
    call_self = Value();
    goto do_call;
  }
  f->sp = sp;
  Value r = Call(*this, callee, args, npos, kw);
  args[-1] = r;
  sp = args;
  NEXT2();
}
L_CALL_EX: {
  bool has_kw = ARG != 0;
  Value kwargs = has_kw ? sp[-1] : Value();
  Value* base = sp - (has_kw ? 3 : 2);
  Value callee = base[0];
  if (!IsTuple(base[1])) [[unlikely]] BadOperand(*this, "CALL_EX", "a tuple", base[1]);
  if (has_kw && !IsDict(kwargs)) [[unlikely]] BadOperand(*this, "CALL_EX", "a dict", kwargs);
  auto* pos = As<TupleObj>(base[1]);
  f->sp = sp;
  Value r;
  {  // (scoped: a computed goto out of a block skips its destructors)
    std::vector<Value> args(pos->items, pos->items + pos->n);
    RootScope keep(*this);
    keep.Keep(kwargs);  // holds the keyword values once kwnames replaces it
    TupleObj* kwnames = nullptr;
    if (has_kw) {
      auto* d = As<DictObj>(kwargs);
      std::vector<Value> names;
      for (const DictEntry& e : d->entries) {
        if (e.key.unbound()) continue;
        if (!IsStr(e.key)) TypeError(*this, "keywords must be strings");
        names.push_back(e.key);
        args.push_back(e.value);
      }
      if (!names.empty()) {
        kwnames = NewTupleFrom(this, names.data(), static_cast<int64_t>(names.size()));
        sp[-1] = V(kwnames);  // keep it reachable
      }
    }
    r = Call(*this, callee, args.data(), static_cast<int>(pos->n), kwnames);
  }
  base[0] = r;
  sp = base + 1;
  NEXT1();
}
L_MAKE_FUNCTION: {
  uint32_t flags = BARG;
  const Code* child = As<CodeObj>(consts[ARG])->code;
  {
    // The operands' kinds: LOAD_DEREF in the child casts the closure's items
    // to cells, calls cast the defaults.
    const Value* top = sp;
    if (flags & 8) {
      const Value& c = *--top;
      if (!IsTuple(c)) [[unlikely]] BadOperand(*this, "MAKE_FUNCTION", "a closure tuple", c);
      auto* t = As<TupleObj>(c);
      if (t->n != child->nfree) {
        RaiseFatal(*this,
                   Status::Corruption("bytecode: closure size does not match free variables"));
      }
      for (int64_t i = 0; i < t->n; ++i) {
        if (!IsObj(t->items[i], Kind::kCell)) [[unlikely]] {
          BadOperand(*this, "MAKE_FUNCTION", "a closure of cells", t->items[i]);
        }
      }
    }
    if (flags & 2) {
      const Value& d = *--top;
      if (!IsDict(d)) [[unlikely]] BadOperand(*this, "MAKE_FUNCTION", "a dict of kwdefaults", d);
    }
    if (flags & 1) {
      const Value& d = *--top;
      if (!IsTuple(d)) [[unlikely]] BadOperand(*this, "MAKE_FUNCTION", "a tuple of defaults", d);
    }
  }
  auto* fn = New<FunctionObj>(this, Kind::kFunction, T().function);
  fn->code = child;
  fn->module = f->func != nullptr ? f->func->module : main;
  if (flags & 8) fn->closure = As<TupleObj>(*--sp);
  if (flags & 2) fn->kwdefaults = As<DictObj>(*--sp);
  if (flags & 1) fn->defaults = As<TupleObj>(*--sp);
  *sp++ = V(fn);
  NEXT2();
}
L_BUILD_CLASS: {
  int nbases = static_cast<int>(ARG);
  Value* base = sp - nbases - 2;
  f->sp = sp;
  // The body is MAKE_FUNCTION of a class body code (verified not a generator).
  if (!IsObj(base[0], Kind::kFunction) || (As<FunctionObj>(base[0])->code->flags & kClassBody) == 0)
      [[unlikely]] {
    BadOperand(*this, "BUILD_CLASS", "a class body function", base[0]);
  }
  if (!IsStr(base[1])) [[unlikely]] BadOperand(*this, "BUILD_CLASS", "a str name", base[1]);
  Value cls = BuildClassFromBody(*this, base[0], As<StrObj>(base[1]), nbases ? base[2] : Value());
  base[0] = cls;
  sp = base + 1;
  NEXT1();
}
L_RETURN_VALUE: {
  Value r = sp[-1];
  if (f->gen != nullptr) {
    f->gen->state = 3;
    yielded = false;
    frame = f->parent;
    FreeFrame(f);
    return r;
  }
  if (!f->init_self.unbound()) {
    if (!r.is_none()) {
      TypeError(*this, "__init__() should return None, not '" + std::string(TypeName(r)) + "'");
    }
    r = f->init_self;
  }
  Frame* done = f;
  bool was_entry = done->entry;
  ReleaseSlots(done->stack_mark);
  frame = done->parent;
  FreeFrame(done);
  if (was_entry) return r;
  f = frame;
  LOAD_FRAME();
  *sp++ = r;
  pc += OpWords(*pc & 0xFF);
  DISPATCH();
}
L_YIELD_VALUE: {
  Value v = *--sp;
  GeneratorObj* g = f->gen;
  g->pc = (pc + 1) - insns;
  g->sp = sp - slots;
  g->state = 1;
  yielded = true;
  frame = f->parent;
  FreeFrame(f);
  return v;
}
L_RAISE: {
  int n = static_cast<int>(ARG);
  if (n == 0) {
    if (handled.unbound() || handled.is_none()) {
      Raise(*this, T().RuntimeError, "No active exception to reraise");
    }
    exc = handled;
    reraise = true;
    throw PyException{};
  }
  f->sp = sp;
  Value e = NormalizeException(*this, sp[-n], false);
  if (n == 2) {
    Value cause = sp[-1];
    auto* ei = As<InstanceObj>(e);
    if (cause.is_none()) {
      ei->cause = Value::None();
    } else {
      ei->cause = NormalizeException(*this, cause, true);
    }
    ei->suppress_context = true;
  }
  RaiseValue(*this, e);
}
L_PUSH_EXC_INFO: {
  Value e = sp[-1];
  sp[-1] = handled;
  *sp++ = e;
  handled = e;
  NEXT1();
}
L_POP_EXCEPT:
  handled = *--sp;
  NEXT1();
L_CHECK_EXC_MATCH: {
  sp[-1] = Value::Bool(ExceptionMatches(*this, sp[-2], sp[-1]));
  NEXT1();
}
L_RERAISE: {
  handled = sp[-2];
  exc = sp[-1];
  sp -= 2;
  reraise = true;
  throw PyException{};
}
L_LOAD_ASSERTION_ERROR:
  *sp++ = V(T().AssertionError);
  NEXT1();
L_IMPORT_NAME:
  f->sp = sp;
  *sp++ = V(ImportModule(*this, code->names[ARG]));
  NEXT1();
L_IMPORT_FROM: {
  Value m = sp[-1];
  StrObj* name = code->names[ARG];
  Value v;
  if (!IsObj(m, Kind::kModule)) [[unlikely]] BadOperand(*this, "IMPORT_FROM", "a module", m);
  if (!TryGetAttr(*this, m, name, &v)) {
    Raise(*this, T().ImportError, "cannot import name '" + std::string(name->view()) + "' from '" +
                                      std::string(As<ModuleObj>(m)->name->view()) + "'");
  }
  *sp++ = v;
  NEXT1();
}
L_LOAD_FAST_CONST: {
  Value v = slots[ARG];
  if (v.unbound()) UnboundLocal(*this, code->varnames[ARG]);
  sp[0] = v;
  sp[1] = consts[BARG];
  sp += 2;
  NEXT2();
}
L_LOAD_FAST_FAST: {
  Value a = slots[ARG];
  if (a.unbound()) UnboundLocal(*this, code->varnames[ARG]);
  Value b = slots[BARG];
  if (b.unbound()) UnboundLocal(*this, code->varnames[BARG]);
  sp[0] = a;
  sp[1] = b;
  sp += 2;
  NEXT2();
}
L_COMPARE_JUMP: {
  bool t = CompareTruth(*this, static_cast<int>(ARG), sp[-2], sp[-1]);
  sp -= 2;
  if (!t) {
    pc = insns + BARG;
    DISPATCH();
  }
  NEXT2();
}

L_SEND: {
  Value it = sp[-2];
  Value v = sp[-1];
  Value r;
  bool done;
  if (IsObj(it, Kind::kGenerator)) {
    r = GeneratorSend(*this, As<GeneratorObj>(it), v, &done);
  } else if (v.is_none()) {
    done = !IterNext(*this, it, &r);
    if (done) r = Value::None();
  } else {
    static StrObj* const kSend = Intern("send");
    Value m = GetAttr(*this, it, kSend);
    try {
      r = Call1(*this, m, v);
      done = false;
    } catch (const PyException&) {
      if (!IsInstance(exc, T().StopIteration)) throw;
      auto* si = As<InstanceObj>(exc);
      r = IsTuple(si->args) && As<TupleObj>(si->args)->n > 0 ? As<TupleObj>(si->args)->items[0]
                                                               : Value::None();
      exc = Value();
      done = true;
    }
  }
  if (done) {
    sp -= 2;
    *sp++ = r;
    pc = insns + ARG;
    DISPATCH();
  }
  sp[-1] = r;
  NEXT1();
}

do_call : {
  // Enters a Python function: call_fn(call_args[0..call_n), call_kw); the result
  // goes to *call_ret and execution resumes after the current instruction.
  // The safepoint comes after the frame is entered, when the callee, its
  // arguments and any constructed instance are reachable from the new frame.
  f->sp = call_ret;
  {
    // Fast path: exact positional arguments, no cells, not a generator.
    const Code* co = call_fn->code;
    constexpr uint32_t kSlowFlags = kVarArgs | kVarKw | kGenerator;
    if (call_kw == nullptr && call_n == co->argcount && (co->flags & kSlowFlags) == 0 &&
        co->kwonlyargcount == 0 && (co->ncells | co->nfree) == 0) {
      Frame* nf = NewFrame();
      Value* ns = AllocSlots(co->nslots());
      for (int i = 0; i < call_n; ++i) ns[i] = call_args[i];
      for (int i = call_n; i < co->nlocals; ++i) ns[i] = Value();
      nf->code = co;
      nf->func = call_fn;
      nf->slots = ns;
      nf->sp = ns + co->nlocals;
      nf->pc = co->insns.data();
      nf->stack_mark = ns;
      nf->caches = co->ncaches ? CachesFor(co) : nullptr;
      nf->parent = f;
      nf->init_self = call_self;
      frame = nf;
      f = nf;
      LOAD_FRAME();
      SAFEPOINT();
      DISPATCH();
    }
  }
  Value gen;
  Frame* nf = PushCall(*this, call_fn, call_args, call_n, call_kw, &gen);
  if (nf == nullptr) {
    *call_ret = gen;
    sp = call_ret + 1;
    pc += OpWords(*pc & 0xFF);
    DISPATCH();
  }
  nf->init_self = call_self;
  f = nf;
  LOAD_FRAME();
  SAFEPOINT();
  DISPATCH();
}

#undef LOAD_FRAME
#undef DISPATCH
#undef ARG
#undef BARG
#undef NEXT1
#undef NEXT2
#undef SAFEPOINT
}

}  // namespace edgeflow::script
