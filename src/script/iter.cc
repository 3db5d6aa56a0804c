// Iteration: iter()/next() over every iterable, the builtin iterator types
// (list, tuple, range, str, dict, set, deque, reversed, callable and sequence
// iterators), and generators (send, throw, close).
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

bool DequeIterNext(VM& vm, IterObj* it, Value* out) {
  auto* d = As<DequeObj>(it->a);
  if (static_cast<int64_t>(d->items.size()) != it->j) {
    it->j = -1;
    Raise(vm, T().RuntimeError, "deque mutated during iteration");
  }
  if (it->i >= static_cast<int64_t>(d->items.size())) return false;
  *out = d->items[it->i++];
  return true;
}

bool DequeRevIterNext(VM& vm, IterObj* it, Value* out) {
  auto* d = As<DequeObj>(it->a);
  if (static_cast<int64_t>(d->items.size()) != it->j) {
    it->j = -1;
    Raise(vm, T().RuntimeError, "deque mutated during iteration");
  }
  if (it->i <= 0) return false;
  *out = d->items[--it->i];
  return true;
}

// Old-style iteration over __getitem__(0), __getitem__(1), ... until IndexError.
bool SeqIterNext(VM& vm, IterObj* it, Value* out) {
  if (it->i < 0) return false;
  try {
    *out = GetItem(vm, it->a, Value::Int(it->i++));
    return true;
  } catch (const PyException&) {
    if (IsInstance(vm.exc, T().IndexError) || IsInstance(vm.exc, T().StopIteration)) {
      vm.exc = Value();
      it->i = -1;
      return false;
    }
    throw;
  }
}

bool CallableIterNext(VM& vm, IterObj* it, Value* out) {
  if (it->i < 0) return false;
  Value v = Call0(vm, it->a);
  if (Eq(vm, v, it->b)) {
    it->i = -1;
    return false;
  }
  *out = v;
  return true;
}

bool ListRevNext(VM&, IterObj* it, Value* out) {
  auto* l = As<ListObj>(it->a);
  if (it->i >= static_cast<int64_t>(l->items.size())) it->i = -1;  // shrunk: stop
  if (it->i < 0) return false;
  *out = l->items[it->i--];
  return true;
}

bool TupleRevNext(VM&, IterObj* it, Value* out) {
  if (it->i < 0) return false;
  *out = As<TupleObj>(it->a)->items[it->i--];
  return true;
}

bool StrRevNext(VM& vm, IterObj* it, Value* out) {
  if (it->i <= 0) return false;
  auto* s = As<StrObj>(it->a);
  int64_t p = it->i - 1;
  while (p > 0 && (static_cast<unsigned char>(s->data[p]) & 0xC0) == 0x80) --p;
  int len;
  uint32_t cp = DecodeUtf8(s->data + p, &len);
  it->i = p;
  *out = CharStr(vm, cp);
  return true;
}

bool SeqRevNext(VM& vm, IterObj* it, Value* out) {
  if (it->i < 0) return false;
  *out = GetItem(vm, it->a, Value::Int(it->i--));
  return true;
}

Value IterFromUser(VM& vm, const Value& obj) {
  Value m = LookupClass(obj.o->cls, N().__iter__);
  Value it = Call1(vm, m, obj);
  if (!IsObj(it, Kind::kIter) && !IsObj(it, Kind::kGenerator) &&
      (!it.is_obj() || LookupClass(TypeOf(it), N().__next__).unbound())) {
    TypeError(vm, "iter() returned non-iterator of type '" + std::string(TypeName(it)) + "'");
  }
  return it;
}

}  // namespace

