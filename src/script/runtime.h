// The object protocol of the script VM: allocation, conversions, arithmetic,
// comparison, hashing, attributes, subscripts, iteration and calls. Every
// operation follows CPython 3.11 semantics and error messages; errors are raised
// by throwing PyException (the exception object is in VM::exc).
#ifndef EDGEFLOW_SCRIPT_RUNTIME_H_
#define EDGEFLOW_SCRIPT_RUNTIME_H_

#include <string>
#include <string_view>
#include <vector>

#include "script/objects.h"
#include "script/stack_guard.h"
#include "script/types.h"
#include "script/vm.h"

namespace edgeflow::script {

// ---- allocation (heap.cc) ----
// Allocates `bytes` (>= sizeof(T)) zeroed bytes, constructs a T header and links it
// into the heap (or, with vm == nullptr, makes it static: immortal and shared).
Object* AllocObject(VM* vm, Kind kind, ClassObj* cls, size_t bytes);
template <typename T>
T* New(VM* vm, Kind kind, ClassObj* cls, size_t bytes = sizeof(T)) {
  Object* o = AllocObject(vm, kind, cls, bytes);
  return static_cast<T*>(o);
}
StrObj* NewStr(VM* vm, std::string_view s);
StrObj* NewStrAscii(VM* vm, std::string_view s);  // caller knows s is ASCII
TupleObj* NewTuple(VM* vm, int64_t n);
TupleObj* NewTupleFrom(VM* vm, const Value* items, int64_t n);
ListObj* NewList(VM* vm, int64_t n = 0);
DictObj* NewDict(VM* vm);
SetObj* NewSet(VM* vm, bool frozen = false);
NativeObj* NewNative(VM* vm, const char* name, NativeFn fn, Value self = Value());
IterObj* NewIter(VM* vm, const char* type_name, IterNextFn next);
CellObj* NewCell(VM* vm, Value v);
InstanceObj* NewInstance(VM* vm, ClassObj* cls);
HostObj* NewHost(VM* vm, ClassObj* cls, HostData* data);  // takes ownership of data
void FreeObject(VM* vm, Object* o);
int64_t ObjectBytes(const Object* o);

// A native about to build a result of about count * unit_bytes bytes (a
// padded string, a repetition, a list of a known length) calls this first:
// MemoryError when that would take the heap as far past the cap as makes
// Account() end the run, so the script can catch it before anything is built.
void CheckRoom(VM& vm, int64_t count, int64_t unit_bytes = 1);

inline Value V(Object* o) { return Value::Obj(o); }
inline Value Str(VM& vm, std::string_view s) { return V(NewStr(&vm, s)); }

// ---- errors (errors.cc) ----
[[noreturn]] void Raise(VM& vm, ClassObj* type, std::string_view msg);
[[noreturn]] void RaiseValue(VM& vm, Value exc);
[[noreturn]] void RaiseFatal(VM& vm, Status status);
[[noreturn]] void TypeError(VM& vm, std::string_view msg);
[[noreturn]] void ValueError(VM& vm, std::string_view msg);
[[noreturn]] void RaiseKeyError(VM& vm, Value key);

// One level of C++ recursion over nested data (==, <, repr, hash of nested
// containers). Like CPython, the levels count against the recursion limit
// together with the Python frames; running out of C++ stack also ends the
// recursion. Either way the script sees RecursionError("maximum recursion
// depth exceeded" + `where`), never a stack overflow.
class NestingGuard {
 public:
  NestingGuard(VM& vm, const char* where) : vm_(vm) {
    if (++vm.nest_depth + vm.depth > vm.limits.max_depth || StackNearlyExhausted()) {
      --vm.nest_depth;
      RaiseRecursion(vm, where);
    }
  }
  ~NestingGuard() { --vm_.nest_depth; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  [[noreturn]] static void RaiseRecursion(VM& vm, const char* where);
  VM& vm_;
};
Value MakeException(VM& vm, ClassObj* type, std::string_view msg);
Value MakeExceptionArgs(VM& vm, ClassObj* type, Value args_tuple);
bool ExceptionMatches(VM& vm, Value exc, Value type_or_tuple);
// "Traceback (most recent call last): ..." for an exception object.
std::string FormatTraceback(VM& vm, Value exc);
// "ValueError: msg" (the last traceback line).
std::string FormatExceptionOnly(VM& vm, Value exc);
// str(exc) as BaseException.__str__ computes it.
std::string ExceptionStr(VM& vm, const Value& exc);

// ---- type queries ----
ClassObj* TypeOf(const Value& v);
std::string_view TypeName(const Value& v);
bool IsSubclass(const ClassObj* c, const ClassObj* base);
bool IsInstance(const Value& v, const ClassObj* cls);
inline bool IsStr(const Value& v) { return IsObj(v, Kind::kStr); }
inline bool IsTuple(const Value& v) { return IsObj(v, Kind::kTuple); }
inline bool IsList(const Value& v) { return IsObj(v, Kind::kList); }
inline bool IsDict(const Value& v) { return IsObj(v, Kind::kDict); }
inline bool IsSet(const Value& v) { return IsObj(v, Kind::kSet); }
inline bool IsClass(const Value& v) { return IsObj(v, Kind::kClass); }

// ---- conversions (ops.cc, format.cc) ----
bool Truthy(VM& vm, const Value& v);
std::string Repr(VM& vm, const Value& v);
std::string ToStr(VM& vm, const Value& v);
Value ReprValue(VM& vm, const Value& v);
Value StrValue(VM& vm, const Value& v);
Value AsciiValue(VM& vm, const Value& v);  // ascii(v)
std::string FloatRepr(double d);
std::string DefaultRepr(VM& vm, const Value& v);  // <__main__.A object at 0x...>
std::string IntToString(int64_t v);
// format(value, spec)
std::string FormatValue(VM& vm, const Value& v, std::string_view spec);
std::string FormatInt(VM& vm, int64_t v, std::string_view spec);
std::string FormatFloat(VM& vm, double v, std::string_view spec);
std::string FormatStr(VM& vm, std::string_view s, std::string_view spec);
Value PercentFormat(VM& vm, StrObj* fmt, Value args);
int64_t IndexValue(VM& vm, const Value& v);  // int-like to int64 (__index__)
double ToDouble(VM& vm, const Value& v);     // int/float/bool to double, else TypeError
Value ParseInt(VM& vm, std::string_view s, int base);  // int(str, base)
Value ParseFloat(VM& vm, std::string_view s);
// An integral double (the result of trunc, floor, ceil or round) as an int,
// with int()'s errors: ValueError for NaN, OverflowError for an infinity or a
// value outside 64 bits (number.cc).
int64_t IntegralToInt(VM& vm, double integral);

// ---- arithmetic and comparison (ops.cc) ----
Value BinaryOp(VM& vm, int op, const Value& a, const Value& b);
Value InplaceOp(VM& vm, int op, const Value& a, const Value& b);
Value UnaryNeg(VM& vm, const Value& a);
Value UnaryPos(VM& vm, const Value& a);
Value UnaryInvert(VM& vm, const Value& a);
Value CompareOp(VM& vm, int op, const Value& a, const Value& b);
bool Eq(VM& vm, const Value& a, const Value& b);
bool Lt(VM& vm, const Value& a, const Value& b);  // a < b, TypeError if unorderable
bool Contains(VM& vm, const Value& container, const Value& item);
uint64_t Hash(VM& vm, const Value& v);
int64_t HashInt(int64_t v);
int64_t HashDouble(double d);
Value IntPow(VM& vm, int64_t a, int64_t b);
Value FloorDivInt(VM& vm, int64_t a, int64_t b);
Value ModInt(VM& vm, int64_t a, int64_t b);
double FloatMod(VM& vm, double a, double b);
double FloatFloorDiv(VM& vm, double a, double b);

// ---- attributes (attr.cc) ----
Value GetAttr(VM& vm, const Value& obj, StrObj* name);
// Returns false (no exception) when missing.
bool TryGetAttr(VM& vm, const Value& obj, StrObj* name, Value* out);
void SetAttr(VM& vm, const Value& obj, StrObj* name, const Value& v);
void DelAttr(VM& vm, const Value& obj, StrObj* name);
// Looks a name up along the class chain (no instance dict); unbound if missing.
Value LookupClass(const ClassObj* cls, StrObj* name);
Value LookupClass(const ClassObj* cls, std::string_view name);
// Special method lookup on the type of v (user classes only; unbound if none).
Value SpecialMethod(VM& vm, const Value& v, std::string_view name);
// LOAD_METHOD: sets *meth and *self (self unbound when the result is a plain attribute).
void LoadMethod(VM& vm, const Value& obj, StrObj* name, Value* meth, Value* self, Cache* cache);
// LOAD_ATTR / STORE_ATTR with a per-site inline cache of the class lookup.
Value LoadAttr(VM& vm, const Value& obj, StrObj* name, Cache* cache);
void StoreAttr(VM& vm, const Value& obj, StrObj* name, const Value& v, Cache* cache);
ClassObj* BuildClass(VM& vm, StrObj* name, ClassObj* base, DictObj* ns);
// BUILD_CLASS: runs the class body function into a fresh namespace and builds
// the class (base unbound: object).
Value BuildClassFromBody(VM& vm, Value body, StrObj* name, Value base);

// ---- containers (containers.cc, dict.cc, set.cc, str.cc) ----
Value GetItem(VM& vm, const Value& obj, const Value& key);
void SetItem(VM& vm, const Value& obj, const Value& key, const Value& v);
void DelItem(VM& vm, const Value& obj, const Value& key);
int64_t Len(VM& vm, const Value& v);
void ListAppend(VM& vm, ListObj* l, const Value& v);
void ListExtend(VM& vm, ListObj* l, const Value& iterable);
Value ListGetSlice(VM& vm, ListObj* l, SliceObj* s);
// Normalises a slice for a sequence of length n (CPython PySlice_AdjustIndices).
int64_t SliceIndices(VM& vm, SliceObj* s, int64_t n, int64_t* start, int64_t* stop, int64_t* step);
// All items of any iterable. Generators run with collections enabled: callers
// keep their own temporaries in a RootScope across this call.
std::vector<Value> ToVector(VM& vm, const Value& iterable);
// Stable sort with Python's `<` (key may be unbound or None); reverse keeps
// equal elements in their original order, as list.sort does.
void SortList(VM& vm, std::vector<Value>* items, const Value& key, bool reverse);
TupleObj* ToTuple(VM& vm, const Value& iterable);
void Unpack(VM& vm, const Value& seq, int64_t n, Value* out);  // out[0..n) in order

// dict
bool DictGet(VM* vm, DictObj* d, const Value& key, Value* out);
bool DictGetStr(DictObj* d, StrObj* key, Value* out);
bool DictGetView(DictObj* d, std::string_view key, Value* out);  // str key given as text
Value* DictFindStr(DictObj* d, StrObj* key);
void DictSet(VM* vm, DictObj* d, const Value& key, const Value& v);
void DictReserve(VM* vm, DictObj* d, size_t n);  // room for n more entries
bool DictDel(VM* vm, DictObj* d, const Value& key);
void DictClear(VM* vm, DictObj* d);
void DictUpdate(VM& vm, DictObj* d, const Value& other);
DictObj* DictCopy(VM& vm, DictObj* d);
bool DictEqual(VM& vm, DictObj* a, DictObj* b);
Value DictIter(VM& vm, DictObj* d, int which);          // 0 keys, 1 values, 2 items
Value DictReversedIter(VM& vm, DictObj* d, int which);
Value NewDictView(VM& vm, DictObj* d, int which);
Value SetIter(VM& vm, SetObj* s);
// set
// a | b, a & b, a - b, a ^ b (op is a BinOp); the result has a's type.
Value SetBinary(VM& vm, int op, SetObj* a, SetObj* b);
void SetInplace(VM& vm, int op, SetObj* a, SetObj* b);
bool SetCompare(VM& vm, int op, SetObj* a, SetObj* b);  // ==, !=, <, <=, >, >= (CmpOp)
bool SetContains(VM& vm, SetObj* s, const Value& key);
void SetAdd(VM& vm, SetObj* s, const Value& key);
bool SetDiscard(VM& vm, SetObj* s, const Value& key);
void SetUpdate(VM& vm, SetObj* s, const Value& iterable);
SetObj* SetCopy(VM& vm, SetObj* s, bool frozen);
// str
StrObj* StrConcat(VM& vm, StrObj* a, StrObj* b);
Value CharStr(VM& vm, uint32_t cp);  // one-character str (ASCII ones are shared statics)
Value StrIter(VM& vm, StrObj* s);
// str.format(*args, **kwargs) on a format string.
std::string StrFormat(VM& vm, std::string_view fmt, Value* args, int nargs, TupleObj* kwnames);
Value StrGetItem(VM& vm, StrObj* s, const Value& key);
int64_t StrIndexOfCp(StrObj* s, int64_t cp);  // byte offset of code point cp
void AppendUtf8(std::string& out, uint32_t cp);
uint32_t DecodeUtf8(const char* p, int* len);
std::string ReprStr(std::string_view s);
// CPython's hash of the str whose UTF-8 text is s (SipHash-1-3 over the PEP 393
// representation, key zero as under PYTHONHASHSEED=0).
uint64_t HashBytes(std::string_view s);

// ---- iteration (iter.cc) ----
Value GetIter(VM& vm, const Value& obj);
// Advances an iterator; false when exhausted. Safe to call from any native
// code: no collection runs while a generator or __next__ executes.
bool Next(VM& vm, const Value& iter, Value* out);
// The same for callers whose live values are all rooted (the interpreter with
// its frame stack saved, ToVector): collections may run inside.
bool NextRooted(VM& vm, const Value& iter, Value* out);
// Resumes a generator with `sent`; *done when it returned (the result is then
// its return value). Collections may run inside: the caller roots its values.
Value GeneratorSend(VM& vm, GeneratorObj* g, Value sent, bool* done);
// generator.throw(exc): raises exc inside the generator.
Value GeneratorThrow(VM& vm, GeneratorObj* g, Value exc, bool* done);

// ---- calls (call.cc, interp.cc) ----
// Calls any callable; args as for NativeFn.
Value Call(VM& vm, const Value& callable, Value* args, int nargs, TupleObj* kwnames = nullptr);
inline Value Call0(VM& vm, const Value& f) { return Call(vm, f, nullptr, 0); }
inline Value Call1(VM& vm, const Value& f, Value a) { return Call(vm, f, &a, 1); }
inline Value Call2(VM& vm, const Value& f, Value a, Value b) {
  Value args[2] = {a, b};
  return Call(vm, f, args, 2);
}
// Sets up a frame for a Python function call (args copied); returns nullptr when
// the callee is a generator (then *result holds the generator).
Frame* PushCall(VM& vm, FunctionObj* fn, Value* args, int nargs, TupleObj* kwnames, Value* result);
bool Callable(const Value& v);
// Calling a user class: creates the instance; when its __init__ is a Python
// function, returns it in *init for the caller to run (self first) and the
// instance must be returned by that frame; otherwise runs the whole
// construction and leaves *init unbound.
Value NewInstanceForCall(VM& vm, ClassObj* cls, Value* args, int nargs, TupleObj* kwnames,
                         Value* init);
Value CallClass(VM& vm, ClassObj* cls, Value* args, int nargs, TupleObj* kwnames);

// ---- keyword argument parsing for natives ----
struct ArgSpec {
  const char* fname;
  std::initializer_list<const char*> names;
  int required;
};
// Maps args/kwnames onto out[names.size()] (unbound when absent).
void ParseArgs(VM& vm, const ArgSpec& spec, Value* args, int nargs, TupleObj* kwnames, Value* out);
void NoKwargs(VM& vm, const char* fname, TupleObj* kwnames);
void CheckArgs(VM& vm, const char* fname, int nargs, int min, int max);

// ---- builtins and modules ----
const DictObj* BuiltinsDict();
ModuleObj* ImportModule(VM& vm, StrObj* name);
// Registers a native function in a (static) dict.
void AddNative(DictObj* d, const char* name, NativeFn fn);
void AddClassMethod(DictObj* d, const char* name, NativeFn fn);  // called with the class first
void AddStaticMethod(DictObj* d, const char* name, NativeFn fn);
StrObj* Intern(std::string_view s);  // static string (process-wide, immutable)

}  // namespace edgeflow::script

namespace edgeflow {
class ScriptValue;
}  // namespace edgeflow

namespace edgeflow::script {

// ---- embedding (embed.cc, tensor.cc) ----
// Copies of host values into the context and out of it (tensors are shared).
Value ToScript(VM& vm, const ScriptValue& v, int depth);
ScriptValue FromScript(VM& vm, const Value& v, int depth);
Value TensorValue(VM& vm, std::shared_ptr<const ScriptTensor> t);  // read-only in the script
std::shared_ptr<const ScriptTensor> TensorOf(const Value& v);      // null if not a Tensor

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_RUNTIME_H_
