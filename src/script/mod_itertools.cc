// The itertools module: every iterator type of CPython 3.11's itertools
// (count, cycle, repeat, accumulate, chain, compress, dropwhile, takewhile,
// filterfalse, groupby, islice, starmap, tee, zip_longest, product,
// permutations, combinations, combinations_with_replacement, pairwise) as
// classes whose instances are native iterators. Each next function follows
// Modules/itertoolsmodule.c step for step: the same items are pulled from the
// inputs in the same order, so side effects and shared-iterator behaviour match.
#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

enum IterType {
  kCount,
  kCycle,
  kRepeat,
  kAccumulate,
  kChain,
  kCompress,
  kDropwhile,
  kTakewhile,
  kFilterfalse,
  kGroupby,
  kGrouper,
  kIslice,
  kStarmap,
  kTee,
  kZipLongest,
  kProduct,
  kPermutations,
  kCombinations,
  kCwr,
  kPairwise,
  kNumTypes
};

// Class names (the attribute of the module) and the names iterator reprs use.
const char* const kClassNames[kNumTypes] = {"count",
                                            "cycle",
                                            "repeat",
                                            "accumulate",
                                            "chain",
                                            "compress",
                                            "dropwhile",
                                            "takewhile",
                                            "filterfalse",
                                            "groupby",
                                            "_grouper",
                                            "islice",
                                            "starmap",
                                            "_tee",
                                            "zip_longest",
                                            "product",
                                            "permutations",
                                            "combinations",
                                            "combinations_with_replacement",
                                            "pairwise"};
const char* const kReprNames[kNumTypes] = {"itertools.count",
                                           "itertools.cycle",
                                           "itertools.repeat",
                                           "itertools.accumulate",
                                           "itertools.chain",
                                           "itertools.compress",
                                           "itertools.dropwhile",
                                           "itertools.takewhile",
                                           "itertools.filterfalse",
                                           "itertools.groupby",
                                           "itertools._grouper",
                                           "itertools.islice",
                                           "itertools.starmap",
                                           "itertools._tee",
                                           "itertools.zip_longest",
                                           "itertools.product",
                                           "itertools.permutations",
                                           "itertools.combinations",
                                           "itertools.combinations_with_replacement",
                                           "itertools.pairwise"};

// Written once by MakeItertoolsModule (under the library lock), read-only after.
ClassObj* g_classes[kNumTypes];

IterObj* MakeIter(VM& vm, IterType type, IterNextFn next) {
  IterObj* it = NewIter(&vm, kReprNames[type], next);
  it->cls = g_classes[type];
  return it;
}

bool IsType(const Value& v, IterType type) {
  return IsObj(v, Kind::kIter) && v.o->cls == g_classes[type];
}

// The receiver of a method in one of these classes' dicts; anything can be
// passed to them (type(it).__repr__(5)), so it is checked.
IterObj* Receiver(VM& vm, Value* a, int n, IterType type, const char* method) {
  std::string cls = kReprNames[type];
  if (n < 1) {
    TypeError(vm,
              "descriptor '" + std::string(method) + "' of '" + cls + "' object needs an argument");
  }
  if (!IsType(a[0], type)) {
    TypeError(vm, "descriptor '" + std::string(method) + "' requires a '" + cls +
                      "' object but received a '" + std::string(TypeName(a[0])) + "'");
  }
  return As<IterObj>(a[0]);
}

// ---- argument parsing with CPython's messages ----

// PyArg_UnpackTuple / _PyArg_CheckPositional: "f expected 2 arguments, got 1".
void Unpack(VM& vm, const char* fname, int n, int min, int max) {
  if (n >= min && n <= max) return;
  int want = n < min ? min : max;
  std::string how = min == max ? "" : n < min ? "at least " : "at most ";
  TypeError(vm, std::string(fname) + " expected " + how + std::to_string(want) + " argument" +
                    (want == 1 ? "" : "s") + ", got " + std::to_string(n));
}

