// The random module: Python-object binding of RandomEngine (random_engine.h),
// which reproduces CPython's generator and algorithms bit for bit. The module
// functions use one generator per VM context (seeded from OS entropy, as at
// CPython's import); random.Random(seed) objects carry their own.
#include <cmath>

#include "script/modules.h"
#include "script/random_engine.h"
#include "script/runtime.h"

namespace edgeflow::script {

namespace {

struct EngineExt : VM::Extension {
  RandomEngine engine;
};

struct EngineData : HostData {
  explicit EngineData(int64_t seed) : engine(seed) {}
  EngineData() = default;
  RandomEngine engine;
  int64_t bytes() const override { return sizeof(RandomEngine); }
};

ClassObj* g_random_class = nullptr;

RandomEngine& ModuleEngine(VM& vm) {
  auto* ext = static_cast<EngineExt*>(vm.GetExtension("random"));
  if (ext == nullptr) {
    auto owned = std::make_unique<EngineExt>();
    ext = owned.get();
    vm.SetExtension("random", std::move(owned));
  }
  return ext->engine;
}

[[noreturn]] void RaiseRandom(VM& vm, const RandomError& e) {
  const BuiltinTypes& t = T();
  ClassObj* cls = t.ValueError;
  switch (e.type) {
    case RandomErrorType::kValueError: cls = t.ValueError; break;
    case RandomErrorType::kTypeError: cls = t.TypeError; break;
    case RandomErrorType::kIndexError: cls = t.IndexError; break;
    case RandomErrorType::kZeroDivisionError: cls = t.ZeroDivisionError; break;
    case RandomErrorType::kOverflowError: cls = t.OverflowError; break;
  }
  Raise(vm, cls, e.message);
}

template <typename T>
T Check(VM& vm, RandomResult<T> r) {
  if (!r.ok()) RaiseRandom(vm, r.error());
  return std::move(r).value();
}

int64_t IntArg(VM& vm, const Value& v, RandrangeArg which) {
  if (v.is_intlike()) return v.i;
  if (v.tag == Tag::kFloat) return Check(vm, RandomEngine::RandrangeArgFromFloat(v.f, which));
  return IndexValue(vm, v);
}

RandomNumber Number(VM& vm, const Value& v) {
  if (v.is_intlike()) return RandomNumber::Int(v.i);
  if (v.tag == Tag::kFloat) return RandomNumber::Float(v.f);
  return RandomNumber::Float(ToDouble(vm, v));
}

std::vector<RandomNumber> Numbers(VM& vm, const Value& seq) {
  std::vector<RandomNumber> out;
  for (const Value& v : ToVector(vm, seq)) out.push_back(Number(vm, v));
  return out;
}

std::vector<Value> SequenceItems(VM& vm, const Value& seq, const char* what) {
  if (IsSet(seq) || IsDict(seq)) {
    TypeError(vm, std::string(what) + " must be a sequence.  For dicts or sets, use sorted(d).");
  }
  if (IsList(seq) || IsTuple(seq) || IsStr(seq) || IsObj(seq, Kind::kRange) ||
      IsObj(seq, Kind::kDeque)) {
    return ToVector(vm, seq);
  }
  int64_t n = Len(vm, seq);
  std::vector<Value> out;
  for (int64_t i = 0; i < n; ++i) out.push_back(GetItem(vm, seq, Value::Int(i)));
  return out;
}

// ---- the functions, each on an explicit engine ----

using Impl = Value (*)(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw);

Value Seed(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  Value opts[2];
  ParseArgs(vm, {"seed", {"a", "version"}, 0}, a, n, kw, opts);
  Value s = opts[0];
  int64_t version = opts[1].unbound() ? 2 : IndexValue(vm, opts[1]);
  if (s.unbound() || s.is_none()) {
    e.SeedFromEntropy();
  } else if (s.is_intlike()) {
    e.SeedInt(s.i);
  } else if (s.tag == Tag::kFloat) {
    e.SeedFloat(s.f);
  } else if (IsStr(s)) {
    std::string_view text = As<StrObj>(s)->view();
    if (version == 1) {
      std::vector<uint32_t> cps;
      for (size_t i = 0; i < text.size();) {
        int len;
        cps.push_back(DecodeUtf8(text.data() + i, &len));
        i += len;
      }
      e.SeedVersion1(cps);
    } else {
      e.SeedBytes(text);
    }
  } else {
    TypeError(vm, "The only supported seed types are: None,\nint, float, str, bytes, and bytearray.");
  }
  return Value::None();
}

Value RandomF(VM& vm, RandomEngine& e, Value*, int n, TupleObj*) {
  CheckArgs(vm, "random", n, 0, 0);
  return Value::Float(e.Random());
}

Value GetRandBits(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "getrandbits", n, 1, 1);
  uint64_t v = Check(vm, e.GetRandBits(IndexValue(vm, a[0])));
  if (v > static_cast<uint64_t>(INT64_MAX)) {
    Raise(vm, T().OverflowError, "getrandbits() result out of 64-bit range (edgeflow ints are 64-bit)");
  }
  return Value::Int(static_cast<int64_t>(v));
}

Value Randrange(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  Value opts[3];
  ParseArgs(vm, {"randrange", {"start", "stop", "step"}, 1}, a, n, kw, opts);
  if (opts[1].unbound() || opts[1].is_none()) {
    if (!opts[2].unbound() && !(opts[2].is_intlike() && opts[2].i == 1)) {
      TypeError(vm, "Missing a non-None stop argument");
    }
    return Value::Int(Check(vm, e.Randrange(IntArg(vm, opts[0], RandrangeArg::kStart))));
  }
  int64_t start = IntArg(vm, opts[0], RandrangeArg::kStart);
  int64_t stop = IntArg(vm, opts[1], RandrangeArg::kStop);
  int64_t step = opts[2].unbound() ? 1 : IntArg(vm, opts[2], RandrangeArg::kStep);
  return Value::Int(Check(vm, e.Randrange(start, stop, step)));
}

Value Randint(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "randint", n, 2, 2);
  return Value::Int(Check(vm, e.Randint(IntArg(vm, a[0], RandrangeArg::kStart),
                                        IntArg(vm, a[1], RandrangeArg::kStop))));
}

