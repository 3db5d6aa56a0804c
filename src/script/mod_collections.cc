// The collections module: defaultdict, Counter and OrderedDict (dicts with a
// different class) and deque. Their repr and item access live with the dict
// and sequence code (format.cc, containers.cc); this file holds constructors
// and methods.
#include <algorithm>
#include <utility>
#include <vector>

#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

// ---- defaultdict ----

Value DefaultdictCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  DictObj* d = NewDict(&vm);
  d->cls = T().defaultdict;
  RootScope keep(vm);
  keep.Keep(V(d));
  if (n >= 1) {
    if (!a[0].is_none() && !Callable(a[0])) TypeError(vm, "first argument must be callable or None");
    d->default_factory = a[0];
  } else {
    d->default_factory = Value::None();
  }
  if (n > 2) TypeError(vm, "defaultdict expected at most 2 arguments, got " + std::to_string(n));
  if (n == 2) DictUpdate(vm, d, a[1]);
  if (kw != nullptr) {
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, d, kw->items[i], a[n + i]);
  }
  return V(d);
}

// ---- Counter ----

DictObj* SelfCounter(VM& vm, const Value& v, const char* m) {
  if (!IsDict(v)) TypeError(vm, std::string("descriptor '") + m + "' requires a 'Counter' object");
  return As<DictObj>(v);
}

bool Greater(VM& vm, const Value& x, const Value& y) {  // x > y
  return Truthy(vm, CompareOp(vm, kGt, x, y));
}

Value CountOf(VM& vm, DictObj* d, const Value& key) {
  Value v;
  return DictGet(&vm, d, key, &v) ? v : Value::Int(0);
}

// Counter.update / subtract as collections/__init__.py writes them, so that
// counts of any type behave as under CPython. update from a mapping copies it
// into an empty counter (dict.update) and otherwise sets count + self[elem];
// subtract sets self[elem] - count; an iterable adds or subtracts 1 per
// element; keyword counts are a mapping handled last.
void CounterAddMapping(VM& vm, DictObj* d, DictObj* m, int sign) {
  RootScope keep(vm);
  if (sign > 0 && d->live == 0) {
    DictUpdate(vm, d, V(m));
    return;
  }
  std::vector<DictEntry> entries(m->entries.begin(), m->entries.end());
  for (const DictEntry& e : entries) {
    if (e.key.unbound()) continue;
    Value cur = CountOf(vm, d, e.key);
    Value nv = sign > 0 ? BinaryOp(vm, kAdd, e.value, cur) : BinaryOp(vm, kSub, cur, e.value);
    keep.Keep(nv);
    DictSet(&vm, d, e.key, nv);
  }
}

void CounterAdd(VM& vm, DictObj* d, Value* a, int n, TupleObj* kw, int sign) {
  RootScope keep(vm);
  if (n > 1) TypeError(vm, "expected at most 1 argument, got " + std::to_string(n));
  if (n == 1 && !a[0].is_none()) {
    Value src = a[0];
    if (IsDict(src)) {
      CounterAddMapping(vm, d, As<DictObj>(src), sign);
    } else {
      Value it = keep.Keep(GetIter(vm, src));
      Value item;
      while (Next(vm, it, &item)) {
        keep.Keep(item);
        Value cur = CountOf(vm, d, item);
        bool fast = cur.is_intlike() && (sign > 0 ? cur.i < INT64_MAX : cur.i > INT64_MIN);
        Value nv = fast ? Value::Int(cur.i + sign)
                        : BinaryOp(vm, sign > 0 ? kAdd : kSub, cur, Value::Int(1));
        DictSet(&vm, d, item, nv);
      }
    }
  }
  if (kw != nullptr && kw->n > 0) {
    DictObj* kwds = NewDict(&vm);
    keep.Keep(V(kwds));
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, kwds, kw->items[i], a[n + i]);
    CounterAddMapping(vm, d, kwds, sign);
  }
}

