// Sequences and the subscript protocol: list, tuple and range (construction,
// methods, slicing, sorting), generic item access, len(), unpacking and
// conversion of any iterable to a vector.
#include <algorithm>

#include "script/runtime.h"

namespace edgeflow::script {

// ---- slices ----

int64_t SliceIndices(VM& vm, SliceObj* s, int64_t n, int64_t* start, int64_t* stop,
                     int64_t* step) {
  auto index = [&](const Value& v) -> int64_t {
    if (v.is_intlike()) return v.i;
    if (v.is_obj() && !v.o->cls->is_builtin) return IndexValue(vm, v);
    TypeError(vm, "slice indices must be integers or None or have an __index__ method");
  };
  int64_t st = 1;
  if (!s->step.is_none()) {
    st = index(s->step);
    if (st == 0) ValueError(vm, "slice step cannot be zero");
    if (st == INT64_MIN) st = -INT64_MAX;
  }
  int64_t lo, hi;
  if (s->start.is_none()) {
    lo = st < 0 ? n - 1 : 0;
  } else {
    lo = index(s->start);
    if (lo < 0) {
      lo += n;
      if (lo < 0) lo = st < 0 ? -1 : 0;
    } else if (lo >= n) {
      lo = st < 0 ? n - 1 : n;
    }
  }
  if (s->stop.is_none()) {
    hi = st < 0 ? -1 : n;
  } else {
    hi = index(s->stop);
    if (hi < 0) {
      hi += n;
      if (hi < 0) hi = st < 0 ? -1 : 0;
    } else if (hi >= n) {
      hi = st < 0 ? n - 1 : n;
    }
  }
  *start = lo;
  *stop = hi;
  *step = st;
  if (st < 0) return hi < lo ? (lo - hi - 1) / (-st) + 1 : 0;
  return lo < hi ? (hi - lo - 1) / st + 1 : 0;
}

namespace {

int64_t SeqIndex(VM& vm, const Value& key, int64_t n, const char* what) {
  int64_t i;
  if (key.is_intlike()) {
    i = key.i;
  } else if (key.is_obj() && !key.o->cls->is_builtin &&
             !LookupClass(key.o->cls, N().__index__).unbound()) {
    i = IndexValue(vm, key);
  } else {
    TypeError(vm, std::string(what) + " indices must be integers or slices, not " +
                      std::string(TypeName(key)));
  }
  if (i < 0) i += n;
  if (i < 0 || i >= n) Raise(vm, T().IndexError, std::string(what) + " index out of range");
  return i;
}

Value TupleSlice(VM& vm, TupleObj* t, SliceObj* s) {
  int64_t start, stop, step;
  int64_t len = SliceIndices(vm, s, t->n, &start, &stop, &step);
  if (step == 1 && len == t->n) return V(t);
  TupleObj* r = NewTuple(&vm, len);
  for (int64_t i = 0, j = start; i < len; ++i, j += step) r->items[i] = t->items[j];
  return V(r);
}

Value RangeItem(VM& vm, RangeObj* r, const Value& key) {
  int64_t n = Len(vm, V(r));
  if (IsObj(key, Kind::kSlice)) {
    int64_t start, stop, step;
    int64_t len = SliceIndices(vm, As<SliceObj>(key), n, &start, &stop, &step);
    auto* nr = New<RangeObj>(&vm, Kind::kRange, T().range);
    nr->start = r->start + start * r->step;
    nr->step = r->step * step;
    nr->stop = nr->start + len * nr->step;
    return V(nr);
  }
  int64_t i = SeqIndex(vm, key, n, "range object");
  return Value::Int(r->start + i * r->step);
}

Value DequeItem(VM& vm, DequeObj* d, const Value& key) {
  if (!key.is_intlike()) {
    TypeError(vm, "sequence index must be integer, not '" + std::string(TypeName(key)) + "'");
  }
  int64_t n = static_cast<int64_t>(d->items.size());
  int64_t i = key.i < 0 ? key.i + n : key.i;
  if (i < 0 || i >= n) Raise(vm, T().IndexError, "deque index out of range");
  return d->items[i];
}

Value MissingKey(VM& vm, DictObj* d, const Value& key) {
  ClassObj* cls = d->cls;
  if (!cls->is_builtin || cls == T().counter) {
    Value m = LookupClass(cls, N().__missing__);
    if (!m.unbound()) return Call2(vm, m, V(d), key);
  }
  if (IsSubclass(cls, T().defaultdict) && !d->default_factory.unbound() &&
      !d->default_factory.is_none()) {
    RootScope keep(vm);
    keep.Keep(V(d));
    keep.Keep(key);
    Value v = Call0(vm, d->default_factory);
    DictSet(&vm, d, key, v);
    return v;
  }
  RaiseKeyError(vm, key);
}

Value UserDunder(const Value& obj, StrObj* name) {
  if (!obj.is_obj() || obj.o->cls->is_builtin) return Value();
  Value m = LookupClass(obj.o->cls, name);
  if (IsObj(m, Kind::kFunction) || IsObj(m, Kind::kBoundMethod)) return m;
  return Value();
}

}  // namespace

Value ListGetSlice(VM& vm, ListObj* l, SliceObj* s) {
  int64_t start, stop, step;
  int64_t len = SliceIndices(vm, s, static_cast<int64_t>(l->items.size()), &start, &stop, &step);
  ListObj* r = NewList(&vm, len);
  for (int64_t i = 0, j = start; i < len; ++i, j += step) r->items[i] = l->items[j];
  return V(r);
}

// ---- the subscript protocol ----

Value GetItem(VM& vm, const Value& obj, const Value& key) {
  Value m = UserDunder(obj, N().__getitem__);
  if (!m.unbound()) return Call2(vm, m, obj, key);
  if (obj.is_obj()) {
    Object* o = obj.o;
    switch (o->kind) {
      case Kind::kList: {
        auto* l = static_cast<ListObj*>(o);
        if (IsObj(key, Kind::kSlice)) return ListGetSlice(vm, l, As<SliceObj>(key));
        return l->items[SeqIndex(vm, key, static_cast<int64_t>(l->items.size()), "list")];
      }
      case Kind::kTuple: {
        auto* t = static_cast<TupleObj*>(o);
        if (IsObj(key, Kind::kSlice)) return TupleSlice(vm, t, As<SliceObj>(key));
        return t->items[SeqIndex(vm, key, t->n, "tuple")];
      }
      case Kind::kStr: return StrGetItem(vm, static_cast<StrObj*>(o), key);
      case Kind::kDict: {
        auto* d = static_cast<DictObj*>(o);
        Value v;
        if (DictGet(&vm, d, key, &v)) return v;
        return MissingKey(vm, d, key);
      }
      case Kind::kRange: return RangeItem(vm, static_cast<RangeObj*>(o), key);
      case Kind::kDeque: return DequeItem(vm, static_cast<DequeObj*>(o), key);
      case Kind::kClass:
        if (static_cast<ClassObj*>(o)->is_builtin) return obj;  // list[int] and the like
        break;
      default: break;
    }
    if (o->cls->is_builtin) {
      Value bm = LookupClass(o->cls, N().__getitem__);
      if (!bm.unbound()) return Call2(vm, bm, obj, key);
    }
  }
  TypeError(vm, "'" + std::string(TypeName(obj)) + "' object is not subscriptable");
}

namespace {

void ListSetSlice(VM& vm, ListObj* l, SliceObj* s, const Value& v) {
  // The value is materialised first (it may be the list itself).
  std::vector<Value> items = ToVector(vm, v);
  int64_t n = static_cast<int64_t>(l->items.size());
  int64_t start, stop, step;
  int64_t len = SliceIndices(vm, s, n, &start, &stop, &step);
  if (step == 1) {
    if (stop < start) stop = start;
    l->items.erase(l->items.begin() + start, l->items.begin() + stop);
    l->items.insert(l->items.begin() + start, items.begin(), items.end());
    vm.Account(static_cast<int64_t>(items.size() * sizeof(Value)));
    return;
  }
  if (static_cast<int64_t>(items.size()) != len) {
    ValueError(vm, "attempt to assign sequence of size " + std::to_string(items.size()) +
                       " to extended slice of size " + std::to_string(len));
  }
  for (int64_t i = 0, j = start; i < len; ++i, j += step) l->items[j] = items[i];
}

void ListDelSlice(VM& vm, ListObj* l, SliceObj* s) {
  int64_t n = static_cast<int64_t>(l->items.size());
  int64_t start, stop, step;
  int64_t len = SliceIndices(vm, s, n, &start, &stop, &step);
  if (len == 0) return;
  if (step == 1) {
    l->items.erase(l->items.begin() + start, l->items.begin() + start + len);
    return;
  }
  std::vector<bool> drop(n, false);
  for (int64_t i = 0, j = start; i < len; ++i, j += step) drop[j] = true;
  size_t k = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!drop[i]) l->items[k++] = l->items[i];
  }
  l->items.resize(k);
}

}  // namespace