Value GetIter(VM& vm, const Value& obj) {
  if (obj.is_obj()) {
    Object* o = obj.o;
    if (!o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__iter__);
      if (IsObj(m, Kind::kFunction) || IsObj(m, Kind::kBoundMethod)) return IterFromUser(vm, obj);
      if (m.unbound() && o->kind == Kind::kInstance) {
        if (!LookupClass(o->cls, N().__getitem__).unbound()) {
          IterObj* it = NewIter(&vm, "iterator", SeqIterNext);
          it->a = obj;
          return V(it);
        }
        TypeError(vm, "'" + std::string(TypeName(obj)) + "' object is not iterable");
      }
    }
    switch (o->kind) {
      case Kind::kList: {
        IterObj* it = NewIter(&vm, "list_iterator", nullptr);
        it->small = kIterList;
        it->a = obj;
        return V(it);
      }
      case Kind::kTuple: {
        IterObj* it = NewIter(&vm, "tuple_iterator", nullptr);
        it->small = kIterTuple;
        it->a = obj;
        return V(it);
      }
      case Kind::kRange: {
        auto* r = static_cast<RangeObj*>(o);
        IterObj* it = NewIter(&vm, "range_iterator", nullptr);
        it->small = kIterRange;
        it->i = r->start;
        it->j = r->stop;
        it->k = r->step;
        return V(it);
      }
      case Kind::kStr: return StrIter(vm, static_cast<StrObj*>(o));
      case Kind::kDict: return DictIter(vm, static_cast<DictObj*>(o), 0);
      case Kind::kDictView: {
        auto* dv = static_cast<DictViewObj*>(o);
        return DictIter(vm, dv->dict, dv->which);
      }
      case Kind::kSet: return SetIter(vm, static_cast<SetObj*>(o));
      case Kind::kDeque: {
        IterObj* it = NewIter(&vm, "_collections._deque_iterator", DequeIterNext);
        it->a = obj;
        it->j = static_cast<int64_t>(static_cast<DequeObj*>(o)->items.size());
        return V(it);
      }
      case Kind::kIter:
      case Kind::kGenerator: return obj;
      default: break;
    }
    if (o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__iter__);
      if (!m.unbound() && !IsObj(m, Kind::kNative)) return Call1(vm, m, obj);
      if (IsObj(m, Kind::kNative)) return Call1(vm, m, obj);
    }
  }
  TypeError(vm, "'" + std::string(TypeName(obj)) + "' object is not iterable");
}

Value ReversedIter(VM& vm, const Value& obj) {
  if (obj.is_obj()) {
    Object* o = obj.o;
    if (!o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__reversed__);
      if (!m.unbound()) return Call1(vm, m, obj);
    }
    switch (o->kind) {
      case Kind::kList: {
        IterObj* it = NewIter(&vm, "list_reverseiterator", ListRevNext);
        it->a = obj;
        it->i = static_cast<int64_t>(static_cast<ListObj*>(o)->items.size()) - 1;
        return V(it);
      }
      case Kind::kTuple: {
        IterObj* it = NewIter(&vm, "reversed", TupleRevNext);
        it->a = obj;
        it->i = static_cast<TupleObj*>(o)->n - 1;
        return V(it);
      }
      case Kind::kRange: {
        auto* r = static_cast<RangeObj*>(o);
        int64_t n = Len(vm, obj);
        IterObj* it = NewIter(&vm, "range_iterator", nullptr);
        it->small = kIterRange;
        it->i = r->start + (n - 1) * r->step;
        it->k = -r->step;
        it->j = r->start - r->step;
        if (n == 0) it->i = it->j;
        return V(it);
      }
      case Kind::kStr: {
        IterObj* it = NewIter(&vm, "reversed", StrRevNext);
        it->a = obj;
        it->i = static_cast<StrObj*>(o)->nbytes;
        return V(it);
      }
      case Kind::kDict: return DictReversedIter(vm, static_cast<DictObj*>(o), 0);
      case Kind::kDictView: {
        auto* dv = static_cast<DictViewObj*>(o);
        return DictReversedIter(vm, dv->dict, dv->which);
      }
      case Kind::kDeque: {
        IterObj* it = NewIter(&vm, "_collections._deque_reverse_iterator", DequeRevIterNext);
        it->a = obj;
        it->j = static_cast<int64_t>(static_cast<DequeObj*>(o)->items.size());
        it->i = it->j;
        return V(it);
      }
      default: break;
    }
    if (!LookupClass(o->cls, N().__getitem__).unbound() && !LookupClass(o->cls, N().__len__).unbound() &&
        o->kind == Kind::kInstance) {
      IterObj* it = NewIter(&vm, "reversed", SeqRevNext);
      it->a = obj;
      it->i = Len(vm, obj) - 1;
      return V(it);
    }
  }
  TypeError(vm, "'" + std::string(TypeName(obj)) + "' object is not reversible");
}

