// Calls: binding arguments to a Python function's parameters (with CPython's
// error messages), calling any callable from native code, instantiating
// classes, and argument parsing helpers for native functions.
#include <algorithm>
#include <optional>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

std::string Qualname(const FunctionObj* fn) {
  return fn->code->qualname.empty() ? fn->code->name : fn->code->qualname;
}

// 'a'; 'a' and 'b'; 'a', 'b', and 'c' (CPython's format_missing).
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      if (names.size() == 2) out += " and ";
      else if (i + 1 == names.size()) out += ", and ";
      else out += ", ";
    }
    out += "'" + names[i] + "'";
  }
  return out;
}

[[noreturn]] void Missing(VM& vm, const FunctionObj* fn, const std::vector<std::string>& names,
                          const char* kind) {
  TypeError(vm, Qualname(fn) + "() missing " + std::to_string(names.size()) + " required " + kind +
                    " argument" + (names.size() == 1 ? "" : "s") + ": " + JoinNames(names));
}

[[noreturn]] void TooManyPositional(VM& vm, const FunctionObj* fn, int given, int kwonly_given,
                                    int ndefaults) {
  const Code* co = fn->code;
  int argc = co->argcount;
  std::string sig;
  bool plural;
  if (ndefaults > 0) {
    sig = "from " + std::to_string(argc - ndefaults) + " to " + std::to_string(argc);
    plural = true;
  } else {
    sig = std::to_string(argc);
    plural = argc != 1;
  }
  std::string kwsig;
  if (kwonly_given > 0) {
    kwsig = " positional argument" + std::string(given != 1 ? "s" : "") + " (and " +
            std::to_string(kwonly_given) + " keyword-only argument" +
            (kwonly_given != 1 ? "s" : "") + ")";
  }
  TypeError(vm, Qualname(fn) + "() takes " + sig + " positional argument" + (plural ? "s" : "") +
                    " but " + std::to_string(given) + kwsig + " " +
                    (given == 1 && kwonly_given == 0 ? "was" : "were") + " given");
}

}  // namespace