void SetItem(VM& vm, const Value& obj, const Value& key, const Value& v) {
  if (obj.is_obj() && !obj.o->cls->is_builtin) {
    Value m = LookupClass(obj.o->cls, N().__setitem__);
    if (IsObj(m, Kind::kFunction) || IsObj(m, Kind::kBoundMethod)) {
      Value args[3] = {obj, key, v};
      Call(vm, m, args, 3);
      return;
    }
  }
  if (obj.is_obj()) {
    Object* o = obj.o;
    switch (o->kind) {
      case Kind::kList: {
        auto* l = static_cast<ListObj*>(o);
        if (IsObj(key, Kind::kSlice)) {
          ListSetSlice(vm, l, As<SliceObj>(key), v);
          return;
        }
        if (!key.is_intlike() && !(key.is_obj() && !key.o->cls->is_builtin)) {
          TypeError(vm, "list indices must be integers or slices, not " + std::string(TypeName(key)));
        }
        int64_t n = static_cast<int64_t>(l->items.size());
        int64_t i = key.is_intlike() ? key.i : IndexValue(vm, key);
        if (i < 0) i += n;
        if (i < 0 || i >= n) Raise(vm, T().IndexError, "list assignment index out of range");
        l->items[i] = v;
        return;
      }
      case Kind::kDict: DictSet(&vm, static_cast<DictObj*>(o), key, v); return;
      case Kind::kDeque: {
        auto* d = static_cast<DequeObj*>(o);
        if (!key.is_intlike()) {
          TypeError(vm, "sequence index must be integer, not '" + std::string(TypeName(key)) + "'");
        }
        int64_t n = static_cast<int64_t>(d->items.size());
        int64_t i = key.i < 0 ? key.i + n : key.i;
        if (i < 0 || i >= n) Raise(vm, T().IndexError, "deque index out of range");
        d->items[i] = v;
        return;
      }
      default: break;
    }
    if (o->cls->is_builtin) {
      Value bm = LookupClass(o->cls, N().__setitem__);
      if (!bm.unbound()) {
        Value args[3] = {obj, key, v};
        Call(vm, bm, args, 3);
        return;
      }
    }
  }
  TypeError(vm, "'" + std::string(TypeName(obj)) + "' object does not support item assignment");
}