Value CallableIter(VM& vm, const Value& fn, const Value& sentinel) {
  if (!Callable(fn)) TypeError(vm, "iter(v, w): v must be callable");
  IterObj* it = NewIter(&vm, "callable_iterator", CallableIterNext);
  it->a = fn;
  it->b = sentinel;
  return V(it);
}

bool NextRooted(VM& vm, const Value& itv, Value* out) {
  vm.NativeTick();
  if (IsObj(itv, Kind::kIter)) {
    auto* it = As<IterObj>(itv);
    switch (it->small) {
      case kIterList: {
        auto* l = As<ListObj>(it->a);
        if (it->i < static_cast<int64_t>(l->items.size())) {
          *out = l->items[it->i++];
          return true;
        }
        it->i = INT64_MAX;
        return false;
      }
      case kIterTuple: {
        auto* t = As<TupleObj>(it->a);
        if (it->i < t->n) {
          *out = t->items[it->i++];
          return true;
        }
        return false;
      }
      case kIterRange: {
        int64_t i = it->i;
        if (it->k > 0 ? i >= it->j : i <= it->j) return false;
        *out = Value::Int(i);
        if (__builtin_add_overflow(i, it->k, &it->i)) it->i = it->j;
        return true;
      }
      default: return it->next(vm, it, out);
    }
  }
  if (IsObj(itv, Kind::kGenerator)) {
    bool done = false;
    Value v = GeneratorSend(vm, As<GeneratorObj>(itv), Value::None(), &done);
    if (done) return false;
    *out = v;
    return true;
  }
  if (itv.is_obj()) {
    Value m = LookupClass(TypeOf(itv), N().__next__);
    if (!m.unbound()) {
      try {
        *out = Call1(vm, m, itv);
        return true;
      } catch (const PyException&) {
        if (!IsInstance(vm.exc, T().StopIteration)) throw;
        vm.exc = Value();
        return false;
      }
    }
  }
  TypeError(vm, "'" + std::string(TypeName(itv)) + "' object is not an iterator");
}

bool Next(VM& vm, const Value& iter, Value* out) {
  NoGcScope no_gc(vm);
  return NextRooted(vm, iter, out);
}

// ---- generators ----

namespace {

Frame* ResumeFrame(VM& vm, GeneratorObj* g) {
  if (g->state == 2) ValueError(vm, "generator already executing");
  Frame* f = vm.NewFrame();
  const Code* code = g->func->code;
  f->code = code;
  f->func = g->func;
  f->slots = g->slots;
  f->sp = g->slots + g->sp;
  f->pc = code->insns.data() + g->pc;
  f->gen = g;
  f->entry = true;
  f->caches = vm.CachesFor(code);
  f->parent = vm.frame;
  vm.frame = f;
  return f;
}

Value Finish(VM& vm, GeneratorObj* g, Value r, bool* done) {
  if (vm.yielded) {
    vm.yielded = false;
    *done = false;
    return r;
  }
  *done = true;
  g->state = 3;
  delete[] g->slots;
  g->slots = nullptr;
  g->sp = 0;
  g->nslots = 0;
  return r;
}

Value RunGenerator(VM& vm, GeneratorObj* g, Frame* f, bool throwing, bool* done) {
  g->state = 2;
  Value saved = vm.handled;
  Value r;
  try {
    r = vm.Execute(f, throwing);
  } catch (...) {
    g->state = 3;
    vm.handled = saved;
    throw;
  }
  vm.handled = saved;
  return Finish(vm, g, r, done);
}

}  // namespace

Value GeneratorSend(VM& vm, GeneratorObj* g, Value sent, bool* done) {
  if (g->state == 3) {
    *done = true;
    return Value::None();
  }
  if (g->state == 0 && !sent.is_none()) {
    TypeError(vm, "can't send non-None value to a just-started generator");
  }
  Frame* f = ResumeFrame(vm, g);
  if (g->state == 1) *f->sp++ = sent;
  return RunGenerator(vm, g, f, false, done);
}

