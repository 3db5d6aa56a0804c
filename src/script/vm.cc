// VM lifecycle: construction over a shared Program, the value stack and frame
// pools, limits (cancellation, instruction budget, memory) and the public entry
// points that turn script exceptions and fatal errors into Status values.
#include "script/vm.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "script/pool.h"
#include "script/runtime.h"
#include "script/stack_guard.h"

namespace edgeflow::script {

namespace {
constexpr int64_t kPollInterval = 1024;  // ticks between polls of the cancellation token
constexpr int64_t kFirstChunkValues = 512;
constexpr int kMaxCDepth = 500;  // nested Execute() calls (natives calling back into Python)
}  // namespace

VM::VM(std::shared_ptr<const Program> prog, const Limits& lim)
    : program(std::move(prog)), limits(lim) {
  InitTypes();
  pool_ = std::make_unique<ObjectPool>();
  buffers_ = std::make_unique<ObjectPool>();
  // Collections are paced by allocation: at least 8 MiB (or an eighth of the
  // cap) between two, more when the live heap is larger. EDGEFLOW_SCRIPT_GC_STRESS=1
  // collects at every safepoint (for tests under the sanitizers).
  min_gc_threshold = std::min<int64_t>(8 << 20, limits.memory_bytes / 8);
  static const bool stress = [] {
    const char* e = std::getenv("EDGEFLOW_SCRIPT_GC_STRESS");
    return e != nullptr && e[0] == '1';
  }();
  if (stress) min_gc_threshold = 0;
  gc_threshold = min_gc_threshold;
  countdown = countdown_base = kPollInterval;
  main = New<ModuleObj>(this, Kind::kModule, T().module);
  main->name = N().__main__;
  main->program = program.get();
  main->globals.assign(program->global_names.size(), Value());
  auto it = program->global_slots.find("__name__");
  if (it != program->global_slots.end()) main->globals[it->second] = V(N().__main__);
  caches_.resize(program->codes.size());
}

VM::~VM() {
  pool_->ForEach([&](void* p, size_t) { FreeObject(this, static_cast<Object*>(p)); });
  Object* o = heap_objects;
  while (o != nullptr) {
    Object* next = o->gc_next;
    FreeObject(this, o);
    o = next;
  }
}

void VM::Write(std::string_view text) {
  if (out_fn == nullptr && out.size() + text.size() > out_cap) {
    static constexpr std::string_view kNote = "\n[output truncated]\n";
    if (out.size() < out_cap + kNote.size()) out.append(kNote);
    return;
  }
  out.append(text);
  if (out_fn != nullptr && out.size() > (64u << 10)) FlushOut();
}

void VM::FlushOut() {
  if (out_fn != nullptr && !out.empty()) {
    out_fn(out_arg, out);
    out.clear();
  }
}

VM::Extension* VM::GetExtension(const std::string& key) const {
  for (const auto& [k, e] : extensions_) {
    if (k == key) return e.get();
  }
  return nullptr;
}

void VM::TraceExtensions(std::vector<Value>* out) const {
  for (const auto& [k, e] : extensions_) e->Trace(out);
}

void VM::SetExtension(const std::string& key, std::unique_ptr<Extension> ext) {
  for (auto& [k, e] : extensions_) {
    if (k == key) {
      e = std::move(ext);
      return;
    }
  }
  extensions_.emplace_back(key, std::move(ext));
}

// ---- frames and the value stack ----

Frame* VM::NewFrameSlow() {
  if (depth >= limits.max_depth) Raise(*this, T().RecursionError, "maximum recursion depth exceeded");
  constexpr int kBlock = 32;
  frame_blocks_.push_back(std::make_unique<Frame[]>(kBlock));
  Frame* block = frame_blocks_.back().get();
  for (int i = 0; i < kBlock; ++i) {
    block[i].parent = free_frames_;
    free_frames_ = &block[i];
  }
  return NewFrame();
}

Value* VM::AllocSlotsSlow(int64_t n) {
  size_t next = chunks_.empty() ? 0 : chunk_ + 1;
  if (next < chunks_.size() && chunks_[next].size < n) chunks_.resize(next);
  if (next >= chunks_.size()) {
    int64_t size = chunks_.empty() ? kFirstChunkValues : chunks_.back().size * 2;
    if (size < n) size = n;
    chunks_.push_back({std::make_unique<Value[]>(size), size});
  }
  chunk_ = next;
  vs_base_ = chunks_[chunk_].mem.get();
  vs_top_ = vs_base_;
  vs_end_ = vs_top_ + chunks_[chunk_].size;
  Value* p = vs_top_;
  vs_top_ += n;
  return p;
}

void VM::ReleaseSlotsSlow(Value* mark) {
  if (mark == nullptr) return;
  for (;;) {
    Value* base = chunks_[chunk_].mem.get();
    if (mark >= base && mark <= base + chunks_[chunk_].size) break;
    --chunk_;
  }
  vs_base_ = chunks_[chunk_].mem.get();
  vs_top_ = mark;
  vs_end_ = vs_base_ + chunks_[chunk_].size;
}

Cache* VM::CachesFor(const Code* code) {
  if (code->ncaches == 0) return nullptr;
  auto& c = caches_[code->index];
  if (!c) c = std::make_unique<Cache[]>(code->ncaches);
  return c.get();
}

// ---- limits ----

void VM::NativePoll() {
  ticks += countdown_base - countdown;
  countdown = countdown_base = kPollInterval;
  if (limits.cancel != nullptr && limits.cancel->cancelled()) {
    RaiseFatal(*this, Status::Cancelled("script cancelled"));
  }
  if (limits.instructions >= 0 && ticks > limits.instructions) {
    RaiseFatal(*this, Status::ResourceExhausted("script instruction budget exhausted (" +
                                                std::to_string(limits.instructions) + " ticks)"));
  }
  // A collection that is due waits for the next bytecode safepoint: the next
  // allocation over the threshold requests it again (AccountSlow).
}

void VM::Poll() {
  NativePoll();
  if (heap_bytes > gc_threshold) {
    if (native_depth == 0) Collect();
    if (heap_bytes > limits.memory_bytes) {
      RaiseFatal(*this, Status::ResourceExhausted("script memory limit exceeded (" +
                                                  std::to_string(limits.memory_bytes) + " bytes)"));
    }
  }
}

// ---- entry points ----

void VM::PopFrame(Frame* f) {
  if (f->gen != nullptr) f->gen->state = 3;
  else ReleaseSlots(f->stack_mark);
  frame = f->parent;
  FreeFrame(f);
}

void VM::ResetAfterError() {
  while (frame != nullptr) PopFrame(frame);
  native_depth = 0;
  c_depth = 0;
  nest_depth = 0;
  repr_active.clear();
  roots.clear();
  handled = Value();
  reraise = false;
}

Status VM::Finish() {
  FlushOut();
  Status st;
  if (!fatal.ok()) {
    st = fatal;
    fatal = Status();
    last_error_ = {"", st.message(), st.message()};
  } else {
    Value e = exc;
    last_error_.type = std::string(TypeName(e));
    try {
      last_error_.message = ToStr(*this, e);
    } catch (...) {
      last_error_.message = "<exception str() failed>";
    }
    try {
      last_error_.traceback = FormatTraceback(*this, e);
    } catch (...) {
      last_error_.traceback = last_error_.type + ": " + last_error_.message;
    }
    st = Status(StatusCode::kFailedPrecondition, last_error_.traceback);
  }
  exc = Value();
  ResetAfterError();
  // The run's frames are gone: free its garbage now (after a memory error the
  // heap drops back to what the globals keep).
  Collect();
  return st;
}

namespace {
// Runs `body`; false when it ended by an uncaught exception (in vm.exc) or a
// fatal error (in vm.fatal).
template <typename Fn>
bool Guarded(VM& vm, Fn&& body) {
  try {
    body();
    return true;
  } catch (const PyException&) {
  } catch (const FatalError&) {
  } catch (const std::bad_alloc&) {
    vm.fatal = Status::ResourceExhausted("script memory limit exceeded (allocation failed)");
  }
  return false;
}
}  // namespace

Status VM::RunMain() {
  bool ok = Guarded(*this, [&] {
    Frame* f = NewFrame();
    const Code* code = program->codes[0].get();
    f->code = code;
    f->slots = AllocSlots(code->nslots());
    f->stack_mark = f->slots;
    for (int i = 0; i < code->nlocals + code->ncells + code->nfree; ++i) f->slots[i] = Value();
    f->sp = f->slots + code->nlocals + code->ncells + code->nfree;
    f->pc = code->insns.data();
    f->caches = CachesFor(code);
    f->entry = true;
    f->parent = frame;
    frame = f;
    Execute(f);
  });
  if (ok) {
    FlushOut();
    return Status::OK();
  }
  return Finish();
}

Result<Value> VM::SafeCall(Value callable, const std::vector<Value>& args) {
  Value result;
  bool ok = Guarded(*this, [&] {
    RootScope keep(*this);
    keep.Keep(callable);
    for (const Value& v : args) keep.Keep(v);
    std::vector<Value> copy = args;
    result = Call(*this, callable, copy.data(), static_cast<int>(copy.size()));
  });
  if (ok) {
    FlushOut();
    return result;
  }
  return Finish();
}

Status VM::Protected(const std::function<void()>& body) {
  bool ok = Guarded(*this, [&] { body(); });
  if (ok) {
    FlushOut();
    return Status::OK();
  }
  return Finish();
}

Result<Value> VM::CallGlobal(const std::string& name, const std::vector<Value>& args) {
  auto it = program->global_slots.find(name);
  if (it == program->global_slots.end() || main->globals[it->second].unbound()) {
    return Status::NotFound("script has no global '" + name + "'");
  }
  return SafeCall(main->globals[it->second], args);
}

Value VM::Execute(Frame* entry, bool throwing) {
  if (++c_depth > kMaxCDepth || StackNearlyExhausted()) {
    --c_depth;
    // The entry frame was pushed by the caller: pop it before raising.
    if (frame == entry) PopFrame(entry);
    Raise(*this, T().RecursionError, "maximum recursion depth exceeded");
  }
  struct Depth {
    int& d;
    ~Depth() { --d; }
  } guard{c_depth};
  for (;;) {
    if (throwing) {
      throwing = false;
      if (!Unwind(entry)) throw PyException{};
    }
    try {
      return Run(entry);
    } catch (const PyException&) {
      throwing = true;
    }
  }
}

}  // namespace edgeflow::script