Value CounterCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  DictObj* d = NewDict(&vm);
  d->cls = T().counter;
  RootScope keep(vm);
  keep.Keep(V(d));
  CounterAdd(vm, d, a, n, kw, +1);
  return V(d);
}

Value CounterInit(VM& vm, Value* a, int n, TupleObj* kw) {
  DictObj* d = SelfCounter(vm, a[0], "__init__");
  CounterAdd(vm, d, a + 1, n - 1, kw, +1);
  return Value::None();
}

Value CounterUpdate(VM& vm, Value* a, int n, TupleObj* kw) {
  CounterAdd(vm, SelfCounter(vm, a[0], "update"), a + 1, n - 1, kw, +1);
  return Value::None();
}

Value CounterSubtract(VM& vm, Value* a, int n, TupleObj* kw) {
  CounterAdd(vm, SelfCounter(vm, a[0], "subtract"), a + 1, n - 1, kw, -1);
  return Value::None();
}

Value CounterMissing(VM&, Value*, int, TupleObj*) { return Value::Int(0); }

// Items sorted by count, largest first; ties keep insertion order.
std::vector<DictEntry> MostCommon(VM& vm, DictObj* d) {
  std::vector<DictEntry> items;
  for (const DictEntry& e : d->entries) {
    if (!e.key.unbound()) items.push_back(e);
  }
  NoGcScope no_gc(vm);
  std::stable_sort(items.begin(), items.end(),
                   [&](const DictEntry& x, const DictEntry& y) { return Lt(vm, y.value, x.value); });
  return items;
}

Value CounterMostCommon(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[1];
  ParseArgs(vm, {"most_common", {"n"}, 0}, a + 1, n - 1, kw, opts);
  DictObj* d = SelfCounter(vm, a[0], "most_common");
  bool all = opts[0].unbound() || opts[0].is_none();
  int64_t want = all ? 0 : IndexValue(vm, opts[0]);
  // heapq.nlargest(n <= 0, ...) returns [] without comparing any counts, and
  // nlargest(1, ...) is max(): count > best, which fixes the operands in errors.
  if (!all && want <= 0) return V(NewList(&vm, 0));
  std::vector<DictEntry> items;
  if (!all && want == 1) {
    for (size_t i = 0; i < d->entries.size(); ++i) {  // __gt__ may change the dict
      DictEntry e = d->entries[i];
      if (e.key.unbound()) continue;
      if (items.empty()) {
        items.push_back(e);
      } else if (Greater(vm, e.value, items[0].value)) {
        items[0] = e;
      }
    }
  } else {
    items = MostCommon(vm, d);
  }
  int64_t limit = static_cast<int64_t>(items.size());
  if (!all) limit = std::min(limit, want);
  ListObj* out = NewList(&vm, 0);
  RootScope keep(vm);
  keep.Keep(V(out));
  for (int64_t i = 0; i < limit; ++i) {
    Value kv[2] = {items[i].key, items[i].value};
    ListAppend(vm, out, V(NewTupleFrom(&vm, kv, 2)));
  }
  return V(out);
}

bool ElementsNext(VM& vm, IterObj* it, Value* out) {
  auto* d = As<DictObj>(it->a);
  while (it->i < static_cast<int64_t>(d->entries.size())) {
    const DictEntry& e = d->entries[it->i];
    // itertools.repeat(elem, count): a count that is not an int is a TypeError.
    if (!e.key.unbound() && it->j < (e.value.is_intlike() ? e.value.i : IndexValue(vm, e.value))) {
      ++it->j;
      *out = e.key;
      return true;
    }
    ++it->i;
    it->j = 0;
  }
  return false;
}

Value CounterElements(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "elements", n - 1, 0, 0);
  // Iterates over a snapshot, as CPython's chain.from_iterable(starmap(repeat, items)).
  DictObj* snap = DictCopy(vm, SelfCounter(vm, a[0], "elements"));
  IterObj* it = NewIter(&vm, "itertools.chain", ElementsNext);
  it->a = V(snap);
  return V(it);
}

