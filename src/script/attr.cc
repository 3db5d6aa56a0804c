// Attributes and classes: lookup along the single-inheritance chain, binding of
// methods, properties, staticmethod/classmethod, super(), per-site inline
// caches, class creation, and the methods of `object` and `type`.
#include <cstdio>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

[[noreturn]] void NoAttribute(VM& vm, const Value& obj, std::string_view name) {
  std::string n(name);
  if (IsObj(obj, Kind::kModule)) {
    Raise(vm, T().AttributeError,
          "module '" + std::string(As<ModuleObj>(obj)->name->view()) + "' has no attribute '" + n +
              "'");
  }
  if (IsClass(obj)) {
    Raise(vm, T().AttributeError, "type object '" + std::string(As<ClassObj>(obj)->name->view()) +
                                      "' has no attribute '" + n + "'");
  }
  Raise(vm, T().AttributeError,
        "'" + std::string(TypeName(obj)) + "' object has no attribute '" + n + "'");
}

Value Bind(VM& vm, const Value& d, const Value& self) {
  if (!d.is_obj()) return d;
  switch (d.o->kind) {
    case Kind::kFunction:
    case Kind::kNative: {
      auto* b = New<BoundMethodObj>(&vm, Kind::kBoundMethod, T().method);
      b->self = self;
      b->func = d;
      return V(b);
    }
    case Kind::kStaticMethod: return As<WrapperObj>(d)->func;
    case Kind::kClassMethod: {
      auto* b = New<BoundMethodObj>(&vm, Kind::kBoundMethod, T().method);
      b->self = IsClass(self) ? self : V(TypeOf(self));
      b->func = As<WrapperObj>(d)->func;
      return V(b);
    }
    default: return d;
  }
}

// The class attribute `name` of `cls`, through the cache when it is valid.
inline Value CachedLookup(VM& vm, ClassObj* cls, StrObj* name, Cache* cache) {
  if (cache != nullptr && cache->cls == cls && cache->epoch == vm.class_epoch) return cache->v;
  Value d = LookupClass(cls, name);
  if (cache != nullptr) {
    cache->cls = cls;
    cache->epoch = vm.class_epoch;
    cache->v = d;
  }
  return d;
}

Value CallGetter(VM& vm, PropertyObj* p, const Value& obj, std::string_view name) {
  if (p->fget.unbound() || p->fget.is_none()) {
    Raise(vm, T().AttributeError, "property '" + std::string(name) + "' of '" +
                                      std::string(TypeName(obj)) + "' object has no getter");
  }
  return Call1(vm, p->fget, obj);
}

DictObj* InstanceDict(VM& vm, InstanceObj* in) {
  if (in->dict == nullptr) in->dict = NewDict(&vm);
  return in->dict;
}