Frame* PushCall(VM& vm, FunctionObj* fn, Value* args, int nargs, TupleObj* kwnames,
                Value* result) {
  const Code* co = fn->code;
  const int nslots = co->nslots();
  const bool gen = (co->flags & kGenerator) != 0;
  Value* slots;
  if (gen) {
    slots = new Value[nslots];
  } else {
    slots = vm.AllocSlots(nslots);
    for (int i = 0, n = co->nlocals + co->ncells; i < n; ++i) slots[i] = Value();
  }
  Value* mark = slots;
  // Release the slots again if binding fails.
  struct Guard {
    VM& vm;
    Value* slots;
    bool gen;
    bool armed = true;
    ~Guard() {
      if (!armed) return;
      if (gen) delete[] slots;
      else vm.ReleaseSlots(slots);
    }
  } guard{vm, slots, gen};

  const int nkw = kwnames != nullptr ? static_cast<int>(kwnames->n) : 0;
  const int argc = co->argcount;
  const bool simple = nkw == 0 && nargs == argc && co->kwonlyargcount == 0 &&
                      (co->flags & (kVarArgs | kVarKw)) == 0;
  if (simple) {
    for (int i = 0; i < nargs; ++i) slots[i] = args[i];
  } else {
    const int kwonly = co->kwonlyargcount;
    int next = argc + kwonly;
    int varargs_slot = (co->flags & kVarArgs) ? next++ : -1;
    int varkw_slot = (co->flags & kVarKw) ? next++ : -1;
    int ncopy = std::min(nargs, argc);
    for (int i = 0; i < ncopy; ++i) slots[i] = args[i];
    if (varargs_slot >= 0) {
      int extra = nargs > argc ? nargs - argc : 0;
      slots[varargs_slot] = V(NewTupleFrom(&vm, args + argc, extra));
    }
    DictObj* kwdict = nullptr;
    if (varkw_slot >= 0) {
      kwdict = NewDict(&vm);
      slots[varkw_slot] = V(kwdict);
    }
    std::vector<std::string> posonly_as_kw;
    for (int k = 0; k < nkw; ++k) {
      Value key = kwnames->items[k];
      std::string_view name = As<StrObj>(key)->view();
      int found = -1;
      for (int j = co->posonlyargcount; j < argc + kwonly; ++j) {
        if (co->varnames[j] == name) {
          found = j;
          break;
        }
      }
      if (found >= 0) {
        if (!slots[found].unbound()) {
          TypeError(vm, Qualname(fn) + "() got multiple values for argument '" +
                            std::string(name) + "'");
        }
        slots[found] = args[nargs + k];
        continue;
      }
      if (kwdict != nullptr) {
        DictSet(&vm, kwdict, key, args[nargs + k]);
        continue;
      }
      bool posonly = false;
      for (int j = 0; j < co->posonlyargcount; ++j) posonly |= co->varnames[j] == name;
      if (posonly) {
        posonly_as_kw.emplace_back(name);
        continue;
      }
      TypeError(vm, Qualname(fn) + "() got an unexpected keyword argument '" + std::string(name) +
                        "'");
    }
    if (!posonly_as_kw.empty()) {
      std::string names;
      for (size_t i = 0; i < posonly_as_kw.size(); ++i) {
        names += (i ? ", " : "") + posonly_as_kw[i];
      }
      TypeError(vm, Qualname(fn) +
                        "() got some positional-only arguments passed as keyword arguments: '" +
                        names + "'");
    }
    const int ndef = fn->defaults != nullptr ? static_cast<int>(fn->defaults->n) : 0;
    if (nargs > argc && varargs_slot < 0) {
      int kwonly_given = 0;
      for (int j = argc; j < argc + kwonly; ++j) kwonly_given += !slots[j].unbound();
      TooManyPositional(vm, fn, nargs, kwonly_given, ndef);
    }
    std::vector<std::string> missing;
    for (int j = nargs; j < argc; ++j) {
      if (!slots[j].unbound()) continue;
      int d = j - (argc - ndef);
      if (d >= 0) slots[j] = fn->defaults->items[d];
      else missing.push_back(co->varnames[j]);
    }
    if (!missing.empty()) Missing(vm, fn, missing, "positional");
    for (int j = argc; j < argc + kwonly; ++j) {
      if (!slots[j].unbound()) continue;
      Value v;
      if (fn->kwdefaults != nullptr &&
          DictGet(&vm, fn->kwdefaults, Str(vm, co->varnames[j]), &v)) {
        slots[j] = v;
      } else {
        missing.push_back(co->varnames[j]);
      }
    }
    if (!missing.empty()) Missing(vm, fn, missing, "keyword-only");
  }
  Value* cells = slots + co->nlocals;
  for (int i = 0; i < co->ncells; ++i) {
    int a = co->cell2arg[i];
    cells[i] = V(NewCell(&vm, a >= 0 ? slots[a] : Value()));
  }
  for (int i = 0; i < co->nfree; ++i) cells[co->ncells + i] = fn->closure->items[i];

  guard.armed = false;
  if (gen) {
    auto* g = New<GeneratorObj>(&vm, Kind::kGenerator, T().generator);
    g->func = fn;
    g->slots = slots;
    g->nslots = nslots;
    g->pc = 0;
    g->sp = co->nlocals + co->ncells + co->nfree;
    g->state = 0;
    vm.Account(nslots * static_cast<int64_t>(sizeof(Value)));
    *result = V(g);
    return nullptr;
  }
  Frame* f = vm.NewFrame();
  f->code = co;
  f->func = fn;
  f->slots = slots;
  f->sp = slots + co->nlocals + co->ncells + co->nfree;
  f->pc = co->insns.data();
  f->stack_mark = mark;
  f->caches = vm.CachesFor(co);
  f->parent = vm.frame;
  vm.frame = f;
  return f;
}

bool Callable(const Value& v) {
  if (!v.is_obj()) return false;
  switch (v.o->kind) {
    case Kind::kFunction:
    case Kind::kNative:
    case Kind::kBoundMethod:
    case Kind::kClass: return true;
    case Kind::kInstance: return !LookupClass(v.o->cls, N().__call__).unbound();
    default: return false;
  }
}