void DelItem(VM& vm, const Value& obj, const Value& key) {
  Value m = UserDunder(obj, N().__delitem__);
  if (!m.unbound()) {
    Call2(vm, m, obj, key);
    return;
  }
  if (obj.is_obj()) {
    Object* o = obj.o;
    switch (o->kind) {
      case Kind::kList: {
        auto* l = static_cast<ListObj*>(o);
        if (IsObj(key, Kind::kSlice)) {
          ListDelSlice(vm, l, As<SliceObj>(key));
          return;
        }
        int64_t n = static_cast<int64_t>(l->items.size());
        if (!key.is_intlike()) {
          TypeError(vm, "list indices must be integers or slices, not " + std::string(TypeName(key)));
        }
        int64_t i = key.i < 0 ? key.i + n : key.i;
        if (i < 0 || i >= n) Raise(vm, T().IndexError, "list assignment index out of range");
        l->items.erase(l->items.begin() + i);
        return;
      }
      case Kind::kDict:
        if (!DictDel(&vm, static_cast<DictObj*>(o), key)) RaiseKeyError(vm, key);
        return;
      case Kind::kDeque: {
        auto* d = static_cast<DequeObj*>(o);
        if (!key.is_intlike()) {
          TypeError(vm, "sequence index must be integer, not '" + std::string(TypeName(key)) + "'");
        }
        int64_t n = static_cast<int64_t>(d->items.size());
        int64_t i = key.i < 0 ? key.i + n : key.i;
        if (i < 0 || i >= n) Raise(vm, T().IndexError, "deque index out of range");
        d->items.erase(d->items.begin() + i);
        return;
      }
      default: break;
    }
  }
  // Sequences without item deletion (tuple, str, range) word it as CPython's
  // PySequence_DelItem does.
  bool seq = obj.is_obj() && (obj.o->kind == Kind::kTuple || obj.o->kind == Kind::kStr ||
                              obj.o->kind == Kind::kRange);
  TypeError(vm, "'" + std::string(TypeName(obj)) + "' object " +
                    (seq ? "doesn't" : "does not") + " support item deletion");
}

