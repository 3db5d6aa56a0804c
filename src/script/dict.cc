// dict: an insertion-ordered hash map (dense entry array plus a sparse index,
// the index built only past kLinearMax entries), its views and iterators, and
// the dict methods.
#include <algorithm>

#include "script/runtime.h"

namespace edgeflow::script {

namespace {

constexpr size_t kLinearMax = 4;  // up to this many entries, lookups scan

inline uint64_t KeyHash(VM* vm, const Value& key) {
  if (IsStr(key)) {
    auto* s = As<StrObj>(key);
    if (!s->hashed) {
      s->hash = HashBytes(s->view());
      s->hashed = true;
    }
    return s->hash;
  }
  if (key.tag == Tag::kInt) return static_cast<uint64_t>(HashInt(key.i));
  return Hash(*vm, key);
}

inline bool StrEq(StrObj* a, StrObj* b) {
  return a == b || (a->nbytes == b->nbytes && std::memcmp(a->data, b->data, a->nbytes) == 0);
}

// Key equality for a probe whose hashes already match.
inline bool KeyEq(VM* vm, const Value& a, const Value& b) {
  if (a.same(b)) return true;
  if (IsStr(a) && IsStr(b)) return StrEq(As<StrObj>(a), As<StrObj>(b));
  if (a.tag == Tag::kInt && b.tag == Tag::kInt) return false;
  if (vm == nullptr) return false;
  return Eq(*vm, a, b);
}

size_t IndexSizeFor(size_t n) {
  size_t size = 16;
  while (size * 2 < n * 3) size *= 2;  // load factor <= 2/3
  return size;
}

void BuildIndex(VM* vm, DictObj* d) {
  size_t size = IndexSizeFor(d->entries.size() + 1);
  int64_t grown = d->index.Reset(d->pool(), static_cast<uint32_t>(size));
  size_t mask = size - 1;
  for (size_t e = 0; e < d->entries.size(); ++e) {
    if (d->entries[e].key.unbound()) continue;
    uint64_t h = d->entries[e].hash;
    size_t i = h & mask;
    uint64_t perturb = h;
    while (d->index.get(i) >= 0) {
      perturb >>= 5;
      i = (i * 5 + perturb + 1) & mask;
    }
    d->index.set(i, static_cast<int32_t>(e));
  }
  if (vm) vm->Account(grown);
}

void DropIndex(VM* vm, DictObj* d) {
  int64_t freed = d->index.Reset(d->pool(), 0);
  if (vm) vm->Account(freed);
}

// Drops deleted entries (renumbering the index).
void Compact(VM* vm, DictObj* d) {
  size_t j = 0;
  for (size_t e = 0; e < d->entries.size(); ++e) {
    if (!d->entries[e].key.unbound()) d->entries[j++] = d->entries[e];
  }
  d->entries.resize(j);
  if (d->entries.size() > kLinearMax) BuildIndex(vm, d);
  else DropIndex(vm, d);
}

// Returns the entry index of key, or -1. *slot receives the index slot where
// the key would be inserted (when the index is in use).
int64_t Find(VM* vm, DictObj* d, const Value& key, uint64_t h, size_t* slot) {
  if (d->index.empty()) {
    // Few entries: scan (KeyEq tries identity first: constants are interned).
    for (size_t e = 0; e < d->entries.size(); ++e) {
      const DictEntry& en = d->entries[e];
      if (en.hash == h && !en.key.unbound() && KeyEq(vm, en.key, key)) return static_cast<int64_t>(e);
    }
    return -1;
  }
  size_t mask = d->index.size() - 1;
  size_t i = h & mask;
  uint64_t perturb = h;
  int64_t free_slot = -1;
  for (;;) {
    int32_t ix = d->index.get(i);
    if (ix == DictIndex::kEmpty) {
      if (slot) *slot = free_slot >= 0 ? static_cast<size_t>(free_slot) : i;
      return -1;
    }
    if (ix == DictIndex::kDeleted) {
      if (free_slot < 0) free_slot = static_cast<int64_t>(i);
    } else {
      const DictEntry& en = d->entries[ix];
      if (en.hash == h && KeyEq(vm, en.key, key)) {
        if (slot) *slot = i;
        return ix;
      }
      // A user __eq__ may have resized the dict: start over if so.
      if (d->index.size() - 1 != mask) return Find(vm, d, key, h, slot);
    }
    perturb >>= 5;
    i = (i * 5 + perturb + 1) & mask;
  }
}

void Insert(VM* vm, DictObj* d, const Value& key, uint64_t h, const Value& v) {
  size_t slot = 0;
  int64_t e = Find(vm, d, key, h, &slot);
  if (e >= 0) {
    d->entries[e].value = v;
    return;
  }
  size_t cap = d->entries.capacity();
  d->entries.push_back({key, v, h});
  ++d->live;
  if (vm && d->entries.capacity() != cap) {
    vm->Account(static_cast<int64_t>((d->entries.capacity() - cap) * sizeof(DictEntry)));
  }
  size_t n = d->entries.size();
  if (d->index.empty()) {
    if (n > kLinearMax) BuildIndex(vm, d);
    return;
  }
  if (n * 3 >= d->index.size() * 2) {
    if (static_cast<size_t>(d->live) * 2 < n) Compact(vm, d);
    else BuildIndex(vm, d);
    return;
  }
  d->index.set(slot, static_cast<int32_t>(n - 1));
}

}  // namespace

bool DictGet(VM* vm, DictObj* d, const Value& key, Value* out) {
  uint64_t h = KeyHash(vm, key);
  int64_t e = Find(vm, d, key, h, nullptr);
  if (e < 0) return false;
  *out = d->entries[e].value;
  return true;
}

bool DictGetStr(DictObj* d, StrObj* key, Value* out) {
  Value* p = DictFindStr(d, key);
  if (p == nullptr) return false;
  *out = *p;
  return true;
}

Value* DictFindStr(DictObj* d, StrObj* key) {
  if (d->live == 0) return nullptr;
  Value k = V(key);
  uint64_t h = KeyHash(nullptr, k);
  int64_t e = Find(nullptr, d, k, h, nullptr);
  return e < 0 ? nullptr : &d->entries[e].value;
}

bool DictGetView(DictObj* d, std::string_view key, Value* out) {
  if (d->live == 0) return false;
  uint64_t h = HashBytes(key);
  for (const DictEntry& en : d->entries) {
    if (en.hash == h && IsStr(en.key) && As<StrObj>(en.key)->view() == key) {
      *out = en.value;
      return true;
    }
  }
  return false;
}

void DictSet(VM* vm, DictObj* d, const Value& key, const Value& v) {
  Insert(vm, d, key, KeyHash(vm, key), v);
}

void DictReserve(VM* vm, DictObj* d, size_t n) {
  size_t cap = d->entries.capacity();
  d->entries.reserve(d->entries.size() + n);
  if (vm && d->entries.capacity() != cap) {
    vm->Account(static_cast<int64_t>((d->entries.capacity() - cap) * sizeof(DictEntry)));
  }
}

bool DictDel(VM* vm, DictObj* d, const Value& key) {
  uint64_t h = KeyHash(vm, key);
  size_t slot = 0;
  int64_t e = Find(vm, d, key, h, &slot);
  if (e < 0) return false;
  d->entries[e].key = Value();
  d->entries[e].value = Value();
  --d->live;
  if (!d->index.empty()) d->index.set(slot, DictIndex::kDeleted);
  // Trailing deletions are dropped at once (keeps popitem O(1)).
  while (!d->entries.empty() && d->entries.back().key.unbound()) d->entries.pop_back();
  if (d->entries.size() > 16 && static_cast<size_t>(d->live) * 2 < d->entries.size()) {
    Compact(vm, d);
  } else if (!d->index.empty() && d->entries.size() <= kLinearMax) {
    Compact(vm, d);
  }
  return true;
}

void DictClear(VM* vm, DictObj* d) {
  d->entries.clear();
  DropIndex(vm, d);
  d->live = 0;
}

DictObj* DictCopy(VM& vm, DictObj* d) {
  DictObj* c = NewDict(&vm);
  c->entries.reserve(d->live);
  for (const DictEntry& e : d->entries) {
    if (!e.key.unbound()) c->entries.push_back(e);
  }
  c->live = static_cast<int64_t>(c->entries.size());
  vm.Account(static_cast<int64_t>(c->entries.capacity() * sizeof(DictEntry)));
  if (c->entries.size() > kLinearMax) BuildIndex(&vm, c);
  return c;
}

void DictUpdate(VM& vm, DictObj* d, const Value& other) {
  if (IsDict(other)) {
    auto* o = As<DictObj>(other);
    for (size_t i = 0; i < o->entries.size(); ++i) {
      DictEntry e = o->entries[i];
      if (!e.key.unbound()) Insert(&vm, d, e.key, e.hash, e.value);
    }
    return;
  }
  // A mapping with keys(), or an iterable of pairs.
  Value keys;
  static StrObj* const kKeys = Intern("keys");
  if (other.is_obj() && !other.o->cls->is_builtin && TryGetAttr(vm, other, kKeys, &keys)) {
    RootScope keep(vm);
    keep.Keep(keys);
    for (const Value& k : ToVector(vm, Call0(vm, keys))) {
      keep.Keep(k);
      DictSet(&vm, d, k, GetItem(vm, other, k));
    }
    return;
  }
  Value it = GetIter(vm, other);
  RootScope keep(vm);
  keep.Keep(it);
  Value item;
  int64_t n = 0;
  while (Next(vm, it, &item)) {
    keep.Keep(item);
    std::vector<Value> pair;
    if (IsTuple(item) || IsList(item)) {
      pair = ToVector(vm, item);
    } else {
      TypeError(vm, "cannot convert dictionary update sequence element #" + std::to_string(n) +
                        " to a sequence");
    }
    if (pair.size() != 2) {
      ValueError(vm, "dictionary update sequence element #" + std::to_string(n) + " has length " +
                         std::to_string(pair.size()) + "; 2 is required");
    }
    DictSet(&vm, d, pair[0], pair[1]);
    ++n;
  }
}

bool DictEqual(VM& vm, DictObj* a, DictObj* b) {
  if (a->live != b->live) return false;
  for (size_t i = 0; i < a->entries.size(); ++i) {
    DictEntry e = a->entries[i];
    if (e.key.unbound()) continue;
    int64_t j = Find(&vm, b, e.key, e.hash, nullptr);
    if (j < 0) return false;
    Value bv = b->entries[j].value;
    if (!bv.same(e.value) && !Eq(vm, e.value, bv)) return false;
  }
  return true;
}

// ---- iteration ----

namespace {

bool DictIterNext(VM& vm, IterObj* it, Value* out) {
  auto* d = As<DictObj>(it->a);
  if (d->live != it->j) {
    it->j = -1;
    it->i = INT64_MAX;
    Raise(vm, T().RuntimeError, "dictionary changed size during iteration");
  }
  while (it->i < static_cast<int64_t>(d->entries.size())) {
    const DictEntry& e = d->entries[it->i++];
    if (e.key.unbound()) continue;
    switch (it->k) {
      case 0: *out = e.key; break;
      case 1: *out = e.value; break;
      default: {
        Value kv[2] = {e.key, e.value};
        *out = V(NewTupleFrom(&vm, kv, 2));
      }
    }
    return true;
  }
  return false;
}

bool DictRevIterNext(VM& vm, IterObj* it, Value* out) {
  auto* d = As<DictObj>(it->a);
  if (d->live != it->j) {
    it->i = -1;
    Raise(vm, T().RuntimeError, "dictionary changed size during iteration");
  }
  while (it->i > 0) {
    const DictEntry& e = d->entries[--it->i];
    if (e.key.unbound()) continue;
    switch (it->k) {
      case 0: *out = e.key; break;
      case 1: *out = e.value; break;
      default: {
        Value kv[2] = {e.key, e.value};
        *out = V(NewTupleFrom(&vm, kv, 2));
      }
    }
    return true;
  }
  return false;
}

const char* const kIterNames[] = {"dict_keyiterator", "dict_valueiterator", "dict_itemiterator"};
const char* const kRevIterNames[] = {"dict_reversekeyiterator", "dict_reversevalueiterator",
                                     "dict_reverseitemiterator"};

}  // namespace

Value DictIter(VM& vm, DictObj* d, int which) {
  IterObj* it = NewIter(&vm, kIterNames[which], DictIterNext);
  it->a = V(d);
  it->i = 0;
  it->j = d->live;
  it->k = which;
  return V(it);
}

Value DictReversedIter(VM& vm, DictObj* d, int which) {
  IterObj* it = NewIter(&vm, kRevIterNames[which], DictRevIterNext);
  it->a = V(d);
  it->i = static_cast<int64_t>(d->entries.size());
  it->j = d->live;
  it->k = which;
  return V(it);
}

Value NewDictView(VM& vm, DictObj* d, int which) {
  ClassObj* cls = which == 0 ? T().dict_keys : which == 1 ? T().dict_values : T().dict_items;
  auto* v = New<DictViewObj>(&vm, Kind::kDictView, cls);
  v->dict = d;
  v->which = which;
  return V(v);
}

// ---- methods ----

namespace {

DictObj* Self(VM& vm, const Value& v, const char* method) {
  if (!IsDict(v)) {
    TypeError(vm, std::string("descriptor '") + method + "' for 'dict' objects doesn't apply to a '" +
                      std::string(TypeName(v)) + "' object");
  }
  return As<DictObj>(v);
}

Value DictGetM(VM& vm, Value* args, int nargs, TupleObj* kw) {
  NoKwargs(vm, "get", kw);
  CheckArgs(vm, "get", nargs - 1, 1, 2);
  DictObj* d = Self(vm, args[0], "get");
  Value v;
  if (DictGet(&vm, d, args[1], &v)) return v;
  return nargs > 2 ? args[2] : Value::None();
}

Value DictSetdefault(VM& vm, Value* args, int nargs, TupleObj* kw) {
  NoKwargs(vm, "setdefault", kw);
  CheckArgs(vm, "setdefault", nargs - 1, 1, 2);
  DictObj* d = Self(vm, args[0], "setdefault");
  Value v;
  if (DictGet(&vm, d, args[1], &v)) return v;
  Value dv = nargs > 2 ? args[2] : Value::None();
  DictSet(&vm, d, args[1], dv);
  return dv;
}

Value DictPop(VM& vm, Value* args, int nargs, TupleObj* kw) {
  NoKwargs(vm, "pop", kw);
  CheckArgs(vm, "pop", nargs - 1, 1, 2);
  DictObj* d = Self(vm, args[0], "pop");
  Value v;
  if (DictGet(&vm, d, args[1], &v)) {
    DictDel(&vm, d, args[1]);
    return v;
  }
  if (nargs > 2) return args[2];
  RaiseKeyError(vm, args[1]);
}

Value DictPopitem(VM& vm, Value* args, int nargs, TupleObj* kw) {
  NoKwargs(vm, "popitem", kw);
  CheckArgs(vm, "popitem", nargs - 1, 0, 0);
  DictObj* d = Self(vm, args[0], "popitem");
  if (d->live == 0) Raise(vm, T().KeyError, "popitem(): dictionary is empty");
  DictEntry e = d->entries.back();
  Value kv[2] = {e.key, e.value};
  DictDel(&vm, d, e.key);
  return V(NewTupleFrom(&vm, kv, 2));
}

Value DictKeys(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "keys", nargs - 1, 0, 0);
  return NewDictView(vm, Self(vm, args[0], "keys"), 0);
}
Value DictValues(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "values", nargs - 1, 0, 0);
  return NewDictView(vm, Self(vm, args[0], "values"), 1);
}
Value DictItems(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "items", nargs - 1, 0, 0);
  return NewDictView(vm, Self(vm, args[0], "items"), 2);
}