// Argument Clinic / PyArg_ParseTupleAndKeywords for `f(names...)` where the
// first `maxpos` may be positional and the first `required` are required.
void Clinic(VM& vm, const char* fname, std::initializer_list<const char*> names, int maxpos,
            int required, Value* a, int n, TupleObj* kw, Value* out) {
  const int maxargs = static_cast<int>(names.size());
  const std::string f = std::string(fname) + "()";
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int i = 0; i < maxargs; ++i) out[i] = Value();
  if (n + nkw > maxargs) {
    TypeError(vm, f + " takes at most " + std::to_string(maxargs) + " " +
                      (n == 0 ? "keyword " : "") + "argument" + (maxargs == 1 ? "" : "s") + " (" +
                      std::to_string(n + nkw) + " given)");
  }
  if (n > maxpos) {
    TypeError(vm, f + " takes " + (required < maxpos ? "at most " : "exactly ") +
                      std::to_string(maxpos) + " positional argument" + (maxpos == 1 ? "" : "s") +
                      " (" + std::to_string(n) + " given)");
  }
  for (int i = 0; i < n; ++i) out[i] = a[i];
  std::vector<bool> used(nkw, false);
  for (int i = n; i < maxargs; ++i) {
    const char* name = names.begin()[i];
    for (int k = 0; k < nkw; ++k) {
      if (As<StrObj>(kw->items[k])->view() == name) {
        out[i] = a[n + k];
        used[k] = true;
      }
    }
    if (out[i].unbound() && i < required) {
      TypeError(
          vm, f + " missing required argument '" + name + "' (pos " + std::to_string(i + 1) + ")");
    }
  }
  for (int k = 0; k < nkw; ++k) {
    if (used[k]) continue;
    std::string_view name = As<StrObj>(kw->items[k])->view();
    for (int i = 0; i < n; ++i) {
      if (name == names.begin()[i]) {
        TypeError(vm, "argument for " + f + " given by name ('" + std::string(name) +
                          "') and position (" + std::to_string(i + 1) + ")");
      }
    }
    TypeError(vm, "'" + std::string(name) + "' is an invalid keyword argument for " + f);
  }
}

bool HasIndex(const Value& v) {
  return v.is_intlike() ||
         (v.is_obj() && !v.o->cls->is_builtin && !LookupClass(v.o->cls, N().__index__).unbound());
}

TupleObj* NewIntTuple(VM& vm, int64_t n) {
  TupleObj* t = NewTuple(&vm, n);
  for (int64_t i = 0; i < n; ++i) t->items[i] = Value::Int(0);
  return t;
}

// ---- count(start=0, step=1) ----
// Fast mode (an int start, step exactly int 1): i is the counter, j == 0.
// Otherwise j == 1: a is the current value, b the step (objects, added with +).

bool CountNext(VM& vm, IterObj* it, Value* out) {
  if (it->j == 0) {
    if (it->i != INT64_MAX) {
      *out = Value::Int(it->i++);
      return true;
    }
    it->j = 1;
    it->a = Value::Int(INT64_MAX);
  }
  Value cur = it->a;
  it->a = BinaryOp(vm, kAdd, cur, it->b);
  *out = cur;
  return true;
}

bool IsNumber(const Value& v) {
  if (v.is_intlike() || v.is_float()) return true;
  if (!v.is_obj() || v.o->cls->is_builtin) return false;
  ClassObj* c = v.o->cls;
  return !LookupClass(c, N().__index__).unbound() || !LookupClass(c, N().__int__).unbound() ||
         !LookupClass(c, N().__float__).unbound();
}

Value CountCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[2];
  Clinic(vm, "count", {"start", "step"}, 2, 0, a, n, kw, v);
  Value start = v[0].unbound() ? Value::Int(0) : v[0];
  Value step = v[1].unbound() ? Value::Int(1) : v[1];
  if (!IsNumber(start) || !IsNumber(step)) TypeError(vm, "a number is required");
  IterObj* it = MakeIter(vm, kCount, CountNext);
  bool fast = start.is_intlike() && step.is_intlike() && step.i == 1;
  if (fast) {
    it->i = start.i;
  } else {
    it->j = 1;
    it->a = start;
  }
  it->b = step;
  return V(it);
}

Value CountRepr(VM& vm, Value* a, int n, TupleObj*) {
  IterObj* it = Receiver(vm, a, n, kCount, "__repr__");
  if (it->j == 0) return Str(vm, "count(" + IntToString(it->i) + ")");
  if (it->b.is_intlike() && it->b.i == 1) return Str(vm, "count(" + Repr(vm, it->a) + ")");
  return Str(vm, "count(" + Repr(vm, it->a) + ", " + Repr(vm, it->b) + ")");
}

// ---- cycle(iterable): a = the input until exhausted, b = saved items, i = index ----

bool CycleNext(VM& vm, IterObj* it, Value* out) {
  auto* saved = As<ListObj>(it->b);
  if (!it->a.unbound()) {
    if (NextRooted(vm, it->a, out)) {
      ListAppend(vm, saved, *out);
      return true;
    }
    it->a = Value();
  }
  if (saved->items.empty()) return false;
  *out = saved->items[it->i++];
  if (it->i >= static_cast<int64_t>(saved->items.size())) it->i = 0;
  return true;
}

Value CycleCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "cycle", kw);
  Unpack(vm, "cycle", n, 1, 1);
  Value inner = GetIter(vm, a[0]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, kCycle, CycleNext);
  it->a = inner;
  it->b = V(NewList(&vm, 0));
  return V(it);
}

// ---- repeat(object[, times]): a = object, i = times left (-1: forever) ----

bool RepeatNext(VM&, IterObj* it, Value* out) {
  if (it->i == 0) return false;
  if (it->i > 0) --it->i;
  *out = it->a;
  return true;
}

