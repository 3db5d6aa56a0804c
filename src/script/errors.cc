// Exceptions: raising from native code, exception matching, the methods of
// BaseException, and CPython-style traceback text.
#include "script/runtime.h"

namespace edgeflow::script {

Value MakeExceptionArgs(VM& vm, ClassObj* type, Value args_tuple) {
  auto* e = New<InstanceObj>(&vm, Kind::kInstance, type);
  e->args = args_tuple;
  return V(e);
}

Value MakeException(VM& vm, ClassObj* type, std::string_view msg) {
  Value arg = Str(vm, msg);
  return MakeExceptionArgs(vm, type, V(NewTupleFrom(&vm, &arg, 1)));
}

void RaiseValue(VM& vm, Value exc) {
  // Raised while another exception is handled: that one becomes __context__
  // (breaking any cycle it would create, as CPython does).
  if (IsObj(exc, Kind::kInstance) && !vm.handled.unbound() && !vm.handled.is_none() &&
      !vm.handled.same(exc)) {
    auto* e = As<InstanceObj>(exc);
    if (e->context.unbound() || e->context.is_none()) {
      Value c = vm.handled;
      while (IsObj(c, Kind::kInstance)) {
        auto* ci = As<InstanceObj>(c);
        if (ci->context.same(exc)) {
          ci->context = Value::None();
          break;
        }
        c = ci->context;
      }
      e->context = vm.handled;
    }
  }
  vm.exc = exc;
  throw PyException{};
}

void Raise(VM& vm, ClassObj* type, std::string_view msg) {
  RaiseValue(vm, MakeException(vm, type, msg));
}

void NestingGuard::RaiseRecursion(VM& vm, const char* where) {
  Raise(vm, T().RecursionError, std::string("maximum recursion depth exceeded") + where);
}

void RaiseFatal(VM& vm, Status status) {
  vm.fatal = std::move(status);
  throw FatalError{};
}

void TypeError(VM& vm, std::string_view msg) { Raise(vm, T().TypeError, msg); }
void ValueError(VM& vm, std::string_view msg) { Raise(vm, T().ValueError, msg); }

void RaiseKeyError(VM& vm, Value key) {
  RaiseValue(vm, MakeExceptionArgs(vm, T().KeyError, V(NewTupleFrom(&vm, &key, 1))));
}

bool ExceptionMatches(VM& vm, Value exc, Value type) {
  auto check = [&](const Value& t) {
    if (!IsClass(t) || !As<ClassObj>(t)->is_exception) {
      TypeError(vm, "catching classes that do not inherit from BaseException is not allowed");
    }
  };
  if (IsTuple(type)) {
    auto* t = As<TupleObj>(type);
    for (int64_t i = 0; i < t->n; ++i) check(t->items[i]);
    for (int64_t i = 0; i < t->n; ++i) {
      if (IsInstance(exc, As<ClassObj>(t->items[i]))) return true;
    }
    return false;
  }
  check(type);
  return IsInstance(exc, As<ClassObj>(type));
}

namespace {

std::string QualifiedTypeName(ClassObj* cls) {
  std::string name(cls->name->view());
  std::string_view mod = cls->module_name != nullptr ? cls->module_name->view() : "builtins";
  if (mod != "builtins" && mod != "__main__") {
    return std::string(cls->module_name->view()) + "." + name;
  }
  return name;
}

void FormatOne(VM& vm, Value exc, std::string* out) {
  out->append("Traceback (most recent call last):\n");
  auto* e = As<InstanceObj>(exc);
  const std::vector<TraceEntry>* tb = e->tb;
  const Program& prog = *vm.program;
  if (tb != nullptr) {
    // Printed outermost first; runs of one repeated line are folded as CPython does.
    const TraceEntry* prev = nullptr;
    int repeats = 0;
    auto flush = [&] {
      if (repeats > 3) {
        out->append("  [Previous line repeated " + std::to_string(repeats - 3) +
                    " more time" + (repeats - 3 == 1 ? "" : "s") + "]\n");
      }
    };
    for (auto it = tb->rbegin(); it != tb->rend(); ++it) {
      if (prev != nullptr && prev->code == it->code && prev->line == it->line) {
        if (++repeats > 3) continue;
      } else {
        flush();
        repeats = 1;
      }
      prev = &*it;
      out->append("  File \"" + prog.filename + "\", line " + std::to_string(it->line) + ", in " +
                  it->code->name + "\n");
      if (it->line >= 1 && it->line <= static_cast<int>(prog.source_lines.size())) {
        const std::string& src = prog.source_lines[it->line - 1];
        size_t lead = src.find_first_not_of(" \t");
        if (lead != std::string::npos) out->append("    " + src.substr(lead) + "\n");
      }
    }
    flush();
  }
  out->append(FormatExceptionOnly(vm, exc));
  out->append("\n");
}

void FormatChain(VM& vm, Value exc, std::string* out, int depth) {
  auto* e = As<InstanceObj>(exc);
  if (depth < 32) {
    if (IsObj(e->cause, Kind::kInstance)) {
      FormatChain(vm, e->cause, out, depth + 1);
      out->append("\nThe above exception was the direct cause of the following exception:\n\n");
    } else if (!e->suppress_context && IsObj(e->context, Kind::kInstance)) {
      FormatChain(vm, e->context, out, depth + 1);
      out->append("\nDuring handling of the above exception, another exception occurred:\n\n");
    }
  }
  FormatOne(vm, exc, out);
}

Value ExcInit(VM& vm, Value* args, int nargs, TupleObj* kwnames) {
  if (kwnames != nullptr && kwnames->n > 0) {
    TypeError(vm, std::string(TypeName(args[0])) + "() takes no keyword arguments");
  }
  if (IsObj(args[0], Kind::kInstance)) {
    As<InstanceObj>(args[0])->args = V(NewTupleFrom(&vm, args + 1, nargs - 1));
  }
  return Value::None();
}

Value ExcStr(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__str__", nargs, 1, 1);
  return Str(vm, ExceptionStr(vm, args[0]));
}

Value ExcRepr(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__repr__", nargs, 1, 1);
  auto* e = As<InstanceObj>(args[0]);
  std::string s(e->cls->name->view());
  s += "(";
  if (IsTuple(e->args)) {
    auto* t = As<TupleObj>(e->args);
    for (int64_t i = 0; i < t->n; ++i) {
      if (i) s += ", ";
      s += Repr(vm, t->items[i]);
    }
  }
  s += ")";
  return Str(vm, s);
}

Value ExcWithTraceback(VM&, Value* args, int, TupleObj*) { return args[0]; }

}  // namespace

std::string ExceptionStr(VM& vm, const Value& exc) {
  auto* e = As<InstanceObj>(exc);
  if (!IsTuple(e->args)) return "";
  auto* t = As<TupleObj>(e->args);
  if (t->n == 0) return "";
  if (t->n == 1) {
    // KeyError shows the repr of its key ('k'), every other exception the str.
    if (IsSubclass(e->cls, T().KeyError)) return Repr(vm, t->items[0]);
    return ToStr(vm, t->items[0]);
  }
  return Repr(vm, e->args);
}

std::string FormatExceptionOnly(VM& vm, Value exc) {
  if (!IsObj(exc, Kind::kInstance)) return "Exception: <not an exception>";
  auto* e = As<InstanceObj>(exc);
  std::string name = QualifiedTypeName(e->cls);
  std::string msg;
  try {
    msg = ToStr(vm, exc);
  } catch (const PyException&) {
    msg = "<exception str() failed>";
  }
  return msg.empty() ? name : name + ": " + msg;
}

std::string FormatTraceback(VM& vm, Value exc) {
  std::string out;
  if (!IsObj(exc, Kind::kInstance)) return FormatExceptionOnly(vm, exc);
  FormatChain(vm, exc, &out, 0);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void RegisterExceptionMethods(const BuiltinTypes& t) {
  AddNative(t.BaseException->dict, "__init__", ExcInit);
  AddNative(t.BaseException->dict, "__str__", ExcStr);
  AddNative(t.BaseException->dict, "__repr__", ExcRepr);
  AddNative(t.BaseException->dict, "with_traceback", ExcWithTraceback);
}

}  // namespace edgeflow::script
