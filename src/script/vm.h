// VM: one execution context of the script VM. It owns its heap (all objects a
// run creates), its module globals, its frames and its limits. A VM is used by
// one thread at a time; any number of VMs run in parallel over one shared,
// immutable Program (no global lock).
#ifndef EDGEFLOW_SCRIPT_VM_H_
#define EDGEFLOW_SCRIPT_VM_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

#include "edgeflow/status.h"
#include "edgeflow/task.h"
#include "script/code.h"
#include "script/objects.h"
#include "script/pool.h"

namespace edgeflow::script {

struct Limits {
  int64_t memory_bytes = 256ll << 20;  // heap cap; exceeding it ends the run
  int64_t instructions = -1;           // budget (approximate: counted at jumps/calls); -1 none
  const CancellationToken* cancel = nullptr;
  int max_depth = 1000;                // Python frames (RecursionError beyond)
};

// Thrown (inside the VM only) when a script exception is raised; the exception
// object is in VM::exc. Never escapes the VM's public entry points.
struct PyException {};
// Thrown when a limit is exceeded or the run is cancelled; not catchable by
// scripts. VM::fatal says why.
struct FatalError {};

// Inline cache entry for attribute / method lookups (per context, per code).
struct Cache {
  ClassObj* cls = nullptr;
  uint64_t epoch = 0;
  Value v;
};

struct Frame {
  const Code* code = nullptr;
  FunctionObj* func = nullptr;
  Value* slots = nullptr;        // locals, then cells, then the operand stack
  Value* sp = nullptr;           // saved operand stack top (when not running)
  const uint32_t* pc = nullptr;  // saved: the instruction being executed
  Frame* parent = nullptr;
  GeneratorObj* gen = nullptr;   // the generator this frame runs, if any
  DictObj* locals_dict = nullptr;  // class bodies
  Value* stack_mark = nullptr;   // value-stack top to restore when popped
  Cache* caches = nullptr;
  Value init_self;               // inlined constructor call: return this instead of None
  bool entry = false;            // returning from it leaves Execute()
};

class VM {
 public:
  VM(std::shared_ptr<const Program> program, const Limits& limits);
  ~VM();
  VM(const VM&) = delete;
  VM& operator=(const VM&) = delete;

  // Runs the module body once. On an uncaught exception returns an error whose
  // message is the CPython-style traceback text; on a limit, the limit's error.
  Status RunMain();
  // Calls a global function of the main module (after RunMain) with arguments.
  Result<Value> CallGlobal(const std::string& name, const std::vector<Value>& args);
  // Calls any callable; errors as in RunMain.
  Result<Value> SafeCall(Value callable, const std::vector<Value>& args);
  // Runs `body` (which may raise script exceptions or hit limits) and maps an
  // abnormal end to a Status as RunMain does. For embedders that convert
  // values in and out around a call.
  Status Protected(const std::function<void()>& body);

  // Program output (print); drained by the embedder. When out_fn is set, the
  // buffer is handed to it whenever it grows past 64 KiB and at the end of a run.
  std::string out;
  size_t out_cap = 1 << 20;  // without out_fn, output beyond this is dropped
  void (*out_fn)(void* arg, const std::string& text) = nullptr;
  void* out_arg = nullptr;
  void FlushOut();
  void Write(std::string_view text);

  // The last uncaught exception of RunMain/CallGlobal/SafeCall: type name,
  // message (str of the exception) and the formatted traceback.
  struct ErrorInfo {
    std::string type;
    std::string message;
    std::string traceback;
  };
  const ErrorInfo& last_error() const { return last_error_; }

  // --- internals used by the runtime ---
  std::shared_ptr<const Program> program;
  Limits limits;
  ModuleObj* main = nullptr;
  std::unordered_map<std::string, ModuleObj*> modules;  // imported modules by name

  // Heap.
  Object* heap_objects = nullptr;
  int64_t heap_bytes = 0;        // live + garbage since the last collection
  int64_t gc_threshold = 0;
  int64_t min_gc_threshold = 0;  // a collection never runs with less than this allocated
  struct GcStats {
    int64_t collections = 0, survivors = 0, freed = 0;
  } gc_stats;
  ObjectPool& pool() { return *pool_; }
  ObjectPool& buffers() { return *buffers_; }  // container storage (not swept)
  int64_t peak_bytes = 0;
  int native_depth = 0;          // >0: C++ code holds unrooted values; no GC
  std::vector<Value> roots;      // extra roots (embedder / natives), see RootScope
  // Charges `bytes` to the heap: may request a collection at the next
  // safepoint, or end the run when far past the cap.
  void Account(int64_t bytes) {
    heap_bytes += bytes;
    if (heap_bytes > gc_threshold) AccountSlow(bytes);
  }
  void AccountSlow(int64_t bytes);
  void Collect();

  // Exceptions.
  Value exc;      // being raised
  Value handled;  // being handled (except block), for bare `raise`
  bool reraise = false;  // the exception in flight is re-raised: no new traceback entry
  Status fatal;
  uint64_t class_epoch = 1;  // bumped when any user class attribute changes
  std::vector<Object*> repr_active;  // containers being printed (recursion guard)