Value Choice(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "choice", n, 1, 1);
  int64_t len = Len(vm, a[0]);
  int64_t i = Check(vm, e.Choice(len));
  return GetItem(vm, a[0], Value::Int(i));
}

Value Shuffle(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "shuffle", n, 1, 1);
  if (IsList(a[0])) {
    auto& items = As<ListObj>(a[0])->items;
    e.Shuffle(std::span<Value>(items.data(), items.size()));
    return Value::None();
  }
  // Any mutable sequence, through __len__/__getitem__/__setitem__.
  int64_t len = Len(vm, a[0]);
  for (int64_t i = len - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(e.RandBelow(static_cast<uint64_t>(i + 1)));
    Value vi = GetItem(vm, a[0], Value::Int(i));
    Value vj = GetItem(vm, a[0], Value::Int(j));
    SetItem(vm, a[0], Value::Int(i), vj);
    SetItem(vm, a[0], Value::Int(j), vi);
  }
  return Value::None();
}

Value Sample(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  Value opts[3];
  ParseArgs(vm, {"sample", {"population", "k", "counts"}, 2}, a, n, kw, opts);
  std::vector<Value> pop = SequenceItems(vm, opts[0], "Population");
  int64_t k = IndexValue(vm, opts[1]);
  std::vector<int64_t> idx;
  if (!opts[2].unbound() && !opts[2].is_none()) {
    std::vector<RandomNumber> counts = Numbers(vm, opts[2]);
    idx = Check(vm, e.SampleWithCounts(static_cast<int64_t>(pop.size()), counts, k));
  } else {
    idx = Check(vm, e.Sample(static_cast<int64_t>(pop.size()), k));
  }
  ListObj* out = NewList(&vm, static_cast<int64_t>(idx.size()));
  for (size_t i = 0; i < idx.size(); ++i) out->items[i] = pop[idx[i]];
  return V(out);
}

Value Choices(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  Value opts[4];
  ParseArgs(vm, {"choices", {"population", "weights", "cum_weights", "k"}, 1}, a, n, kw, opts);
  if (n > 2) TypeError(vm, "choices() takes from 2 to 3 positional arguments but " + std::to_string(n + 1) + " were given");
  std::vector<Value> pop = SequenceItems(vm, opts[0], "Population");
  int64_t k = opts[3].unbound() ? 1 : IndexValue(vm, opts[3]);
  CheckRoom(vm, k, sizeof(Value));  // the result list
  bool has_w = !opts[1].unbound() && !opts[1].is_none();
  bool has_cw = !opts[2].unbound() && !opts[2].is_none();
  std::vector<int64_t> idx;
  int64_t np = static_cast<int64_t>(pop.size());
  if (has_w && has_cw) TypeError(vm, "Cannot specify both weights and cumulative weights");
  if (has_w) {
    idx = Check(vm, e.ChoicesWeighted(np, Numbers(vm, opts[1]), k));
  } else if (has_cw) {
    idx = Check(vm, e.ChoicesCumulative(np, Numbers(vm, opts[2]), k));
  } else {
    auto r = e.Choices(np, k);
    if (!r.ok() && r.error().type == RandomErrorType::kIndexError && !IsList(opts[0])) {
      Raise(vm, T().IndexError, std::string(TypeName(opts[0])) + " index out of range");
    }
    idx = Check(vm, std::move(r));
  }
  ListObj* out = NewList(&vm, static_cast<int64_t>(idx.size()));
  for (size_t i = 0; i < idx.size(); ++i) out->items[i] = pop[idx[i]];
  return V(out);
}