int64_t Len(VM& vm, const Value& v) {
  if (v.is_obj()) {
    Object* o = v.o;
    if (!o->cls->is_builtin) {
      Value m = LookupClass(o->cls, N().__len__);
      if (IsObj(m, Kind::kFunction) || IsObj(m, Kind::kBoundMethod)) {
        Value r = Call1(vm, m, v);
        if (!r.is_intlike()) {
          TypeError(vm, "'" + std::string(TypeName(r)) + "' object cannot be interpreted as an integer");
        }
        if (r.i < 0) ValueError(vm, "__len__() should return >= 0");
        return r.i;
      }
    }
    switch (o->kind) {
      case Kind::kStr: return static_cast<StrObj*>(o)->ncp;
      case Kind::kList: return static_cast<int64_t>(static_cast<ListObj*>(o)->items.size());
      case Kind::kTuple: return static_cast<TupleObj*>(o)->n;
      case Kind::kDict: return static_cast<DictObj*>(o)->live;
      case Kind::kSet: return static_cast<SetObj*>(o)->used;
      case Kind::kDeque: return static_cast<int64_t>(static_cast<DequeObj*>(o)->items.size());
      case Kind::kDictView: return static_cast<DictViewObj*>(o)->dict->live;
      case Kind::kRange: {
        auto* r = static_cast<RangeObj*>(o);
        if (r->step > 0) {
          return r->start < r->stop
                     ? static_cast<int64_t>((static_cast<__int128>(r->stop) - r->start - 1) / r->step + 1)
                     : 0;
        }
        return r->start > r->stop
                   ? static_cast<int64_t>((static_cast<__int128>(r->start) - r->stop - 1) / (-static_cast<__int128>(r->step)) + 1)
                   : 0;
      }
      default: break;
    }
    Value m = LookupClass(o->cls, N().__len__);
    if (!m.unbound()) {
      Value r = Call1(vm, m, v);
      if (r.is_intlike()) return r.i;
    }
  }
  TypeError(vm, "object of type '" + std::string(TypeName(v)) + "' has no len()");
}

// ---- lists ----

void ListAppend(VM& vm, ListObj* l, const Value& v) {
  size_t cap = l->items.capacity();
  l->items.push_back(v);
  if (l->items.capacity() != cap) {
    vm.Account(static_cast<int64_t>((l->items.capacity() - cap) * sizeof(Value)));
  }
}

void ListExtend(VM& vm, ListObj* l, const Value& iterable) {
  size_t cap = l->items.capacity();
  if (IsList(iterable)) {
    auto* o = As<ListObj>(iterable);
    size_t n = o->items.size();  // l.extend(l) copies what it had
    l->items.reserve(l->items.size() + n);
    for (size_t i = 0; i < n; ++i) l->items.push_back(o->items[i]);
  } else if (IsTuple(iterable)) {
    auto* t = As<TupleObj>(iterable);
    l->items.insert(l->items.end(), t->items, t->items + t->n);
  } else {
    std::vector<Value> items = ToVector(vm, iterable);
    l->items.insert(l->items.end(), items.begin(), items.end());
  }
  if (l->items.capacity() != cap) {
    vm.Account(static_cast<int64_t>((l->items.capacity() - cap) * sizeof(Value)));
  }
}

