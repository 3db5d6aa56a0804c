// Creation of the builtin classes and the static name table (once per process).
#include <mutex>
#include <unordered_map>

#include "script/runtime.h"

namespace edgeflow::script {

// Method tables live next to each type's implementation.
void RegisterObjectMethods(ClassObj* object, ClassObj* type);
void RegisterIntMethods(ClassObj* int_, ClassObj* float_, ClassObj* bool_);
void RegisterStrMethods(ClassObj* str);
void RegisterListMethods(ClassObj* list, ClassObj* tuple);
void RegisterDictMethods(ClassObj* dict);
void RegisterSetMethods(ClassObj* set, ClassObj* frozenset);
void RegisterMiscMethods(const BuiltinTypes& t);
void RegisterExceptionMethods(const BuiltinTypes& t);
Value TypeCtor(VM&, Value*, int, TupleObj*);

namespace {

std::mutex& InternMu() {
  static std::mutex mu;
  return mu;
}
std::unordered_map<std::string, StrObj*>& InternTable() {
  static auto* table = new std::unordered_map<std::string, StrObj*>();
  return *table;
}

BuiltinTypes* g_types = nullptr;
Names* g_names = nullptr;

ClassObj* RawClass(Kind layout) {
  auto* c = New<ClassObj>(nullptr, Kind::kClass, nullptr);
  c->layout = layout;
  c->is_builtin = true;
  return c;
}

ClassObj* Finish(ClassObj* c, const char* name, ClassObj* base, bool exception = false) {
  c->name = Intern(name);
  c->base = base;
  c->dict = NewDict(nullptr);
  c->cls = g_types->type;
  c->is_exception = exception;
  return c;
}

ClassObj* MakeClass(const char* name, ClassObj* base, Kind layout, bool exception = false) {
  return Finish(RawClass(layout), name, base, exception);
}


void Build() {
  auto* t = new BuiltinTypes();
  g_types = t;  // filled in below; nobody reads it before InitTypes() returns
  t->type = RawClass(Kind::kClass);
  t->str = RawClass(Kind::kStr);
  t->dict = RawClass(Kind::kDict);
  t->tuple = RawClass(Kind::kTuple);
  t->builtin_function = RawClass(Kind::kNative);
  t->object = MakeClass("object", nullptr, Kind::kInstance);
  Finish(t->type, "type", t->object);
  Finish(t->str, "str", t->object);
  Finish(t->dict, "dict", t->object);
  Finish(t->tuple, "tuple", t->object);
  Finish(t->builtin_function, "builtin_function_or_method", t->object);
  auto mk = [&](const char* name, Kind layout, ClassObj* base = nullptr) {
    return MakeClass(name, base ? base : t->object, layout);
  };
  t->int_ = mk("int", Kind::kInstance);
  t->float_ = mk("float", Kind::kInstance);
  t->bool_ = mk("bool", Kind::kInstance, t->int_);
  t->none = mk("NoneType", Kind::kInstance);
  t->list = mk("list", Kind::kList);
  t->set = mk("set", Kind::kSet);
  t->frozenset = mk("frozenset", Kind::kSet);
  t->function = mk("function", Kind::kFunction);
  t->method = mk("method", Kind::kBoundMethod);
  t->range = mk("range", Kind::kRange);
  t->slice = mk("slice", Kind::kSlice);
  t->iterator = mk("iterator", Kind::kIter);
  t->generator = mk("generator", Kind::kGenerator);
  t->module = mk("module", Kind::kModule);
  t->code = mk("code", Kind::kCode);
  t->super = mk("super", Kind::kSuper);
  t->property = mk("property", Kind::kProperty);
  t->staticmethod = mk("staticmethod", Kind::kStaticMethod);
  t->classmethod = mk("classmethod", Kind::kClassMethod);
  t->dict_keys = mk("dict_keys", Kind::kDictView);
  t->dict_values = mk("dict_values", Kind::kDictView);
  t->dict_items = mk("dict_items", Kind::kDictView);
  t->cell = mk("cell", Kind::kCell);
  t->deque = mk("deque", Kind::kDeque);
  t->defaultdict = mk("defaultdict", Kind::kDict, t->dict);
  t->counter = mk("Counter", Kind::kDict, t->dict);
  t->ordereddict = mk("OrderedDict", Kind::kDict, t->dict);
  t->tensor = mk("Tensor", Kind::kTensor);
  t->not_implemented_type = mk("NotImplementedType", Kind::kInstance);
  t->ellipsis_type = mk("ellipsis", Kind::kInstance);
  t->deque->module_name = Intern("collections");
  t->defaultdict->module_name = Intern("collections");
  t->counter->module_name = Intern("collections");
  t->ordereddict->module_name = Intern("collections");
  t->tensor->module_name = Intern("edgeflow");
#define EF_EXC_MAKE(name, base) t->name = MakeClass(#name, t->base, Kind::kInstance, true);
  EF_SCRIPT_EXCEPTIONS(EF_EXC_MAKE)
#undef EF_EXC_MAKE
  t->JSONDecodeError->module_name = Intern("json.decoder");
  t->not_implemented = AllocObject(nullptr, Kind::kInstance, t->not_implemented_type,
                                   sizeof(InstanceObj));
  t->ellipsis = AllocObject(nullptr, Kind::kInstance, t->ellipsis_type, sizeof(InstanceObj));
  g_types = t;

  auto* n = new Names();
#define EF_NAME(field) n->field = Intern(#field);
  EF_NAME(__init__) EF_NAME(__new__) EF_NAME(__repr__) EF_NAME(__str__) EF_NAME(__eq__)
  EF_NAME(__ne__) EF_NAME(__lt__) EF_NAME(__le__) EF_NAME(__gt__) EF_NAME(__ge__)
  EF_NAME(__hash__) EF_NAME(__len__) EF_NAME(__iter__) EF_NAME(__next__) EF_NAME(__contains__)
  EF_NAME(__getitem__) EF_NAME(__setitem__) EF_NAME(__delitem__) EF_NAME(__add__)
  EF_NAME(__radd__) EF_NAME(__sub__) EF_NAME(__rsub__) EF_NAME(__mul__) EF_NAME(__rmul__)
  EF_NAME(__truediv__) EF_NAME(__rtruediv__) EF_NAME(__floordiv__) EF_NAME(__rfloordiv__)
  EF_NAME(__mod__) EF_NAME(__rmod__) EF_NAME(__pow__) EF_NAME(__rpow__) EF_NAME(__neg__)
  EF_NAME(__pos__) EF_NAME(__abs__) EF_NAME(__bool__) EF_NAME(__call__) EF_NAME(__name__)
  EF_NAME(__class__) EF_NAME(__dict__) EF_NAME(__doc__) EF_NAME(__module__)
  EF_NAME(__qualname__) EF_NAME(__iadd__) EF_NAME(__isub__) EF_NAME(__imul__) EF_NAME(__and__)
  EF_NAME(__or__) EF_NAME(__xor__) EF_NAME(__rand__) EF_NAME(__ror__) EF_NAME(__rxor__)
  EF_NAME(__lshift__) EF_NAME(__rshift__) EF_NAME(__invert__) EF_NAME(__index__)
  EF_NAME(__int__) EF_NAME(__float__) EF_NAME(__format__) EF_NAME(__getattr__)
  EF_NAME(__setattr__) EF_NAME(__matmul__) EF_NAME(__rmatmul__) EF_NAME(__mro__)
  EF_NAME(__bases__) EF_NAME(__base__) EF_NAME(__enter__) EF_NAME(__exit__) EF_NAME(args)
  EF_NAME(__main__) EF_NAME(__missing__) EF_NAME(__reversed__) EF_NAME(__round__)
#undef EF_NAME
  g_names = n;

  RegisterObjectMethods(t->object, t->type);
  RegisterIntMethods(t->int_, t->float_, t->bool_);
  RegisterStrMethods(t->str);
  RegisterListMethods(t->list, t->tuple);
  RegisterDictMethods(t->dict);
  RegisterSetMethods(t->set, t->frozenset);
  RegisterExceptionMethods(*t);
  RegisterMiscMethods(*t);
}

}  // namespace

StrObj* Intern(std::string_view s) {
  std::lock_guard<std::mutex> lock(InternMu());
  auto& table = InternTable();
  auto it = table.find(std::string(s));
  if (it != table.end()) return it->second;
  StrObj* o = NewStr(nullptr, s);
  table.emplace(std::string(s), o);
  return o;
}

void InitTypes() {
  static std::once_flag once;
  std::call_once(once, Build);
}

const BuiltinTypes& T() { return *g_types; }

const Names& N() { return *g_names; }

void AddNative(DictObj* d, const char* name, NativeFn fn) {
  DictSet(nullptr, d, V(Intern(name)), V(NewNative(nullptr, name, fn)));
}

void AddClassMethod(DictObj* d, const char* name, NativeFn fn) {
  auto* w = New<WrapperObj>(nullptr, Kind::kClassMethod, T().classmethod);
  w->func = V(NewNative(nullptr, name, fn));
  DictSet(nullptr, d, V(Intern(name)), V(w));
}

void AddStaticMethod(DictObj* d, const char* name, NativeFn fn) {
  auto* w = New<WrapperObj>(nullptr, Kind::kStaticMethod, T().staticmethod);
  w->func = V(NewNative(nullptr, name, fn));
  DictSet(nullptr, d, V(Intern(name)), V(w));
}

}  // namespace edgeflow::script

namespace edgeflow::script {

ClassObj* TypeOf(const Value& v) {
  switch (v.tag) {
    case Tag::kNone: return T().none;
    case Tag::kBool: return T().bool_;
    case Tag::kInt: return T().int_;
    case Tag::kFloat: return T().float_;
    case Tag::kObj: return v.o->cls;
    default: return T().none;
  }
}

std::string_view TypeName(const Value& v) { return TypeOf(v)->name->view(); }

bool IsSubclass(const ClassObj* c, const ClassObj* base) {
  for (; c != nullptr; c = c->base) {
    if (c == base) return true;
  }
  return false;
}

bool IsInstance(const Value& v, const ClassObj* cls) { return IsSubclass(TypeOf(v), cls); }

}  // namespace edgeflow::script
