// set and frozenset: a transcription of CPython 3.11's setobject.c table
// (linear probes, perturbation, resize policy, dummy handling and the exact
// construction order of every operation), so that a set prints its elements
// in the same order as CPython does.
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

constexpr int kLinearProbes = 9;
constexpr int kPerturbShift = 5;
constexpr int64_t kDummyHash = -1;

// Slot states: empty (key unbound, hash 0), dummy (key unbound, hash -1), active.
inline bool Empty(const SetEntry& e) { return e.key.unbound() && e.hash == 0; }
inline bool Dummy(const SetEntry& e) { return e.key.unbound() && e.hash == kDummyHash; }
inline bool Active(const SetEntry& e) { return !e.key.unbound(); }

inline int64_t KeyHash(VM& vm, const Value& key) {
  return static_cast<int64_t>(Hash(vm, key));
}

inline bool KeyEq(VM& vm, const Value& a, const Value& b) {
  if (a.same(b)) return true;
  if (IsStr(a) && IsStr(b)) {
    auto* x = As<StrObj>(a);
    auto* y = As<StrObj>(b);
    return x->nbytes == y->nbytes && std::memcmp(x->data, y->data, x->nbytes) == 0;
  }
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) return false;
  return Eq(vm, a, b);
}

void InsertClean(std::vector<SetEntry, PoolAllocator<SetEntry>>& table, const Value& key, int64_t hash) {
  size_t mask = table.size() - 1;
  size_t perturb = static_cast<size_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  for (;;) {
    SetEntry* entry = &table[i];
    bool found = entry->key.unbound();
    if (!found && i + kLinearProbes <= mask) {
      for (int j = 0; j < kLinearProbes && !found; ++j) {
        ++entry;
        found = entry->key.unbound();
      }
    }
    if (found) {
      entry->key = key;
      entry->hash = hash;
      return;
    }
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

void Resize(VM& vm, SetObj* s, int64_t minused) {
  size_t newsize = 8;
  while (newsize <= static_cast<size_t>(minused)) newsize <<= 1;
  std::vector<SetEntry, PoolAllocator<SetEntry>> old(s->table.get_allocator());
  old.swap(s->table);
  size_t old_cap = old.capacity();
  s->table.assign(newsize, SetEntry{});
  for (const SetEntry& e : old) {
    if (Active(e)) InsertClean(s->table, e.key, e.hash);
  }
  s->fill = s->used;
  vm.Account(static_cast<int64_t>(s->table.capacity()) * static_cast<int64_t>(sizeof(SetEntry)) -
             static_cast<int64_t>(old_cap * sizeof(SetEntry)));
}

// Returns the slot index holding key, or -1.
int64_t LookKey(VM& vm, SetObj* s, const Value& key, int64_t hash) {
  size_t mask = s->table.size() - 1;
  size_t perturb = static_cast<size_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  for (;;) {
    size_t j = i;
    int probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    do {
      const SetEntry& e = s->table[j];
      if (Empty(e)) return -1;
      if (e.hash == hash && Active(e)) {
        Value k = e.key;
        if (KeyEq(vm, k, key)) return static_cast<int64_t>(j);
        if (s->table.size() - 1 != mask) return LookKey(vm, s, key, hash);  // mutated
      }
      ++j;
    } while (probes--);
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

void AddEntry(VM& vm, SetObj* s, const Value& key, int64_t hash) {
restart:
  size_t mask = s->table.size() - 1;
  size_t perturb = static_cast<size_t>(hash);
  size_t i = static_cast<size_t>(hash) & mask;
  int64_t freeslot = -1;
  for (;;) {
    size_t j = i;
    int probes = (i + kLinearProbes <= mask) ? kLinearProbes : 0;
    do {
      SetEntry& e = s->table[j];
      if (Empty(e)) {
        if (freeslot >= 0) {
          ++s->used;
          s->table[freeslot] = {key, hash};
          return;
        }
        ++s->fill;
        ++s->used;
        e.key = key;
        e.hash = hash;
        if (static_cast<size_t>(s->fill) * 5 < mask * 3) return;
        Resize(vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
        return;
      }
      if (e.hash == hash && Active(e)) {
        Value k = e.key;
        if (KeyEq(vm, k, key)) return;
        if (s->table.size() - 1 != mask) goto restart;
      } else if (Dummy(e) && freeslot < 0) {
        freeslot = static_cast<int64_t>(j);
      }
      ++j;
    } while (probes--);
    perturb >>= kPerturbShift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

bool DiscardEntry(VM& vm, SetObj* s, const Value& key, int64_t hash) {
  int64_t j = LookKey(vm, s, key, hash);
  if (j < 0) return false;
  s->table[j].key = Value();
  s->table[j].hash = kDummyHash;
  --s->used;
  return true;
}

SetObj* NewLike(VM& vm, ClassObj* cls) {
  // Results of set operations have the builtin base type (set or frozenset).
  bool frozen = IsSubclass(cls, T().frozenset);
  return NewSet(&vm, frozen);
}

void Merge(VM& vm, SetObj* s, SetObj* other) {
  if (s == other || other->used == 0) return;
  size_t mask = s->table.size() - 1;
  if (static_cast<size_t>(s->fill + other->used) * 5 >= mask * 3) {
    Resize(vm, s, (s->used + other->used) * 2);
  }
  if (s->fill == 0 && s->table.size() == other->table.size() && other->fill == other->used) {
    for (size_t i = 0; i < other->table.size(); ++i) {
      if (Active(other->table[i])) s->table[i] = other->table[i];
    }
    s->fill = other->fill;
    s->used = other->used;
    return;
  }
  if (s->fill == 0) {
    s->fill = other->used;
    s->used = other->used;
    for (const SetEntry& e : other->table) {
      if (Active(e)) InsertClean(s->table, e.key, e.hash);
    }
    return;
  }
  for (size_t i = 0; i < other->table.size(); ++i) {
    SetEntry e = other->table[i];
    if (Active(e)) AddEntry(vm, s, e.key, e.hash);
  }
}

void UpdateInternal(VM& vm, SetObj* s, const Value& other) {
  if (IsSet(other)) {
    Merge(vm, s, As<SetObj>(other));
    return;
  }
  if (IsDict(other) && other.o->cls == T().dict) {
    auto* d = As<DictObj>(other);
    size_t mask = s->table.size() - 1;
    if (static_cast<size_t>(s->fill + d->live) * 5 >= mask * 3) {
      Resize(vm, s, (s->used + d->live) * 2);
    }
    for (size_t i = 0; i < d->entries.size(); ++i) {
      DictEntry e = d->entries[i];
      if (!e.key.unbound()) AddEntry(vm, s, e.key, static_cast<int64_t>(e.hash));
    }
    return;
  }
  Value it = GetIter(vm, other);
  RootScope keep(vm);
  keep.Keep(it);
  keep.Keep(V(s));
  Value key;
  while (Next(vm, it, &key)) AddEntry(vm, s, key, KeyHash(vm, key));
}

SetObj* Copy(VM& vm, SetObj* s) {
  SetObj* c = NewLike(vm, s->cls);
  Merge(vm, c, s);
  return c;
}

void Clear(SetObj* s) {
  s->table.assign(8, SetEntry{});
  s->fill = 0;
  s->used = 0;
}

void DifferenceUpdateInternal(VM& vm, SetObj* s, const Value& other) {
  if (other.same(V(s))) {
    Clear(s);
    return;
  }
  if (IsSet(other)) {
    auto* o = As<SetObj>(other);
    for (size_t i = 0; i < o->table.size(); ++i) {
      SetEntry e = o->table[i];
      if (Active(e)) DiscardEntry(vm, s, e.key, e.hash);
    }
  } else {
    RootScope keep(vm);
    keep.Keep(V(s));
    for (const Value& k : ToVector(vm, other)) DiscardEntry(vm, s, k, KeyHash(vm, k));
  }
  if (static_cast<size_t>(s->fill - s->used) <= (s->table.size() - 1) / 4) return;
  Resize(vm, s, s->used > 50000 ? s->used * 2 : s->used * 4);
}

SetObj* Intersection(VM& vm, SetObj* so, const Value& other) {
  if (other.same(V(so))) return Copy(vm, so);
  SetObj* result = NewLike(vm, so->cls);
  if (IsSet(other)) {
    SetObj* a = so;
    auto* b = As<SetObj>(other);
    if (b->used > a->used) std::swap(a, b);
    for (size_t i = 0; i < b->table.size(); ++i) {
      SetEntry e = b->table[i];
      if (Active(e) && LookKey(vm, a, e.key, e.hash) >= 0) AddEntry(vm, result, e.key, e.hash);
    }
    return result;
  }
  RootScope keep(vm);
  keep.Keep(V(result));
  for (const Value& k : ToVector(vm, other)) {
    int64_t h = KeyHash(vm, k);
    if (LookKey(vm, so, k, h) >= 0) AddEntry(vm, result, k, h);
  }
  return result;
}

SetObj* Difference(VM& vm, SetObj* so, const Value& other) {
  int64_t other_size;
  if (IsSet(other)) {
    other_size = As<SetObj>(other)->used;
  } else if (IsDict(other) && other.o->cls == T().dict) {
    other_size = As<DictObj>(other)->live;
  } else {
    SetObj* r = Copy(vm, so);
    RootScope keep(vm);
    keep.Keep(V(r));
    DifferenceUpdateInternal(vm, r, other);
    return r;
  }
  if ((so->used >> 2) > other_size) {
    SetObj* r = Copy(vm, so);
    DifferenceUpdateInternal(vm, r, other);
    return r;
  }
  SetObj* result = NewLike(vm, so->cls);
  for (size_t i = 0; i < so->table.size(); ++i) {
    SetEntry e = so->table[i];
    if (!Active(e)) continue;
    bool in_other;
    if (IsSet(other)) {
      in_other = LookKey(vm, As<SetObj>(other), e.key, e.hash) >= 0;
    } else {
      Value v;
      in_other = DictGet(&vm, As<DictObj>(other), e.key, &v);
    }
    if (!in_other) AddEntry(vm, result, e.key, e.hash);
  }
  return result;
}

void SymmetricDifferenceUpdate(VM& vm, SetObj* s, const Value& other) {
  if (other.same(V(s))) {
    Clear(s);
    return;
  }
  SetObj* o;
  RootScope keep(vm);
  if (IsSet(other)) {
    o = As<SetObj>(other);
  } else {
    o = NewLike(vm, s->cls);
    keep.Keep(V(o));
    UpdateInternal(vm, o, other);
  }
  for (size_t i = 0; i < o->table.size(); ++i) {
    SetEntry e = o->table[i];
    if (!Active(e)) continue;
    if (!DiscardEntry(vm, s, e.key, e.hash)) AddEntry(vm, s, e.key, e.hash);
  }
}

SetObj* SymmetricDifference(VM& vm, SetObj* so, const Value& other) {
  SetObj* r = NewLike(vm, so->cls);
  RootScope keep(vm);
  keep.Keep(V(r));
  UpdateInternal(vm, r, other);
  SymmetricDifferenceUpdate(vm, r, V(so));
  return r;
}

bool IsSubset(VM& vm, SetObj* a, SetObj* b) {
  if (a->used > b->used) return false;
  for (size_t i = 0; i < a->table.size(); ++i) {
    SetEntry e = a->table[i];
    if (Active(e) && LookKey(vm, b, e.key, e.hash) < 0) return false;
  }
  return true;
}

void SwapBodies(SetObj* a, SetObj* b) {
  std::swap(a->table, b->table);
  std::swap(a->fill, b->fill);
  std::swap(a->used, b->used);
}

}  // namespace

// ---- the runtime interface ----

bool SetContains(VM& vm, SetObj* s, const Value& key) {
  int64_t h;
  try {
    h = KeyHash(vm, key);
  } catch (const PyException&) {
    // `x in s` with an unhashable set x looks up frozenset(x), as CPython does.
    if (IsSet(key) && IsInstance(vm.exc, T().TypeError)) {
      vm.exc = Value();
      SetObj* f = NewSet(&vm, true);
      Merge(vm, f, As<SetObj>(key));
      return LookKey(vm, s, V(f), KeyHash(vm, V(f))) >= 0;
    }
    throw;
  }
  return LookKey(vm, s, key, h) >= 0;
}

void SetAdd(VM& vm, SetObj* s, const Value& key) { AddEntry(vm, s, key, KeyHash(vm, key)); }

bool SetDiscard(VM& vm, SetObj* s, const Value& key) {
  return DiscardEntry(vm, s, key, KeyHash(vm, key));
}

void SetUpdate(VM& vm, SetObj* s, const Value& iterable) { UpdateInternal(vm, s, iterable); }

SetObj* SetCopy(VM& vm, SetObj* s, bool frozen) {
  SetObj* c = NewSet(&vm, frozen);
  Merge(vm, c, s);
  return c;
}

Value SetBinary(VM& vm, int op, SetObj* a, SetObj* b) {
  switch (op) {
    case kBitOr: {
      SetObj* r = Copy(vm, a);
      if (a != b) UpdateInternal(vm, r, V(b));
      return V(r);
    }
    case kBitAnd: return V(Intersection(vm, a, V(b)));
    case kSub: return V(Difference(vm, a, V(b)));
    default: return V(SymmetricDifference(vm, a, V(b)));
  }
}

void SetInplace(VM& vm, int op, SetObj* a, SetObj* b) {
  switch (op) {
    case kBitOr: UpdateInternal(vm, a, V(b)); break;
    case kBitAnd: {
      SetObj* t = Intersection(vm, a, V(b));
      SwapBodies(a, t);
      break;
    }
    case kSub: DifferenceUpdateInternal(vm, a, V(b)); break;
    default: SymmetricDifferenceUpdate(vm, a, V(b)); break;
  }
}

bool SetCompare(VM& vm, int op, SetObj* a, SetObj* b) {
  switch (op) {
    case kEq: return a->used == b->used && IsSubset(vm, a, b);
    case kNe: return !(a->used == b->used && IsSubset(vm, a, b));
    case kLe: return IsSubset(vm, a, b);
    case kGe: return IsSubset(vm, b, a);
    case kLt: return a->used < b->used && IsSubset(vm, a, b);
    default: return a->used > b->used && IsSubset(vm, b, a);
  }
}

// ---- iteration ----

namespace {

bool SetIterNext(VM& vm, IterObj* it, Value* out) {
  auto* s = As<SetObj>(it->a);
  if (s->used != it->j) {
    it->j = -1;
    Raise(vm, T().RuntimeError, "Set changed size during iteration");
  }
  while (it->i < static_cast<int64_t>(s->table.size())) {
    const SetEntry& e = s->table[it->i++];
    if (Active(e)) {
      *out = e.key;
      return true;
    }
  }
  return false;
}

}  // namespace

Value SetIter(VM& vm, SetObj* s) {
  IterObj* it = NewIter(&vm, "set_iterator", SetIterNext);
  it->a = V(s);
  it->i = 0;
  it->j = s->used;
  return V(it);
}

// ---- methods ----

namespace {

SetObj* Self(VM& vm, const Value& v, const char* method) {
  if (!IsSet(v)) {
    TypeError(vm, std::string("descriptor '") + method + "' requires a 'set' object but received a '" +
                      std::string(TypeName(v)) + "'");
  }
  return As<SetObj>(v);
}

SetObj* Mutable(VM& vm, const Value& v, const char* method) {
  SetObj* s = Self(vm, v, method);
  if (IsSubclass(s->cls, T().frozenset)) {
    Raise(vm, T().AttributeError, "'frozenset' object has no attribute '" + std::string(method) + "'");
  }
  return s;
}

Value MAdd(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.add", n - 1, 1, 1);
  SetAdd(vm, Mutable(vm, a[0], "add"), a[1]);
  return Value::None();
}

Value MDiscard(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.discard", n - 1, 1, 1);
  SetDiscard(vm, Mutable(vm, a[0], "discard"), a[1]);
  return Value::None();
}

Value MRemove(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.remove", n - 1, 1, 1);
  if (!SetDiscard(vm, Mutable(vm, a[0], "remove"), a[1])) RaiseKeyError(vm, a[1]);
  return Value::None();
}

Value MPop(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.pop", n - 1, 0, 0);
  SetObj* s = Mutable(vm, a[0], "pop");
  if (s->used == 0) Raise(vm, T().KeyError, "pop from an empty set");
  size_t mask = s->table.size() - 1;
  size_t i = static_cast<size_t>(s->finger) & mask;
  while (!Active(s->table[i])) i = (i + 1) & mask;
  Value key = s->table[i].key;
  s->table[i].key = Value();
  s->table[i].hash = kDummyHash;
  --s->used;
  s->finger = static_cast<int64_t>(i) + 1;
  return key;
}

Value MClear(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.clear", n - 1, 0, 0);
  Clear(Mutable(vm, a[0], "clear"));
  return Value::None();
}

Value MCopy(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "set.copy", n - 1, 0, 0);
  SetObj* s = Self(vm, a[0], "copy");
  if (s->cls == T().frozenset) return a[0];
  return V(Copy(vm, s));
}

Value MUpdate(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Mutable(vm, a[0], "update");
  for (int i = 1; i < n; ++i) UpdateInternal(vm, s, a[i]);
  return Value::None();
}

Value MUnion(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Self(vm, a[0], "union");
  SetObj* r = Copy(vm, s);
  RootScope keep(vm);
  keep.Keep(V(r));
  for (int i = 1; i < n; ++i) {
    if (!a[i].same(a[0])) UpdateInternal(vm, r, a[i]);
  }
  return V(r);
}

Value MIntersection(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Self(vm, a[0], "intersection");
  if (n == 1) return V(Copy(vm, s));
  SetObj* r = s;
  RootScope keep(vm);
  for (int i = 1; i < n; ++i) {
    r = Intersection(vm, r, a[i]);
    keep.Keep(V(r));
  }
  return V(r);
}

Value MIntersectionUpdate(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Mutable(vm, a[0], "intersection_update");
  RootScope keep(vm);
  SetObj* r = s;
  for (int i = 1; i < n; ++i) {
    r = Intersection(vm, r, a[i]);
    keep.Keep(V(r));
  }
  if (r != s) SwapBodies(s, r);
  return Value::None();
}

Value MDifference(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Self(vm, a[0], "difference");
  if (n == 1) return V(Copy(vm, s));
  SetObj* r = Difference(vm, s, a[1]);
  RootScope keep(vm);
  keep.Keep(V(r));
  for (int i = 2; i < n; ++i) DifferenceUpdateInternal(vm, r, a[i]);
  return V(r);
}

Value MDifferenceUpdate(VM& vm, Value* a, int n, TupleObj*) {
  SetObj* s = Mutable(vm, a[0], "difference_update");
  for (int i = 1; i < n; ++i) DifferenceUpdateInternal(vm, s, a[i]);
  return Value::None();
}

Value MSymDiff(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "symmetric_difference", n - 1, 1, 1);
  return V(SymmetricDifference(vm, Self(vm, a[0], "symmetric_difference"), a[1]));
}

Value MSymDiffUpdate(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "symmetric_difference_update", n - 1, 1, 1);
  SymmetricDifferenceUpdate(vm, Mutable(vm, a[0], "symmetric_difference_update"), a[1]);
  return Value::None();
}

SetObj* AsSet(VM& vm, const Value& v, RootScope& keep) {
  if (IsSet(v)) return As<SetObj>(v);
  SetObj* t = NewSet(&vm);
  keep.Keep(V(t));
  UpdateInternal(vm, t, v);
  return t;
}

Value MIsSubset(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "issubset", n - 1, 1, 1);
  RootScope keep(vm);
  return Value::Bool(IsSubset(vm, Self(vm, a[0], "issubset"), AsSet(vm, a[1], keep)));
}

Value MIsSuperset(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "issuperset", n - 1, 1, 1);
  SetObj* s = Self(vm, a[0], "issuperset");
  if (IsSet(a[1])) return Value::Bool(IsSubset(vm, As<SetObj>(a[1]), s));
  for (const Value& k : ToVector(vm, a[1])) {
    if (!SetContains(vm, s, k)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value MIsDisjoint(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "isdisjoint", n - 1, 1, 1);
  SetObj* s = Self(vm, a[0], "isdisjoint");
  if (IsSet(a[1])) {
    SetObj* o = As<SetObj>(a[1]);
    SetObj* small = s->used <= o->used ? s : o;
    SetObj* big = small == s ? o : s;
    for (size_t i = 0; i < small->table.size(); ++i) {
      SetEntry e = small->table[i];
      if (Active(e) && LookKey(vm, big, e.key, e.hash) >= 0) return Value::Bool(false);
    }
    return Value::Bool(true);
  }
  for (const Value& k : ToVector(vm, a[1])) {
    if (SetContains(vm, s, k)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value MInit(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "set", kw);
  if (n > 2) TypeError(vm, "set expected at most 1 argument, got " + std::to_string(n - 1));
  SetObj* s = Self(vm, a[0], "__init__");
  Clear(s);
  if (n == 2) UpdateInternal(vm, s, a[1]);
  return Value::None();
}

Value MContains(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__contains__", n - 1, 1, 1);
  return Value::Bool(SetContains(vm, Self(vm, a[0], "__contains__"), a[1]));
}

Value MLen(VM& vm, Value* a, int, TupleObj*) { return Value::Int(Self(vm, a[0], "__len__")->used); }

Value MIter(VM& vm, Value* a, int, TupleObj*) { return SetIter(vm, Self(vm, a[0], "__iter__")); }

}  // namespace

void RegisterSetMethods(ClassObj* set, ClassObj* frozenset) {
  for (ClassObj* c : {set, frozenset}) {
    DictObj* m = c->dict;
    AddNative(m, "copy", MCopy);
    AddNative(m, "union", MUnion);
    AddNative(m, "intersection", MIntersection);
    AddNative(m, "difference", MDifference);
    AddNative(m, "symmetric_difference", MSymDiff);
    AddNative(m, "issubset", MIsSubset);
    AddNative(m, "issuperset", MIsSuperset);
    AddNative(m, "isdisjoint", MIsDisjoint);
    AddNative(m, "__contains__", MContains);
    AddNative(m, "__len__", MLen);
    AddNative(m, "__iter__", MIter);
  }
  DictObj* m = set->dict;
  AddNative(m, "add", MAdd);
  AddNative(m, "discard", MDiscard);
  AddNative(m, "remove", MRemove);
  AddNative(m, "pop", MPop);
  AddNative(m, "clear", MClear);
  AddNative(m, "update", MUpdate);
  AddNative(m, "intersection_update", MIntersectionUpdate);
  AddNative(m, "difference_update", MDifferenceUpdate);
  AddNative(m, "symmetric_difference_update", MSymDiffUpdate);
  AddNative(m, "__init__", MInit);
}

}  // namespace edgeflow::script