Value DictUpdateM(VM& vm, Value* args, int nargs, TupleObj* kw) {
  DictObj* d = Self(vm, args[0], "update");
  if (nargs > 2) {
    TypeError(vm, "update expected at most 1 argument, got " + std::to_string(nargs - 1));
  }
  if (nargs == 2) DictUpdate(vm, d, args[1]);
  if (kw != nullptr) {
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, d, kw->items[i], args[nargs + i]);
  }
  return Value::None();
}

Value DictCopyM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "copy", nargs - 1, 0, 0);
  DictObj* d = Self(vm, args[0], "copy");
  DictObj* c = DictCopy(vm, d);
  if (d->cls != T().dict && d->cls->is_builtin) {
    c->cls = d->cls;
    c->default_factory = d->default_factory;
  }
  return V(c);
}

Value DictClearM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "clear", nargs - 1, 0, 0);
  DictClear(&vm, Self(vm, args[0], "clear"));
  return Value::None();
}

Value DictFromkeys(VM& vm, Value* args, int nargs, TupleObj* kw) {
  NoKwargs(vm, "fromkeys", kw);
  CheckArgs(vm, "fromkeys", nargs - 1, 1, 2);
  Value made = Call0(vm, args[0]);
  if (!IsDict(made)) TypeError(vm, "fromkeys: class did not make a dict");
  RootScope keep(vm);
  keep.Keep(made);
  Value v = nargs > 2 ? args[2] : Value::None();
  for (const Value& k : ToVector(vm, args[1])) DictSet(&vm, As<DictObj>(made), k, v);
  return made;
}