Value CounterTotal(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "total", n - 1, 0, 0);
  DictObj* d = SelfCounter(vm, a[0], "total");
  Value acc = Value::Int(0);
  for (size_t i = 0; i < d->entries.size(); ++i) {
    DictEntry e = d->entries[i];
    if (!e.key.unbound()) acc = BinaryOp(vm, kAdd, acc, e.value);
  }
  return acc;
}

Value CounterRepr(VM& vm, Value* a, int, TupleObj*) {
  DictObj* d = SelfCounter(vm, a[0], "__repr__");
  std::string name(d->cls->name->view());
  if (d->live == 0) return Str(vm, name + "()");
  std::string out = name + "({";
  bool first = true;
  // Ordered by most_common(); counts that cannot be ordered keep insertion order.
  std::vector<DictEntry> items;
  try {
    items = MostCommon(vm, d);
  } catch (const PyException&) {
    if (!IsInstance(vm.exc, T().TypeError)) throw;
    vm.exc = Value();
    items.clear();
    for (const DictEntry& e : d->entries) {
      if (!e.key.unbound()) items.push_back(e);
    }
  }
  for (const DictEntry& e : items) {
    if (!first) out += ", ";
    first = false;
    out += Repr(vm, e.key) + ": " + Repr(vm, e.value);
    CheckRoom(vm, static_cast<int64_t>(out.size()));  // values may share one large object
  }
  return Str(vm, out + "})");
}

Value CounterFromkeys(VM& vm, Value*, int, TupleObj*) {
  Raise(vm, T().NotImplementedError,
        "Counter.fromkeys() is undefined.  Use Counter(iterable) instead.");
}

DictObj* NewCounter(VM& vm) {
  DictObj* d = NewDict(&vm);
  d->cls = T().counter;
  return d;
}

// Binary Counter arithmetic: only positive results are kept. Each comparison
// and operation is the one collections/__init__.py makes, in its order, so
// that counts of other types fail (or not) as under CPython.
Value CounterBinary(VM& vm, Value* a, int n, int op) {
  CheckArgs(vm, "Counter operator", n, 2, 2);
  if (!IsDict(a[1]) || !IsSubclass(a[1].o->cls, T().counter)) return V(T().not_implemented);
  auto* x = As<DictObj>(a[0]);
  auto* y = As<DictObj>(a[1]);
  DictObj* r = NewCounter(vm);
  RootScope keep(vm);
  keep.Keep(V(r));
  const Value zero = Value::Int(0);
  for (size_t i = 0; i < x->entries.size(); ++i) {
    DictEntry e = x->entries[i];
    if (e.key.unbound()) continue;
    Value other = CountOf(vm, y, e.key);
    Value v;
    switch (op) {
      case kAdd: v = BinaryOp(vm, kAdd, e.value, other); break;
      case kSub: v = BinaryOp(vm, kSub, e.value, other); break;
      case kBitOr: v = Lt(vm, e.value, other) ? other : e.value; break;
      default: v = Lt(vm, e.value, other) ? e.value : other; break;  // &: min
    }
    keep.Keep(v);
    if (Greater(vm, v, zero)) DictSet(&vm, r, e.key, v);
  }
  if (op == kBitAnd) return V(r);
  for (size_t i = 0; i < y->entries.size(); ++i) {
    DictEntry e = y->entries[i];
    if (e.key.unbound()) continue;
    Value xv;
    if (DictGet(&vm, x, e.key, &xv)) continue;
    if (op == kSub) {
      if (Lt(vm, e.value, zero)) DictSet(&vm, r, e.key, BinaryOp(vm, kSub, zero, e.value));
    } else if (Greater(vm, e.value, zero)) {
      DictSet(&vm, r, e.key, e.value);
    }
  }
  return V(r);
}

