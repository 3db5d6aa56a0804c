// The functools module: reduce, partial, lru_cache / cache (CPython's C
// _lru_cache_wrapper: its key layout, hit/miss counting and LRU eviction
// order), cmp_to_key, wraps and update_wrapper.
//
// Object designs: partial and cmp_to_key's KeyWrapper are instances of
// library classes with a native __call__ (like CPython's, they do not bind as
// methods); their state is a tuple kept in InstanceObj::args, which only
// exception classes use otherwise. An lru_cache wrapper is a NativeObj (so it
// binds as a method, as CPython's wrapper does) whose self is itself, data its
// cache state and data2 its attribute dict (__name__, __wrapped__, ...).
#include <cstdio>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

// Written once by MakeFunctoolsModule (under the library lock), read-only after.
ClassObj* g_partial = nullptr;
ClassObj* g_keywrapper = nullptr;
ClassObj* g_lru_wrapper = nullptr;
ClassObj* g_cache_info = nullptr;
ClassObj* g_decorator = nullptr;  // lru_cache(...)'s decorating_function
Object* g_kwd_mark = nullptr;     // separates positional and keyword parts of cache keys
Value g_update_wrapper;           // the module's update_wrapper (wraps() returns a partial of it)

std::string Addr(const Object* o) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(o)));
  return buf;
}

// ---- argument binding with CPython's messages ----

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += names.size() == 2 ? " and " : i + 1 == names.size() ? ", and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

// As a Python `def fname(names...)` whose first `required` have no default
// (posonly: may not be passed by keyword). out[i] unbound when not given.
void BindPython(VM& vm, const char* fname, std::initializer_list<const char*> names, int required,
                Value* a, int n, TupleObj* kw, Value* out, bool posonly = false) {
  const int npos = static_cast<int>(names.size());
  for (int i = 0; i < npos; ++i) out[i] = Value();
  for (int i = 0; i < n && i < npos; ++i) out[i] = a[i];
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  std::vector<std::string> posonly_kw;
  for (int k = 0; k < nkw; ++k) {
    std::string_view name = As<StrObj>(kw->items[k])->view();
    int found = -1;
    for (int i = 0; i < npos; ++i) {
      if (name == names.begin()[i]) found = i;
    }
    if (found >= 0 && posonly) {
      posonly_kw.emplace_back(name);
      continue;
    }
    if (found < 0) {
      TypeError(vm, std::string(fname) + "() got an unexpected keyword argument '" +
                        std::string(name) + "'");
    }
    if (!out[found].unbound()) {
      TypeError(vm, std::string(fname) + "() got multiple values for argument '" +
                        std::string(name) + "'");
    }
    out[found] = a[n + k];
  }
  if (!posonly_kw.empty()) {
    std::string joined;
    for (size_t i = 0; i < posonly_kw.size(); ++i) joined += (i ? ", " : "") + posonly_kw[i];
    TypeError(vm, std::string(fname) +
                      "() got some positional-only arguments passed as keyword arguments: '" +
                      joined + "'");
  }
  if (n > npos) {
    std::string sig = required < npos
                          ? "from " + std::to_string(required) + " to " + std::to_string(npos)
                          : std::to_string(npos);
    bool plural = required < npos || npos != 1;
    TypeError(vm, std::string(fname) + "() takes " + sig + " positional argument" +
                      (plural ? "s" : "") + " but " + std::to_string(n) +
                      (n == 1 ? " was" : " were") + " given");
  }
  std::vector<std::string> missing;
  for (int i = 0; i < required; ++i) {
    if (out[i].unbound()) missing.emplace_back(names.begin()[i]);
  }
  if (!missing.empty()) {
    TypeError(vm, std::string(fname) + "() missing " + std::to_string(missing.size()) +
                      " required positional argument" + (missing.size() == 1 ? "" : "s") + ": " +
                      JoinNames(missing));
  }
}

// One required argument `name` of a C function parsed by Argument Clinic or
// PyArg_ParseTupleAndKeywords("O:fname").
Value OneClinicArg(VM& vm, const char* fname, const char* name, Value* a, int n, TupleObj* kw) {
  const std::string f = std::string(fname) + "()";
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  if (n + nkw > 1) {
    TypeError(vm, f + " takes at most 1 " + (n == 0 ? "keyword " : "") + "argument (" +
                      std::to_string(n + nkw) + " given)");
  }
  if (n == 1) return a[0];
  if (nkw == 1) {
    std::string_view k = As<StrObj>(kw->items[0])->view();
    if (k == name) return a[0];
    TypeError(vm, "'" + std::string(k) + "' is an invalid keyword argument for " + f);
  }
  TypeError(vm, f + " missing required argument '" + name + "' (pos 1)");
}