Value Uniform(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "uniform", n, 2, 2);
  if (a[0].is_intlike() && a[1].is_intlike()) return Value::Float(e.UniformInt(a[0].i, a[1].i));
  return Value::Float(e.Uniform(ToDouble(vm, a[0]), ToDouble(vm, a[1])));
}

Value Triangular(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  Value opts[3];
  ParseArgs(vm, {"triangular", {"low", "high", "mode"}, 0}, a, n, kw, opts);
  double low = opts[0].unbound() ? 0.0 : ToDouble(vm, opts[0]);
  double high = opts[1].unbound() ? 1.0 : ToDouble(vm, opts[1]);
  std::optional<double> mode;
  if (!opts[2].unbound() && !opts[2].is_none()) mode = ToDouble(vm, opts[2]);
  std::optional<double> r = e.Triangular(low, high, mode);
  if (!r) return opts[0].unbound() ? Value::Float(0.0) : opts[0];
  return Value::Float(*r);
}

void MuSigma(VM& vm, Value* a, int n, TupleObj* kw, const char* name, double* mu, double* sigma) {
  Value opts[2];
  ParseArgs(vm, {name, {"mu", "sigma"}, 0}, a, n, kw, opts);
  *mu = opts[0].unbound() ? 0.0 : ToDouble(vm, opts[0]);
  *sigma = opts[1].unbound() ? 1.0 : ToDouble(vm, opts[1]);
}

Value Gauss(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  double mu, sigma;
  MuSigma(vm, a, n, kw, "gauss", &mu, &sigma);
  return Value::Float(e.Gauss(mu, sigma));
}

Value NormalVariate(VM& vm, RandomEngine& e, Value* a, int n, TupleObj* kw) {
  double mu, sigma;
  MuSigma(vm, a, n, kw, "normalvariate", &mu, &sigma);
  return Value::Float(e.NormalVariate(mu, sigma));
}

Value LogNormVariate(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "lognormvariate", n, 2, 2);
  return Value::Float(Check(vm, e.LogNormVariate(ToDouble(vm, a[0]), ToDouble(vm, a[1]))));
}

Value ExpoVariate(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "expovariate", n, 1, 1);
  return Value::Float(Check(vm, e.ExpoVariate(ToDouble(vm, a[0]))));
}

Value VonMises(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "vonmisesvariate", n, 2, 2);
  return Value::Float(Check(vm, e.VonMisesVariate(ToDouble(vm, a[0]), ToDouble(vm, a[1]))));
}

Value GammaV(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "gammavariate", n, 2, 2);
  return Value::Float(Check(vm, e.GammaVariate(ToDouble(vm, a[0]), ToDouble(vm, a[1]))));
}

Value BetaV(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "betavariate", n, 2, 2);
  return Value::Float(Check(vm, e.BetaVariate(ToDouble(vm, a[0]), ToDouble(vm, a[1]))));
}

Value ParetoV(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "paretovariate", n, 1, 1);
  return Value::Float(Check(vm, e.ParetoVariate(ToDouble(vm, a[0]))));
}

Value WeibullV(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "weibullvariate", n, 2, 2);
  return Value::Float(Check(vm, e.WeibullVariate(ToDouble(vm, a[0]), ToDouble(vm, a[1]))));
}

Value GetState(VM& vm, RandomEngine& e, Value*, int n, TupleObj*) {
  CheckArgs(vm, "getstate", n, 0, 0);
  RandomEngine::State st = e.GetState();
  TupleObj* words = NewTuple(&vm, RandomEngine::kStateWords + 1);
  for (int i = 0; i < RandomEngine::kStateWords; ++i) words->items[i] = Value::Int(st.mt[i]);
  words->items[RandomEngine::kStateWords] = Value::Int(st.index);
  RootScope keep(vm);
  keep.Keep(V(words));
  Value items[3] = {Value::Int(3), V(words),
                    st.gauss_next ? Value::Float(*st.gauss_next) : Value::None()};
  return V(NewTupleFrom(&vm, items, 3));
}