std::vector<Value> ToVector(VM& vm, const Value& iterable) {
  if (iterable.is_obj()) {
    Object* o = iterable.o;
    if (o->cls->is_builtin || LookupClass(o->cls, N().__iter__).unbound()) {
      switch (o->kind) {
        case Kind::kList: {
          auto& items = static_cast<ListObj*>(o)->items;
          return std::vector<Value>(items.begin(), items.end());
        }
        case Kind::kTuple: {
          auto* t = static_cast<TupleObj*>(o);
          return std::vector<Value>(t->items, t->items + t->n);
        }
        case Kind::kDict: {
          std::vector<Value> out;
          for (const DictEntry& e : static_cast<DictObj*>(o)->entries) {
            if (!e.key.unbound()) out.push_back(e.key);
          }
          return out;
        }
        case Kind::kSet: {
          std::vector<Value> out;
          for (const SetEntry& e : static_cast<SetObj*>(o)->table) {
            if (!e.key.unbound()) out.push_back(e.key);
          }
          return out;
        }
        case Kind::kRange: {
          auto* r = static_cast<RangeObj*>(o);
          int64_t n = Len(vm, iterable);
          if (n > (int64_t{1} << 28)) Raise(vm, T().MemoryError, "");
          CheckRoom(vm, n, sizeof(Value));  // what the caller builds from it
          std::vector<Value> out(n);
          for (int64_t i = 0; i < n; ++i) out[i] = Value::Int(r->start + i * r->step);
          return out;
        }
        default: break;
      }
    }
  }
  // Generic iteration. The items gathered so far live in a rooted list, so a
  // generator may run collections while it produces them.
  RootScope keep(vm);
  keep.Keep(iterable);
  Value it = keep.Keep(GetIter(vm, iterable));
  ListObj* acc = NewList(&vm, 0);
  keep.Keep(V(acc));
  Value v;
  while (NextRooted(vm, it, &v)) ListAppend(vm, acc, v);
  return std::vector<Value>(acc->items.begin(), acc->items.end());
}

TupleObj* ToTuple(VM& vm, const Value& iterable) {
  if (IsTuple(iterable) && iterable.o->cls == T().tuple) return As<TupleObj>(iterable);
  std::vector<Value> items = ToVector(vm, iterable);
  return NewTupleFrom(&vm, items.data(), static_cast<int64_t>(items.size()));
}

void Unpack(VM& vm, const Value& seq, int64_t n, Value* out) {
  bool iterable = seq.is_obj() &&
                  (seq.o->kind != Kind::kInstance || !LookupClass(seq.o->cls, N().__iter__).unbound() ||
                   !LookupClass(seq.o->cls, N().__getitem__).unbound());
  if (!iterable) {
    TypeError(vm, "cannot unpack non-iterable " + std::string(TypeName(seq)) + " object");
  }
  // Stops after n + 1 items, like CPython (an infinite iterator is fine).
  RootScope keep(vm);
  Value it = keep.Keep(GetIter(vm, seq));
  ListObj* acc = NewList(&vm, 0);
  keep.Keep(V(acc));
  Value v;
  while (static_cast<int64_t>(acc->items.size()) <= n && NextRooted(vm, it, &v)) {
    ListAppend(vm, acc, v);
  }
  int64_t got = static_cast<int64_t>(acc->items.size());
  if (got < n) {
    ValueError(vm, "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                       std::to_string(got) + ")");
  }
  if (got > n) ValueError(vm, "too many values to unpack (expected " + std::to_string(n) + ")");
  for (int64_t i = 0; i < n; ++i) out[i] = acc->items[i];
}

// ---- sorting ----

namespace {

// Stable sort of values by keys with Python's `<`, specialised for lists of
// only ints, only floats or only strs. reverse=True sorts the reversed list
// ascending and reverses the result, as CPython does: equal elements keep
// their original order.
void SortValues(VM& vm, std::vector<Value>* items, std::vector<Value>* keys, bool reverse) {
  std::vector<Value>& k = keys ? *keys : *items;
  size_t n = items->size();
  if (n < 2) return;
  if (reverse) {
    std::reverse(items->begin(), items->end());
    if (keys) std::reverse(keys->begin(), keys->end());
  }
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  bool all_int = true, all_float = true, all_str = true;
  for (const Value& v : k) {
    all_int &= v.tag == Tag::kInt;
    all_float &= v.tag == Tag::kFloat;
    all_str &= IsStr(v);
  }
  if (all_int) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return k[a].i < k[b].i;
    });
  } else if (all_float) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return k[a].f < k[b].f;
    });
  } else if (all_str) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return As<StrObj>(k[a])->view() < As<StrObj>(k[b])->view();
    });
  } else {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return Lt(vm, k[a], k[b]);
    });
  }
  std::vector<Value> sorted(n);
  for (size_t i = 0; i < n; ++i) sorted[i] = (*items)[order[i]];
  *items = std::move(sorted);
  if (reverse) std::reverse(items->begin(), items->end());
}

}  // namespace

