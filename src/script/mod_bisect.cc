// The bisect module: CPython's _bisect (bisect_left, bisect_right, insort_left,
// insort_right and the bisect/insort aliases) with 3.10+ key= semantics: in
// bisect the key applies to the list's items only, insort applies it to x too.
#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

// Argument Clinic's parsing for `f(a, x, lo=0, hi=None, *, key=None)`, with its
// messages. out[0..5) unbound when not given.
void ParseBisectArgs(VM& vm, const char* fname, Value* a, int n, TupleObj* kw, Value* out) {
  static const char* const kNames[] = {"a", "x", "lo", "hi", "key"};
  constexpr int kMaxArgs = 5, kMaxPos = 4, kRequired = 2;
  const std::string f = std::string(fname) + "()";
  const int nkw = kw ? static_cast<int>(kw->n) : 0;
  for (int i = 0; i < kMaxArgs; ++i) out[i] = Value();
  if (n + nkw > kMaxArgs) {
    TypeError(vm, f + " takes at most 5 " + (n == 0 ? "keyword " : "") + "arguments (" +
                      std::to_string(n + nkw) + " given)");
  }
  if (n > kMaxPos) {
    TypeError(vm, f + " takes at most 4 positional arguments (" + std::to_string(n) + " given)");
  }
  for (int i = 0; i < n; ++i) out[i] = a[i];
  std::vector<bool> used(nkw, false);
  for (int i = n; i < kMaxArgs; ++i) {
    for (int k = 0; k < nkw; ++k) {
      if (As<StrObj>(kw->items[k])->view() == kNames[i]) {
        out[i] = a[n + k];
        used[k] = true;
      }
    }
    if (out[i].unbound() && i < kRequired) {
      TypeError(vm, f + " missing required argument '" + kNames[i] + "' (pos " +
                        std::to_string(i + 1) + ")");
    }
  }
  for (int k = 0; k < nkw; ++k) {
    if (used[k]) continue;
    std::string_view name = As<StrObj>(kw->items[k])->view();
    for (int i = 0; i < n; ++i) {
      if (name == kNames[i]) {
        TypeError(vm, "argument for " + f + " given by name ('" + std::string(name) +
                          "') and position (" + std::to_string(i + 1) + ")");
      }
    }
    TypeError(vm, "'" + std::string(name) + "' is an invalid keyword argument for " + f);
  }
}

struct BisectArgs {
  Value seq, x, key;
  int64_t lo = 0, hi = -1;  // hi -1: len(a) (None and -1 both mean it, as in CPython)
};

BisectArgs Parse(VM& vm, const char* fname, Value* a, int n, TupleObj* kw) {
  Value v[5];
  ParseBisectArgs(vm, fname, a, n, kw, v);
  BisectArgs r;
  r.seq = v[0];
  r.x = v[1];
  if (!v[2].unbound()) r.lo = IndexValue(vm, v[2]);
  if (!v[3].unbound() && !v[3].is_none()) {
    const Value& hi = v[3];
    bool indexable = hi.is_intlike() || (hi.is_obj() && !hi.o->cls->is_builtin &&
                                         !LookupClass(hi.o->cls, N().__index__).unbound());
    if (!indexable) {
      TypeError(vm, "argument should be integer or None, not '" + std::string(TypeName(hi)) + "'");
    }
    r.hi = IndexValue(vm, hi);
  }
  r.key = v[4].unbound() ? Value::None() : v[4];
  return r;
}

Value ItemAt(VM& vm, const Value& seq, int64_t i) {
  if (IsList(seq) && seq.o->cls == T().list) {
    auto* l = As<ListObj>(seq);
    if (i >= static_cast<int64_t>(l->items.size()))
      Raise(vm, T().IndexError, "list index out of range");
    return l->items[i];
  }
  return GetItem(vm, seq, Value::Int(i));
}

// internal_bisect_left / internal_bisect_right of Modules/_bisectmodule.c.
int64_t Bisect(VM& vm, const BisectArgs& b, const Value& x, bool right) {
  int64_t lo = b.lo, hi = b.hi;
  if (lo < 0) ValueError(vm, "lo must be non-negative");
  if (hi == -1) {
    if (IsDict(b.seq)) TypeError(vm, "dict is not a sequence");
    hi = Len(vm, b.seq);
  }
  while (lo < hi) {
    int64_t mid = static_cast<int64_t>((static_cast<uint64_t>(lo) + static_cast<uint64_t>(hi)) / 2);
    Value item = ItemAt(vm, b.seq, mid);
    if (!b.key.is_none()) item = Call1(vm, b.key, item);
    bool before = right ? Lt(vm, x, item) : !Lt(vm, item, x);
    if (before)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

Value BisectFn(VM& vm, Value* a, int n, TupleObj* kw, const char* fname, bool right) {
  NoGcScope no_gc(vm);
  BisectArgs b = Parse(vm, fname, a, n, kw);
  return Value::Int(Bisect(vm, b, b.x, right));
}

Value InsortFn(VM& vm, Value* a, int n, TupleObj* kw, const char* fname, bool right) {
  NoGcScope no_gc(vm);
  BisectArgs b = Parse(vm, fname, a, n, kw);
  Value kx = b.key.is_none() ? b.x : Call1(vm, b.key, b.x);
  int64_t index = Bisect(vm, b, kx, right);
  if (IsList(b.seq) && b.seq.o->cls == T().list) {
    auto* l = As<ListObj>(b.seq);
    int64_t len = static_cast<int64_t>(l->items.size());
    if (index > len) index = len;
    size_t cap = l->items.capacity();
    l->items.insert(l->items.begin() + index, b.x);
    if (l->items.capacity() != cap) {
      vm.Account(static_cast<int64_t>((l->items.capacity() - cap) * sizeof(Value)));
    }
  } else {
    Value insert = GetAttr(vm, b.seq, Intern("insert"));
    Call2(vm, insert, Value::Int(index), b.x);
  }
  return Value::None();
}

Value B_bisect_left(VM& vm, Value* a, int n, TupleObj* kw) {
  return BisectFn(vm, a, n, kw, "bisect_left", false);
}
Value B_bisect_right(VM& vm, Value* a, int n, TupleObj* kw) {
  return BisectFn(vm, a, n, kw, "bisect_right", true);
}
Value B_insort_left(VM& vm, Value* a, int n, TupleObj* kw) {
  return InsortFn(vm, a, n, kw, "insort_left", false);
}
Value B_insort_right(VM& vm, Value* a, int n, TupleObj* kw) {
  return InsortFn(vm, a, n, kw, "insort_right", true);
}

}  // namespace

ModuleObj* MakeBisectModule() {
  ModuleObj* m = NewLibraryModule("bisect");
  AddFunction(m, "bisect_left", B_bisect_left);
  AddFunction(m, "bisect_right", B_bisect_right);
  AddFunction(m, "insort_left", B_insort_left);
  AddFunction(m, "insort_right", B_insort_right);
  // The aliases are the same objects (bisect.bisect.__name__ == 'bisect_right').
  Value v;
  DictGetView(m->dict, "bisect_right", &v);
  AddConstant(m, "bisect", v);
  DictGetView(m->dict, "insort_right", &v);
  AddConstant(m, "insort", v);
  return m;
}

}  // namespace edgeflow::script