void AddProperty(ClassObj* c, const char* name, NativeFn getter) {
  auto* p = New<PropertyObj>(nullptr, Kind::kProperty, T().property);
  p->fget = V(NewNative(nullptr, name, getter));
  p->fset = Value::None();
  DictSet(nullptr, c->dict, V(Intern(name)), V(p));
}

ClassObj* HiddenClass(const char* name, ClassObj* base, Kind layout, StrObj* module) {
  auto* c = New<ClassObj>(nullptr, Kind::kClass, T().type);
  c->name = Intern(name);
  c->base = base;
  c->dict = NewDict(nullptr);
  c->layout = layout;
  c->is_builtin = true;
  c->module_name = module;
  return c;
}

// The receiver of a method or property getter in one of this module's class
// dicts: anything can be passed to those (type(p).__repr__(5)), so it is checked.
const Value& Receiver(VM& vm, Value* a, int n, const ClassObj* cls, const char* method) {
  std::string name =
      std::string(cls->module_name ? "functools." : "") + std::string(cls->name->view());
  if (n < 1) {
    TypeError(
        vm, "descriptor '" + std::string(method) + "' of '" + name + "' object needs an argument");
  }
  if (!a[0].is_obj() || a[0].o->cls != cls) {
    TypeError(vm, "descriptor '" + std::string(method) + "' requires a '" + name +
                      "' object but received a '" + std::string(TypeName(a[0])) + "'");
  }
  return a[0];
}

// Keeps repr from recursing into an object already being printed.
struct ReprEnter {
  VM& vm;
  Object* o;
  bool active = false;
  ReprEnter(VM& v, Object* obj) : vm(v), o(obj) {
    for (Object* p : vm.repr_active) active |= p == o;
    if (!active) vm.repr_active.push_back(o);
  }
  ~ReprEnter() {
    if (!active) vm.repr_active.pop_back();
  }
};

// ---- reduce(function, iterable[, initial]) ----

Value F_reduce(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "reduce", kw);
  CheckArgs(vm, "reduce", n, 2, 3);
  Value it;
  try {
    it = GetIter(vm, a[1]);
  } catch (const PyException&) {
    if (!IsInstance(vm.exc, T().TypeError)) throw;
    vm.exc = Value();
    TypeError(vm, "reduce() arg 2 must support iteration");
  }
  // The accumulator lives in a rooted list so that a generator input may
  // collect garbage while it runs: [function, iterator, result].
  RootScope keep(vm);
  ListObj* cell = NewList(&vm, 3);
  keep.Keep(V(cell));
  cell->items[0] = a[0];
  cell->items[1] = it;
  if (n == 3) cell->items[2] = a[2];
  Value v;
  while (NextRooted(vm, cell->items[1], &v)) {
    if (cell->items[2].unbound()) {
      cell->items[2] = v;
    } else {
      NoGcScope no_gc(vm);
      cell->items[2] = Call2(vm, cell->items[0], cell->items[2], v);
    }
  }
  if (cell->items[2].unbound()) TypeError(vm, "reduce() of empty iterable with no initial value");
  return cell->items[2];
}

// ---- partial(func, /, *args, **keywords) ----
// InstanceObj::args = (func, args tuple, keywords dict).

TupleObj* PartialState(VM& vm, Value* a, int n, const char* method) {
  return As<TupleObj>(As<InstanceObj>(Receiver(vm, a, n, g_partial, method))->args);
}

Value NewPartial(VM& vm, Value func, Value* args, int nargs, TupleObj* kwnames, Value* kwvalues) {
  if (!Callable(func)) TypeError(vm, "the first argument must be callable");
  NoGcScope no_gc(vm);
  std::vector<Value> pargs;
  DictObj* kwd = NewDict(&vm);
  if (IsObj(func, Kind::kInstance) && func.o->cls == g_partial) {
    auto* inner = As<InstanceObj>(func);
    if (inner->dict == nullptr || inner->dict->live == 0) {
      TupleObj* st = As<TupleObj>(inner->args);
      auto* ia = As<TupleObj>(st->items[1]);
      pargs.assign(ia->items, ia->items + ia->n);
      DictUpdate(vm, kwd, st->items[2]);
      func = st->items[0];
    }
  }
  pargs.insert(pargs.end(), args, args + nargs);
  if (kwnames != nullptr) {
    for (int64_t k = 0; k < kwnames->n; ++k) DictSet(&vm, kwd, kwnames->items[k], kwvalues[k]);
  }
  InstanceObj* p = NewInstance(&vm, g_partial);
  Value st[3] = {func, V(NewTupleFrom(&vm, pargs.data(), static_cast<int64_t>(pargs.size()))),
                 V(kwd)};
  p->args = V(NewTupleFrom(&vm, st, 3));
  return V(p);
}