// Attributes every object of a kind has (not in any class dict).
bool SpecialAttr(VM& vm, const Value& obj, StrObj* name, Value* out) {
  std::string_view n = name->view();
  if (n == "__class__") {
    *out = V(TypeOf(obj));
    return true;
  }
  if (!obj.is_obj()) {
    if (obj.is_intlike()) {
      if (n == "real" || n == "numerator") {
        *out = Value::Int(obj.i);
        return true;
      }
      if (n == "imag") {
        *out = Value::Int(0);
        return true;
      }
      if (n == "denominator") {
        *out = Value::Int(1);
        return true;
      }
    }
    if (obj.is_float()) {
      if (n == "real") {
        *out = obj;
        return true;
      }
      if (n == "imag") {
        *out = Value::Float(0.0);
        return true;
      }
    }
    return false;
  }
  Object* o = obj.o;
  switch (o->kind) {
    case Kind::kInstance: {
      auto* in = static_cast<InstanceObj*>(o);
      if (n == "__dict__") {
        *out = V(InstanceDict(vm, in));
        return true;
      }
      if (!o->cls->is_exception) return false;
      if (n == "args") {
        *out = in->args.unbound() ? V(NewTuple(&vm, 0)) : in->args;
        return true;
      }
      if (n == "__cause__") {
        *out = in->cause.unbound() ? Value::None() : in->cause;
        return true;
      }
      if (n == "__context__") {
        *out = in->context.unbound() ? Value::None() : in->context;
        return true;
      }
      if (n == "__suppress_context__") {
        *out = Value::Bool(in->suppress_context);
        return true;
      }
      if (n == "__traceback__") {
        *out = Value::None();
        return true;
      }
      if (n == "value" && IsSubclass(o->cls, T().StopIteration)) {
        auto* t = IsTuple(in->args) ? As<TupleObj>(in->args) : nullptr;
        *out = t != nullptr && t->n > 0 ? t->items[0] : Value::None();
        return true;
      }
      return false;
    }
    case Kind::kFunction: {
      auto* f = static_cast<FunctionObj*>(o);
      if (n == "__name__") {
        *out = Str(vm, f->code->name);
        return true;
      }
      if (n == "__qualname__") {
        *out = f->qualname ? V(f->qualname) : Str(vm, f->code->qualname);
        return true;
      }
      if (n == "__module__") {
        *out = V(N().__main__);
        return true;
      }
      if (n == "__doc__") {
        *out = (f->code->flags & kHasDoc) ? Str(vm, f->code->doc) : Value::None();
        return true;
      }
      if (n == "__defaults__") {
        *out = f->defaults ? V(f->defaults) : Value::None();
        return true;
      }
      if (n == "__kwdefaults__") {
        *out = f->kwdefaults ? V(f->kwdefaults) : Value::None();
        return true;
      }
      if (n == "__dict__") {
        if (f->dict == nullptr) f->dict = NewDict(&vm);
        *out = V(f->dict);
        return true;
      }
      return false;
    }
    case Kind::kNative: {
      auto* f = static_cast<NativeObj*>(o);
      if (n == "__name__" || n == "__qualname__") {
        *out = Str(vm, f->name);
        return true;
      }
      if (n == "__self__") {
        *out = f->self.unbound() ? Value::None() : f->self;
        return true;
      }
      if (n == "__doc__") {
        *out = Value::None();
        return true;
      }
      return false;
    }
    case Kind::kBoundMethod: {
      auto* b = static_cast<BoundMethodObj*>(o);
      if (n == "__self__") {
        *out = b->self;
        return true;
      }
      if (n == "__func__") {
        *out = b->func;
        return true;
      }
      return TryGetAttr(vm, b->func, name, out);
    }
    case Kind::kClass: {
      auto* c = static_cast<ClassObj*>(o);
      if (n == "__name__") {
        *out = V(c->name);
        return true;
      }
      if (n == "__qualname__") {
        Value q;
        if (!c->is_builtin && DictGetStr(c->dict, N().__qualname__, &q)) *out = q;
        else *out = V(c->name);
        return true;
      }
      if (n == "__module__") {
        *out = c->module_name ? V(c->module_name) : Str(vm, "builtins");
        return true;
      }
      if (n == "__base__") {
        *out = c->base ? V(c->base) : Value::None();
        return true;
      }
      if (n == "__bases__") {
        Value b = c->base ? V(c->base) : Value();
        *out = V(NewTupleFrom(&vm, &b, c->base ? 1 : 0));
        return true;
      }
      if (n == "__mro__") {
        std::vector<Value> chain;
        for (ClassObj* k = c; k; k = k->base) chain.push_back(V(k));
        *out = V(NewTupleFrom(&vm, chain.data(), static_cast<int64_t>(chain.size())));
        return true;
      }
      if (n == "__dict__") {
        *out = V(DictCopy(vm, c->dict));
        return true;
      }
      if (n == "__doc__") {
        Value d;
        *out = DictGetStr(c->dict, N().__doc__, &d) ? d : Value::None();
        return true;
      }
      return false;
    }
    case Kind::kModule: {
      if (n == "__name__") {
        *out = V(static_cast<ModuleObj*>(o)->name);
        return true;
      }
      return false;
    }
    case Kind::kSlice:
    case Kind::kRange: {
      bool slice = o->kind == Kind::kSlice;
      int which = n == "start" ? 0 : n == "stop" ? 1 : n == "step" ? 2 : -1;
      if (which < 0) return false;
      if (slice) {
        auto* s = static_cast<SliceObj*>(o);
        *out = which == 0 ? s->start : which == 1 ? s->stop : s->step;
      } else {
        auto* r = static_cast<RangeObj*>(o);
        *out = Value::Int(which == 0 ? r->start : which == 1 ? r->stop : r->step);
      }
      return true;
    }
    case Kind::kProperty: {
      auto* p = static_cast<PropertyObj*>(o);
      if (n == "fget") {
        *out = p->fget.unbound() ? Value::None() : p->fget;
        return true;
      }
      if (n == "fset") {
        *out = p->fset.unbound() ? Value::None() : p->fset;
        return true;
      }
      return false;
    }
    case Kind::kStaticMethod:
    case Kind::kClassMethod:
      if (n == "__func__") {
        *out = static_cast<WrapperObj*>(o)->func;
        return true;
      }
      return false;
    case Kind::kDeque:
      if (n == "maxlen") {
        int64_t m = static_cast<DequeObj*>(o)->maxlen;
        *out = m < 0 ? Value::None() : Value::Int(m);
        return true;
      }
      return false;
    case Kind::kDict:
      if (n == "default_factory" && IsSubclass(o->cls, T().defaultdict)) {
        Value f = static_cast<DictObj*>(o)->default_factory;
        *out = f.unbound() ? Value::None() : f;
        return true;
      }
      return false;
    default: return false;
  }
}

