// Heap object layouts of the script VM. Every object starts with the Object
// header (kind, GC flags, class pointer, heap link). Objects belong to one
// Context's heap, except "static" objects (constants of a loaded Program and the
// builtin classes), which are immutable, shared between threads and never freed
// or marked by a context's collector.
#ifndef EDGEFLOW_SCRIPT_OBJECTS_H_
#define EDGEFLOW_SCRIPT_OBJECTS_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "script/pool.h"
#include "script/value.h"

namespace edgeflow {
class ScriptTensor;
}  // namespace edgeflow

namespace edgeflow::script {

class VM;
struct Code;
struct ClassObj;
struct TupleObj;
struct DictObj;
struct StrObj;

enum class Kind : uint8_t {
  kStr,
  kTuple,
  kList,
  kDict,
  kSet,       // set and frozenset (cls tells which)
  kFunction,
  kNative,
  kBoundMethod,
  kClass,
  kInstance,
  kCell,
  kRange,
  kSlice,
  kIter,      // native iterator with a next function (list_iterator, zip, map, ...)
  kGenerator,
  kModule,
  kCode,
  kSuper,
  kProperty,
  kStaticMethod,
  kClassMethod,
  kDictView,
  kDeque,
  kTensor,
  kHost,      // an object whose state is a C++ HostData (random.Random, bindings)
};

enum ObjFlags : uint8_t {
  kMarked = 1,
  kStatic = 2,  // immortal and shared: never marked, never swept, never mutated
};

struct Object {
  Kind kind;
  uint8_t flags = 0;
  uint16_t small = 0;  // per-kind spare bits (e.g. iterator subtype)
  uint32_t pool_bytes = 0;  // size class in the context's ObjectPool; 0: operator new
  Object* gc_next = nullptr;
  ClassObj* cls = nullptr;
};

// Native callables: args[0..nargs) positional (self first for methods), then
// len(kwnames) keyword values. Raise by throwing (see errors.h).
using NativeFn = Value (*)(VM& vm, Value* args, int nargs, TupleObj* kwnames);

struct StrObj : Object {
  int64_t nbytes;  // UTF-8 length
  int64_t ncp;     // code points
  uint64_t hash;
  bool hashed;
  bool ascii;
  char data[1];    // nbytes + NUL, allocated inline
  std::string_view view() const { return {data, static_cast<size_t>(nbytes)}; }
};

struct TupleObj : Object {
  int64_t n;
  Value items[];  // n values inline (flexible array member, a GNU extension in C++)
};

using ValueVector = std::vector<Value, PoolAllocator<Value>>;

struct ListObj : Object {
  explicit ListObj(ObjectPool* pool) : items(PoolAllocator<Value>(pool)) {}
  ValueVector items;
};

struct DictEntry {
  Value key;  // unbound = deleted
  Value value;
  uint64_t hash;
};

// The sparse index of a dict: slot -> entry number, kEmpty or kDeleted. A
// table of up to kInline slots (dicts of up to 10 entries) is stored inline,
// one byte per slot, so that a lookup in a small dict touches no extra cache
// line; larger tables are int32 arrays from the context's pool.
class DictIndex {
 public:
  static constexpr int32_t kEmpty = -1;
  static constexpr int32_t kDeleted = -2;
  static constexpr uint32_t kInline = 16;

  DictIndex() = default;
  DictIndex(const DictIndex&) = delete;
  DictIndex& operator=(const DictIndex&) = delete;

  // 0 while the dict has no index (few entries: lookups scan).
  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int32_t get(size_t i) const { return size_ <= kInline ? small_[i] : big_[i]; }
  void set(size_t i, int32_t v) {
    if (size_ <= kInline) small_[i] = static_cast<int8_t>(v);
    else big_[i] = v;
  }
  // Heap bytes outside the object (0 for an inline table).
  size_t heap_bytes() const { return size_ > kInline ? size_ * sizeof(int32_t) : 0; }

  // Replaces the table by one of `size` empty slots (a power of two >= 16, or
  // 0 for none). Returns the change in heap bytes.
  int64_t Reset(ObjectPool* pool, uint32_t size) {
    int64_t before = static_cast<int64_t>(heap_bytes());
    if (big_ != nullptr && size != size_) Release(pool);
    if (size > kInline && big_ == nullptr) big_ = PoolAllocator<int32_t>(pool).allocate(size);
    size_ = size;
    if (size > kInline) std::fill(big_, big_ + size, kEmpty);
    else if (size != 0) std::memset(small_, 0xFF, sizeof(small_));
    return static_cast<int64_t>(heap_bytes()) - before;
  }
  void Release(ObjectPool* pool) {
    if (big_ != nullptr) PoolAllocator<int32_t>(pool).deallocate(big_, size_);
    big_ = nullptr;
    size_ = 0;
  }