namespace {

// Runs a Python function to completion from native code. A call from the host
// (no frame is running: ScriptContext::Call, a task body) may collect, since the
// host roots what it passes; a call from a native running inside bytecode may
// not, because natives hold unrooted values in C++ locals across such calls.
Value RunFunction(VM& vm, FunctionObj* fn, Value* args, int nargs, TupleObj* kwnames,
                  Value init_self = Value()) {
  vm.NativeTick();  // the interpreter ticks its own calls; this counts natives' calls
  std::optional<NoGcScope> no_gc;
  if (vm.frame != nullptr) no_gc.emplace(vm);
  Value result;
  Frame* f = PushCall(vm, fn, args, nargs, kwnames, &result);
  if (f == nullptr) return result;  // generator
  f->entry = true;
  f->init_self = init_self;
  return vm.Execute(f);
}

// Calls fn with `self` prepended to the arguments.
Value CallWithSelf(VM& vm, const Value& fn, const Value& self, Value* args, int nargs,
                   TupleObj* kwnames) {
  int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
  Value small[8];
  std::vector<Value> big;
  Value* buf = small;
  if (nargs + nkw + 1 > 8) {
    big.resize(nargs + nkw + 1);
    buf = big.data();
  }
  buf[0] = self;
  for (int i = 0; i < nargs + nkw; ++i) buf[i + 1] = args[i];
  return Call(vm, fn, buf, nargs + 1, kwnames);
}

ClassObj* BuiltinBase(ClassObj* cls) {
  while (cls != nullptr && !cls->is_builtin) cls = cls->base;
  return cls;
}

}  // namespace

Value Call(VM& vm, const Value& callable, Value* args, int nargs, TupleObj* kwnames) {
  if (callable.is_obj()) {
    switch (callable.o->kind) {
      case Kind::kFunction:
        return RunFunction(vm, As<FunctionObj>(callable), args, nargs, kwnames);
      case Kind::kNative: {
        auto* n = As<NativeObj>(callable);
        if (n->self.unbound()) return n->fn(vm, args, nargs, kwnames);
        int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
        std::vector<Value> buf(nargs + nkw + 1);
        buf[0] = n->self;
        for (int i = 0; i < nargs + nkw; ++i) buf[i + 1] = args[i];
        return n->fn(vm, buf.data(), nargs + 1, kwnames);
      }
      case Kind::kBoundMethod: {
        auto* b = As<BoundMethodObj>(callable);
        return CallWithSelf(vm, b->func, b->self, args, nargs, kwnames);
      }
      case Kind::kClass: return CallClass(vm, As<ClassObj>(callable), args, nargs, kwnames);
      case Kind::kInstance: {
        Value call = LookupClass(callable.o->cls, N().__call__);
        if (!call.unbound()) return CallWithSelf(vm, call, callable, args, nargs, kwnames);
        break;
      }
      default: break;
    }
  }
  TypeError(vm, "'" + std::string(TypeName(callable)) + "' object is not callable");
}

Value NewInstanceForCall(VM& vm, ClassObj* cls, Value* args, int nargs, TupleObj* kwnames,
                         Value* init) {
  *init = Value();
  ClassObj* builtin = BuiltinBase(cls);
  Value inst;
  Value user_new = LookupClass(cls, N().__new__);
  if (IsObj(user_new, Kind::kStaticMethod)) user_new = As<WrapperObj>(user_new)->func;
  if (IsObj(user_new, Kind::kFunction)) {
    inst = CallWithSelf(vm, user_new, V(cls), args, nargs, kwnames);
    if (!IsInstance(inst, cls)) return inst;  // __init__ is skipped, as in CPython
  } else if (builtin->layout == Kind::kInstance && builtin->ctor == nullptr) {
    // object or an exception class: a plain instance with a dict.
    InstanceObj* in = NewInstance(&vm, cls);
    if (cls->is_exception) in->args = V(NewTupleFrom(&vm, args, nargs));
    inst = V(in);
  } else {
    // A subclass of a builtin container (BuildClass admits only mutable ones):
    // construct the builtin part empty; the (inherited) __init__ fills it.
    inst = builtin->ctor(vm, nullptr, 0, nullptr);
    inst.o->cls = cls;
  }
  Value ini = LookupClass(cls, N().__init__);
  if (IsObj(ini, Kind::kFunction)) {
    *init = ini;
    return inst;
  }
  if (IsObj(ini, Kind::kNative)) {
    RootScope keep(vm);
    keep.Keep(inst);
    CallWithSelf(vm, ini, inst, args, nargs, kwnames);
  }
  return inst;
}