Value CounterAddOp(VM& vm, Value* a, int n, TupleObj*) { return CounterBinary(vm, a, n, kAdd); }
Value CounterSubOp(VM& vm, Value* a, int n, TupleObj*) { return CounterBinary(vm, a, n, kSub); }
Value CounterOrOp(VM& vm, Value* a, int n, TupleObj*) { return CounterBinary(vm, a, n, kBitOr); }
Value CounterAndOp(VM& vm, Value* a, int n, TupleObj*) { return CounterBinary(vm, a, n, kBitAnd); }

// The (elem, count) pairs of other.items(): a dict's entries, or whatever a
// user object's items() yields.
std::vector<std::pair<Value, Value>> ItemPairs(VM& vm, RootScope& keep, const Value& other) {
  std::vector<std::pair<Value, Value>> pairs;
  if (IsDict(other)) {
    for (const DictEntry& e : As<DictObj>(other)->entries) {
      if (!e.key.unbound()) pairs.emplace_back(e.key, e.value);
    }
    return pairs;
  }
  static StrObj* const kItems = Intern("items");
  Value items = keep.Keep(Call0(vm, GetAttr(vm, other, kItems)));
  for (const Value& item : ToVector(vm, items)) {
    keep.Keep(item);
    Value kv[2];
    Unpack(vm, item, 2, kv);
    pairs.emplace_back(kv[0], kv[1]);
  }
  return pairs;
}

// In-place versions keep the same object: like CPython they take any mapping
// (other.items()), update self in place and then drop counts that are not > 0.
Value CounterInplace(VM& vm, Value* a, int n, int op) {
  CheckArgs(vm, "Counter operator", n, 2, 2);
  DictObj* d = SelfCounter(vm, a[0], op == kAdd ? "__iadd__" : op == kSub ? "__isub__" : op == kBitOr ? "__ior__" : "__iand__");
  RootScope keep(vm);
  const Value self = a[0], other = a[1];
  if (op == kBitAnd) {
    // for elem, count in self.items(): if other[elem] < count: self[elem] = other[elem]
    for (size_t i = 0; i < d->entries.size(); ++i) {
      DictEntry e = d->entries[i];
      if (e.key.unbound()) continue;
      Value oc = keep.Keep(GetItem(vm, other, e.key));
      if (Lt(vm, oc, e.value)) SetItem(vm, self, e.key, oc);
    }
  } else {
    for (const auto& [elem, count] : ItemPairs(vm, keep, other)) {
      Value cur = keep.Keep(GetItem(vm, self, elem));
      if (op == kBitOr) {
        if (Greater(vm, count, cur)) SetItem(vm, self, elem, count);
      } else {
        SetItem(vm, self, elem, keep.Keep(InplaceOp(vm, op, cur, count)));
      }
    }
  }
  // _keep_positive()
  std::vector<Value> drop;
  for (size_t i = 0; i < d->entries.size(); ++i) {
    DictEntry e = d->entries[i];
    if (!e.key.unbound() && !Greater(vm, e.value, Value::Int(0))) drop.push_back(keep.Keep(e.key));
  }
  for (const Value& k : drop) DictDel(&vm, d, k);
  return self;
}
Value CounterIAdd(VM& vm, Value* a, int n, TupleObj*) { return CounterInplace(vm, a, n, kAdd); }
Value CounterISub(VM& vm, Value* a, int n, TupleObj*) { return CounterInplace(vm, a, n, kSub); }
Value CounterIOr(VM& vm, Value* a, int n, TupleObj*) { return CounterInplace(vm, a, n, kBitOr); }
Value CounterIAnd(VM& vm, Value* a, int n, TupleObj*) { return CounterInplace(vm, a, n, kBitAnd); }