Value PartialCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  if (n < 1) TypeError(vm, "type 'partial' takes at least one argument");
  return NewPartial(vm, a[0], a + 1, n - 1, kw, a + n);
}

Value PartialCall(VM& vm, Value* a, int n, TupleObj* kw) {
  TupleObj* st = PartialState(vm, a, n, "__call__");
  NoGcScope no_gc(vm);
  auto* pargs = As<TupleObj>(st->items[1]);
  auto* pkw = As<DictObj>(st->items[2]);
  const int ncall = n - 1;
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  std::vector<Value> buf(pargs->items, pargs->items + pargs->n);
  buf.insert(buf.end(), a + 1, a + n);
  const int npos = static_cast<int>(buf.size());
  if (pkw->live == 0) {
    buf.insert(buf.end(), a + n, a + n + nkw);
    return Call(vm, st->items[0], buf.data(), npos, kw);
  }
  DictObj* merged = DictCopy(vm, pkw);
  for (int k = 0; k < nkw; ++k) DictSet(&vm, merged, kw->items[k], a[1 + ncall + k]);
  std::vector<Value> names;
  for (const DictEntry& e : merged->entries) {
    if (e.key.unbound()) continue;
    names.push_back(e.key);
    buf.push_back(e.value);
  }
  TupleObj* kwnames = NewTupleFrom(&vm, names.data(), static_cast<int64_t>(names.size()));
  return Call(vm, st->items[0], buf.data(), npos, kwnames);
}

Value PartialRepr(VM& vm, Value* a, int n, TupleObj*) {
  TupleObj* st = PartialState(vm, a, n, "__repr__");
  ReprEnter guard(vm, a[0].o);
  if (guard.active) return Str(vm, "...");
  std::string out =
      "functools." + std::string(a[0].o->cls->name->view()) + "(" + Repr(vm, st->items[0]);
  auto* pargs = As<TupleObj>(st->items[1]);
  for (int64_t i = 0; i < pargs->n; ++i) out += ", " + Repr(vm, pargs->items[i]);
  auto* pkw = As<DictObj>(st->items[2]);
  std::vector<DictEntry> entries(pkw->entries.begin(), pkw->entries.end());
  for (const DictEntry& e : entries) {
    if (e.key.unbound()) continue;
    out += ", " + ToStr(vm, e.key) + "=" + Repr(vm, e.value);
  }
  return Str(vm, out + ")");
}

Value PartialFunc(VM& vm, Value* a, int n, TupleObj*) {
  return PartialState(vm, a, n, "func")->items[0];
}
Value PartialArgs(VM& vm, Value* a, int n, TupleObj*) {
  return PartialState(vm, a, n, "args")->items[1];
}
Value PartialKeywords(VM& vm, Value* a, int n, TupleObj*) {
  return PartialState(vm, a, n, "keywords")->items[2];
}

// ---- lru_cache ----
// State tuple (mutated in place, never visible to scripts):
enum LruSlot { kFunc, kCache, kRoot, kHits, kMisses, kMaxsize, kTyped, kLruSlots };
// Links of the recency list (oldest after the root): tuples [prev, next, key, result].
enum LinkSlot { kPrev, kNext, kKey, kResult };

TupleObj* Link(const Value& v) { return As<TupleObj>(v); }

void Extract(TupleObj* link) {
  Link(link->items[kPrev])->items[kNext] = link->items[kNext];
  Link(link->items[kNext])->items[kPrev] = link->items[kPrev];
}

void AppendLink(TupleObj* root, TupleObj* link) {
  Value last = root->items[kPrev];
  Link(last)->items[kNext] = V(link);
  link->items[kPrev] = last;
  link->items[kNext] = V(root);
  root->items[kPrev] = V(link);
}

TupleObj* NewRoot(VM& vm) {
  TupleObj* root = NewTuple(&vm, 4);
  root->items[kPrev] = V(root);
  root->items[kNext] = V(root);
  return root;
}