// The attributes of exceptions that live in InstanceObj fields.
bool SetExceptionAttr(VM& vm, InstanceObj* e, StrObj* name, const Value& v) {
  std::string_view n = name->view();
  if (n == "args") {
    e->args = V(ToTuple(vm, v));
    return true;
  }
  if (n == "__cause__" || n == "__context__") {
    if (!v.is_none() && !(IsObj(v, Kind::kInstance) && v.o->cls->is_exception)) {
      TypeError(vm, "exception cause must be None or derive from BaseException");
    }
    if (n == "__cause__") {
      e->cause = v;
      e->suppress_context = true;
    } else {
      e->context = v;
    }
    return true;
  }
  if (n == "__suppress_context__") {
    e->suppress_context = Truthy(vm, v);
    return true;
  }
  return false;
}

bool ModuleAttr(VM& vm, ModuleObj* m, StrObj* name, Value* out) {
  if (m->program != nullptr) {
    auto it = m->program->global_slots.find(std::string(name->view()));
    if (it != m->program->global_slots.end() && !m->globals[it->second].unbound()) {
      *out = m->globals[it->second];
      return true;
    }
  } else if (m->dict != nullptr && DictGetStr(m->dict, name, out)) {
    return true;
  }
  return SpecialAttr(vm, V(m), name, out);
}

bool SuperAttr(VM& vm, SuperObj* s, StrObj* name, Value* out, bool bind) {
  for (ClassObj* c = s->start->base; c != nullptr; c = c->base) {
    Value d;
    if (DictGetStr(c->dict, name, &d)) {
      *out = bind ? Bind(vm, d, s->self) : d;
      return true;
    }
  }
  return false;
}

}  // namespace

Value LookupClass(const ClassObj* cls, StrObj* name) {
  for (const ClassObj* c = cls; c != nullptr; c = c->base) {
    Value v;
    if (DictGetStr(c->dict, name, &v)) return v;
  }
  return Value();
}

Value LookupClass(const ClassObj* cls, std::string_view name) {
  for (const ClassObj* c = cls; c != nullptr; c = c->base) {
    Value v;
    if (DictGetView(c->dict, name, &v)) return v;
  }
  return Value();
}