// +c keeps counts > 0; -c keeps 0 - count for counts < 0.
Value CounterUnary(VM& vm, Value* a, bool negate) {
  auto* x = As<DictObj>(a[0]);
  DictObj* r = NewCounter(vm);
  RootScope keep(vm);
  keep.Keep(V(r));
  const Value zero = Value::Int(0);
  for (size_t i = 0; i < x->entries.size(); ++i) {
    DictEntry e = x->entries[i];
    if (e.key.unbound()) continue;
    if (negate) {
      if (Lt(vm, e.value, zero)) DictSet(&vm, r, e.key, BinaryOp(vm, kSub, zero, e.value));
    } else if (Greater(vm, e.value, zero)) {
      DictSet(&vm, r, e.key, e.value);
    }
  }
  return V(r);
}
Value CounterPos(VM& vm, Value* a, int, TupleObj*) { return CounterUnary(vm, a, false); }
Value CounterNeg(VM& vm, Value* a, int, TupleObj*) { return CounterUnary(vm, a, true); }

// Counters compare as multisets: missing elements count as zero (3.10+).
Value CounterCompare(VM& vm, Value* a, int n, int op) {
  CheckArgs(vm, "Counter comparison", n, 2, 2);
  if (!IsDict(a[1]) || !IsSubclass(a[1].o->cls, T().counter)) return V(T().not_implemented);
  auto* x = As<DictObj>(a[0]);
  auto* y = As<DictObj>(a[1]);
  auto all = [&](DictObj* p, DictObj* q, int cmp) {
    for (size_t i = 0; i < p->entries.size(); ++i) {
      DictEntry e = p->entries[i];
      if (e.key.unbound()) continue;
      Value qv = CountOf(vm, q, e.key);
      bool ok = cmp == kEq ? Eq(vm, e.value, qv) : !Lt(vm, qv, e.value);  // p[e] <= q[e]
      if (!ok) return false;
    }
    return true;
  };
  switch (op) {
    case kEq: return Value::Bool(all(x, y, kEq) && all(y, x, kEq));
    case kNe: return Value::Bool(!(all(x, y, kEq) && all(y, x, kEq)));
    default: return V(T().not_implemented);
  }
}
Value CounterEq(VM& vm, Value* a, int n, TupleObj*) { return CounterCompare(vm, a, n, kEq); }
Value CounterNe(VM& vm, Value* a, int n, TupleObj*) { return CounterCompare(vm, a, n, kNe); }

// ---- OrderedDict ----

Value OrderedDictCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  DictObj* d = NewDict(&vm);
  d->cls = T().ordereddict;
  RootScope keep(vm);
  keep.Keep(V(d));
  if (n > 1) TypeError(vm, "expected at most 1 arguments, got " + std::to_string(n));
  if (n == 1) DictUpdate(vm, d, a[0]);
  if (kw != nullptr) {
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, d, kw->items[i], a[n + i]);
  }
  return V(d);
}

Value OdMoveToEnd(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"move_to_end", {"key", "last"}, 1}, a + 1, n - 1, kw, opts);
  auto* d = As<DictObj>(a[0]);
  Value v;
  if (!DictGet(&vm, d, opts[0], &v)) RaiseKeyError(vm, opts[0]);
  bool last = opts[1].unbound() || Truthy(vm, opts[1]);
  DictDel(&vm, d, opts[0]);
  if (last) {
    DictSet(&vm, d, opts[0], v);
  } else {
    // Rebuild with the key first.
    std::vector<DictEntry> rest;
    for (const DictEntry& e : d->entries) {
      if (!e.key.unbound()) rest.push_back(e);
    }
    DictClear(&vm, d);
    DictSet(&vm, d, opts[0], v);
    for (const DictEntry& e : rest) DictSet(&vm, d, e.key, e.value);
  }
  return Value::None();
}

Value OdPopitem(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[1];
  ParseArgs(vm, {"popitem", {"last"}, 0}, a + 1, n - 1, kw, opts);
  auto* d = As<DictObj>(a[0]);
  if (d->live == 0) Raise(vm, T().KeyError, "dictionary is empty");
  bool last = opts[0].unbound() || Truthy(vm, opts[0]);
  DictEntry pick{};
  if (last) {
    pick = d->entries.back();
  } else {
    for (const DictEntry& e : d->entries) {
      if (!e.key.unbound()) {
        pick = e;
        break;
      }
    }
  }
  Value kv[2] = {pick.key, pick.value};
  DictDel(&vm, d, pick.key);
  return V(NewTupleFrom(&vm, kv, 2));
}

