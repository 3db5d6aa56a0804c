// The heapq module: CPython's _heapq (heappush, heappop, heapify, heapreplace,
// heappushpop and the private max-heap variants) and heapq.py's nlargest,
// nsmallest and merge. The same comparisons run in the same order as CPython's,
// so list layouts, tie-breaking and the calls a user __lt__ sees all match.
#include <cstdio>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

// ---- sift operations (Modules/_heapqmodule.c) ----

[[noreturn]] void Changed(VM& vm) {
  Raise(vm, T().RuntimeError, "list changed size during iteration");
}

// Moves heap[pos] towards the root until its parent is not greater. `max`
// selects the max-heap order (parent < item) used by _heapify_max and friends.
void SiftDown(VM& vm, ListObj* heap, int64_t startpos, int64_t pos, bool max) {
  ValueVector& items = heap->items;
  const size_t size = items.size();
  if (pos >= static_cast<int64_t>(size)) Raise(vm, T().IndexError, "index out of range");
  while (pos > startpos) {
    int64_t parentpos = (pos - 1) >> 1;
    Value newitem = items[pos];
    Value parent = items[parentpos];
    bool lt = max ? Lt(vm, parent, newitem) : Lt(vm, newitem, parent);
    if (size != items.size()) Changed(vm);
    if (!lt) break;
    std::swap(items[parentpos], items[pos]);
    pos = parentpos;
  }
}

// Moves the smaller child up until a leaf is reached, then sifts the item
// that was at pos back down (CPython's siftup: fewer comparisons than a
// textbook sift).
void SiftUp(VM& vm, ListObj* heap, int64_t pos, bool max) {
  ValueVector& items = heap->items;
  const int64_t endpos = static_cast<int64_t>(items.size());
  const int64_t startpos = pos;
  if (pos >= endpos) Raise(vm, T().IndexError, "index out of range");
  const int64_t limit = endpos >> 1;
  while (pos < limit) {
    int64_t childpos = 2 * pos + 1;
    if (childpos + 1 < endpos) {
      Value a = items[childpos];
      Value b = items[childpos + 1];
      bool lt = max ? Lt(vm, b, a) : Lt(vm, a, b);
      if (!lt) ++childpos;
      if (endpos != static_cast<int64_t>(items.size())) Changed(vm);
    }
    std::swap(items[childpos], items[pos]);
    pos = childpos;
  }
  SiftDown(vm, heap, startpos, pos, max);
}

int64_t KeepTopBit(int64_t n) {
  int i = 0;
  while (n > 1) {
    n >>= 1;
    ++i;
  }
  return n << i;
}

void Heapify(VM& vm, ListObj* heap, bool max) {
  const int64_t n = static_cast<int64_t>(heap->items.size());
  if (n > 2500) {
    // CPython's cache-friendly order for big heaps: the same sifts (so the
    // same heap), each parent right after its two children.
    int64_t m = n >> 1;
    int64_t leftmost = KeepTopBit(m + 1) - 1;
    int64_t mhalf = m >> 1;
    auto run = [&](int64_t from, int64_t to) {
      for (int64_t i = from; i >= to; --i) {
        int64_t j = i;
        for (;;) {
          SiftUp(vm, heap, j, max);
          if (!(j & 1)) break;
          j >>= 1;
        }
      }
    };
    run(leftmost - 1, mhalf);
    run(m - 1, leftmost);
    return;
  }
  for (int64_t i = (n >> 1) - 1; i >= 0; --i) SiftUp(vm, heap, i, max);
}

void Append(VM& vm, ListObj* l, const Value& v) { ListAppend(vm, l, v); }

ListObj* HeapArg(VM& vm, const Value& v, const char* fname, bool numbered) {
  if (!IsList(v)) {
    TypeError(vm, std::string(fname) + "() argument" + (numbered ? " 1" : "") +
                      " must be list, not " + std::string(TypeName(v)));
  }
  return As<ListObj>(v);
}

Value Pop(VM& vm, ListObj* heap, bool max) {
  ValueVector& items = heap->items;
  if (items.empty()) Raise(vm, T().IndexError, "index out of range");
  Value last = items.back();
  items.pop_back();
  if (items.empty()) return last;
  Value ret = items[0];
  items[0] = last;
  SiftUp(vm, heap, 0, max);
  return ret;
}

Value Replace(VM& vm, ListObj* heap, const Value& item, bool max) {
  ValueVector& items = heap->items;
  if (items.empty()) Raise(vm, T().IndexError, "index out of range");
  Value ret = items[0];
  items[0] = item;
  SiftUp(vm, heap, 0, max);
  return ret;
}

// ---- the _heapq functions ----