NativeObj* SelfWrapper(VM& vm, Value* a, int n, const char* method) {
  return As<NativeObj>(Receiver(vm, a, n, g_lru_wrapper, method));
}

TupleObj* LruState(VM& vm, Value* a, int n, const char* method) {
  return As<TupleObj>(SelfWrapper(vm, a, n, method)->data);
}

// lru_cache_make_key of Modules/_functoolsmodule.c.
Value MakeKey(VM& vm, Value* args, int nargs, TupleObj* kwnames, bool typed) {
  const int nkw = kwnames ? static_cast<int>(kwnames->n) : 0;
  if (!typed && nkw == 0) {
    if (nargs == 1) {
      const Value& k = args[0];
      if (k.tag == Tag::kInt || (IsStr(k) && k.o->cls == T().str)) return k;
    }
    return V(NewTupleFrom(&vm, args, nargs));
  }
  int64_t size = nargs + (nkw ? 2 * nkw + 1 : 0) + (typed ? nargs + nkw : 0);
  TupleObj* key = NewTuple(&vm, size);
  int64_t pos = 0;
  for (int i = 0; i < nargs; ++i) key->items[pos++] = args[i];
  if (nkw) {
    key->items[pos++] = V(g_kwd_mark);
    for (int k = 0; k < nkw; ++k) {
      key->items[pos++] = kwnames->items[k];
      key->items[pos++] = args[nargs + k];
    }
  }
  if (typed) {
    for (int i = 0; i < nargs; ++i) key->items[pos++] = V(TypeOf(args[i]));
    for (int k = 0; k < nkw; ++k) key->items[pos++] = V(TypeOf(args[nargs + k]));
  }
  return V(key);
}

void Count(TupleObj* st, LruSlot slot) { st->items[slot] = Value::Int(st->items[slot].i + 1); }

// The wrapper's call: args[0] is the wrapper itself (its self), then the call's
// arguments (self of a bound method first).
Value LruCall(VM& vm, Value* a, int n, TupleObj* kw) {
  NoGcScope no_gc(vm);
  TupleObj* st = As<TupleObj>(As<NativeObj>(a[0])->data);
  Value* args = a + 1;
  const int nargs = n - 1;
  const Value func = st->items[kFunc];
  const Value maxsize = st->items[kMaxsize];
  if (maxsize.is_intlike() && maxsize.i == 0) {
    Count(st, kMisses);
    return Call(vm, func, args, nargs, kw);
  }
  auto* cache = As<DictObj>(st->items[kCache]);
  Value key = MakeKey(vm, args, nargs, kw, st->items[kTyped].i != 0);
  Value found;
  if (maxsize.is_none()) {
    if (DictGet(&vm, cache, key, &found)) {
      Count(st, kHits);
      return found;
    }
    Count(st, kMisses);
    Value result = Call(vm, func, args, nargs, kw);
    DictSet(&vm, cache, key, result);
    return result;
  }
  auto* root = As<TupleObj>(st->items[kRoot]);
  if (DictGet(&vm, cache, key, &found)) {
    TupleObj* link = Link(found);
    Extract(link);
    AppendLink(root, link);
    Count(st, kHits);
    return link->items[kResult];
  }
  Count(st, kMisses);
  Value result = Call(vm, func, args, nargs, kw);
  // The call may have cached this key itself (recursion): keep that entry.
  if (DictGet(&vm, cache, key, &found)) return result;
  if (cache->live < maxsize.i || root->items[kNext].same(V(root))) {
    TupleObj* link = NewTuple(&vm, 4);
    link->items[kKey] = key;
    link->items[kResult] = result;
    DictSet(&vm, cache, key, V(link));
    AppendLink(root, link);
    return result;
  }
  // Full: reuse the oldest link for the new entry.
  TupleObj* link = Link(root->items[kNext]);
  Extract(link);
  if (!DictDel(&vm, cache, link->items[kKey])) return result;  // orphaned by the call
  link->items[kKey] = key;
  link->items[kResult] = result;
  DictSet(&vm, cache, key, V(link));
  AppendLink(root, link);
  return result;
}

Value MakeCacheInfo(VM& vm, TupleObj* st) {
  auto* cache = As<DictObj>(st->items[kCache]);
  Value maxsize = st->items[kMaxsize];
  Value items[4] = {st->items[kHits], st->items[kMisses], maxsize, Value::Int(cache->live)};
  TupleObj* t = NewTupleFrom(&vm, items, 4);
  t->cls = g_cache_info;
  return V(t);
}