Value RepeatCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[2];
  Clinic(vm, "repeat", {"object", "times"}, 2, 1, a, n, kw, v);
  IterObj* it = MakeIter(vm, kRepeat, RepeatNext);
  it->a = v[0];
  it->i = -1;
  if (!v[1].unbound()) {
    int64_t times = IndexValue(vm, v[1]);
    it->i = times < 0 ? 0 : times;
  }
  return V(it);
}

Value RepeatRepr(VM& vm, Value* a, int n, TupleObj*) {
  IterObj* it = Receiver(vm, a, n, kRepeat, "__repr__");
  if (it->i < 0) return Str(vm, "repeat(" + Repr(vm, it->a) + ")");
  return Str(vm, "repeat(" + Repr(vm, it->a) + ", " + IntToString(it->i) + ")");
}

Value RepeatLengthHint(VM& vm, Value* a, int n, TupleObj*) {
  IterObj* it = Receiver(vm, a, n, kRepeat, "__length_hint__");
  if (it->i < 0) TypeError(vm, "len() of unsized object");
  return Value::Int(it->i);
}

// ---- accumulate(iterable, func=None, *, initial=None) ----
// a = input, b = func (unbound: +), c = total (unbound until the first item);
// j == 1 while c holds an initial value not yet produced.

bool AccumulateNext(VM& vm, IterObj* it, Value* out) {
  if (it->j == 1) {
    it->j = 0;
    *out = it->c;
    return true;
  }
  Value v;
  if (!NextRooted(vm, it->a, &v)) return false;
  if (it->c.unbound()) {
    it->c = v;
    *out = v;
    return true;
  }
  NoGcScope no_gc(vm);
  Value total = it->b.unbound() ? BinaryOp(vm, kAdd, it->c, v) : Call2(vm, it->b, it->c, v);
  it->c = total;
  *out = total;
  return true;
}

Value AccumulateCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[3];
  Clinic(vm, "accumulate", {"iterable", "func", "initial"}, 2, 1, a, n, kw, v);
  Value inner = GetIter(vm, v[0]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, kAccumulate, AccumulateNext);
  it->a = inner;
  if (!v[1].unbound() && !v[1].is_none()) it->b = v[1];
  if (!v[2].unbound() && !v[2].is_none()) {
    it->c = v[2];
    it->j = 1;
  }
  return V(it);
}

// ---- chain(*iterables), chain.from_iterable(iterable) ----
// a = iterator over the iterables (unbound when done), b = the active iterator.

bool ChainNext(VM& vm, IterObj* it, Value* out) {
  while (!it->a.unbound()) {
    if (it->b.unbound()) {
      Value iterable;
      if (!NextRooted(vm, it->a, &iterable)) {
        it->a = Value();
        return false;
      }
      try {
        it->b = GetIter(vm, iterable);
      } catch (const PyException&) {
        it->a = Value();
        throw;
      }
    }
    if (NextRooted(vm, it->b, out)) return true;
    it->b = Value();
  }
  return false;
}

Value ChainCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "chain", kw);
  Value source = GetIter(vm, V(NewTupleFrom(&vm, a, n)));
  RootScope keep(vm);
  keep.Keep(source);
  IterObj* it = MakeIter(vm, kChain, ChainNext);
  it->a = source;
  return V(it);
}

Value ChainFromIterable(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "chain.from_iterable", kw);
  if (n < 1 || !IsClass(a[0])) TypeError(vm, "from_iterable() needs a class as its first argument");
  CheckArgs(vm, "chain.from_iterable", n - 1, 1, 1);
  Value source = GetIter(vm, a[1]);
  RootScope keep(vm);
  keep.Keep(source);
  IterObj* it = MakeIter(vm, kChain, ChainNext);
  it->a = source;
  return V(it);
}

// ---- compress(data, selectors): a = data, b = selectors ----
// c holds the current datum while the selector is fetched (a generator may
// collect garbage in between).

bool CompressNext(VM& vm, IterObj* it, Value* out) {
  for (;;) {
    Value selector;
    if (!NextRooted(vm, it->a, &it->c)) return false;
    if (!NextRooted(vm, it->b, &selector)) {
      it->c = Value();
      return false;
    }
    NoGcScope no_gc(vm);
    if (Truthy(vm, selector)) {
      *out = it->c;
      it->c = Value();
      return true;
    }
  }
}

Value CompressCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[2];
  Clinic(vm, "compress", {"data", "selectors"}, 2, 2, a, n, kw, v);
  RootScope keep(vm);
  Value data = keep.Keep(GetIter(vm, v[0]));
  Value selectors = keep.Keep(GetIter(vm, v[1]));
  IterObj* it = MakeIter(vm, kCompress, CompressNext);
  it->a = data;
  it->b = selectors;
  return V(it);
}

// ---- dropwhile / takewhile / filterfalse (predicate, iterable) ----
// a = input, b = predicate, k = dropwhile: started / takewhile: stopped.