// OrderedDicts compare order-sensitively with each other, as plain dicts otherwise.
Value OdEq(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__eq__", n, 2, 2);
  if (!IsDict(a[1])) return V(T().not_implemented);
  auto* x = As<DictObj>(a[0]);
  auto* y = As<DictObj>(a[1]);
  if (!DictEqual(vm, x, y)) return Value::Bool(false);
  if (!IsSubclass(y->cls, T().ordereddict)) return Value::Bool(true);
  std::vector<Value> kx, ky;
  for (const DictEntry& e : x->entries) {
    if (!e.key.unbound()) kx.push_back(e.key);
  }
  for (const DictEntry& e : y->entries) {
    if (!e.key.unbound()) ky.push_back(e.key);
  }
  for (size_t i = 0; i < kx.size(); ++i) {
    if (!Eq(vm, kx[i], ky[i])) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value OdNe(VM& vm, Value* a, int n, TupleObj* kw) {
  Value r = OdEq(vm, a, n, kw);
  if (r.is_bool()) return Value::Bool(!r.i);
  return r;
}

// ---- deque ----

DequeObj* SelfDeque(VM& vm, const Value& v, const char* m) {
  if (!IsObj(v, Kind::kDeque)) {
    TypeError(vm, std::string("descriptor '") + m + "' requires a 'collections.deque' object");
  }
  return As<DequeObj>(v);
}

void Trim(DequeObj* d, bool from_left) {
  if (d->maxlen < 0) return;
  while (static_cast<int64_t>(d->items.size()) > d->maxlen) {
    if (from_left) d->items.pop_front();
    else d->items.pop_back();
  }
}

Value DequeCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"deque", {"iterable", "maxlen"}, 0}, a, n, kw, opts);
  auto* d = New<DequeObj>(&vm, Kind::kDeque, T().deque);
  RootScope keep(vm);
  keep.Keep(V(d));
  if (!opts[1].unbound() && !opts[1].is_none()) {
    if (!opts[1].is_intlike()) TypeError(vm, "an integer is required");
    if (opts[1].i < 0) ValueError(vm, "maxlen must be non-negative");
    d->maxlen = opts[1].i;
  }
  if (!opts[0].unbound()) {
    for (const Value& v : ToVector(vm, opts[0])) {
      d->items.push_back(v);
      Trim(d, true);
    }
  }
  vm.Account(static_cast<int64_t>(d->items.size() * sizeof(Value)));
  return V(d);
}

Value DqInit(VM& vm, Value* a, int n, TupleObj* kw) {
  DequeObj* d = SelfDeque(vm, a[0], "__init__");
  Value opts[2];
  ParseArgs(vm, {"deque", {"iterable", "maxlen"}, 0}, a + 1, n - 1, kw, opts);
  d->items.clear();
  if (!opts[1].unbound() && !opts[1].is_none()) d->maxlen = IndexValue(vm, opts[1]);
  if (!opts[0].unbound()) {
    for (const Value& v : ToVector(vm, opts[0])) {
      d->items.push_back(v);
      Trim(d, true);
    }
  }
  return Value::None();
}

Value DqAppend(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "append", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "append");
  d->items.push_back(a[1]);
  Trim(d, true);
  vm.Account(sizeof(Value));
  return Value::None();
}

Value DqAppendleft(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "appendleft", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "appendleft");
  d->items.push_front(a[1]);
  Trim(d, false);
  vm.Account(sizeof(Value));
  return Value::None();
}

Value DqPop(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "pop", n - 1, 0, 0);
  DequeObj* d = SelfDeque(vm, a[0], "pop");
  if (d->items.empty()) Raise(vm, T().IndexError, "pop from an empty deque");
  Value v = d->items.back();
  d->items.pop_back();
  return v;
}