Value LruCacheInfo(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "cache_info", kw);
  TupleObj* st = LruState(vm, a, n, "cache_info");
  CheckArgs(vm, "cache_info", n - 1, 0, 0);
  return MakeCacheInfo(vm, st);
}

Value LruCacheClear(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "cache_clear", kw);
  TupleObj* st = LruState(vm, a, n, "cache_clear");
  CheckArgs(vm, "cache_clear", n - 1, 0, 0);
  st->items[kHits] = Value::Int(0);
  st->items[kMisses] = Value::Int(0);
  // The root stays the same object: a call in progress (cache_clear() from
  // inside the cached function) still holds it.
  auto* root = As<TupleObj>(st->items[kRoot]);
  root->items[kPrev] = V(root);
  root->items[kNext] = V(root);
  DictClear(&vm, As<DictObj>(st->items[kCache]));
  return Value::None();
}

// cache_parameters() lives in the wrapper's __dict__ (as CPython's lambda does):
// a native whose self is the wrapper.
Value LruCacheParameters(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "cache_parameters", kw);
  TupleObj* st = LruState(vm, a, n, "cache_parameters");
  CheckArgs(vm, "cache_parameters", n - 1, 0, 0);
  DictObj* d = NewDict(&vm);
  DictSet(&vm, d, V(Intern("maxsize")), st->items[kMaxsize]);
  DictSet(&vm, d, V(Intern("typed")), st->items[kTyped]);
  return V(d);
}

DictObj* WrapperDict(VM& vm, Value* a, int n, const char* method) {
  return As<DictObj>(SelfWrapper(vm, a, n, method)->data2);
}

Value WrapperAttr(VM& vm, Value* a, int n, std::string_view name) {
  Value v;
  if (DictGetView(WrapperDict(vm, a, n, "__getattribute__"), name, &v)) return v;
  Raise(vm, T().AttributeError,
        "'functools._lru_cache_wrapper' object has no attribute '" + std::string(name) + "'");
}

Value LruGetattr(VM& vm, Value* a, int n, TupleObj*) {
  SelfWrapper(vm, a, n, "__getattr__");
  CheckArgs(vm, "__getattr__", n, 2, 2);
  if (!IsStr(a[1])) TypeError(vm, "attribute name must be string");
  return WrapperAttr(vm, a, n, As<StrObj>(a[1])->view());
}
Value LruQualname(VM& vm, Value* a, int n, TupleObj*) {
  return WrapperAttr(vm, a, n, "__qualname__");
}
Value LruDoc(VM& vm, Value* a, int n, TupleObj*) {
  Value v;
  if (DictGetView(WrapperDict(vm, a, n, "__doc__"), "__doc__", &v)) return v;
  return Value::None();
}
Value LruDictAttr(VM& vm, Value* a, int n, TupleObj*) {
  return V(WrapperDict(vm, a, n, "__dict__"));
}

Value LruRepr(VM& vm, Value* a, int n, TupleObj*) {
  const Value& self = Receiver(vm, a, n, g_lru_wrapper, "__repr__");
  return Str(vm, "<functools._lru_cache_wrapper object at " + Addr(self.o) + ">");
}

// update_wrapper(wrapper, wrapped) for an lru wrapper: its attributes live in data2.
void CopyWrapperAttrs(VM& vm, DictObj* attrs, const Value& wrapped) {
  for (const char* name :
       {"__module__", "__name__", "__qualname__", "__doc__", "__annotations__"}) {
    Value v;
    if (TryGetAttr(vm, wrapped, Intern(name), &v)) DictSet(&vm, attrs, V(Intern(name)), v);
  }
  Value d;
  if (TryGetAttr(vm, wrapped, N().__dict__, &d)) DictUpdate(vm, attrs, d);
  DictSet(&vm, attrs, V(Intern("__wrapped__")), wrapped);
}