Value SetState(VM& vm, RandomEngine& e, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "setstate", n, 1, 1);
  if (!IsTuple(a[0]) || As<TupleObj>(a[0])->n != 3) TypeError(vm, "state vector must be a tuple");
  auto* t = As<TupleObj>(a[0]);
  if (!t->items[0].is_intlike() || t->items[0].i != 3) {
    ValueError(vm, "state with version " + Repr(vm, t->items[0]) +
                       " passed to Random.setstate() of version 3");
  }
  if (!IsTuple(t->items[1]) || As<TupleObj>(t->items[1])->n != RandomEngine::kStateWords + 1) {
    ValueError(vm, "state vector is the wrong size");
  }
  auto* w = As<TupleObj>(t->items[1]);
  RandomEngine::State st;
  for (int i = 0; i < RandomEngine::kStateWords; ++i) {
    st.mt[i] = static_cast<uint32_t>(IndexValue(vm, w->items[i]));
  }
  st.index = static_cast<int>(IndexValue(vm, w->items[RandomEngine::kStateWords]));
  if (!t->items[2].is_none()) st.gauss_next = ToDouble(vm, t->items[2]);
  if (auto err = e.SetState(st)) RaiseRandom(vm, *err);
  return Value::None();
}

// ---- module functions and Random methods from one implementation each ----

template <Impl F>
Value OnModule(VM& vm, Value* a, int n, TupleObj* kw) {
  return F(vm, ModuleEngine(vm), a, n, kw);
}

template <Impl F>
Value OnSelf(VM& vm, Value* a, int n, TupleObj* kw) {
  if (!IsObj(a[0], Kind::kHost) || !IsSubclass(a[0].o->cls, g_random_class)) {
    TypeError(vm, "descriptor requires a 'random.Random' object");
  }
  auto* d = static_cast<EngineData*>(As<HostObj>(a[0])->data);
  return F(vm, d->engine, a + 1, n - 1, kw);
}

Value RandomCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  NoKwargs(vm, "Random", kw);
  CheckArgs(vm, "Random", n, 0, 1);
  auto* data = new EngineData();
  HostObj* h = NewHost(&vm, g_random_class, data);
  Value arg = n == 1 ? a[0] : Value::None();
  Seed(vm, data->engine, &arg, 1, nullptr);
  return V(h);
}

struct Entry {
  const char* name;
  NativeFn module_fn;
  NativeFn method_fn;
};

#define EF_RANDOM_FN(pyname, impl) {pyname, OnModule<impl>, OnSelf<impl>}
const Entry kFunctions[] = {
    EF_RANDOM_FN("seed", Seed),
    EF_RANDOM_FN("random", RandomF),
    EF_RANDOM_FN("getrandbits", GetRandBits),
    EF_RANDOM_FN("randrange", Randrange),
    EF_RANDOM_FN("randint", Randint),
    EF_RANDOM_FN("choice", Choice),
    EF_RANDOM_FN("shuffle", Shuffle),
    EF_RANDOM_FN("sample", Sample),
    EF_RANDOM_FN("choices", Choices),
    EF_RANDOM_FN("uniform", Uniform),
    EF_RANDOM_FN("triangular", Triangular),
    EF_RANDOM_FN("gauss", Gauss),
    EF_RANDOM_FN("normalvariate", NormalVariate),
    EF_RANDOM_FN("lognormvariate", LogNormVariate),
    EF_RANDOM_FN("expovariate", ExpoVariate),
    EF_RANDOM_FN("vonmisesvariate", VonMises),
    EF_RANDOM_FN("gammavariate", GammaV),
    EF_RANDOM_FN("betavariate", BetaV),
    EF_RANDOM_FN("paretovariate", ParetoV),
    EF_RANDOM_FN("weibullvariate", WeibullV),
    EF_RANDOM_FN("getstate", GetState),
    EF_RANDOM_FN("setstate", SetState),
};
#undef EF_RANDOM_FN

}  // namespace

ModuleObj* MakeRandomModule() {
  ModuleObj* m = NewLibraryModule("random");
  g_random_class = NewLibraryClass(m, "Random", T().object, Kind::kHost, RandomCtor);
  for (const Entry& e : kFunctions) {
    AddFunction(m, e.name, e.module_fn);
    AddNative(g_random_class->dict, e.name, e.method_fn);
  }
  return m;
}

}  // namespace edgeflow::script