Value DictInit(VM& vm, Value* args, int nargs, TupleObj* kw) {
  DictObj* d = Self(vm, args[0], "__init__");
  if (nargs > 2) TypeError(vm, "dict expected at most 1 argument, got " + std::to_string(nargs - 1));
  if (nargs == 2) DictUpdate(vm, d, args[1]);
  if (kw != nullptr) {
    for (int64_t i = 0; i < kw->n; ++i) DictSet(&vm, d, kw->items[i], args[nargs + i]);
  }
  return Value::None();
}

Value DictGetitemM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__getitem__", nargs - 1, 1, 1);
  DictObj* d = Self(vm, args[0], "__getitem__");
  Value v;
  if (DictGet(&vm, d, args[1], &v)) return v;
  RaiseKeyError(vm, args[1]);
}

Value DictSetitemM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__setitem__", nargs - 1, 2, 2);
  DictSet(&vm, Self(vm, args[0], "__setitem__"), args[1], args[2]);
  return Value::None();
}

Value DictDelitemM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__delitem__", nargs - 1, 1, 1);
  if (!DictDel(&vm, Self(vm, args[0], "__delitem__"), args[1])) RaiseKeyError(vm, args[1]);
  return Value::None();
}

Value DictContainsM(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__contains__", nargs - 1, 1, 1);
  Value v;
  return Value::Bool(DictGet(&vm, Self(vm, args[0], "__contains__"), args[1], &v));
}