Value MakeLruWrapper(VM& vm, const Value& func, const Value& maxsize, const Value& typed) {
  if (!Callable(func)) TypeError(vm, "the first argument must be callable");
  NoGcScope no_gc(vm);
  auto* w = New<NativeObj>(&vm, Kind::kNative, g_lru_wrapper);
  w->fn = LruCall;
  w->name = "_lru_cache_wrapper";
  w->self = V(w);
  TupleObj* st = NewTuple(&vm, kLruSlots);
  st->items[kFunc] = func;
  st->items[kCache] = V(NewDict(&vm));
  st->items[kRoot] = V(NewRoot(vm));
  st->items[kHits] = Value::Int(0);
  st->items[kMisses] = Value::Int(0);
  st->items[kMaxsize] = maxsize.is_intlike() ? Value::Int(maxsize.i) : maxsize;
  st->items[kTyped] = Value::Bool(Truthy(vm, typed));
  w->data = V(st);
  DictObj* attrs = NewDict(&vm);
  w->data2 = V(attrs);
  DictSet(&vm, attrs, V(Intern("cache_parameters")),
          V(NewNative(&vm, "cache_parameters", LruCacheParameters, V(w))));
  CopyWrapperAttrs(vm, attrs, func);
  // __name__ is answered from NativeObj::name (a class-level property would
  // shadow type(wrapper).__name__); the str it points into stays in data2.
  Value name;
  if (DictGetView(attrs, "__name__", &name) && IsStr(name)) w->name = As<StrObj>(name)->data;
  return V(w);
}

// decorating_function: a NativeObj whose self is itself, data the maxsize and
// data2 the typed flag.
Value Decorate(VM& vm, Value* a, int n, TupleObj* kw) {
  auto* self = As<NativeObj>(a[0]);
  Value f[1];
  BindPython(vm, "decorating_function", {"user_function"}, 1, a + 1, n - 1, kw, f);
  return MakeLruWrapper(vm, f[0], self->data, self->data2);
}

Value DecoratorRepr(VM& vm, Value* a, int n, TupleObj*) {
  const Value& self = Receiver(vm, a, n, g_decorator, "__repr__");
  return Str(vm, "<function lru_cache.<locals>.decorating_function at " + Addr(self.o) + ">");
}

Value F_lru_cache(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[2];
  BindPython(vm, "lru_cache", {"maxsize", "typed"}, 0, a, n, kw, v);
  Value maxsize = v[0].unbound() ? Value::Int(128) : v[0];
  Value typed = v[1].unbound() ? Value::Bool(false) : v[1];
  if (maxsize.is_intlike()) {
    if (maxsize.i < 0) maxsize = Value::Int(0);
  } else if (Callable(maxsize) && typed.is_bool()) {
    return MakeLruWrapper(vm, maxsize, Value::Int(128), typed);
  } else if (!maxsize.is_none()) {
    TypeError(vm, "Expected first argument to be an integer, a callable, or None");
  }
  auto* d = New<NativeObj>(&vm, Kind::kNative, g_decorator);
  d->fn = Decorate;
  d->name = "decorating_function";
  d->self = V(d);
  d->data = maxsize;
  d->data2 = typed;
  return V(d);
}

Value F_cache(VM& vm, Value* a, int n, TupleObj* kw) {
  Value f[1];
  BindPython(vm, "cache", {"user_function"}, 1, a, n, kw, f, /*posonly=*/true);
  return MakeLruWrapper(vm, f[0], Value::None(), Value::Bool(false));
}

Value CacheInfoRepr(VM& vm, Value* a, int n, TupleObj*) {
  auto* t = As<TupleObj>(Receiver(vm, a, n, g_cache_info, "__repr__"));
  return Str(vm, "CacheInfo(hits=" + Repr(vm, t->items[0]) + ", misses=" + Repr(vm, t->items[1]) +
                     ", maxsize=" + Repr(vm, t->items[2]) + ", currsize=" + Repr(vm, t->items[3]) +
                     ")");
}

Value InfoField(VM& vm, Value* a, int n, int i, const char* name) {
  return As<TupleObj>(Receiver(vm, a, n, g_cache_info, name))->items[i];
}
Value InfoHits(VM& vm, Value* a, int n, TupleObj*) { return InfoField(vm, a, n, 0, "hits"); }
Value InfoMisses(VM& vm, Value* a, int n, TupleObj*) { return InfoField(vm, a, n, 1, "misses"); }
Value InfoMaxsize(VM& vm, Value* a, int n, TupleObj*) { return InfoField(vm, a, n, 2, "maxsize"); }
Value InfoCurrsize(VM& vm, Value* a, int n, TupleObj*) {
  return InfoField(vm, a, n, 3, "currsize");
}

// ---- update_wrapper / wraps ----