Value SpecialMethod(VM& vm, const Value& v, std::string_view name) {
  (void)vm;
  ClassObj* cls = TypeOf(v);
  if (cls->is_builtin) return Value();
  return LookupClass(cls, name);
}

bool TryGetAttr(VM& vm, const Value& obj, StrObj* name, Value* out) {
  if (IsObj(obj, Kind::kModule)) return ModuleAttr(vm, As<ModuleObj>(obj), name, out);
  if (IsObj(obj, Kind::kSuper)) return SuperAttr(vm, As<SuperObj>(obj), name, out, true);
  if (IsClass(obj)) {
    auto* c = As<ClassObj>(obj);
    // type's own data descriptors come before the class dict (CPython).
    std::string_view n = name->view();
    if ((n == "__name__" || n == "__qualname__" || n == "__mro__" || n == "__bases__" ||
         n == "__base__" || n == "__dict__") &&
        SpecialAttr(vm, obj, name, out)) {
      return true;
    }
    Value d = LookupClass(c, name);
    if (!d.unbound()) {
      if (IsObj(d, Kind::kStaticMethod)) d = As<WrapperObj>(d)->func;
      else if (IsObj(d, Kind::kClassMethod)) d = Bind(vm, d, obj);
      *out = d;
      return true;
    }
    if (SpecialAttr(vm, obj, name, out)) return true;
    // Methods of `type` itself (mro, ...).
    d = LookupClass(T().type, name);
    if (!d.unbound()) {
      *out = Bind(vm, d, obj);
      return true;
    }
    return false;
  }
  ClassObj* cls = TypeOf(obj);
  Value d = LookupClass(cls, name);
  if (IsObj(d, Kind::kProperty)) {
    *out = CallGetter(vm, As<PropertyObj>(d), obj, name->view());
    return true;
  }
  if (IsObj(obj, Kind::kInstance)) {
    auto* in = As<InstanceObj>(obj);
    if (in->dict != nullptr) {
      if (Value* p = DictFindStr(in->dict, name)) {
        *out = *p;
        return true;
      }
    }
  } else if (IsObj(obj, Kind::kFunction)) {
    auto* f = As<FunctionObj>(obj);
    if (f->dict != nullptr) {
      if (Value* p = DictFindStr(f->dict, name)) {
        *out = *p;
        return true;
      }
    }
  }
  if (!d.unbound()) {
    *out = Bind(vm, d, obj);
    return true;
  }
  if (SpecialAttr(vm, obj, name, out)) return true;
  if (cls->has_getattr) {
    Value ga = LookupClass(cls, N().__getattr__);
    if (!ga.unbound()) {
      try {
        *out = Call2(vm, ga, obj, V(name));
        return true;
      } catch (const PyException&) {
        if (!IsInstance(vm.exc, T().AttributeError)) throw;
        vm.exc = Value();
        return false;
      }
    }
  }
  return false;
}

Value GetAttr(VM& vm, const Value& obj, StrObj* name) {
  Value v;
  if (TryGetAttr(vm, obj, name, &v)) return v;
  ClassObj* cls = TypeOf(obj);
  if (cls->has_getattr && !IsClass(obj)) {
    // Let __getattr__'s own AttributeError (with its message) propagate.
    Value ga = LookupClass(cls, N().__getattr__);
    if (!ga.unbound()) return Call2(vm, ga, obj, V(name));
  }
  NoAttribute(vm, obj, name->view());
}

Value LoadAttr(VM& vm, const Value& obj, StrObj* name, Cache* cache) {
  if (IsObj(obj, Kind::kInstance)) {
    auto* in = As<InstanceObj>(obj);
    ClassObj* cls = in->cls;
    Value d = CachedLookup(vm, cls, name, cache);
    if (d.is_obj() && d.o->kind == Kind::kProperty) {
      return CallGetter(vm, As<PropertyObj>(d), obj, name->view());
    }
    if (in->dict != nullptr) {
      if (Value* p = DictFindStr(in->dict, name)) return *p;
    }
    if (!d.unbound()) return Bind(vm, d, obj);
  }
  return GetAttr(vm, obj, name);
}