Value DictLenM(VM& vm, Value* args, int, TupleObj*) {
  return Value::Int(Self(vm, args[0], "__len__")->live);
}

Value DictIterM(VM& vm, Value* args, int, TupleObj*) {
  return DictIter(vm, Self(vm, args[0], "__iter__"), 0);
}

// Views combine with any iterable as sets (keys and items views).
Value ViewSetOp(VM& vm, Value* args, int nargs, int op, bool reflected) {
  CheckArgs(vm, "view op", nargs, 2, 2);
  Value self = reflected ? args[1] : args[0];
  Value other = reflected ? args[0] : args[1];
  auto* dv = As<DictViewObj>(self);
  if (dv->which == 1) return V(T().not_implemented);
  SetObj* a = NewSet(&vm);
  RootScope keep(vm);
  keep.Keep(V(a));
  SetUpdate(vm, a, self);
  SetObj* b = NewSet(&vm);
  keep.Keep(V(b));
  SetUpdate(vm, b, other);
  return reflected ? SetBinary(vm, op, b, a) : SetBinary(vm, op, a, b);
}
Value ViewAnd(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitAnd, false); }
Value ViewOr(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitOr, false); }
Value ViewSub(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kSub, false); }
Value ViewXor(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitXor, false); }
Value ViewRAnd(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitAnd, true); }
Value ViewROr(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitOr, true); }
Value ViewRSub(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kSub, true); }
Value ViewRXor(VM& vm, Value* a, int n, TupleObj*) { return ViewSetOp(vm, a, n, kBitXor, true); }