  // Frames and the value stack.
  Frame* frame = nullptr;
  int depth = 0;                 // Python frames
  int c_depth = 0;               // nested Execute() calls (C++ stack)
  int nest_depth = 0;            // C++ recursion over nested data (NestingGuard)
  bool yielded = false;          // set when a generator frame leaves by YIELD_VALUE
  Frame* NewFrame() {
    if (depth < limits.max_depth && free_frames_ != nullptr) {
      Frame* f = free_frames_;
      free_frames_ = f->parent;
      *f = Frame();
      ++depth;
      return f;
    }
    return NewFrameSlow();
  }
  void FreeFrame(Frame* f) {
    --depth;
    f->parent = free_frames_;
    free_frames_ = f;
  }
  // Contiguous slots for a frame; released (with everything above) by ReleaseSlots(mark).
  Value* AllocSlots(int64_t n) {
    if (vs_end_ - vs_top_ >= n) {
      Value* p = vs_top_;
      vs_top_ += n;
      return p;
    }
    return AllocSlotsSlow(n);
  }
  Value* stack_top() const { return vs_top_; }
  void ReleaseSlots(Value* mark) {
    if (mark >= vs_base_ && mark <= vs_end_) {
      vs_top_ = mark;
      return;
    }
    ReleaseSlotsSlow(mark);
  }
  Cache* CachesFor(const Code* code);

  // Limits: `countdown` ticks (backward jumps and calls) until the next poll.
  int64_t countdown = 0;
  int64_t countdown_base = 0;
  int64_t ticks = 0;             // consumed so far (instruction budget)
  void Poll();                   // at safepoints: cancellation, budget, GC
  void RequestPoll() {           // makes the next safepoint poll
    countdown_base -= countdown;
    countdown = 0;
  }
  // Native code calls this once per item it iterates and once per Python call
  // it makes, so that budget and cancellation end native loops (over infinite
  // iterators too) with the same error as bytecode loops. Never collects: the
  // native may hold unrooted values.
  void NativeTick() {
    if (--countdown <= 0) NativePoll();
  }
  void NativePoll();             // Poll() without the collection

  // Runs frames until `entry` returns. With `throwing`, first unwinds the
  // exception in `exc` from the current frame (generator.throw()).
  Value Execute(Frame* entry, bool throwing = false);

  // Per-context state of modules (random's generator, host bindings).
  struct Extension {
    virtual ~Extension() = default;
    // Script values the extension keeps (they stay alive while the context does).
    virtual void Trace(std::vector<Value>* out) const { (void)out; }
  };
  // For the collector: the values every extension keeps.
  void TraceExtensions(std::vector<Value>* out) const;
  Extension* GetExtension(const std::string& key) const;
  void SetExtension(const std::string& key, std::unique_ptr<Extension> ext);

 private:
  struct Chunk {
    std::unique_ptr<Value[]> mem;
    int64_t size;
  };
  Value Run(Frame* entry);
  Frame* NewFrameSlow();
  Value* AllocSlotsSlow(int64_t n);
  void ReleaseSlotsSlow(Value* mark);
  bool Unwind(Frame* entry);  // finds a handler for `exc`; false when `entry` was popped
  void PopFrame(Frame* f);
  void ResetAfterError();
  Status Finish();  // the Status of an abnormal end; resets the context
  std::unique_ptr<ObjectPool> pool_;
  std::unique_ptr<ObjectPool> buffers_;
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0;
  Value* vs_base_ = nullptr;  // the current chunk
  Value* vs_top_ = nullptr;
  Value* vs_end_ = nullptr;
  std::vector<std::unique_ptr<Frame[]>> frame_blocks_;
  Frame* free_frames_ = nullptr;
  std::vector<std::unique_ptr<Cache[]>> caches_;
  std::vector<std::pair<std::string, std::unique_ptr<Extension>>> extensions_;
  ErrorInfo last_error_;
};

// Keeps values alive across calls back into Python from native code: values
// pushed through Keep() are GC roots until the scope ends.
class RootScope {
 public:
  explicit RootScope(VM& vm) : vm_(vm), mark_(vm.roots.size()) {}
  ~RootScope() { vm_.roots.resize(mark_); }
  RootScope(const RootScope&) = delete;
  RootScope& operator=(const RootScope&) = delete;
  Value Keep(Value v) {
    vm_.roots.push_back(v);
    return v;
  }

 private:
  VM& vm_;
  size_t mark_;
};

// Marks native code that holds unrooted values while it calls back into Python:
// no collection runs until it ends.
class NoGcScope {
 public:
  explicit NoGcScope(VM& vm) : vm_(vm) { ++vm_.native_depth; }
  ~NoGcScope() { --vm_.native_depth; }
  NoGcScope(const NoGcScope&) = delete;
  NoGcScope& operator=(const NoGcScope&) = delete;

 private:
  VM& vm_;
};

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_VM_H_