// The item is unrooted only while the predicate runs (no collection then).
bool DropwhileNext(VM& vm, IterObj* it, Value* out) {
  for (;;) {
    if (!NextRooted(vm, it->a, out)) return false;
    if (it->k) return true;
    NoGcScope no_gc(vm);
    if (!Truthy(vm, Call1(vm, it->b, *out))) {
      it->k = 1;
      return true;
    }
  }
}

bool TakewhileNext(VM& vm, IterObj* it, Value* out) {
  if (it->k) return false;
  if (!NextRooted(vm, it->a, out)) return false;
  NoGcScope no_gc(vm);
  if (Truthy(vm, Call1(vm, it->b, *out))) return true;
  it->k = 1;
  return false;
}

bool FilterfalseNext(VM& vm, IterObj* it, Value* out) {
  for (;;) {
    if (!NextRooted(vm, it->a, out)) return false;
    NoGcScope no_gc(vm);
    bool ok = it->b.is_none() || (IsClass(it->b) && As<ClassObj>(it->b) == T().bool_)
                  ? Truthy(vm, *out)
                  : Truthy(vm, Call1(vm, it->b, *out));
    if (!ok) return true;
  }
}

Value PredicateCtor(VM& vm, Value* a, int n, TupleObj* kw, IterType type, const char* fname,
                    IterNextFn next) {
  NoKwargs(vm, fname, kw);
  Unpack(vm, fname, n, 2, 2);
  Value inner = GetIter(vm, a[1]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, type, next);
  it->a = inner;
  it->b = a[0];
  return V(it);
}

Value DropwhileCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return PredicateCtor(vm, a, n, kw, kDropwhile, "dropwhile", DropwhileNext);
}
Value TakewhileCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return PredicateCtor(vm, a, n, kw, kTakewhile, "takewhile", TakewhileNext);
}
Value FilterfalseCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return PredicateCtor(vm, a, n, kw, kFilterfalse, "filterfalse", FilterfalseNext);
}

// ---- groupby(iterable, key=None) ----
// groupby: a = input, b = key function (None: identity), c = a 4-slot list
// [tgtkey, currkey, currvalue, currgrouper] (unbound = NULL in CPython).
// _grouper: a = its groupby, b = its target key. Advancing the groupby makes
// older groupers stale (currgrouper no longer names them): they stop.
enum GroupSlot { kTgtKey, kCurrKey, kCurrValue, kCurrGrouper };

ValueVector& GroupState(IterObj* gb) { return As<ListObj>(gb->c)->items; }

// groupby_step: false when the input is exhausted.
bool GroupbyStep(VM& vm, IterObj* gb) {
  Value v;
  if (!NextRooted(vm, gb->a, &v)) return false;
  NoGcScope no_gc(vm);
  Value key = gb->b.is_none() ? v : Call1(vm, gb->b, v);
  ValueVector& st = GroupState(gb);
  st[kCurrValue] = v;
  st[kCurrKey] = key;
  return true;
}

bool GrouperNext(VM& vm, IterObj* it, Value* out);

// Keys live in the state list, so the input may collect garbage between
// items; comparisons run with collection disabled.
bool SameKey(VM& vm, const Value& a, const Value& b) {
  NoGcScope no_gc(vm);
  return Eq(vm, a, b);
}

bool GroupbyNext(VM& vm, IterObj* gb, Value* out) {
  GroupState(gb)[kCurrGrouper] = Value();
  for (;;) {
    ValueVector& st = GroupState(gb);
    if (st[kCurrKey].unbound()) {
      // pass: fetch the first item of the next group
    } else if (st[kTgtKey].unbound()) {
      break;
    } else if (!SameKey(vm, st[kTgtKey], st[kCurrKey])) {
      break;
    }
    if (!GroupbyStep(vm, gb)) return false;
  }
  ValueVector& st = GroupState(gb);
  st[kTgtKey] = st[kCurrKey];
  IterObj* grouper = MakeIter(vm, kGrouper, GrouperNext);
  grouper->a = V(gb);
  grouper->b = st[kTgtKey];
  st[kCurrGrouper] = V(grouper);
  Value items[2] = {st[kCurrKey], V(grouper)};
  *out = V(NewTupleFrom(&vm, items, 2));
  return true;
}

bool GrouperNext(VM& vm, IterObj* it, Value* out) {
  auto* gb = As<IterObj>(it->a);
  if (!GroupState(gb)[kCurrGrouper].same(V(it))) return false;
  if (GroupState(gb)[kCurrValue].unbound()) {
    if (!GroupbyStep(vm, gb)) return false;
  }
  if (!SameKey(vm, it->b, GroupState(gb)[kCurrKey])) return false;
  ValueVector& st = GroupState(gb);
  *out = st[kCurrValue];
  st[kCurrValue] = Value();
  st[kCurrKey] = Value();
  return true;
}