Value Assigned() {
  static Value v = [] {
    Value names[5] = {V(Intern("__module__")), V(Intern("__name__")), V(Intern("__qualname__")),
                      V(Intern("__doc__")), V(Intern("__annotations__"))};
    return V(NewTupleFrom(nullptr, names, 5));
  }();
  return v;
}

Value Updated() {
  static Value v = [] {
    Value names[1] = {V(Intern("__dict__"))};
    return V(NewTupleFrom(nullptr, names, 1));
  }();
  return v;
}

StrObj* AttrName(VM& vm, const Value& v, const char* fname) {
  if (!IsStr(v)) TypeError(vm, std::string(fname) + "(): attribute name must be string");
  return As<StrObj>(v);
}

Value F_update_wrapper(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[4];
  BindPython(vm, "update_wrapper", {"wrapper", "wrapped", "assigned", "updated"}, 2, a, n, kw, v);
  NoGcScope no_gc(vm);
  Value wrapper = v[0], wrapped = v[1];
  Value assigned = v[2].unbound() ? Assigned() : v[2];
  Value updated = v[3].unbound() ? Updated() : v[3];
  for (const Value& name : ToVector(vm, assigned)) {
    Value value;
    if (TryGetAttr(vm, wrapped, AttrName(vm, name, "getattr"), &value)) {
      SetAttr(vm, wrapper, As<StrObj>(name), value);
    }
  }
  for (const Value& name : ToVector(vm, updated)) {
    Value target = GetAttr(vm, wrapper, AttrName(vm, name, "getattr"));
    Value source;
    if (!TryGetAttr(vm, wrapped, As<StrObj>(name), &source)) source = V(NewDict(&vm));
    Call1(vm, GetAttr(vm, target, Intern("update")), source);
  }
  SetAttr(vm, wrapper, Intern("__wrapped__"), wrapped);
  return wrapper;
}

Value F_wraps(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[3];
  BindPython(vm, "wraps", {"wrapped", "assigned", "updated"}, 1, a, n, kw, v);
  Value values[3] = {v[0], v[1].unbound() ? Assigned() : v[1], v[2].unbound() ? Updated() : v[2]};
  TupleObj* names = NewTuple(&vm, 3);
  names->items[0] = V(Intern("wrapped"));
  names->items[1] = V(Intern("assigned"));
  names->items[2] = V(Intern("updated"));
  return NewPartial(vm, g_update_wrapper, nullptr, 0, names, values);
}

// ---- cmp_to_key(mycmp) ----
// A KeyWrapper's InstanceObj::args is (cmp,) for the factory and (cmp, obj)
// for a key.

TupleObj* KeyState(VM& vm, const Value& v) {
  if (!IsObj(v, Kind::kInstance) || v.o->cls != g_keywrapper) {
    TypeError(vm, "other argument must be K instance");
  }
  return As<TupleObj>(As<InstanceObj>(v)->args);
}

Value NewKey(VM& vm, const Value& cmp, const Value* obj) {
  InstanceObj* k = NewInstance(&vm, g_keywrapper);
  Value items[2] = {cmp, obj ? *obj : Value()};
  k->args = V(NewTupleFrom(&vm, items, obj ? 2 : 1));
  return V(k);
}

Value F_cmp_to_key(VM& vm, Value* a, int n, TupleObj* kw) {
  Value cmp = OneClinicArg(vm, "cmp_to_key", "mycmp", a, n, kw);
  return NewKey(vm, cmp, nullptr);
}

Value KeyCall(VM& vm, Value* a, int n, TupleObj* kw) {
  TupleObj* st = As<TupleObj>(As<InstanceObj>(Receiver(vm, a, n, g_keywrapper, "__call__"))->args);
  Value obj = OneClinicArg(vm, "K", "obj", a + 1, n - 1, kw);
  return NewKey(vm, st->items[0], &obj);
}

Value KeyCompare(VM& vm, Value* a, int n, int op) {
  Receiver(vm, a, n, g_keywrapper, "comparison");
  CheckArgs(vm, "comparison", n, 2, 2);
  TupleObj* x = KeyState(vm, a[0]);
  TupleObj* y = KeyState(vm, a[1]);
  if (x->n < 2 || y->n < 2) Raise(vm, T().AttributeError, "object");
  NoGcScope no_gc(vm);
  Value res = Call2(vm, x->items[0], x->items[1], y->items[1]);
  return CompareOp(vm, op, res, Value::Int(0));
}