 private:
  int32_t* big_ = nullptr;
  uint32_t size_ = 0;
  int8_t small_[kInline];
};

// Insertion-ordered hash map (CPython 3.6+ layout: dense entries + sparse index).
struct DictObj : Object {
  explicit DictObj(ObjectPool* pool) : entries(PoolAllocator<DictEntry>(pool)) {}
  ~DictObj() { index.Release(entries.get_allocator().pool); }
  ObjectPool* pool() const { return entries.get_allocator().pool; }
  std::vector<DictEntry, PoolAllocator<DictEntry>> entries;
  DictIndex index;
  int64_t live = 0;
  Value default_factory;       // collections.defaultdict
};

// CPython-compatible open-addressing set table: same probe sequence and resize
// policy, so that iteration order (and thus printed output) matches CPython.
struct SetEntry {
  Value key;     // unbound: empty (hash 0) or dummy (hash -1)
  int64_t hash;
};
struct SetObj : Object {
  explicit SetObj(ObjectPool* pool) : table(PoolAllocator<SetEntry>(pool)) {}
  std::vector<SetEntry, PoolAllocator<SetEntry>> table;  // size is a power of two >= 8
  int64_t fill = 0;    // active + dummy slots
  int64_t used = 0;    // active slots
  int64_t finger = 0;  // where set.pop() resumes its search
};

struct ModuleObj;

struct FunctionObj : Object {
  const Code* code;
  ModuleObj* module;
  TupleObj* defaults = nullptr;
  DictObj* kwdefaults = nullptr;
  TupleObj* closure = nullptr;
  DictObj* dict = nullptr;  // function attributes
  StrObj* qualname = nullptr;
};

struct NativeObj : Object {
  NativeFn fn;
  const char* name;
  Value self;  // bound receiver (unbound when none)
  Value data;  // per-function state (e.g. functools.partial)
  Value data2;
};

struct BoundMethodObj : Object {
  Value self;
  Value func;
};

struct ClassObj : Object {
  StrObj* name;
  ClassObj* base;
  DictObj* dict;
  Kind layout;      // what an instance is
  NativeFn ctor;    // builtin types: called for Type(...); null for user classes
  bool is_builtin;  // static builtin type (immutable)
  bool is_exception;
  bool has_getattr = false;  // defines or inherits __getattr__
  bool has_setattr = false;  // defines or inherits __setattr__
  StrObj* module_name = nullptr;
};

struct TraceEntry {
  const Code* code;
  int line;
};

struct InstanceObj : Object {
  DictObj* dict;                   // attributes; exceptions create it on first store
  Value args;                      // exceptions: the args tuple
  std::vector<TraceEntry>* tb = nullptr;  // exceptions: traceback, innermost first
  Value cause;                     // exceptions: __cause__ (raise ... from ...)
  Value context;                   // exceptions: __context__ (raised while handling)
  bool suppress_context = false;   // exceptions: __suppress_context__
};

struct CellObj : Object {
  Value v;
};

struct RangeObj : Object {
  int64_t start, stop, step;
};

struct SliceObj : Object {
  Value start, stop, step;
};

// IterObj::small: iterators the interpreter advances inline.
enum IterKind : uint16_t { kIterGeneric = 0, kIterList = 1, kIterRange = 2, kIterTuple = 3 };

struct IterObj;
// Returns false when exhausted.
using IterNextFn = bool (*)(VM& vm, IterObj* it, Value* out);
struct IterObj : Object {
  IterNextFn next;
  Value a, b, c;
  int64_t i = 0, j = 0, k = 0;
  const char* type_name;
};

struct Frame;
struct GeneratorObj : Object {
  FunctionObj* func;
  Value* slots;     // locals, cells and stack (owned)
  int64_t nslots;
  int64_t pc = 0;   // instruction index to resume at
  int64_t sp = 0;   // stack depth (absolute slot index)
  int state = 0;    // 0 created, 1 suspended, 2 running, 3 done
};

struct Program;
struct ModuleObj : Object {
  StrObj* name;
  const Program* program = nullptr;  // user module: globals are slots
  std::vector<Value> globals;        // by slot (user module)
  std::vector<Value> fallback;       // builtins by slot (user module)
  DictObj* dict = nullptr;           // builtin modules: attributes
};

struct CodeObj : Object {
  const Code* code;
};

struct SuperObj : Object {
  ClassObj* start;  // lookup begins at start->base
  Value self;
};

struct PropertyObj : Object {
  Value fget, fset;
};

struct WrapperObj : Object {  // staticmethod / classmethod
  Value func;
};

struct DictViewObj : Object {
  DictObj* dict;
  int which;  // 0 keys, 1 values, 2 items
};

struct DequeObj : Object {
  std::deque<Value> items;
  int64_t maxlen = -1;
};

// The C++ state of a kHost object, owned by it and deleted with it.
struct HostData {
  virtual ~HostData() = default;
  virtual int64_t bytes() const { return 0; }          // for the memory cap
  virtual void Trace(std::vector<Value>* out) const {  // script values it holds
    (void)out;
  }
};

struct HostObj : Object {
  HostData* data;
};

// edgeflow.Tensor: a shared, immutable-shape buffer (see edgeflow/script.h).
struct TensorObj : Object {
  std::shared_ptr<const ScriptTensor> t;
  bool writable;  // created by the script (buffers shared by the host are read-only)
};

inline bool IsObj(const Value& v, Kind k) { return v.tag == Tag::kObj && v.o->kind == k; }
template <typename T>
inline T* As(const Value& v) { return static_cast<T*>(v.o); }

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_OBJECTS_H_