void SortList(VM& vm, std::vector<Value>* items, const Value& key, bool reverse) {
  if (key.unbound() || key.is_none()) {
    SortValues(vm, items, nullptr, reverse);
    return;
  }
  std::vector<Value> keys(items->size());
  {
    NoGcScope no_gc(vm);  // the keys vector is not rooted
    for (size_t i = 0; i < items->size(); ++i) keys[i] = Call1(vm, key, (*items)[i]);
    SortValues(vm, items, &keys, reverse);
  }
}

// ---- list methods ----

namespace {

ListObj* SelfList(VM& vm, const Value& v, const char* m) {
  if (!IsList(v)) {
    TypeError(vm, std::string("descriptor '") + m + "' for 'list' objects doesn't apply to a '" +
                      std::string(TypeName(v)) + "' object");
  }
  return As<ListObj>(v);
}

Value LAppend(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list.append", kw);
  if (n != 2) TypeError(vm, "list.append() takes exactly one argument (" + std::to_string(n - 1) + " given)");
  ListAppend(vm, SelfList(vm, a[0], "append"), a[1]);
  return Value::None();
}

Value LExtend(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list.extend", kw);
  if (n != 2) TypeError(vm, "list.extend() takes exactly one argument (" + std::to_string(n - 1) + " given)");
  ListExtend(vm, SelfList(vm, a[0], "extend"), a[1]);
  return Value::None();
}

Value LInsert(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list.insert", kw);
  if (n != 3) TypeError(vm, "insert expected 2 arguments, got " + std::to_string(n - 1));
  ListObj* l = SelfList(vm, a[0], "insert");
  int64_t len = static_cast<int64_t>(l->items.size());
  int64_t i = IndexValue(vm, a[1]);
  if (i < 0) {
    i += len;
    if (i < 0) i = 0;
  }
  if (i > len) i = len;
  size_t cap = l->items.capacity();
  l->items.insert(l->items.begin() + i, a[2]);
  if (l->items.capacity() != cap) vm.Account(static_cast<int64_t>((l->items.capacity() - cap) * sizeof(Value)));
  return Value::None();
}

Value LPop(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list.pop", kw);
  CheckArgs(vm, "pop", n - 1, 0, 1);
  ListObj* l = SelfList(vm, a[0], "pop");
  if (l->items.empty()) Raise(vm, T().IndexError, "pop from empty list");
  int64_t len = static_cast<int64_t>(l->items.size());
  int64_t i = n > 1 ? IndexValue(vm, a[1]) : len - 1;
  if (i < 0) i += len;
  if (i < 0 || i >= len) Raise(vm, T().IndexError, "pop index out of range");
  Value v = l->items[i];
  l->items.erase(l->items.begin() + i);
  return v;
}

Value LRemove(VM& vm, Value* a, int n, TupleObj*) {
  if (n != 2) TypeError(vm, "list.remove() takes exactly one argument (" + std::to_string(n - 1) + " given)");
  ListObj* l = SelfList(vm, a[0], "remove");
  for (size_t i = 0; i < l->items.size(); ++i) {
    if (l->items[i].same(a[1]) || Eq(vm, l->items[i], a[1])) {
      if (i < l->items.size()) l->items.erase(l->items.begin() + i);
      return Value::None();
    }
  }
  ValueError(vm, "list.remove(x): x not in list");
}

int64_t ClampIndex(VM& vm, const Value& v, int64_t n) {
  int64_t i = IndexValue(vm, v);
  if (i < 0) {
    i += n;
    if (i < 0) i = 0;
  }
  return i > n ? n : i;
}

Value SeqIndexMethod(VM& vm, Value* a, int n, const Value* items, int64_t len, const char* what) {
  CheckArgs(vm, "index", n - 1, 1, 3);
  int64_t start = n > 2 ? ClampIndex(vm, a[2], len) : 0;
  int64_t stop = n > 3 ? ClampIndex(vm, a[3], len) : len;
  for (int64_t i = start; i < stop && i < len; ++i) {
    if (items[i].same(a[1]) || Eq(vm, items[i], a[1])) return Value::Int(i);
  }
  if (std::string_view(what) == "list") ValueError(vm, Repr(vm, a[1]) + " is not in list");
  ValueError(vm, "tuple.index(x): x not in tuple");
}

Value LIndex(VM& vm, Value* a, int n, TupleObj*) {
  ListObj* l = SelfList(vm, a[0], "index");
  std::vector<Value> items(l->items.begin(), l->items.end());
  return SeqIndexMethod(vm, a, n, items.data(), static_cast<int64_t>(items.size()), "list");
}

Value LCount(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "count", n - 1, 1, 1);
  ListObj* l = SelfList(vm, a[0], "count");
  int64_t c = 0;
  for (size_t i = 0; i < l->items.size(); ++i) {
    if (l->items[i].same(a[1]) || Eq(vm, l->items[i], a[1])) ++c;
  }
  return Value::Int(c);
}