Value GeneratorThrow(VM& vm, GeneratorObj* g, Value exc, bool* done) {
  if (g->state == 0 || g->state == 3) {
    g->state = 3;
    RaiseValue(vm, exc);
  }
  Frame* f = ResumeFrame(vm, g);
  vm.exc = exc;
  return RunGenerator(vm, g, f, true, done);
}

namespace {

[[noreturn]] void RaiseStop(VM& vm, Value value) {
  if (value.is_none() || value.unbound()) {
    RaiseValue(vm, MakeExceptionArgs(vm, T().StopIteration, V(NewTuple(&vm, 0))));
  }
  RaiseValue(vm, MakeExceptionArgs(vm, T().StopIteration, V(NewTupleFrom(&vm, &value, 1))));
}

GeneratorObj* SelfGen(VM& vm, const Value& v) {
  if (!IsObj(v, Kind::kGenerator)) TypeError(vm, "descriptor requires a 'generator' object");
  return As<GeneratorObj>(v);
}

Value GenSend(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "send", n - 1, 1, 1);
  GeneratorObj* g = SelfGen(vm, a[0]);
  NoGcScope no_gc(vm);
  bool done;
  Value r = GeneratorSend(vm, g, a[1], &done);
  if (done) RaiseStop(vm, r);
  return r;
}

Value GenNext(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__next__", n - 1, 0, 0);
  GeneratorObj* g = SelfGen(vm, a[0]);
  NoGcScope no_gc(vm);
  bool done;
  Value r = GeneratorSend(vm, g, Value::None(), &done);
  if (done) RaiseStop(vm, r);
  return r;
}

Value GenThrow(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "throw", n - 1, 1, 3);
  GeneratorObj* g = SelfGen(vm, a[0]);
  Value e = a[1];
  if (IsClass(e) && As<ClassObj>(e)->is_exception) {
    e = n > 2 && !a[2].is_none() ? Call1(vm, e, a[2]) : Call0(vm, e);
  } else if (!IsObj(e, Kind::kInstance) || !e.o->cls->is_exception) {
    TypeError(vm, "exceptions must be classes or instances deriving from BaseException, not " +
                      std::string(TypeName(e)));
  }
  NoGcScope no_gc(vm);
  bool done;
  Value r = GeneratorThrow(vm, g, e, &done);
  if (done) RaiseStop(vm, r);
  return r;
}

Value GenClose(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "close", n - 1, 0, 0);
  GeneratorObj* g = SelfGen(vm, a[0]);
  if (g->state == 0 || g->state == 3) {
    g->state = 3;
    return Value::None();
  }
  NoGcScope no_gc(vm);
  bool done;
  try {
    GeneratorThrow(vm, g, Call0(vm, V(T().GeneratorExit)), &done);
  } catch (const PyException&) {
    if (IsInstance(vm.exc, T().GeneratorExit) || IsInstance(vm.exc, T().StopIteration)) {
      vm.exc = Value();
      return Value::None();
    }
    throw;
  }
  if (!done) Raise(vm, T().RuntimeError, "generator ignored GeneratorExit");
  return Value::None();
}

Value SelfIter(VM&, Value* a, int, TupleObj*) { return a[0]; }

Value IterNextM(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__next__", n - 1, 0, 0);
  Value v;
  if (!Next(vm, a[0], &v)) RaiseStop(vm, Value::None());
  return v;
}

}  // namespace

void RegisterIterMethods(const BuiltinTypes& t) {
  AddNative(t.generator->dict, "send", GenSend);
  AddNative(t.generator->dict, "throw", GenThrow);
  AddNative(t.generator->dict, "close", GenClose);
  AddNative(t.generator->dict, "__next__", GenNext);
  AddNative(t.generator->dict, "__iter__", SelfIter);
  AddNative(t.iterator->dict, "__next__", IterNextM);
  AddNative(t.iterator->dict, "__iter__", SelfIter);
}

}  // namespace edgeflow::script