Value KeyLt(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kLt); }
Value KeyLe(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kLe); }
Value KeyEq(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kEq); }
Value KeyNe(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kNe); }
Value KeyGt(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kGt); }
Value KeyGe(VM& vm, Value* a, int n, TupleObj*) { return KeyCompare(vm, a, n, kGe); }

Value KeyObj(VM& vm, Value* a, int n, TupleObj*) {
  TupleObj* st = As<TupleObj>(As<InstanceObj>(Receiver(vm, a, n, g_keywrapper, "obj"))->args);
  if (st->n < 2) Raise(vm, T().AttributeError, "obj");
  return st->items[1];
}

Value KeyRepr(VM& vm, Value* a, int n, TupleObj*) {
  const Value& self = Receiver(vm, a, n, g_keywrapper, "__repr__");
  return Str(vm, "<functools.KeyWrapper object at " + Addr(self.o) + ">");
}

}  // namespace

ModuleObj* MakeFunctoolsModule() {
  ModuleObj* m = NewLibraryModule("functools");
  AddFunction(m, "reduce", F_reduce);
  AddFunction(m, "lru_cache", F_lru_cache);
  AddFunction(m, "cache", F_cache);
  AddFunction(m, "update_wrapper", F_update_wrapper);
  AddFunction(m, "wraps", F_wraps);
  AddFunction(m, "cmp_to_key", F_cmp_to_key);
  DictGetView(m->dict, "update_wrapper", &g_update_wrapper);
  AddConstant(m, "WRAPPER_ASSIGNMENTS", Assigned());
  AddConstant(m, "WRAPPER_UPDATES", Updated());

  g_partial = NewLibraryClass(m, "partial", T().object, Kind::kInstance, PartialCtor);
  AddNative(g_partial->dict, "__call__", PartialCall);
  AddNative(g_partial->dict, "__repr__", PartialRepr);
  AddProperty(g_partial, "func", PartialFunc);
  AddProperty(g_partial, "args", PartialArgs);
  AddProperty(g_partial, "keywords", PartialKeywords);

  g_keywrapper = HiddenClass("KeyWrapper", T().object, Kind::kInstance, m->name);
  AddNative(g_keywrapper->dict, "__call__", KeyCall);
  AddNative(g_keywrapper->dict, "__repr__", KeyRepr);
  AddNative(g_keywrapper->dict, "__lt__", KeyLt);
  AddNative(g_keywrapper->dict, "__le__", KeyLe);
  AddNative(g_keywrapper->dict, "__eq__", KeyEq);
  AddNative(g_keywrapper->dict, "__ne__", KeyNe);
  AddNative(g_keywrapper->dict, "__gt__", KeyGt);
  AddNative(g_keywrapper->dict, "__ge__", KeyGe);
  AddProperty(g_keywrapper, "obj", KeyObj);

  g_lru_wrapper = NewLibraryClass(m, "_lru_cache_wrapper", T().object, Kind::kNative, nullptr);
  g_lru_wrapper->has_getattr = true;
  AddNative(g_lru_wrapper->dict, "cache_info", LruCacheInfo);
  AddNative(g_lru_wrapper->dict, "cache_clear", LruCacheClear);
  AddNative(g_lru_wrapper->dict, "__getattr__", LruGetattr);
  AddNative(g_lru_wrapper->dict, "__repr__", LruRepr);
  AddProperty(g_lru_wrapper, "__qualname__", LruQualname);
  AddProperty(g_lru_wrapper, "__doc__", LruDoc);
  AddProperty(g_lru_wrapper, "__dict__", LruDictAttr);

  g_cache_info = HiddenClass("CacheInfo", T().tuple, Kind::kTuple, m->name);
  AddConstant(m, "_CacheInfo", V(g_cache_info));
  AddNative(g_cache_info->dict, "__repr__", CacheInfoRepr);
  AddProperty(g_cache_info, "hits", InfoHits);
  AddProperty(g_cache_info, "misses", InfoMisses);
  AddProperty(g_cache_info, "maxsize", InfoMaxsize);
  AddProperty(g_cache_info, "currsize", InfoCurrsize);

  g_decorator = HiddenClass("function", T().object, Kind::kNative, nullptr);
  AddNative(g_decorator->dict, "__repr__", DecoratorRepr);

  // Any unique object that compares by identity would do; a class cannot be
  // given attributes, so even a user __eq__ handed the mark cannot change it.
  g_kwd_mark = HiddenClass("_kwd_mark", T().object, Kind::kInstance, m->name);
  return m;
}

}  // namespace edgeflow::script