Value DqPopleft(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "popleft", n - 1, 0, 0);
  DequeObj* d = SelfDeque(vm, a[0], "popleft");
  if (d->items.empty()) Raise(vm, T().IndexError, "pop from an empty deque");
  Value v = d->items.front();
  d->items.pop_front();
  return v;
}

Value DqExtend(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "extend", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "extend");
  for (const Value& v : ToVector(vm, a[1])) {
    d->items.push_back(v);
    Trim(d, true);
  }
  return Value::None();
}

Value DqExtendleft(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "extendleft", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "extendleft");
  for (const Value& v : ToVector(vm, a[1])) {
    d->items.push_front(v);
    Trim(d, false);
  }
  return Value::None();
}

Value DqRotate(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "rotate", n - 1, 0, 1);
  DequeObj* d = SelfDeque(vm, a[0], "rotate");
  int64_t k = n > 1 ? IndexValue(vm, a[1]) : 1;
  int64_t len = static_cast<int64_t>(d->items.size());
  if (len <= 1) return Value::None();
  k %= len;
  if (k < 0) k += len;
  std::rotate(d->items.begin(), d->items.begin() + (len - k), d->items.end());
  return Value::None();
}

Value DqClear(VM& vm, Value* a, int, TupleObj*) {
  SelfDeque(vm, a[0], "clear")->items.clear();
  return Value::None();
}

Value DqCopy(VM& vm, Value* a, int, TupleObj*) {
  DequeObj* d = SelfDeque(vm, a[0], "copy");
  auto* c = New<DequeObj>(&vm, Kind::kDeque, d->cls);
  c->items = d->items;
  c->maxlen = d->maxlen;
  vm.Account(static_cast<int64_t>(c->items.size() * sizeof(Value)));
  return V(c);
}

Value DqCount(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "count", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "count");
  int64_t c = 0;
  std::vector<Value> items(d->items.begin(), d->items.end());
  for (const Value& v : items) c += Eq(vm, v, a[1]);
  return Value::Int(c);
}

Value DqIndex(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "index", n - 1, 1, 3);
  DequeObj* d = SelfDeque(vm, a[0], "index");
  int64_t len = static_cast<int64_t>(d->items.size());
  auto clamp = [&](const Value& v) {
    int64_t i = IndexValue(vm, v);
    if (i < 0) i = std::max<int64_t>(0, i + len);
    return std::min(i, len);
  };
  int64_t start = n > 2 ? clamp(a[2]) : 0, stop = n > 3 ? clamp(a[3]) : len;
  std::vector<Value> items(d->items.begin(), d->items.end());
  for (int64_t i = start; i < stop; ++i) {
    if (Eq(vm, items[i], a[1])) return Value::Int(i);
  }
  ValueError(vm, Repr(vm, a[1]) + " is not in deque");
}

Value DqRemove(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "remove", n - 1, 1, 1);
  DequeObj* d = SelfDeque(vm, a[0], "remove");
  for (size_t i = 0; i < d->items.size(); ++i) {
    if (Eq(vm, d->items[i], a[1])) {
      d->items.erase(d->items.begin() + static_cast<int64_t>(i));
      return Value::None();
    }
  }
  ValueError(vm, "deque.remove(x): x not in deque");
}

Value DqInsert(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "insert", n - 1, 2, 2);
  DequeObj* d = SelfDeque(vm, a[0], "insert");
  int64_t len = static_cast<int64_t>(d->items.size());
  if (d->maxlen >= 0 && len >= d->maxlen) Raise(vm, T().IndexError, "deque already at its maximum size");
  int64_t i = IndexValue(vm, a[1]);
  if (i < 0) i = std::max<int64_t>(0, i + len);
  i = std::min(i, len);
  d->items.insert(d->items.begin() + i, a[2]);
  return Value::None();
}

Value DqReverse(VM& vm, Value* a, int, TupleObj*) {
  DequeObj* d = SelfDeque(vm, a[0], "reverse");
  std::reverse(d->items.begin(), d->items.end());
  return Value::None();
}

