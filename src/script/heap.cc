// The per-context heap: allocation of script objects, byte accounting against
// the memory cap, and a mark-and-sweep collector that runs only at safepoints
// (backward jumps and calls in the interpreter, with no native frame holding
// unrooted values), so native code never needs to root its temporaries.
#include <algorithm>
#include <new>

#include "edgeflow/script.h"

#include "script/pool.h"
#include "script/runtime.h"

namespace edgeflow::script {

Object* AllocObject(VM* vm, Kind kind, ClassObj* cls, size_t bytes) {
  size_t pooled = vm != nullptr ? ObjectPool::Rounded(bytes) : 0;
  void* mem = pooled ? vm->pool().Alloc(pooled) : ::operator new(bytes);
  // A string's text is written by its creator: only its header needs zeroing.
  std::memset(mem, 0, kind == Kind::kStr ? sizeof(StrObj) : bytes);
  Object* o;
  switch (kind) {
    case Kind::kList: o = new (mem) ListObj(vm ? &vm->buffers() : nullptr); break;
    case Kind::kDict: o = new (mem) DictObj(vm ? &vm->buffers() : nullptr); break;
    case Kind::kSet: o = new (mem) SetObj(vm ? &vm->buffers() : nullptr); break;
    case Kind::kDeque: o = new (mem) DequeObj(); break;
    case Kind::kModule: o = new (mem) ModuleObj(); break;
    case Kind::kInstance: o = new (mem) InstanceObj(); break;
    case Kind::kIter: o = new (mem) IterObj(); break;
    case Kind::kFunction: o = new (mem) FunctionObj(); break;
    case Kind::kNative: o = new (mem) NativeObj(); break;
    case Kind::kClass: o = new (mem) ClassObj(); break;
    case Kind::kTensor: o = new (mem) TensorObj(); break;
    default: o = static_cast<Object*>(mem); break;  // trivially constructible layouts
  }
  o->kind = kind;
  o->cls = cls;
  o->pool_bytes = static_cast<uint32_t>(pooled);
  if (vm == nullptr) {
    o->flags = kStatic;
  } else {
    // Pooled objects are found by sweeping the pool; large ones are listed.
    if (!pooled) {
      o->gc_next = vm->heap_objects;
      vm->heap_objects = o;
    }
    vm->Account(static_cast<int64_t>(bytes));
  }
  return o;
}

int64_t ObjectBytes(const Object* o) {
  switch (o->kind) {
    case Kind::kStr: return sizeof(StrObj) + static_cast<const StrObj*>(o)->nbytes;
    case Kind::kTuple:
      return sizeof(TupleObj) + static_cast<const TupleObj*>(o)->n * sizeof(Value);
    case Kind::kList:
      return sizeof(ListObj) + static_cast<const ListObj*>(o)->items.capacity() * sizeof(Value);
    case Kind::kDict: {
      auto* d = static_cast<const DictObj*>(o);
      return sizeof(DictObj) + d->entries.capacity() * sizeof(DictEntry) +
             d->index.heap_bytes();
    }
    case Kind::kSet:
      return sizeof(SetObj) + static_cast<const SetObj*>(o)->table.capacity() * sizeof(SetEntry);
    case Kind::kDeque:
      return sizeof(DequeObj) + static_cast<const DequeObj*>(o)->items.size() * sizeof(Value);
    case Kind::kModule: {
      auto* m = static_cast<const ModuleObj*>(o);
      return sizeof(ModuleObj) + (m->globals.capacity() + m->fallback.capacity()) * sizeof(Value);
    }
    case Kind::kGenerator:
      return sizeof(GeneratorObj) + static_cast<const GeneratorObj*>(o)->nslots * sizeof(Value);
    case Kind::kInstance: return sizeof(InstanceObj);
    case Kind::kFunction: return sizeof(FunctionObj);
    case Kind::kNative: return sizeof(NativeObj);
    case Kind::kClass: return sizeof(ClassObj);
    case Kind::kIter: return sizeof(IterObj);
    case Kind::kBoundMethod: return sizeof(BoundMethodObj);
    case Kind::kCell: return sizeof(CellObj);
    case Kind::kRange: return sizeof(RangeObj);
    case Kind::kSlice: return sizeof(SliceObj);
    case Kind::kCode: return sizeof(CodeObj);
    case Kind::kSuper: return sizeof(SuperObj);
    case Kind::kProperty: return sizeof(PropertyObj);
    case Kind::kStaticMethod:
    case Kind::kClassMethod: return sizeof(WrapperObj);
    case Kind::kDictView: return sizeof(DictViewObj);
    case Kind::kTensor: {
      auto* t = static_cast<const TensorObj*>(o);
      return static_cast<int64_t>(sizeof(TensorObj) + (t->t ? t->t->bytes() : 0));
    }
    case Kind::kHost: {
      auto* h = static_cast<const HostObj*>(o);
      return sizeof(HostObj) + (h->data ? h->data->bytes() : 0);
    }
  }
  return sizeof(Object);
}

void FreeObject(VM* vm, Object* o) {
  uint32_t pooled = o->pool_bytes;
  switch (o->kind) {
    case Kind::kList: static_cast<ListObj*>(o)->~ListObj(); break;
    case Kind::kDict: static_cast<DictObj*>(o)->~DictObj(); break;
    case Kind::kSet: static_cast<SetObj*>(o)->~SetObj(); break;
    case Kind::kDeque: static_cast<DequeObj*>(o)->~DequeObj(); break;
    case Kind::kModule: static_cast<ModuleObj*>(o)->~ModuleObj(); break;
    case Kind::kInstance: {
      auto* in = static_cast<InstanceObj*>(o);
      delete in->tb;
      in->~InstanceObj();
      break;
    }
    case Kind::kGenerator: delete[] static_cast<GeneratorObj*>(o)->slots; break;
    case Kind::kHost: delete static_cast<HostObj*>(o)->data; break;
    case Kind::kTensor: static_cast<TensorObj*>(o)->~TensorObj(); break;
    case Kind::kIter: static_cast<IterObj*>(o)->~IterObj(); break;
    case Kind::kFunction: static_cast<FunctionObj*>(o)->~FunctionObj(); break;
    case Kind::kNative: static_cast<NativeObj*>(o)->~NativeObj(); break;
    case Kind::kClass: static_cast<ClassObj*>(o)->~ClassObj(); break;
    default: break;
  }
  if (pooled != 0 && vm != nullptr) vm->pool().Free(o, pooled);
  else ::operator delete(o);
}

StrObj* NewStrAscii(VM* vm, std::string_view s) {
  auto* o = New<StrObj>(vm, Kind::kStr, T().str, sizeof(StrObj) + s.size());
  o->nbytes = static_cast<int64_t>(s.size());
  o->ncp = o->nbytes;
  o->ascii = true;
  if (!s.empty()) std::memcpy(o->data, s.data(), s.size());
  o->data[s.size()] = 0;
  if (vm == nullptr) {
    o->hash = HashBytes(s);
    o->hashed = true;
  }
  return o;
}

StrObj* NewStr(VM* vm, std::string_view s) {
  int64_t ncp = 0;
  for (unsigned char c : s) ncp += (c & 0xC0) != 0x80;
  StrObj* o = NewStrAscii(vm, s);
  o->ncp = ncp;
  o->ascii = ncp == o->nbytes;
  return o;
}

TupleObj* NewTuple(VM* vm, int64_t n) {
  auto* t = New<TupleObj>(vm, Kind::kTuple, T().tuple, sizeof(TupleObj) + n * sizeof(Value));
  t->n = n;
  return t;
}

TupleObj* NewTupleFrom(VM* vm, const Value* items, int64_t n) {
  TupleObj* t = NewTuple(vm, n);
  for (int64_t i = 0; i < n; ++i) t->items[i] = items[i];
  return t;
}

ListObj* NewList(VM* vm, int64_t n) {
  auto* l = New<ListObj>(vm, Kind::kList, T().list);
  if (n > 0) {
    l->items.resize(n);
    if (vm) vm->Account(n * sizeof(Value));
  }
  return l;
}

DictObj* NewDict(VM* vm) { return New<DictObj>(vm, Kind::kDict, T().dict); }

SetObj* NewSet(VM* vm, bool frozen) {
  auto* s = New<SetObj>(vm, Kind::kSet, frozen ? T().frozenset : T().set);
  s->table.resize(8);
  if (vm) vm->Account(8 * sizeof(SetEntry));
  return s;
}

NativeObj* NewNative(VM* vm, const char* name, NativeFn fn, Value self) {
  auto* n = New<NativeObj>(vm, Kind::kNative, T().builtin_function);
  n->fn = fn;
  n->name = name;
  n->self = self;
  return n;
}

IterObj* NewIter(VM* vm, const char* type_name, IterNextFn next) {
  auto* it = New<IterObj>(vm, Kind::kIter, T().iterator);
  it->next = next;
  it->type_name = type_name;
  return it;
}

CellObj* NewCell(VM* vm, Value v) {
  auto* c = New<CellObj>(vm, Kind::kCell, T().cell);
  c->v = v;
  return c;
}

HostObj* NewHost(VM* vm, ClassObj* cls, HostData* data) {
  auto* h = New<HostObj>(vm, Kind::kHost, cls);
  h->data = data;
  if (vm && data) vm->Account(data->bytes());
  return h;
}

InstanceObj* NewInstance(VM* vm, ClassObj* cls) {
  auto* in = New<InstanceObj>(vm, Kind::kInstance, cls);
  in->dict = NewDict(vm);
  return in;
}

// ---- collector ----

namespace {

struct Marker {
  std::vector<Object*> stack;
  void Mark(Object* o) {
    if (o == nullptr || (o->flags & (kMarked | kStatic))) return;
    o->flags |= kMarked;
    // Strings and ranges reference nothing but their (static) class.
    if (o->kind == Kind::kStr || o->kind == Kind::kRange) return;
    stack.push_back(o);
  }
  void Mark(const Value& v) {
    if (v.tag == Tag::kObj) Mark(v.o);
  }
  void Trace(Object* o) {
    Mark(o->cls);
    switch (o->kind) {
      case Kind::kTuple: {
        auto* t = static_cast<TupleObj*>(o);
        for (int64_t i = 0; i < t->n; ++i) Mark(t->items[i]);
        break;
      }
      case Kind::kList:
        for (const Value& v : static_cast<ListObj*>(o)->items) Mark(v);
        break;
      case Kind::kDict: {
        auto* d = static_cast<DictObj*>(o);
        for (const DictEntry& e : d->entries) {
          Mark(e.key);
          Mark(e.value);
        }
        Mark(d->default_factory);
        break;
      }
      case Kind::kSet:
        for (const SetEntry& e : static_cast<SetObj*>(o)->table) Mark(e.key);
        break;
      case Kind::kFunction: {
        auto* f = static_cast<FunctionObj*>(o);
        Mark(f->module);
        Mark(f->defaults);
        Mark(f->kwdefaults);
        Mark(f->closure);
        Mark(f->dict);
        Mark(f->qualname);
        break;
      }
      case Kind::kNative: {
        auto* n = static_cast<NativeObj*>(o);
        Mark(n->self);
        Mark(n->data);
        Mark(n->data2);
        break;
      }
      case Kind::kBoundMethod: {
        auto* b = static_cast<BoundMethodObj*>(o);
        Mark(b->self);
        Mark(b->func);
        break;
      }
      case Kind::kClass: {
        auto* c = static_cast<ClassObj*>(o);
        Mark(c->name);
        Mark(c->base);
        Mark(c->dict);
        Mark(c->module_name);
        break;
      }
      case Kind::kInstance: {
        auto* in = static_cast<InstanceObj*>(o);
        Mark(in->dict);
        Mark(in->args);
        Mark(in->cause);
        Mark(in->context);
        break;
      }
      case Kind::kCell: Mark(static_cast<CellObj*>(o)->v); break;
      case Kind::kSlice: {
        auto* s = static_cast<SliceObj*>(o);
        Mark(s->start);
        Mark(s->stop);
        Mark(s->step);
        break;
      }
      case Kind::kIter: {
        auto* it = static_cast<IterObj*>(o);
        Mark(it->a);
        Mark(it->b);
        Mark(it->c);
        break;
      }
      case Kind::kGenerator: {
        auto* g = static_cast<GeneratorObj*>(o);
        Mark(g->func);
        if (g->state != 2) {  // a running generator's slots are scanned via its frame
          for (int64_t i = 0; i < g->sp && i < g->nslots; ++i) Mark(g->slots[i]);
        }
        break;
      }
      case Kind::kModule: {
        auto* m = static_cast<ModuleObj*>(o);
        Mark(m->name);
        for (const Value& v : m->globals) Mark(v);
        Mark(m->dict);
        break;
      }
      case Kind::kSuper: {
        auto* s = static_cast<SuperObj*>(o);
        Mark(s->start);
        Mark(s->self);
        break;
      }
      case Kind::kProperty: {
        auto* p = static_cast<PropertyObj*>(o);
        Mark(p->fget);
        Mark(p->fset);
        break;
      }
      case Kind::kStaticMethod:
      case Kind::kClassMethod: Mark(static_cast<WrapperObj*>(o)->func); break;
      case Kind::kDictView: Mark(static_cast<DictViewObj*>(o)->dict); break;
      case Kind::kDeque:
        for (const Value& v : static_cast<DequeObj*>(o)->items) Mark(v);
        break;
      case Kind::kHost: {
        auto* h = static_cast<HostObj*>(o);
        if (h->data != nullptr) {
          std::vector<Value> held;
          h->data->Trace(&held);
          for (const Value& v : held) Mark(v);
        }
        break;
      }
      default: break;
    }
  }
  void Drain() {
    while (!stack.empty()) {
      Object* o = stack.back();
      stack.pop_back();
      Trace(o);
    }
  }
};

}  // namespace

void VM::Collect() {
  ++gc_stats.collections;
  if (heap_bytes > peak_bytes) peak_bytes = heap_bytes;
  Marker m;
  m.Mark(main);
  for (auto& [name, mod] : modules) m.Mark(mod);
  for (const Value& v : roots) m.Mark(v);
  {
    std::vector<Value> ext;
    TraceExtensions(&ext);
    for (const Value& v : ext) m.Mark(v);
  }
  m.Mark(exc);
  m.Mark(handled);
  for (Frame* f = frame; f != nullptr; f = f->parent) {
    m.Mark(f->func);
    m.Mark(f->gen);
    m.Mark(f->locals_dict);
    m.Mark(f->init_self);
    for (Value* p = f->slots; p < f->sp; ++p) m.Mark(*p);
  }
  m.Drain();
  // Inline caches hold unmarked class pointers: a new epoch invalidates them all.
  ++class_epoch;
  int64_t live = 0;
  pool_->ForEach([&](void* p, size_t) {
    Object* o = static_cast<Object*>(p);
    if (o->flags & kMarked) {
      o->flags &= ~kMarked;
      live += ObjectBytes(o);
      ++gc_stats.survivors;
    } else {
      ++gc_stats.freed;
      FreeObject(this, o);
    }
  });
  Object** link = &heap_objects;
  while (Object* o = *link) {
    if (o->flags & kMarked) {
      o->flags &= ~kMarked;
      live += ObjectBytes(o);
      link = &o->gc_next;
      ++gc_stats.survivors;
    } else {
      ++gc_stats.freed;
      *link = o->gc_next;
      FreeObject(this, o);
    }
  }
  heap_bytes = live;
  // The next collection after as much new allocation as is live now (at least
  // min_gc_threshold): the collector's work stays proportional to allocation.
  int64_t next = live + std::max(live, min_gc_threshold);
  int64_t soft = limits.memory_bytes - limits.memory_bytes / 4;
  if (next > soft) next = soft > live ? soft : live + (limits.memory_bytes - live) / 2;
  gc_threshold = next;
}

void CheckRoom(VM& vm, int64_t count, int64_t unit_bytes) {
  if (count <= 0 || unit_bytes <= 0) return;
  // The same bound as AccountSlow's: what passes it would end the run once
  // built anyway, while garbage the next collection frees may still be counted.
  int64_t limit = vm.limits.memory_bytes + vm.limits.memory_bytes / 8 + (1 << 20);
  int64_t bytes;  // (no division: this runs per item in repr and json.dumps)
  if (__builtin_mul_overflow(count, unit_bytes, &bytes) || bytes > limit - vm.heap_bytes) {
    Raise(vm, T().MemoryError, "");
  }
}

void VM::AccountSlow(int64_t bytes) {
  if (heap_bytes > peak_bytes) peak_bytes = heap_bytes;
  if (countdown > 0) RequestPoll();  // collect at the next safepoint
  // Past the cap, the next safepoint collects and ends the run if still over;
  // a large overshoot ends it right away.
  if (bytes > 0 && heap_bytes > limits.memory_bytes + limits.memory_bytes / 8 + (1 << 20)) {
    RaiseFatal(*this, Status::ResourceExhausted("script memory limit exceeded (" +
                                                std::to_string(limits.memory_bytes) + " bytes)"));
  }
}

}  // namespace edgeflow::script