Value ViewEq(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__eq__", nargs, 2, 2);
  auto* dv = As<DictViewObj>(args[0]);
  if (dv->which == 1) return Value::Bool(args[0].same(args[1]));
  Value other = args[1];
  if (!IsSet(other) && !IsObj(other, Kind::kDictView)) return V(T().not_implemented);
  SetObj* a = NewSet(&vm);
  RootScope keep(vm);
  keep.Keep(V(a));
  SetUpdate(vm, a, args[0]);
  SetObj* b = NewSet(&vm);
  keep.Keep(V(b));
  SetUpdate(vm, b, other);
  return Value::Bool(SetCompare(vm, kEq, a, b));
}

Value ViewIsdisjoint(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "isdisjoint", nargs - 1, 1, 1);
  for (const Value& v : ToVector(vm, args[1])) {
    if (Contains(vm, args[0], v)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value DictOr(VM& vm, Value* args, int nargs, TupleObj*) {
  CheckArgs(vm, "__or__", nargs, 2, 2);
  if (!IsDict(args[0]) || !IsDict(args[1])) return V(T().not_implemented);
  DictObj* d = DictCopy(vm, As<DictObj>(args[0]));
  if (args[0].o->cls != T().dict) {
    d->cls = args[0].o->cls;
    d->default_factory = As<DictObj>(args[0])->default_factory;
  }
  DictUpdate(vm, d, args[1]);
  return V(d);
}

}  // namespace

void RegisterDictMethods(ClassObj* dict) {
  DictObj* m = dict->dict;
  AddNative(m, "get", DictGetM);
  AddNative(m, "setdefault", DictSetdefault);
  AddNative(m, "pop", DictPop);
  AddNative(m, "popitem", DictPopitem);
  AddNative(m, "keys", DictKeys);
  AddNative(m, "values", DictValues);
  AddNative(m, "items", DictItems);
  AddNative(m, "update", DictUpdateM);
  AddNative(m, "copy", DictCopyM);
  AddNative(m, "clear", DictClearM);
  AddClassMethod(m, "fromkeys", DictFromkeys);
  AddNative(m, "__init__", DictInit);
  AddNative(m, "__getitem__", DictGetitemM);
  AddNative(m, "__setitem__", DictSetitemM);
  AddNative(m, "__delitem__", DictDelitemM);
  AddNative(m, "__contains__", DictContainsM);
  AddNative(m, "__len__", DictLenM);
  AddNative(m, "__iter__", DictIterM);
  AddNative(m, "__or__", DictOr);
  for (ClassObj* view : {T().dict_keys, T().dict_items, T().dict_values}) {
    DictObj* v = view->dict;
    AddNative(v, "__eq__", ViewEq);
    if (view == T().dict_values) continue;
    AddNative(v, "__and__", ViewAnd);
    AddNative(v, "__or__", ViewOr);
    AddNative(v, "__sub__", ViewSub);
    AddNative(v, "__xor__", ViewXor);
    AddNative(v, "__rand__", ViewRAnd);
    AddNative(v, "__ror__", ViewROr);
    AddNative(v, "__rsub__", ViewRSub);
    AddNative(v, "__rxor__", ViewRXor);
    AddNative(v, "isdisjoint", ViewIsdisjoint);
  }
}

}  // namespace edgeflow::script