Value DqLen(VM& vm, Value* a, int, TupleObj*) {
  return Value::Int(static_cast<int64_t>(SelfDeque(vm, a[0], "__len__")->items.size()));
}

Value DqAdd(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__add__", n, 2, 2);
  if (!IsObj(a[1], Kind::kDeque)) {
    TypeError(vm, "can only concatenate deque (not \"" + std::string(TypeName(a[1])) + "\") to deque");
  }
  DequeObj* d = SelfDeque(vm, a[0], "__add__");
  auto* c = New<DequeObj>(&vm, Kind::kDeque, d->cls);
  c->items = d->items;
  c->maxlen = d->maxlen;
  for (const Value& v : As<DequeObj>(a[1])->items) {
    c->items.push_back(v);
    Trim(c, true);
  }
  return V(c);
}

}  // namespace

ModuleObj* MakeCollectionsModule() {
  ModuleObj* m = NewLibraryModule("collections");
  const BuiltinTypes& t = T();

  t.defaultdict->ctor = DefaultdictCtor;
  AddConstant(m, "defaultdict", V(t.defaultdict));

  t.counter->ctor = CounterCtor;
  DictObj* c = t.counter->dict;
  AddNative(c, "__init__", CounterInit);
  AddNative(c, "update", CounterUpdate);
  AddNative(c, "subtract", CounterSubtract);
  AddNative(c, "__missing__", CounterMissing);
  AddNative(c, "most_common", CounterMostCommon);
  AddNative(c, "elements", CounterElements);
  AddNative(c, "total", CounterTotal);
  AddNative(c, "__repr__", CounterRepr);
  AddClassMethod(c, "fromkeys", CounterFromkeys);
  AddNative(c, "__add__", CounterAddOp);
  AddNative(c, "__sub__", CounterSubOp);
  AddNative(c, "__or__", CounterOrOp);
  AddNative(c, "__and__", CounterAndOp);
  AddNative(c, "__iadd__", CounterIAdd);
  AddNative(c, "__isub__", CounterISub);
  AddNative(c, "__ior__", CounterIOr);
  AddNative(c, "__iand__", CounterIAnd);
  AddNative(c, "__pos__", CounterPos);
  AddNative(c, "__neg__", CounterNeg);
  AddNative(c, "__eq__", CounterEq);
  AddNative(c, "__ne__", CounterNe);
  AddConstant(m, "Counter", V(t.counter));

  t.ordereddict->ctor = OrderedDictCtor;
  AddNative(t.ordereddict->dict, "move_to_end", OdMoveToEnd);
  AddNative(t.ordereddict->dict, "popitem", OdPopitem);
  AddNative(t.ordereddict->dict, "__eq__", OdEq);
  AddNative(t.ordereddict->dict, "__ne__", OdNe);
  AddConstant(m, "OrderedDict", V(t.ordereddict));

  t.deque->ctor = DequeCtor;
  DictObj* d = t.deque->dict;
  AddNative(d, "__init__", DqInit);
  AddNative(d, "append", DqAppend);
  AddNative(d, "appendleft", DqAppendleft);
  AddNative(d, "pop", DqPop);
  AddNative(d, "popleft", DqPopleft);
  AddNative(d, "extend", DqExtend);
  AddNative(d, "extendleft", DqExtendleft);
  AddNative(d, "rotate", DqRotate);
  AddNative(d, "clear", DqClear);
  AddNative(d, "copy", DqCopy);
  AddNative(d, "count", DqCount);
  AddNative(d, "index", DqIndex);
  AddNative(d, "remove", DqRemove);
  AddNative(d, "insert", DqInsert);
  AddNative(d, "reverse", DqReverse);
  AddNative(d, "__len__", DqLen);
  AddNative(d, "__add__", DqAdd);
  AddConstant(m, "deque", V(t.deque));
  return m;
}

}  // namespace edgeflow::script