Value H_heappush(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq.heappush", kw);
  CheckArgs(vm, "heappush", n, 2, 2);
  ListObj* heap = HeapArg(vm, a[0], "heappush", true);
  Append(vm, heap, a[1]);
  SiftDown(vm, heap, 0, static_cast<int64_t>(heap->items.size()) - 1, false);
  return Value::None();
}

Value H_heappop(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq.heappop", kw);
  CheckArgs(vm, "_heapq.heappop", n, 1, 1);
  return Pop(vm, HeapArg(vm, a[0], "heappop", false), false);
}

Value H_heapify(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq.heapify", kw);
  CheckArgs(vm, "_heapq.heapify", n, 1, 1);
  Heapify(vm, HeapArg(vm, a[0], "heapify", false), false);
  return Value::None();
}

Value H_heapreplace(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq.heapreplace", kw);
  CheckArgs(vm, "heapreplace", n, 2, 2);
  return Replace(vm, HeapArg(vm, a[0], "heapreplace", true), a[1], false);
}

Value H_heappushpop(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq.heappushpop", kw);
  CheckArgs(vm, "heappushpop", n, 2, 2);
  ListObj* heap = HeapArg(vm, a[0], "heappushpop", true);
  if (heap->items.empty()) return a[1];
  Value top = heap->items[0];
  if (!Lt(vm, top, a[1])) return a[1];
  return Replace(vm, heap, a[1], false);
}

Value H_heappop_max(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq._heappop_max", kw);
  CheckArgs(vm, "_heapq._heappop_max", n, 1, 1);
  return Pop(vm, HeapArg(vm, a[0], "_heappop_max", false), true);
}

Value H_heapify_max(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq._heapify_max", kw);
  CheckArgs(vm, "_heapq._heapify_max", n, 1, 1);
  Heapify(vm, HeapArg(vm, a[0], "_heapify_max", false), true);
  return Value::None();
}

Value H_heapreplace_max(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_heapq._heapreplace_max", kw);
  CheckArgs(vm, "_heapreplace_max", n, 2, 2);
  return Replace(vm, HeapArg(vm, a[0], "_heapreplace_max", true), a[1], true);
}

// ---- heapq.py's Python-level functions ----

// 'a'; 'a' and 'b'; 'a', 'b', and 'c' (CPython's format_missing).
std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += names.size() == 2 ? " and " : i + 1 == names.size() ? ", and " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