void LoadMethod(VM& vm, const Value& obj, StrObj* name, Value* meth, Value* self, Cache* cache) {
  if (!IsObj(obj, Kind::kModule) && !IsClass(obj) && !IsObj(obj, Kind::kSuper)) {
    ClassObj* cls = TypeOf(obj);
    Value d = CachedLookup(vm, cls, name, cache);
    if (d.is_obj() && (d.o->kind == Kind::kFunction || d.o->kind == Kind::kNative)) {
      bool shadowed = false;
      if (IsObj(obj, Kind::kInstance)) {
        auto* in = As<InstanceObj>(obj);
        shadowed = in->dict != nullptr && in->dict->live > 0 && DictFindStr(in->dict, name);
      }
      if (!shadowed) {
        *meth = d;
        *self = obj;
        return;
      }
    }
  }
  if (IsObj(obj, Kind::kSuper)) {
    auto* s = As<SuperObj>(obj);
    Value d;
    if (SuperAttr(vm, s, name, &d, false)) {
      if (d.is_obj() && (d.o->kind == Kind::kFunction || d.o->kind == Kind::kNative)) {
        *meth = d;
        *self = s->self;
        return;
      }
      *meth = Bind(vm, d, s->self);
      *self = Value();
      return;
    }
    Raise(vm, T().AttributeError, "'super' object has no attribute '" +
                                      std::string(name->view()) + "'");
  }
  *meth = GetAttr(vm, obj, name);
  *self = Value();
}

void SetAttr(VM& vm, const Value& obj, StrObj* name, const Value& v) {
  StoreAttr(vm, obj, name, v, nullptr);
}

void StoreAttr(VM& vm, const Value& obj, StrObj* name, const Value& v, Cache* cache) {
  if (obj.is_obj()) {
    Object* o = obj.o;
    switch (o->kind) {
      case Kind::kInstance: {
        ClassObj* cls = o->cls;
        if (cls->has_setattr) {
          Value sa = LookupClass(cls, N().__setattr__);
          if (IsObj(sa, Kind::kFunction)) {
            Value args[3] = {obj, V(name), v};
            Call(vm, sa, args, 3);
            return;
          }
        }
        Value d = CachedLookup(vm, cls, name, cache);
        if (IsObj(d, Kind::kProperty)) {
          auto* p = As<PropertyObj>(d);
          if (p->fset.unbound() || p->fset.is_none()) {
            Raise(vm, T().AttributeError, "property '" + std::string(name->view()) + "' of '" +
                                              std::string(TypeName(obj)) +
                                              "' object has no setter");
          }
          Call2(vm, p->fset, obj, v);
          return;
        }
        if (cls->is_exception && SetExceptionAttr(vm, static_cast<InstanceObj*>(o), name, v)) return;
        if (o == T().not_implemented || o == T().ellipsis) break;
        DictSet(&vm, InstanceDict(vm, static_cast<InstanceObj*>(o)), V(name), v);
        return;
      }
      case Kind::kClass: {
        auto* c = static_cast<ClassObj*>(o);
        if (c->is_builtin) {
          TypeError(vm, "cannot set '" + std::string(name->view()) +
                            "' attribute of immutable type '" + std::string(c->name->view()) +
                            "'");
        }
        DictSet(&vm, c->dict, V(name), v);
        if (name->view() == "__setattr__") c->has_setattr = true;
        if (name->view() == "__getattr__") c->has_getattr = true;
        ++vm.class_epoch;
        return;
      }
      case Kind::kFunction: {
        auto* f = static_cast<FunctionObj*>(o);
        if (name->view() == "__qualname__" && IsStr(v)) f->qualname = As<StrObj>(v);
        if (f->dict == nullptr) f->dict = NewDict(&vm);
        DictSet(&vm, f->dict, V(name), v);
        return;
      }
      case Kind::kModule: {
        auto* m = static_cast<ModuleObj*>(o);
        if (m->program != nullptr) {
          auto it = m->program->global_slots.find(std::string(name->view()));
          if (it != m->program->global_slots.end()) {
            m->globals[it->second] = v;
            return;
          }
        }
        Raise(vm, T().AttributeError, "cannot set attributes of module '" +
                                          std::string(m->name->view()) +
                                          "' (builtin modules are read-only in edgeflow)");
      }
      default:
        if (!o->cls->is_builtin) {
          Value d = LookupClass(o->cls, name);
          if (IsObj(d, Kind::kProperty) && !As<PropertyObj>(d)->fset.unbound()) {
            Call2(vm, As<PropertyObj>(d)->fset, obj, v);
            return;
          }
          Raise(vm, T().AttributeError,
                "edgeflow: instances of '" + std::string(TypeName(obj)) +
                    "' (a subclass of a builtin container) cannot hold attributes");
        }
        break;
    }
  }
  if (!LookupClass(TypeOf(obj), name).unbound()) {
    Raise(vm, T().AttributeError, "'" + std::string(TypeName(obj)) + "' object attribute '" +
                                      std::string(name->view()) + "' is read-only");
  }
  Raise(vm, T().AttributeError, "'" + std::string(TypeName(obj)) + "' object has no attribute '" +
                                    std::string(name->view()) + "'");
}