Value CallClass(VM& vm, ClassObj* cls, Value* args, int nargs, TupleObj* kwnames) {
  if (cls->is_builtin) {
    if (cls->ctor == nullptr) {
      if (cls == T().object) {
        CheckArgs(vm, "object", nargs, 0, 0);
        NoKwargs(vm, "object", kwnames);
        return V(NewInstance(&vm, cls));
      }
      if (cls->is_exception) {
        NoKwargs(vm, std::string(cls->name->view()).c_str(), kwnames);
        InstanceObj* in = NewInstance(&vm, cls);
        in->args = V(NewTupleFrom(&vm, args, nargs));
        // Library exception classes with their own __init__ (JSONDecodeError).
        Value ini = LookupClass(cls, N().__init__);
        Value base_init = LookupClass(T().BaseException, N().__init__);
        if (!ini.same(base_init) && IsObj(ini, Kind::kNative)) {
          RootScope keep(vm);
          keep.Keep(V(in));
          CallWithSelf(vm, ini, V(in), args, nargs, kwnames);
        }
        return V(in);
      }
      TypeError(vm, "cannot create '" + std::string(cls->name->view()) + "' instances");
    }
    return cls->ctor(vm, args, nargs, kwnames);
  }
  Value init;
  Value inst = NewInstanceForCall(vm, cls, args, nargs, kwnames, &init);
  if (!init.unbound()) {
    int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
    std::vector<Value> buf(nargs + nkw + 1);
    buf[0] = inst;
    for (int i = 0; i < nargs + nkw; ++i) buf[i + 1] = args[i];
    return RunFunction(vm, As<FunctionObj>(init), buf.data(), nargs + 1, kwnames, inst);
  }
  return inst;
}

// ---- argument helpers for natives ----

void NoKwargs(VM& vm, const char* fname, TupleObj* kwnames) {
  if (kwnames != nullptr && kwnames->n > 0) {
    TypeError(vm, std::string(fname) + "() takes no keyword arguments");
  }
}

void CheckArgs(VM& vm, const char* fname, int nargs, int min, int max) {
  if (nargs >= min && nargs <= max) return;
  std::string f(fname);
  if (min == max) {
    if (min == 0) TypeError(vm, f + "() takes no arguments (" + std::to_string(nargs) + " given)");
    if (min == 1) {
      TypeError(vm, f + "() takes exactly one argument (" + std::to_string(nargs) + " given)");
    }
    TypeError(vm, f + " expected " + std::to_string(min) + " arguments, got " +
                      std::to_string(nargs));
  }
  if (nargs < min) {
    TypeError(vm, f + " expected at least " + std::to_string(min) + " argument" +
                      (min == 1 ? "" : "s") + ", got " + std::to_string(nargs));
  }
  TypeError(vm, f + " expected at most " + std::to_string(max) + " argument" +
                    (max == 1 ? "" : "s") + ", got " + std::to_string(nargs));
}

void ParseArgs(VM& vm, const ArgSpec& spec, Value* args, int nargs, TupleObj* kwnames,
               Value* out) {
  const int n = static_cast<int>(spec.names.size());
  for (int i = 0; i < n; ++i) out[i] = Value();
  if (nargs > n) {
    TypeError(vm, std::string(spec.fname) + "() takes at most " + std::to_string(n) +
                      " argument" + (n == 1 ? "" : "s") + " (" + std::to_string(nargs) +
                      " given)");
  }
  for (int i = 0; i < nargs; ++i) out[i] = args[i];
  int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
  for (int k = 0; k < nkw; ++k) {
    std::string_view name = As<StrObj>(kwnames->items[k])->view();
    int found = -1;
    int i = 0;
    for (const char* pn : spec.names) {
      if (name == pn) {
        found = i;
        break;
      }
      ++i;
    }
    if (found < 0) {
      TypeError(vm, std::string(spec.fname) + "() got an unexpected keyword argument '" +
                        std::string(name) + "'");
    }
    if (!out[found].unbound()) {
      TypeError(vm, "argument for " + std::string(spec.fname) + "() given by name ('" +
                        std::string(name) + "') and position (" + std::to_string(found + 1) + ")");
    }
    out[found] = args[nargs + k];
  }
  for (int i = 0; i < spec.required; ++i) {
    if (out[i].unbound()) {
      auto it = spec.names.begin() + i;
      TypeError(vm, std::string(spec.fname) + "() missing required argument '" +
                        std::string(*it) + "' (pos " + std::to_string(i + 1) + ")");
    }
  }
}

}  // namespace edgeflow::script