// Binds arguments as for `def fname(names[0], ..., names[npos-1], *, rest...)`
// where the first `required` are required; CPython's messages for a Python
// function's bad calls. out[i] is unbound when not given.
void BindPython(VM& vm, const char* fname, std::initializer_list<const char*> names, int npos,
                int required, Value* a, int n, TupleObj* kw, Value* out) {
  const int total = static_cast<int>(names.size());
  for (int i = 0; i < total; ++i) out[i] = Value();
  for (int i = 0; i < n && i < npos; ++i) out[i] = a[i];
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int k = 0; k < nkw; ++k) {
    std::string_view name = As<StrObj>(kw->items[k])->view();
    int found = -1;
    int i = 0;
    for (const char* pn : names) {
      if (name == pn) found = i;
      ++i;
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

Value Builtin(const char* name) {
  Value v;
  DictGetView(const_cast<DictObj*>(BuiltinsDict()), name, &v);
  return v;
}

TupleObj* Names(VM& vm, std::initializer_list<const char*> names) {
  TupleObj* t = NewTuple(&vm, static_cast<int64_t>(names.size()));
  int i = 0;
  for (const char* s : names) t->items[i++] = V(Intern(s));
  return t;
}

Value Pair(VM& vm, Value a, Value b) {
  Value items[2] = {a, b};
  return V(NewTupleFrom(&vm, items, 2));
}

Value Triple(VM& vm, Value a, Value b, Value c) {
  Value items[3] = {a, b, c};
  return V(NewTupleFrom(&vm, items, 3));
}

// heapq.nlargest / heapq.nsmallest, step for step as heapq.py (3.11). The
// input may be a generator that collects garbage while it runs: everything
// held across its steps is rooted, and the rest runs with collection disabled.
Value NBest(VM& vm, Value* a, int n, TupleObj* kw, bool largest) {
  const char* fname = largest ? "nlargest" : "nsmallest";
  Value args[3];
  BindPython(vm, fname, {"n", "iterable", "key"}, 3, 2, a, n, kw, args);
  RootScope keep(vm);
  Value count = keep.Keep(args[0]), iterable = keep.Keep(args[1]);
  Value key = keep.Keep(args[2].unbound() ? Value::None() : args[2]);

  // n == 1: min()/max() with a sentinel default.
  if (Eq(vm, count, Value::Int(1))) {
    Value it = keep.Keep(GetIter(vm, iterable));
    Value sentinel = keep.Keep(V(NewInstance(&vm, T().object)));
    TupleObj* names = Names(vm, {"default", "key"});
    keep.Keep(V(names));
    Value call_args[3] = {it, sentinel, key};
    Value r = Call(vm, Builtin(largest ? "max" : "min"), call_args, 1, names);
    ListObj* out = NewList(&vm, 0);
    if (!r.same(sentinel)) Append(vm, out, r);
    return V(out);
  }

  // n >= len(iterable): sorted()[:n].
  bool sized = true;
  int64_t size = 0;
  try {
    size = Len(vm, iterable);
  } catch (const PyException&) {
    if (!IsInstance(vm.exc, T().TypeError) && !IsInstance(vm.exc, T().AttributeError)) throw;
    vm.exc = Value();
    sized = false;
  }
  if (sized && Truthy(vm, CompareOp(vm, kGe, count, Value::Int(size)))) {
    NoGcScope no_gc(vm);
    Value call_args[3] = {iterable, key, Value::Bool(true)};
    Value sorted = Call(vm, Builtin("sorted"), call_args, 1,
                        largest ? Names(vm, {"key", "reverse"}) : Names(vm, {"key"}));
    auto* s = New<SliceObj>(&vm, Kind::kSlice, T().slice);
    s->start = Value::None();
    s->stop = count;
    s->step = Value::None();
    return ListGetSlice(vm, As<ListObj>(sorted), s);
  }

  // zip(range(n), it) / zip(range(0, -n, -1), it): n must be an integer.
  Value it = keep.Keep(GetIter(vm, iterable));
  int64_t limit = IndexValue(vm, count);
  ListObj* result = NewList(&vm, 0);
  keep.Keep(V(result));
  const bool keyed = !key.is_none();
  for (int64_t i = 0; i < limit; ++i) {
    Value elem;
    if (!NextRooted(vm, it, &elem)) break;
    NoGcScope no_gc(vm);
    Value order = Value::Int(largest ? -i : i);
    Append(vm, result,
           keyed ? Triple(vm, Call1(vm, key, elem), order, elem) : Pair(vm, elem, order));
  }
  if (result->items.empty()) return V(result);
  {
    NoGcScope no_gc(vm);
    Heapify(vm, result, !largest);
  }
  int64_t order = largest ? -limit : limit;
  Value elem;
  while (NextRooted(vm, it, &elem)) {
    NoGcScope no_gc(vm);
    // `top` is result[0][0] (rooted through result).
    Value top = As<TupleObj>(result->items[0])->items[0];
    Value k = keyed ? Call1(vm, key, elem) : elem;
    if (largest ? Lt(vm, top, k) : Lt(vm, k, top)) {
      Value entry = keyed ? Triple(vm, k, Value::Int(order), elem) : Pair(vm, k, Value::Int(order));
      Replace(vm, result, entry, !largest);
      order += largest ? -1 : 1;
    }
  }
  NoGcScope no_gc(vm);
  std::vector<Value> sorted(result->items.begin(), result->items.end());
  SortList(vm, &sorted, Value(), largest);
  result->items.assign(sorted.begin(), sorted.end());
  ListObj* out = NewList(&vm, 0);
  for (const Value& e : result->items) Append(vm, out, As<TupleObj>(e)->items[keyed ? 2 : 0]);
  return V(out);
}

Value H_nlargest(VM& vm, Value* a, int n, TupleObj* kw) { return NBest(vm, a, n, kw, true); }
Value H_nsmallest(VM& vm, Value* a, int n, TupleObj* kw) { return NBest(vm, a, n, kw, false); }

// heapq.merge is a generator in heapq.py; this iterator runs the same steps.
// Fields: a = the heap (list of [value, order, iterator] or, with a key,
// [key, order, value, iterator] lists), b = key (None for none), c = the
// iterables before the first step, then the last remaining iterator.
// i = state, k = reverse.
enum MergeState : int64_t { kMergeStart, kMergeTop, kMergeAdvance, kMergeLast, kMergeDone };

// The heap and its entries hang off the iterator (rooted), so the inputs may
// collect garbage while they produce items.
bool MergeNext(VM& vm, IterObj* it, Value* out) {
  const bool keyed = !it->b.is_none();
  const bool max = it->k != 0;
  const int last = keyed ? 3 : 2;  // index of the iterator in an entry
  const int val = keyed ? 2 : 0;   // index of the value
  try {
    for (;;) {
      switch (it->i) {
        case kMergeStart: {
          NoGcScope no_gc(vm);
          it->i = kMergeDone;
          ListObj* h = NewList(&vm, 0);
          it->a = V(h);
          auto* iterables = As<TupleObj>(it->c);
          for (int64_t order = 0; order < iterables->n; ++order) {
            Value sub = GetIter(vm, iterables->items[order]);
            Value v;
            if (!Next(vm, sub, &v)) continue;
            ListObj* entry = NewList(&vm, 0);
            if (keyed)
              Append(vm, entry, Call1(vm, it->b, v));
            else
              Append(vm, entry, v);
            Append(vm, entry, Value::Int(max ? -order : order));
            if (keyed) Append(vm, entry, v);
            Append(vm, entry, sub);
            Append(vm, h, V(entry));
          }
          it->c = Value();
          Heapify(vm, h, max);
          it->i = kMergeTop;
          break;
        }
        case kMergeTop: {
          ListObj* h = As<ListObj>(it->a);
          if (h->items.size() > 1) {
            *out = As<ListObj>(h->items[0])->items[val];
            it->i = kMergeAdvance;
            return true;
          }
          if (h->items.empty()) {
            it->i = kMergeDone;
            return false;
          }
          auto* s = As<ListObj>(h->items[0]);
          *out = s->items[val];
          it->c = s->items[last];
          it->a = Value();
          it->i = kMergeLast;
          return true;
        }
        case kMergeAdvance: {
          it->i = kMergeDone;
          ListObj* h = As<ListObj>(it->a);
          auto* s = As<ListObj>(h->items[0]);
          Value v;
          if (NextRooted(vm, s->items[last], &v)) {
            NoGcScope no_gc(vm);
            if (keyed) {
              Value k = Call1(vm, it->b, v);
              s->items[0] = k;
              s->items[2] = v;
            } else {
              s->items[0] = v;
            }
            Replace(vm, h, V(s), max);
            *out = As<ListObj>(h->items[0])->items[val];
            it->i = kMergeAdvance;
            return true;
          }
          {
            NoGcScope no_gc(vm);
            Pop(vm, h, max);
          }
          it->i = kMergeTop;
          break;
        }
        case kMergeLast: {
          it->i = kMergeDone;
          if (!NextRooted(vm, it->c, out)) {
            it->c = Value();
            return false;
          }
          it->i = kMergeLast;
          return true;
        }
        default:
          return false;
      }
    }
  } catch (const PyException&) {
    it->i = kMergeDone;
    throw;
  }
}

ClassObj* g_generator_cls = nullptr;  // merge() objects: "generator", as in CPython

Value MergeRepr(VM& vm, Value* a, int n, TupleObj*) {
  if (n < 1 || !IsObj(a[0], Kind::kIter) || a[0].o->cls != g_generator_cls) {
    TypeError(vm, "descriptor '__repr__' requires a 'generator' object");
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "<generator object merge at 0x%llx>",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(a[0].o)));
  return Str(vm, buf);
}

Value H_merge(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  BindPython(vm, "merge", {"key", "reverse"}, 0, 0, a + n, 0, kw, opts);
  IterObj* it = NewIter(&vm, "generator", MergeNext);
  it->cls = g_generator_cls;
  RootScope keep(vm);
  keep.Keep(V(it));
  it->b = opts[0].unbound() ? Value::None() : opts[0];
  it->k = !opts[1].unbound() && Truthy(vm, opts[1]);
  it->c = V(NewTupleFrom(&vm, a, n));
  it->i = kMergeStart;
  return V(it);
}

}  // namespace

ModuleObj* MakeHeapqModule() {
  ModuleObj* m = NewLibraryModule("heapq");
  AddFunction(m, "heappush", H_heappush);
  AddFunction(m, "heappop", H_heappop);
  AddFunction(m, "heapify", H_heapify);
  AddFunction(m, "heapreplace", H_heapreplace);
  AddFunction(m, "heappushpop", H_heappushpop);
  AddFunction(m, "_heappop_max", H_heappop_max);
  AddFunction(m, "_heapify_max", H_heapify_max);
  AddFunction(m, "_heapreplace_max", H_heapreplace_max);
  AddFunction(m, "nlargest", H_nlargest);
  AddFunction(m, "nsmallest", H_nsmallest);
  AddFunction(m, "merge", H_merge);
  // A class that is not an attribute of the module (heapq has no `generator`).
  auto* gen = New<ClassObj>(nullptr, Kind::kClass, T().type);
  gen->name = Intern("generator");
  gen->base = T().iterator;
  gen->dict = NewDict(nullptr);
  gen->layout = Kind::kIter;
  gen->is_builtin = true;
  AddNative(gen->dict, "__repr__", MergeRepr);
  g_generator_cls = gen;
  return m;
}

}  // namespace edgeflow::script