Value GroupbyCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value v[2];
  Clinic(vm, "groupby", {"iterable", "key"}, 2, 1, a, n, kw, v);
  RootScope keep(vm);
  Value inner = keep.Keep(GetIter(vm, v[0]));
  ListObj* st = NewList(&vm, 4);
  keep.Keep(V(st));
  IterObj* it = MakeIter(vm, kGroupby, GroupbyNext);
  it->a = inner;
  it->b = v[1].unbound() ? Value::None() : v[1];
  it->c = V(st);
  return V(it);
}

// ---- islice(iterable, stop) / islice(iterable, start, stop[, step]) ----
// a = input (unbound once done), b = stop (int, -1: none), i = items consumed,
// j = index of the next item to produce, k = step.

bool IsliceNext(VM& vm, IterObj* it, Value* out) {
  if (it->a.unbound()) return false;
  const int64_t stop = it->b.i;
  Value item;
  while (it->i < it->j) {
    if (!NextRooted(vm, it->a, &item)) {
      it->a = Value();
      return false;
    }
    ++it->i;
  }
  if (stop != -1 && it->i >= stop) {
    it->a = Value();
    return false;
  }
  if (!NextRooted(vm, it->a, out)) {
    it->a = Value();
    return false;
  }
  ++it->i;
  int64_t oldnext = it->j;
  it->j = static_cast<int64_t>(static_cast<uint64_t>(it->j) + static_cast<uint64_t>(it->k));
  if (it->j < oldnext || (stop != -1 && it->j > stop)) it->j = stop;
  return true;
}

// PyNumber_AsSsize_t with the error cleared: -1 when v has no __index__.
int64_t SsizeOrMinusOne(VM& vm, const Value& v) {
  if (!HasIndex(v)) return -1;
  return IndexValue(vm, v);
}

Value IsliceCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "islice", kw);
  Unpack(vm, "islice", n, 2, 4);
  int64_t start = 0, stop = -1, step = 1;
  const char* kStopMsg =
      "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
  if (n == 2) {
    if (!a[1].is_none()) {
      stop = SsizeOrMinusOne(vm, a[1]);
      if (stop == -1) ValueError(vm, kStopMsg);
    }
  } else {
    if (!a[1].is_none()) start = SsizeOrMinusOne(vm, a[1]);
    if (!a[2].is_none()) {
      stop = SsizeOrMinusOne(vm, a[2]);
      if (stop == -1) ValueError(vm, kStopMsg);
    }
  }
  if (start < 0 || stop < -1) {
    ValueError(vm, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
  }
  if (n == 4 && !a[3].is_none()) step = SsizeOrMinusOne(vm, a[3]);
  if (step < 1) ValueError(vm, "Step for islice() must be a positive integer or None.");
  Value inner = GetIter(vm, a[0]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, kIslice, IsliceNext);
  it->a = inner;
  it->b = Value::Int(stop);
  it->j = start;
  it->k = step;
  return V(it);
}

// ---- starmap(function, iterable): a = function, b = input ----

bool StarmapNext(VM& vm, IterObj* it, Value* out) {
  NoGcScope no_gc(vm);
  Value args;
  if (!NextRooted(vm, it->b, &args)) return false;
  TupleObj* t = IsTuple(args) && args.o->cls == T().tuple ? As<TupleObj>(args) : ToTuple(vm, args);
  *out = Call(vm, it->a, t->items, static_cast<int>(t->n));
  return true;
}

Value StarmapCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "starmap", kw);
  Unpack(vm, "starmap", n, 2, 2);
  Value inner = GetIter(vm, a[1]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, kStarmap, StarmapNext);
  it->a = a[0];
  it->b = inner;
  return V(it);
}

// ---- tee(iterable, n=2) ----
// The tees of one input share a chain of blocks (CPython's teedataobject):
// a block is a list [next block or None, the input, up to kLinkCells items].
// A _tee is a = its current block, i = its index in it; blocks no tee can
// reach any more are collected.
constexpr int64_t kLinkCells = 57;

bool TeeNext(VM& vm, IterObj* it, Value* out) {
  auto* blk = As<ListObj>(it->a);
  if (it->i >= kLinkCells) {
    if (blk->items[0].is_none()) {
      ListObj* nb = NewList(&vm, 0);
      ListAppend(vm, nb, Value::None());
      ListAppend(vm, nb, blk->items[1]);
      blk->items[0] = V(nb);
    }
    it->a = blk->items[0];
    it->i = 0;
    blk = As<ListObj>(it->a);
  }
  int64_t numread = static_cast<int64_t>(blk->items.size()) - 2;
  if (it->i < numread) {
    *out = blk->items[2 + it->i++];
    return true;
  }
  Value v;
  if (!NextRooted(vm, blk->items[1], &v)) return false;
  ListAppend(vm, blk, v);
  ++it->i;
  *out = v;
  return true;
}

Value TeeCopy(VM& vm, const Value& tee) {
  auto* src = As<IterObj>(tee);
  IterObj* it = MakeIter(vm, kTee, TeeNext);
  it->a = src->a;
  it->i = src->i;
  return V(it);
}