Value LSort(VM& vm, Value* a, int n, TupleObj* kw) {
  if (n > 1) TypeError(vm, "sort() takes no positional arguments");
  Value opts[2];
  ParseArgs(vm, {"sort", {"key", "reverse"}, 0}, a + 1, 0, kw, opts);
  ListObj* l = SelfList(vm, a[0], "sort");
  std::vector<Value> items(l->items.begin(), l->items.end());
  bool reverse = !opts[1].unbound() && Truthy(vm, opts[1]);
  SortList(vm, &items, opts[0], reverse);
  l->items.assign(items.begin(), items.end());
  return Value::None();
}

Value LReverse(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "reverse", n - 1, 0, 0);
  ListObj* l = SelfList(vm, a[0], "reverse");
  std::reverse(l->items.begin(), l->items.end());
  return Value::None();
}

Value LCopy(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "copy", n - 1, 0, 0);
  ListObj* l = SelfList(vm, a[0], "copy");
  ListObj* c = NewList(&vm, 0);
  c->items = l->items;
  vm.Account(static_cast<int64_t>(c->items.capacity() * sizeof(Value)));
  return V(c);
}

Value LClear(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "clear", n - 1, 0, 0);
  SelfList(vm, a[0], "clear")->items.clear();
  return Value::None();
}

Value LInit(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list", kw);
  if (n > 2) TypeError(vm, "list expected at most 1 argument, got " + std::to_string(n - 1));
  ListObj* l = SelfList(vm, a[0], "__init__");
  l->items.clear();
  if (n == 2) ListExtend(vm, l, a[1]);
  return Value::None();
}

Value LGetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__getitem__", n - 1, 1, 1);
  ListObj* l = SelfList(vm, a[0], "__getitem__");
  if (IsObj(a[1], Kind::kSlice)) return ListGetSlice(vm, l, As<SliceObj>(a[1]));
  return l->items[SeqIndex(vm, a[1], static_cast<int64_t>(l->items.size()), "list")];
}

Value LSetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__setitem__", n - 1, 2, 2);
  ListObj* l = SelfList(vm, a[0], "__setitem__");
  if (IsObj(a[1], Kind::kSlice)) {
    ListSetSlice(vm, l, As<SliceObj>(a[1]), a[2]);
  } else {
    l->items[SeqIndex(vm, a[1], static_cast<int64_t>(l->items.size()), "list")] = a[2];
  }
  return Value::None();
}

Value LLen(VM& vm, Value* a, int, TupleObj*) {
  return Value::Int(static_cast<int64_t>(SelfList(vm, a[0], "__len__")->items.size()));
}

Value LContains(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__contains__", n - 1, 1, 1);
  ListObj* l = SelfList(vm, a[0], "__contains__");
  for (size_t i = 0; i < l->items.size(); ++i) {
    if (Eq(vm, l->items[i], a[1])) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value LIter(VM& vm, Value* a, int, TupleObj*) {
  SelfList(vm, a[0], "__iter__");
  IterObj* it = NewIter(&vm, "list_iterator", nullptr);
  it->small = kIterList;
  it->a = a[0];
  return V(it);
}

Value TIndex(VM& vm, Value* a, int n, TupleObj*) {
  auto* t = As<TupleObj>(a[0]);
  return SeqIndexMethod(vm, a, n, t->items, t->n, "tuple");
}

Value TCount(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "count", n - 1, 1, 1);
  auto* t = As<TupleObj>(a[0]);
  int64_t c = 0;
  for (int64_t i = 0; i < t->n; ++i) {
    if (t->items[i].same(a[1]) || Eq(vm, t->items[i], a[1])) ++c;
  }
  return Value::Int(c);
}

Value RIndex(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "index", n - 1, 1, 1);
  if (Contains(vm, a[0], a[1]) && a[1].is_intlike()) {
    auto* r = As<RangeObj>(a[0]);
    return Value::Int((a[1].i - r->start) / r->step);
  }
  ValueError(vm, Repr(vm, a[1]) + " is not in range");
}