void DelAttr(VM& vm, const Value& obj, StrObj* name) {
  if (IsObj(obj, Kind::kInstance)) {
    auto* in = As<InstanceObj>(obj);
    Value d = LookupClass(in->cls, name);
    if (IsObj(d, Kind::kProperty)) {
      Raise(vm, T().AttributeError, "property '" + std::string(name->view()) + "' of '" +
                                        std::string(TypeName(obj)) + "' object has no deleter");
    }
    if (in->dict != nullptr && DictDel(&vm, in->dict, V(name))) return;
  } else if (IsClass(obj) && !As<ClassObj>(obj)->is_builtin) {
    if (DictDel(&vm, As<ClassObj>(obj)->dict, V(name))) {
      ++vm.class_epoch;
      return;
    }
  } else if (IsObj(obj, Kind::kFunction)) {
    auto* f = As<FunctionObj>(obj);
    if (f->dict != nullptr && DictDel(&vm, f->dict, V(name))) return;
  }
  NoAttribute(vm, obj, name->view());
}

// ---- classes ----

ClassObj* BuildClass(VM& vm, StrObj* name, ClassObj* base, DictObj* ns) {
  if (base == nullptr) base = T().object;
  if (base->is_builtin) {
    const BuiltinTypes& t = T();
    bool ok = base == t.object || base->is_exception || base == t.list || base == t.dict ||
              base == t.set || base == t.deque || base == t.defaultdict || base == t.counter ||
              base == t.ordereddict;
    if (!ok) {
      bool never = base == t.bool_ || base == t.none || base == t.function || base == t.range ||
                   base == t.slice || base == t.generator || base == t.method ||
                   base == t.builtin_function || base == t.not_implemented_type ||
                   base == t.ellipsis_type || base == t.iterator;
      if (never) {
        TypeError(vm, "type '" + std::string(base->name->view()) +
                          "' is not an acceptable base type");
      }
      TypeError(vm, "subclassing '" + std::string(base->name->view()) +
                        "' is not supported by edgeflow scripts");
    }
  }
  auto* c = New<ClassObj>(&vm, Kind::kClass, T().type);
  c->name = name;
  c->base = base;
  c->dict = ns;
  c->layout = base->layout;
  c->ctor = nullptr;
  c->is_builtin = false;
  c->is_exception = base->is_exception;
  c->has_getattr = base->has_getattr || DictFindStr(ns, N().__getattr__) != nullptr;
  c->has_setattr = base->has_setattr || DictFindStr(ns, N().__setattr__) != nullptr;
  Value mod;
  c->module_name = DictGetStr(ns, N().__module__, &mod) && IsStr(mod) ? As<StrObj>(mod)
                                                                      : N().__main__;
  if (DictFindStr(ns, N().__doc__) == nullptr) DictSet(&vm, ns, V(N().__doc__), Value::None());
  // A class that defines __eq__ without __hash__ is unhashable (CPython rule).
  if (DictFindStr(ns, N().__eq__) != nullptr && DictFindStr(ns, N().__hash__) == nullptr) {
    DictSet(&vm, ns, V(N().__hash__), Value::None());
  }
  return c;
}