Value TeeCopyMethod(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "__copy__", kw);
  Receiver(vm, a, n, kTee, "__copy__");
  CheckArgs(vm, "__copy__", n - 1, 0, 0);
  return TeeCopy(vm, a[0]);
}

Value Tee(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "itertools.tee", kw);
  Unpack(vm, "tee", n, 1, 2);
  int64_t count = n == 2 ? IndexValue(vm, a[1]) : 2;
  if (count < 0) ValueError(vm, "n must be >= 0");
  TupleObj* result = NewTuple(&vm, count);
  if (count == 0) return V(result);
  RootScope keep(vm);
  keep.Keep(V(result));
  Value inner = keep.Keep(GetIter(vm, a[0]));
  Value first;
  if (IsType(inner, kTee)) {
    first = inner;
  } else {
    ListObj* blk = NewList(&vm, 0);
    keep.Keep(V(blk));
    ListAppend(vm, blk, Value::None());
    ListAppend(vm, blk, inner);
    IterObj* it = MakeIter(vm, kTee, TeeNext);
    it->a = V(blk);
    first = V(it);
  }
  result->items[0] = first;
  for (int64_t i = 1; i < count; ++i) result->items[i] = TeeCopy(vm, first);
  return V(result);
}

// ---- zip_longest(*iterables, fillvalue=None) ----
// a = tuple of iterators (unbound once exhausted), b = fillvalue,
// i = number still active, j = 1 once finished.

bool ZipLongestNext(VM& vm, IterObj* it, Value* out) {
  auto* iters = As<TupleObj>(it->a);
  if (iters->n == 0 || it->i == 0) return false;
  NoGcScope no_gc(vm);
  TupleObj* t = NewTuple(&vm, iters->n);
  for (int64_t i = 0; i < iters->n; ++i) {
    if (iters->items[i].unbound()) {
      t->items[i] = it->b;
      continue;
    }
    bool got;
    try {
      got = NextRooted(vm, iters->items[i], &t->items[i]);
    } catch (const PyException&) {
      it->i = 0;
      throw;
    }
    if (!got) {
      if (--it->i == 0) return false;
      t->items[i] = it->b;
      iters->items[i] = Value();
    }
  }
  *out = V(t);
  return true;
}

Value ZipLongestCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value fill = Value::None();
  if (kw != nullptr && kw->n > 0) {
    if (kw->n != 1 || As<StrObj>(kw->items[0])->view() != "fillvalue") {
      TypeError(vm, "zip_longest() got an unexpected keyword argument");
    }
    fill = a[n];
  }
  TupleObj* iters = NewTuple(&vm, n);
  RootScope keep(vm);
  keep.Keep(V(iters));
  for (int i = 0; i < n; ++i) iters->items[i] = GetIter(vm, a[i]);
  IterObj* it = MakeIter(vm, kZipLongest, ZipLongestNext);
  it->a = V(iters);
  it->b = fill;
  it->i = n;
  return V(it);
}

// ---- product(*iterables, repeat=1) ----
// a = tuple of pools (tuples), b = the previous result, c = indices (ints),
// i = stopped.

bool ProductNext(VM& vm, IterObj* it, Value* out) {
  if (it->i) return false;
  auto* pools = As<TupleObj>(it->a);
  const int64_t npools = pools->n;
  TupleObj* result;
  if (it->b.unbound()) {
    result = NewTuple(&vm, npools);
    for (int64_t i = 0; i < npools; ++i) {
      auto* pool = As<TupleObj>(pools->items[i]);
      if (pool->n == 0) {
        it->i = 1;
        return false;
      }
      result->items[i] = pool->items[0];
    }
  } else {
    auto* prev = As<TupleObj>(it->b);
    result = NewTupleFrom(&vm, prev->items, npools);
    auto* indices = As<TupleObj>(it->c);
    int64_t i;
    for (i = npools - 1; i >= 0; --i) {
      auto* pool = As<TupleObj>(pools->items[i]);
      int64_t idx = indices->items[i].i + 1;
      if (idx == pool->n) {
        indices->items[i] = Value::Int(0);
        result->items[i] = pool->items[0];
      } else {
        indices->items[i] = Value::Int(idx);
        result->items[i] = pool->items[idx];
        break;
      }
    }
    if (i < 0) {
      it->i = 1;
      return false;
    }
  }
  it->b = V(result);
  *out = V(result);
  return true;
}