Value RCount(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "count", n - 1, 1, 1);
  return Value::Int(Contains(vm, a[0], a[1]) ? 1 : 0);
}

// ---- constructors ----

Value ListCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "list", kw);
  if (n > 1) TypeError(vm, "list expected at most 1 argument, got " + std::to_string(n));
  ListObj* l = NewList(&vm, 0);
  if (n == 1) {
    RootScope keep(vm);
    keep.Keep(V(l));
    ListExtend(vm, l, a[0]);
  }
  return V(l);
}

Value TupleCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "tuple", kw);
  if (n > 1) TypeError(vm, "tuple expected at most 1 argument, got " + std::to_string(n));
  if (n == 0) return V(NewTuple(&vm, 0));
  return V(ToTuple(vm, a[0]));
}

Value RangeCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "range", kw);
  if (n < 1) TypeError(vm, "range expected at least 1 argument, got 0");
  if (n > 3) TypeError(vm, "range expected at most 3 arguments, got " + std::to_string(n));
  auto* r = New<RangeObj>(&vm, Kind::kRange, T().range);
  if (n == 1) {
    r->start = 0;
    r->stop = IndexValue(vm, a[0]);
    r->step = 1;
  } else {
    r->start = IndexValue(vm, a[0]);
    r->stop = IndexValue(vm, a[1]);
    r->step = n == 3 ? IndexValue(vm, a[2]) : 1;
    if (r->step == 0) ValueError(vm, "range() arg 3 must not be zero");
  }
  return V(r);
}

Value SliceCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "slice", kw);
  if (n < 1) TypeError(vm, "slice expected at least 1 argument, got 0");
  if (n > 3) TypeError(vm, "slice expected at most 3 arguments, got " + std::to_string(n));
  auto* s = New<SliceObj>(&vm, Kind::kSlice, T().slice);
  if (n == 1) {
    s->start = Value::None();
    s->stop = a[0];
    s->step = Value::None();
  } else {
    s->start = a[0];
    s->stop = a[1];
    s->step = n == 3 ? a[2] : Value::None();
  }
  return V(s);
}

Value SliceIndicesM(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "indices", n - 1, 1, 1);
  int64_t len = IndexValue(vm, a[1]);
  if (len < 0) ValueError(vm, "length should not be negative");
  int64_t start, stop, step;
  SliceIndices(vm, As<SliceObj>(a[0]), len, &start, &stop, &step);
  Value items[3] = {Value::Int(start), Value::Int(stop), Value::Int(step)};
  return V(NewTupleFrom(&vm, items, 3));
}

}  // namespace

void RegisterListMethods(ClassObj* list, ClassObj* tuple) {
  DictObj* m = list->dict;
  AddNative(m, "append", LAppend);
  AddNative(m, "extend", LExtend);
  AddNative(m, "insert", LInsert);
  AddNative(m, "pop", LPop);
  AddNative(m, "remove", LRemove);
  AddNative(m, "index", LIndex);
  AddNative(m, "count", LCount);
  AddNative(m, "sort", LSort);
  AddNative(m, "reverse", LReverse);
  AddNative(m, "copy", LCopy);
  AddNative(m, "clear", LClear);
  AddNative(m, "__init__", LInit);
  AddNative(m, "__getitem__", LGetitem);
  AddNative(m, "__setitem__", LSetitem);
  AddNative(m, "__len__", LLen);
  AddNative(m, "__contains__", LContains);
  AddNative(m, "__iter__", LIter);
  list->ctor = ListCtor;
  AddNative(tuple->dict, "index", TIndex);
  AddNative(tuple->dict, "count", TCount);
  tuple->ctor = TupleCtor;
  const BuiltinTypes& t = T();
  AddNative(t.range->dict, "index", RIndex);
  AddNative(t.range->dict, "count", RCount);
  t.range->ctor = RangeCtor;
  AddNative(t.slice->dict, "indices", SliceIndicesM);
  t.slice->ctor = SliceCtor;
}

}  // namespace edgeflow::script