Value BuildClassFromBody(VM& vm, Value body, StrObj* name, Value base) {
  if (!base.unbound() && !IsClass(base)) TypeError(vm, "bases must be types");
  auto* fn = As<FunctionObj>(body);
  DictObj* ns = NewDict(&vm);
  DictSet(&vm, ns, V(N().__module__), V(N().__main__));
  DictSet(&vm, ns, V(N().__qualname__), Str(vm, fn->code->qualname));
  Value unused;
  Frame* f = PushCall(vm, fn, nullptr, 0, nullptr, &unused);
  f->locals_dict = ns;
  f->entry = true;
  Value cell = vm.Execute(f);
  ClassObj* cls = BuildClass(vm, name, base.unbound() ? nullptr : As<ClassObj>(base), ns);
  if (IsObj(cell, Kind::kCell)) As<CellObj>(cell)->v = V(cls);
  return V(cls);
}

// ---- object and type ----

namespace {

Value ObjectInit(VM& vm, Value* args, int nargs, TupleObj* kwnames) {
  int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
  if (nargs + nkw > 1) {
    ClassObj* cls = TypeOf(args[0]);
    Value own = LookupClass(cls, N().__init__);
    Value base = LookupClass(T().object, N().__init__);
    if (own.same(base)) {
      TypeError(vm, std::string(cls->name->view()) + "() takes no arguments");
    }
    TypeError(vm, "object.__init__() takes exactly one argument (the instance to initialize)");
  }
  return Value::None();
}

Value ObjectNew(VM& vm, Value* args, int nargs, TupleObj*) {
  if (nargs < 1 || !IsClass(args[0])) TypeError(vm, "object.__new__(X): X is not a type object");
  auto* cls = As<ClassObj>(args[0]);
  InstanceObj* in = NewInstance(&vm, cls);
  if (cls->is_exception) in->args = V(NewTupleFrom(&vm, args + 1, nargs - 1));
  return V(in);
}

Value ObjectRepr(VM& vm, Value* args, int, TupleObj*) {
  return Str(vm, DefaultRepr(vm, args[0]));
}

Value ObjectStr(VM& vm, Value* args, int, TupleObj*) { return ReprValue(vm, args[0]); }

Value ObjectEq(VM&, Value* args, int nargs, TupleObj*) {
  if (nargs == 2 && args[0].same(args[1])) return Value::Bool(true);
  return V(T().not_implemented);
}

Value ObjectNe(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__ne__", nargs, 2, 2);
  return Value::Bool(!Eq(vm, args[0], args[1]));
}

Value ObjectNotImplemented(VM&, Value*, int, TupleObj*) { return V(T().not_implemented); }

Value ObjectHash(VM& vm, Value* args, int n, TupleObj*) {
  CheckArgs(vm, "__hash__", n, 1, 1);
  if (!args[0].is_obj()) return Value::Int(static_cast<int64_t>(Hash(vm, args[0])));
  // The identity hash (CPython's _Py_HashPointer), never the class's __hash__.
  uint64_t y = reinterpret_cast<uintptr_t>(args[0].o);
  y = (y >> 4) | (y << 60);
  return Value::Int(static_cast<int64_t>(y == ~uint64_t{0} ? ~uint64_t{1} : y));
}

Value ObjectSetattr(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__setattr__", nargs, 3, 3);
  if (!IsStr(args[1])) TypeError(vm, "attribute name must be string");
  if (IsObj(args[0], Kind::kInstance)) {
    DictSet(&vm, InstanceDict(vm, As<InstanceObj>(args[0])), args[1], args[2]);
    return Value::None();
  }
  SetAttr(vm, args[0], As<StrObj>(args[1]), args[2]);
  return Value::None();
}

Value ObjectGetattribute(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__getattribute__", nargs, 2, 2);
  if (!IsStr(args[1])) TypeError(vm, "attribute name must be string");
  return GetAttr(vm, args[0], As<StrObj>(args[1]));
}

Value ObjectFormat(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__format__", nargs, 2, 2);
  if (!IsStr(args[1])) TypeError(vm, "format_spec must be a str");
  if (As<StrObj>(args[1])->nbytes != 0) {
    TypeError(vm, "unsupported format string passed to " + std::string(TypeName(args[0])) +
                      ".__format__");
  }
  return StrValue(vm, args[0]);
}

Value ObjectDir(VM& vm, Value* args, int, TupleObj*) {
  std::vector<std::string> names;
  for (ClassObj* c = TypeOf(args[0]); c; c = c->base) {
    for (const DictEntry& e : c->dict->entries) {
      if (IsStr(e.key)) names.emplace_back(As<StrObj>(e.key)->view());
    }
  }
  if (IsObj(args[0], Kind::kInstance) && As<InstanceObj>(args[0])->dict) {
    for (const DictEntry& e : As<InstanceObj>(args[0])->dict->entries) {
      if (IsStr(e.key)) names.emplace_back(As<StrObj>(e.key)->view());
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  ListObj* l = NewList(&vm, 0);
  for (const auto& n : names) ListAppend(vm, l, Str(vm, n));
  return V(l);
}

Value TypeMro(VM& vm, Value* args, int, TupleObj*) {
  ListObj* l = NewList(&vm, 0);
  for (ClassObj* c = As<ClassObj>(args[0]); c; c = c->base) ListAppend(vm, l, V(c));
  return V(l);
}

Value TypeSubclasscheck(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__subclasscheck__", nargs, 2, 2);
  if (!IsClass(args[1])) TypeError(vm, "issubclass() arg 1 must be a class");
  return Value::Bool(IsSubclass(As<ClassObj>(args[1]), As<ClassObj>(args[0])));
}

}  // namespace

std::string DefaultRepr(VM& vm, const Value& v) {
  (void)vm;
  ClassObj* cls = TypeOf(v);
  std::string mod = cls->module_name ? std::string(cls->module_name->view()) + "." : "";
  char addr[32];
  std::snprintf(addr, sizeof addr, "0x%llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(v.o)));
  return "<" + mod + std::string(cls->name->view()) + " object at " + addr + ">";
}

void RegisterObjectMethods(ClassObj* object, ClassObj* type) {
  AddNative(object->dict, "__init__", ObjectInit);
  AddNative(object->dict, "__new__", ObjectNew);
  AddNative(object->dict, "__repr__", ObjectRepr);
  AddNative(object->dict, "__str__", ObjectStr);
  AddNative(object->dict, "__eq__", ObjectEq);
  AddNative(object->dict, "__ne__", ObjectNe);
  AddNative(object->dict, "__lt__", ObjectNotImplemented);
  AddNative(object->dict, "__le__", ObjectNotImplemented);
  AddNative(object->dict, "__gt__", ObjectNotImplemented);
  AddNative(object->dict, "__ge__", ObjectNotImplemented);
  AddNative(object->dict, "__hash__", ObjectHash);
  AddNative(object->dict, "__setattr__", ObjectSetattr);
  AddNative(object->dict, "__getattribute__", ObjectGetattribute);
  AddNative(object->dict, "__format__", ObjectFormat);
  AddNative(object->dict, "__dir__", ObjectDir);
  AddNative(type->dict, "mro", TypeMro);
  AddNative(type->dict, "__subclasscheck__", TypeSubclasscheck);
}

}  // namespace edgeflow::script