Value ProductCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  int64_t repeat = 1;
  if (kw != nullptr && kw->n > 0) {
    Value v[1];
    Clinic(vm, "product", {"repeat"}, 0, 0, a + n, 0, kw, v);
    repeat = IndexValue(vm, v[0]);
    if (repeat < 0) ValueError(vm, "repeat argument cannot be negative");
  }
  const int64_t nargs = repeat == 0 ? 0 : n;
  TupleObj* pools = NewTuple(&vm, nargs * repeat);
  RootScope keep(vm);
  keep.Keep(V(pools));
  for (int64_t i = 0; i < nargs; ++i) pools->items[i] = V(ToTuple(vm, a[i]));
  for (int64_t i = nargs; i < pools->n; ++i) pools->items[i] = pools->items[i - nargs];
  IterObj* it = MakeIter(vm, kProduct, ProductNext);
  it->a = V(pools);
  keep.Keep(V(it));
  it->c = V(NewIntTuple(vm, pools->n));
  return V(it);
}

// ---- combinations / combinations_with_replacement / permutations ----
// a = pool (tuple), b = previous result, c = indices (ints; permutations: the
// n indices then the r cycles), i = stopped, k = r.

bool CombinationsNext(VM& vm, IterObj* it, Value* out) {
  if (it->i) return false;
  auto* pool = As<TupleObj>(it->a);
  auto* indices = As<TupleObj>(it->c);
  const int64_t n = pool->n, r = it->k;
  TupleObj* result;
  if (it->b.unbound()) {
    result = NewTuple(&vm, r);
    for (int64_t i = 0; i < r; ++i) result->items[i] = pool->items[indices->items[i].i];
  } else {
    result = NewTupleFrom(&vm, As<TupleObj>(it->b)->items, r);
    int64_t i = r - 1;
    while (i >= 0 && indices->items[i].i == i + n - r) --i;
    if (i < 0) {
      it->i = 1;
      return false;
    }
    indices->items[i] = Value::Int(indices->items[i].i + 1);
    for (int64_t j = i + 1; j < r; ++j) indices->items[j] = Value::Int(indices->items[j - 1].i + 1);
    for (; i < r; ++i) result->items[i] = pool->items[indices->items[i].i];
  }
  it->b = V(result);
  *out = V(result);
  return true;
}

bool CwrNext(VM& vm, IterObj* it, Value* out) {
  if (it->i) return false;
  auto* pool = As<TupleObj>(it->a);
  auto* indices = As<TupleObj>(it->c);
  const int64_t n = pool->n, r = it->k;
  TupleObj* result;
  if (it->b.unbound()) {
    result = NewTuple(&vm, r);
    for (int64_t i = 0; i < r; ++i) result->items[i] = n > 0 ? pool->items[0] : Value::None();
  } else {
    result = NewTupleFrom(&vm, As<TupleObj>(it->b)->items, r);
    int64_t i = r - 1;
    while (i >= 0 && indices->items[i].i == n - 1) --i;
    if (i < 0) {
      it->i = 1;
      return false;
    }
    int64_t index = indices->items[i].i + 1;
    for (; i < r; ++i) {
      indices->items[i] = Value::Int(index);
      result->items[i] = pool->items[index];
    }
  }
  it->b = V(result);
  *out = V(result);
  return true;
}

bool PermutationsNext(VM& vm, IterObj* it, Value* out) {
  if (it->i) return false;
  auto* pool = As<TupleObj>(it->a);
  Value* indices = As<TupleObj>(it->c)->items;
  const int64_t n = pool->n, r = it->k;
  Value* cycles = indices + n;
  TupleObj* result;
  if (it->b.unbound()) {
    result = NewTuple(&vm, r);
    for (int64_t i = 0; i < r; ++i) result->items[i] = pool->items[indices[i].i];
  } else {
    if (n == 0) {
      it->i = 1;
      return false;
    }
    result = NewTupleFrom(&vm, As<TupleObj>(it->b)->items, r);
    int64_t i;
    for (i = r - 1; i >= 0; --i) {
      cycles[i] = Value::Int(cycles[i].i - 1);
      if (cycles[i].i == 0) {
        Value index = indices[i];
        for (int64_t j = i; j < n - 1; ++j) indices[j] = indices[j + 1];
        indices[n - 1] = index;
        cycles[i] = Value::Int(n - i);
      } else {
        int64_t j = cycles[i].i;
        std::swap(indices[i], indices[n - j]);
        for (int64_t k = i; k < r; ++k) result->items[k] = pool->items[indices[k].i];
        break;
      }
    }
    if (i < 0) {
      it->i = 1;
      return false;
    }
  }
  it->b = V(result);
  *out = V(result);
  return true;
}

Value CombinatoricCtor(VM& vm, Value* a, int n, TupleObj* kw, IterType type) {
  const bool perm = type == kPermutations;
  const char* fname = kClassNames[type];
  Value v[2];
  Clinic(vm, fname, {"iterable", "r"}, 2, perm ? 1 : 2, a, n, kw, v);
  int64_t r = 0;
  if (!perm) r = IndexValue(vm, v[1]);
  TupleObj* pool = ToTuple(vm, v[0]);
  RootScope keep(vm);
  keep.Keep(V(pool));
  const int64_t size = pool->n;
  if (perm) {
    r = size;
    if (!v[1].unbound() && !v[1].is_none()) {
      if (!v[1].is_intlike()) TypeError(vm, "Expected int as r");
      r = v[1].i;
    }
  }
  if (r < 0) ValueError(vm, "r must be non-negative");
  IterType t = type;
  IterNextFn next = type == kCombinations ? CombinationsNext
                    : type == kCwr        ? CwrNext
                                          : PermutationsNext;
  IterObj* it = MakeIter(vm, t, next);
  keep.Keep(V(it));
  it->a = V(pool);
  it->k = r;
  if (type == kCombinations) {
    TupleObj* idx = NewIntTuple(vm, r);
    for (int64_t i = 0; i < r; ++i) idx->items[i] = Value::Int(i);
    it->c = V(idx);
    it->i = r > size;
  } else if (type == kCwr) {
    it->c = V(NewIntTuple(vm, r));
    it->i = size == 0 && r > 0;
  } else {
    int64_t ncycles = r > size ? 0 : r;
    TupleObj* idx = NewIntTuple(vm, size + ncycles);
    for (int64_t i = 0; i < size; ++i) idx->items[i] = Value::Int(i);
    for (int64_t i = 0; i < ncycles; ++i) idx->items[size + i] = Value::Int(size - i);
    it->c = V(idx);
    it->i = r > size;
  }
  return V(it);
}

Value CombinationsCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return CombinatoricCtor(vm, a, n, kw, kCombinations);
}
Value CwrCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return CombinatoricCtor(vm, a, n, kw, kCwr);
}
Value PermutationsCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  return CombinatoricCtor(vm, a, n, kw, kPermutations);
}

// ---- pairwise(iterable): a = input (unbound once done), b = the previous item ----

bool PairwiseNext(VM& vm, IterObj* it, Value* out) {
  if (it->a.unbound()) return false;
  if (it->b.unbound()) {
    Value first;
    if (!NextRooted(vm, it->a, &first)) {
      it->a = Value();
      return false;
    }
    it->b = first;
  }
  Value next;
  if (!NextRooted(vm, it->a, &next)) {
    it->a = Value();
    it->b = Value();
    return false;
  }
  Value items[2] = {it->b, next};
  *out = V(NewTupleFrom(&vm, items, 2));
  it->b = next;
  return true;
}

Value PairwiseCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "pairwise", kw);
  Unpack(vm, "pairwise", n, 1, 1);
  Value inner = GetIter(vm, a[0]);
  RootScope keep(vm);
  keep.Keep(inner);
  IterObj* it = MakeIter(vm, kPairwise, PairwiseNext);
  it->a = inner;
  return V(it);
}

Value NoCtor(VM& vm, Value*, int, TupleObj*) {
  TypeError(vm, "cannot create 'itertools._grouper' instances");
}

Value TeeCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "_tee", kw);
  Unpack(vm, "_tee", n, 1, 1);
  Value args[2] = {a[0], Value::Int(1)};
  return As<TupleObj>(Tee(vm, args, 2, nullptr))->items[0];
}

}  // namespace

ModuleObj* MakeItertoolsModule() {
  ModuleObj* m = NewLibraryModule("itertools");
  const NativeFn ctors[kNumTypes] = {
      CountCtor,    CycleCtor,        RepeatCtor,       AccumulateCtor,  ChainCtor,
      CompressCtor, DropwhileCtor,    TakewhileCtor,    FilterfalseCtor, GroupbyCtor,
      NoCtor,       IsliceCtor,       StarmapCtor,      TeeCtor,         ZipLongestCtor,
      ProductCtor,  PermutationsCtor, CombinationsCtor, CwrCtor,         PairwiseCtor};
  for (int t = 0; t < kNumTypes; ++t) {
    if (t == kGrouper || t == kTee) {
      // Not module attributes in CPython 3.11, but their objects say itertools.
      auto* c = New<ClassObj>(nullptr, Kind::kClass, T().type);
      c->name = Intern(kClassNames[t]);
      c->base = T().iterator;
      c->dict = NewDict(nullptr);
      c->layout = Kind::kIter;
      c->ctor = ctors[t];
      c->is_builtin = true;
      c->module_name = m->name;
      g_classes[t] = c;
      continue;
    }
    g_classes[t] = NewLibraryClass(m, kClassNames[t], T().iterator, Kind::kIter, ctors[t]);
  }
  AddNative(g_classes[kCount]->dict, "__repr__", CountRepr);
  AddNative(g_classes[kRepeat]->dict, "__repr__", RepeatRepr);
  AddNative(g_classes[kRepeat]->dict, "__length_hint__", RepeatLengthHint);
  AddClassMethod(g_classes[kChain]->dict, "from_iterable", ChainFromIterable);
  AddNative(g_classes[kTee]->dict, "__copy__", TeeCopyMethod);
  AddFunction(m, "tee", Tee);
  return m;
}

}  // namespace edgeflow::script
