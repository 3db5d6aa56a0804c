// edgeflow.Tensor: typed, shaped, contiguous buffers shared with C++ (the
// inference engine) without copying, and the vectorised helpers that keep
// scripts from looping over thousands of floats in bytecode: elementwise
// arithmetic with scalar and row broadcasting, reductions, softmax, topk,
// argsort, dot/matmul, row normalisation, row views and slicing.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>

#include "edgeflow/script.h"
#include "script/modules.h"
#include "script/runtime.h"

namespace edgeflow {

size_t ScriptTensor::DTypeSize(DType t) {
  switch (t) {
    case DType::kFloat32:
    case DType::kInt32: return 4;
    default: return 8;
  }
}

const char* ScriptTensor::DTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kInt64: return "int64";
    default: return "int32";
  }
}

namespace {
int64_t Count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}
}  // namespace

ScriptTensor::ScriptTensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)), size_(Count(shape_)) {
  // 64-byte aligned with 64 bytes of slack: SIMD kernels may read past the end.
  size_t bytes = static_cast<size_t>(size_) * DTypeSize(dtype_) + 64;
  bytes = (bytes + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, bytes);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  data_ = p;
  owner_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}

ScriptTensor::ScriptTensor(DType dtype, std::vector<int64_t> shape, void* data,
                           std::shared_ptr<void> owner)
    : dtype_(dtype), shape_(std::move(shape)), size_(Count(shape_)), data_(data),
      owner_(std::move(owner)) {}

}  // namespace edgeflow

namespace edgeflow::script {

using DType = ScriptTensor::DType;
using TensorPtr = std::shared_ptr<const ScriptTensor>;

namespace {

constexpr int64_t kMaxElements = int64_t{1} << 31;

double Get(const ScriptTensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return t.data_as<float>()[i];
    case DType::kFloat64: return t.data_as<double>()[i];
    case DType::kInt64: return static_cast<double>(t.data_as<int64_t>()[i]);
    default: return t.data_as<int32_t>()[i];
  }
}

// A double stored into an integer element: truncated toward zero, saturated
// at the type's range, NaN as 0 (a plain cast is undefined outside the range).
template <typename I>
I SaturatingCast(double v) {
  constexpr double kMin = static_cast<double>(std::numeric_limits<I>::min());  // -2^k, exact
  if (std::isnan(v)) return 0;
  if (v < kMin) return std::numeric_limits<I>::min();
  if (v >= -kMin) return std::numeric_limits<I>::max();
  return static_cast<I>(v);
}

void Set(const ScriptTensor& t, int64_t i, double v) {
  switch (t.dtype()) {
    case DType::kFloat32: t.data_as<float>()[i] = static_cast<float>(v); break;
    case DType::kFloat64: t.data_as<double>()[i] = v; break;
    case DType::kInt64: t.data_as<int64_t>()[i] = SaturatingCast<int64_t>(v); break;
    default: t.data_as<int32_t>()[i] = SaturatingCast<int32_t>(v); break;
  }
}

bool IsInt(DType d) { return d == DType::kInt64 || d == DType::kInt32; }

Value ElementValue(const ScriptTensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return Value::Float(t.data_as<float>()[i]);
    case DType::kFloat64: return Value::Float(t.data_as<double>()[i]);
    case DType::kInt64: return Value::Int(t.data_as<int64_t>()[i]);
    default: return Value::Int(t.data_as<int32_t>()[i]);
  }
}

std::shared_ptr<ScriptTensor> Make(VM& vm, DType dtype, std::vector<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) ValueError(vm, "Tensor: negative dimension");
    if (d > 0 && n > kMaxElements / d) Raise(vm, T().MemoryError, "Tensor too large");
    n *= d;
  }
  vm.Account(n * static_cast<int64_t>(ScriptTensor::DTypeSize(dtype)));
  return std::make_shared<ScriptTensor>(dtype, std::move(shape));
}

Value Wrap(VM& vm, TensorPtr t, bool writable = true) {
  auto* o = New<TensorObj>(&vm, Kind::kTensor, T().tensor);
  o->t = std::move(t);
  o->writable = writable;
  return V(o);
}

bool Writable(const Value& v) { return As<TensorObj>(v)->writable; }

const ScriptTensor& Self(VM& vm, const Value& v) {
  if (!IsObj(v, Kind::kTensor)) {
    TypeError(vm, "expected an edgeflow.Tensor, got '" + std::string(TypeName(v)) + "'");
  }
  return *As<TensorObj>(v)->t;
}

DType ParseDType(VM& vm, const Value& v, DType dflt) {
  if (v.unbound() || v.is_none()) return dflt;
  if (!IsStr(v)) TypeError(vm, "dtype must be a str such as 'float32'");
  std::string_view s = As<StrObj>(v)->view();
  if (s == "float32") return DType::kFloat32;
  if (s == "float64" || s == "float") return DType::kFloat64;
  if (s == "int64" || s == "int") return DType::kInt64;
  if (s == "int32") return DType::kInt32;
  ValueError(vm, "unsupported dtype '" + std::string(s) + "' (float32, float64, int64, int32)");
}

Value ShapeTuple(VM& vm, const std::vector<int64_t>& shape) {
  TupleObj* t = NewTuple(&vm, static_cast<int64_t>(shape.size()));
  for (size_t i = 0; i < shape.size(); ++i) t->items[i] = Value::Int(shape[i]);
  return V(t);
}

// A view of rows [begin, end) of t's first axis: no copy.
TensorPtr RowsView(const TensorPtr& t, int64_t begin, int64_t end) {
  std::vector<int64_t> shape = t->shape();
  int64_t row = shape.empty() ? 1 : t->size() / std::max<int64_t>(shape[0], 1);
  shape[0] = end - begin;
  auto* base = static_cast<uint8_t*>(t->data());
  void* p = base + static_cast<size_t>(begin * row) * ScriptTensor::DTypeSize(t->dtype());
  // The view shares ownership with the parent buffer.
  return std::make_shared<ScriptTensor>(t->dtype(), shape, p, std::shared_ptr<void>(t, t->data()));
}

// ---- construction from nested sequences ----

// Nested data deeper than this is refused before it is walked (numpy's limit).
constexpr size_t kMaxDims = 32;

void InferShape(VM& vm, const Value& v, std::vector<int64_t>* shape, size_t level) {
  if (IsList(v) || IsTuple(v)) {
    if (level == kMaxDims) {
      ValueError(vm, "Tensor: nested data has more than " + std::to_string(kMaxDims) + " dimensions");
    }
    std::vector<Value> items = ToVector(vm, v);
    if (level == shape->size()) shape->push_back(static_cast<int64_t>(items.size()));
    if (!items.empty()) InferShape(vm, items[0], shape, level + 1);
  } else if (IsObj(v, Kind::kTensor)) {
    for (int64_t d : As<TensorObj>(v)->t->shape()) shape->push_back(d);
  }
}

void Fill(VM& vm, const Value& v, const ScriptTensor& t, const std::vector<int64_t>& shape,
          size_t level, int64_t* pos) {
  if (level == shape.size()) {
    if (!(v.is_intlike() || v.tag == Tag::kFloat)) {
      TypeError(vm, "Tensor elements must be numbers, not '" + std::string(TypeName(v)) + "'");
    }
    Set(t, (*pos)++, v.tag == Tag::kFloat ? v.f : static_cast<double>(v.i));
    return;
  }
  if (IsObj(v, Kind::kTensor)) {
    const ScriptTensor& src = *As<TensorObj>(v)->t;
    int64_t want = 1;
    for (size_t k = level; k < shape.size(); ++k) want *= shape[k];
    if (src.size() != want) ValueError(vm, "Tensor: inhomogeneous shape in nested data");
    for (int64_t i = 0; i < src.size(); ++i) Set(t, (*pos)++, Get(src, i));
    return;
  }
  if (!IsList(v) && !IsTuple(v)) ValueError(vm, "Tensor: inhomogeneous shape in nested data");
  std::vector<Value> items = ToVector(vm, v);
  if (static_cast<int64_t>(items.size()) != shape[level]) {
    ValueError(vm, "Tensor: inhomogeneous shape in nested data");
  }
  for (const Value& item : items) Fill(vm, item, t, shape, level + 1, pos);
}

TensorPtr FromData(VM& vm, const Value& data, DType dtype) {
  if (data.is_intlike() || data.tag == Tag::kFloat) {
    auto t = Make(vm, dtype, {});
    Set(*t, 0, data.tag == Tag::kFloat ? data.f : static_cast<double>(data.i));
    return t;
  }
  std::vector<int64_t> shape;
  InferShape(vm, data, &shape, 0);
  if (shape.empty()) TypeError(vm, "Tensor() data must be a number, a (nested) list or a Tensor");
  auto t = Make(vm, dtype, shape);
  int64_t pos = 0;
  Fill(vm, data, *t, shape, 0, &pos);
  return t;
}

Value TensorCtor(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"Tensor", {"data", "dtype"}, 1}, a, n, kw, o);
  DType dflt = IsObj(o[0], Kind::kTensor) ? As<TensorObj>(o[0])->t->dtype() : DType::kFloat32;
  return Wrap(vm, FromData(vm, o[0], ParseDType(vm, o[1], dflt)));
}

std::vector<int64_t> ShapeArg(VM& vm, Value* a, int n) {
  std::vector<int64_t> shape;
  if (n == 1 && (IsTuple(a[0]) || IsList(a[0]))) {
    for (const Value& d : ToVector(vm, a[0])) shape.push_back(IndexValue(vm, d));
  } else {
    for (int i = 0; i < n; ++i) shape.push_back(IndexValue(vm, a[i]));
  }
  return shape;
}

Value Zeros(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"zeros", {"shape", "dtype"}, 1}, a, n, kw, o);
  return Wrap(vm, Make(vm, ParseDType(vm, o[1], DType::kFloat32), ShapeArg(vm, &o[0], 1)));
}

Value Full(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[3];
  ParseArgs(vm, {"full", {"shape", "value", "dtype"}, 2}, a, n, kw, o);
  auto t = Make(vm, ParseDType(vm, o[2], DType::kFloat32), ShapeArg(vm, &o[0], 1));
  double v = ToDouble(vm, o[1]);
  for (int64_t i = 0; i < t->size(); ++i) Set(*t, i, v);
  return Wrap(vm, t);
}

// The number of elements of arange(start, stop, step) with all three ints:
// ceil((stop - start) / step), exact (no rounding through double).
int64_t IntRangeLength(VM& vm, int64_t start, int64_t stop, int64_t step) {
  __int128 span = static_cast<__int128>(stop) - start;
  __int128 len = span / step;
  if (span % step != 0 && (span > 0) == (step > 0)) ++len;
  if (len > kMaxElements) Raise(vm, T().MemoryError, "Tensor too large");
  return len > 0 ? static_cast<int64_t>(len) : 0;
}

// The same with floats, as numpy computes it: ceil((stop - start) / step) in
// double, checked before it is converted.
int64_t FloatRangeLength(VM& vm, double start, double stop, double step) {
  double len = std::ceil((stop - start) / step);
  if (std::isnan(len)) ValueError(vm, "arange: cannot compute length");
  if (std::isinf(len)) ValueError(vm, "arange: the range is infinite");
  if (len > static_cast<double>(kMaxElements)) Raise(vm, T().MemoryError, "Tensor too large");
  return len > 0 ? static_cast<int64_t>(len) : 0;
}

Value Arange(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[4];
  ParseArgs(vm, {"arange", {"start", "stop", "step", "dtype"}, 1}, a, n, kw, o);
  // arange(stop) or arange(start, stop[, step]); step may also come alone by keyword.
  bool stop_only = o[1].unbound() || o[1].is_none();
  Value start = stop_only ? Value::Int(0) : o[0];
  Value stop = stop_only ? o[0] : o[1];
  Value step = o[2].unbound() || o[2].is_none() ? Value::Int(1) : o[2];
  bool ints = start.is_intlike() && stop.is_intlike() && step.is_intlike();
  int64_t count;
  double start_f = 0, step_f = 1;
  if (ints) {
    if (step.i == 0) ValueError(vm, "arange: step must not be zero");
    count = IntRangeLength(vm, start.i, stop.i, step.i);
  } else {
    start_f = ToDouble(vm, start);
    double stop_f = ToDouble(vm, stop);
    step_f = ToDouble(vm, step);
    if (step_f == 0) ValueError(vm, "arange: step must not be zero");
    count = FloatRangeLength(vm, start_f, stop_f, step_f);
  }
  DType dtype = ParseDType(vm, o[3], ints ? DType::kInt64 : DType::kFloat32);
  auto t = Make(vm, dtype, {count});
  for (int64_t i = 0; i < count; ++i) {
    if (ints) {
      // start + i * step lies between start and stop; i * step alone may not fit.
      auto v = static_cast<int64_t>(static_cast<__int128>(start.i) + static_cast<__int128>(i) * step.i);
      if (dtype == DType::kInt64) {
        t->data_as<int64_t>()[i] = v;
      } else {
        Set(*t, i, static_cast<double>(v));
      }
    } else {
      Set(*t, i, start_f + static_cast<double>(i) * step_f);
    }
  }
  return Wrap(vm, t);
}

// ---- conversion back to Python values ----

Value ToList(VM& vm, const ScriptTensor& t, size_t level, int64_t* pos) {
  if (level == t.shape().size()) return ElementValue(t, (*pos)++);
  int64_t n = t.shape()[level];
  ListObj* l = NewList(&vm, n);
  RootScope keep(vm);
  keep.Keep(V(l));
  for (int64_t i = 0; i < n; ++i) l->items[i] = ToList(vm, t, level + 1, pos);
  return V(l);
}

Value MToList(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "tolist", n - 1, 0, 0);
  int64_t pos = 0;
  return ToList(vm, Self(vm, a[0]), 0, &pos);
}

Value MItem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "item", n - 1, 0, 0);
  const ScriptTensor& t = Self(vm, a[0]);
  if (t.size() != 1) ValueError(vm, "can only convert a Tensor of size 1 to a Python scalar");
  return ElementValue(t, 0);
}

std::string ElementText(const ScriptTensor& t, int64_t i) {
  if (t.dtype() == DType::kFloat32) {
    // float32 elements print with their shortest float32 digits, as numpy does.
    float f = t.data_as<float>()[i];
    if (std::isnan(f)) return "nan";
    if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, f);
    std::string s(buf, r.ptr);
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
  }
  if (t.dtype() == DType::kFloat64) return FloatRepr(t.data_as<double>()[i]);
  if (t.dtype() == DType::kInt64) return IntToString(t.data_as<int64_t>()[i]);
  return IntToString(t.data_as<int32_t>()[i]);
}

void ReprRec(const ScriptTensor& t, size_t level, int64_t* pos, std::string* out) {
  if (level == t.shape().size()) {
    *out += ElementText(t, (*pos)++);
    return;
  }
  int64_t n = t.shape()[level];
  *out += "[";
  for (int64_t i = 0; i < n; ++i) {
    if (i) *out += ", ";
    if (n > 12 && i == 6) {
      // Long axes are elided in the middle.
      *out += "...";
      int64_t inner = 1;
      for (size_t k = level + 1; k < t.shape().size(); ++k) inner *= t.shape()[k];
      *pos += inner * (n - 12);
      i = n - 6 - 1;
      continue;
    }
    ReprRec(t, level + 1, pos, out);
  }
  *out += "]";
}

Value MRepr(VM& vm, Value* a, int, TupleObj*) {
  const ScriptTensor& t = Self(vm, a[0]);
  std::string out = "Tensor(";
  int64_t pos = 0;
  ReprRec(t, 0, &pos, &out);
  if (t.shape().size() != 1) {
    out += ", shape=(";
    for (size_t i = 0; i < t.shape().size(); ++i) {
      out += (i ? ", " : "") + IntToString(t.shape()[i]);
    }
    if (t.shape().size() == 1) out += ",";
    out += ")";
  }
  out += std::string(", dtype=") + ScriptTensor::DTypeName(t.dtype()) + ")";
  return Str(vm, out);
}

// ---- shape, indexing, iteration ----

Value PShape(VM& vm, Value* a, int, TupleObj*) { return ShapeTuple(vm, Self(vm, a[0]).shape()); }
Value PDType(VM& vm, Value* a, int, TupleObj*) {
  return Str(vm, ScriptTensor::DTypeName(Self(vm, a[0]).dtype()));
}
Value PNdim(VM& vm, Value* a, int, TupleObj*) {
  return Value::Int(static_cast<int64_t>(Self(vm, a[0]).shape().size()));
}
Value PSize(VM& vm, Value* a, int, TupleObj*) { return Value::Int(Self(vm, a[0]).size()); }

Value MLen(VM& vm, Value* a, int, TupleObj*) {
  const ScriptTensor& t = Self(vm, a[0]);
  if (t.shape().empty()) TypeError(vm, "len() of a 0-d Tensor");
  return Value::Int(t.shape()[0]);
}

Value MGetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__getitem__", n - 1, 1, 1);
  const TensorPtr& t = As<TensorObj>(a[0])->t;
  Self(vm, a[0]);
  if (t->shape().empty()) Raise(vm, T().IndexError, "too many indices for a 0-d Tensor");
  int64_t rows = t->shape()[0];
  if (IsObj(a[1], Kind::kSlice)) {
    int64_t start, stop, step;
    int64_t len = SliceIndices(vm, As<SliceObj>(a[1]), rows, &start, &stop, &step);
    if (step == 1) return Wrap(vm, RowsView(t, start, start + len), Writable(a[0]));
    std::vector<int64_t> shape = t->shape();
    shape[0] = len;
    auto out = Make(vm, t->dtype(), shape);
    int64_t row = rows ? t->size() / rows : 0;
    size_t rb = static_cast<size_t>(row) * ScriptTensor::DTypeSize(t->dtype());
    for (int64_t i = 0, j = start; i < len; ++i, j += step) {
      std::memcpy(static_cast<uint8_t*>(out->data()) + i * rb,
                  static_cast<uint8_t*>(t->data()) + j * rb, rb);
    }
    return Wrap(vm, out);
  }
  int64_t i = IndexValue(vm, a[1]);
  if (i < 0) i += rows;
  if (i < 0 || i >= rows) Raise(vm, T().IndexError, "Tensor index out of range");
  if (t->shape().size() == 1) return ElementValue(*t, i);
  TensorPtr row = RowsView(t, i, i + 1);
  std::vector<int64_t> shape(t->shape().begin() + 1, t->shape().end());
  return Wrap(vm, std::make_shared<ScriptTensor>(row->dtype(), shape, row->data(),
                                                 std::shared_ptr<void>(t, t->data())),
              Writable(a[0]));
}

Value MSetitem(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__setitem__", n - 1, 2, 2);
  const ScriptTensor& t = Self(vm, a[0]);
  if (!Writable(a[0])) TypeError(vm, "this Tensor is read-only (its buffer is shared with the host)");
  if (t.shape().size() != 1) {
    TypeError(vm, "Tensor item assignment is supported on 1-d tensors only");
  }
  int64_t i = IndexValue(vm, a[1]);
  if (i < 0) i += t.shape()[0];
  if (i < 0 || i >= t.shape()[0]) Raise(vm, T().IndexError, "Tensor index out of range");
  Set(t, i, ToDouble(vm, a[2]));
  return Value::None();
}

bool TensorIterNext(VM& vm, IterObj* it, Value* out) {
  const TensorPtr& t = As<TensorObj>(it->a)->t;
  if (it->i >= t->shape()[0]) return false;
  Value idx = Value::Int(it->i++);
  Value args[2] = {it->a, idx};
  *out = MGetitem(vm, args, 2, nullptr);
  return true;
}

Value MIter(VM& vm, Value* a, int, TupleObj*) {
  const ScriptTensor& t = Self(vm, a[0]);
  if (t.shape().empty()) TypeError(vm, "iteration over a 0-d Tensor");
  IterObj* it = NewIter(&vm, "tensor_iterator", TensorIterNext);
  it->a = a[0];
  return V(it);
}

Value MReshape(VM& vm, Value* a, int n, TupleObj*) {
  const TensorPtr& t = As<TensorObj>(a[0])->t;
  Self(vm, a[0]);
  std::vector<int64_t> shape = ShapeArg(vm, a + 1, n - 1);
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (infer >= 0) ValueError(vm, "can only specify one unknown dimension");
      infer = static_cast<int64_t>(i);
    } else {
      known *= shape[i];
    }
  }
  if (infer >= 0 && known > 0) shape[infer] = t->size() / known;
  int64_t total = 1;
  for (int64_t d : shape) total *= d;
  if (total != t->size()) {
    ValueError(vm, "cannot reshape Tensor of size " + IntToString(t->size()) + " into shape " +
                       Repr(vm, ShapeTuple(vm, shape)));
  }
  return Wrap(vm, std::make_shared<ScriptTensor>(t->dtype(), shape, t->data(),
                                                 std::shared_ptr<void>(t, t->data())),
              Writable(a[0]));
}

Value MAstype(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "astype", n - 1, 1, 1);
  const ScriptTensor& t = Self(vm, a[0]);
  auto out = Make(vm, ParseDType(vm, a[1], t.dtype()), t.shape());
  for (int64_t i = 0; i < t.size(); ++i) Set(*out, i, Get(t, i));
  return Wrap(vm, out);
}

Value MCopy(VM& vm, Value* a, int, TupleObj*) {
  const ScriptTensor& t = Self(vm, a[0]);
  auto out = Make(vm, t.dtype(), t.shape());
  std::memcpy(out->data(), t.data(), t.bytes());
  return Wrap(vm, out);
}

// ---- elementwise arithmetic ----

DType ResultType(DType a, DType b) {
  if (a == DType::kFloat64 || b == DType::kFloat64) return DType::kFloat64;
  if (a == DType::kFloat32 || b == DType::kFloat32) return DType::kFloat32;
  if (a == DType::kInt64 || b == DType::kInt64) return DType::kInt64;
  return DType::kInt32;
}

double Apply(int op, double x, double y) {
  switch (op) {
    case kAdd: return x + y;
    case kSub: return x - y;
    case kMul: return x * y;
    case kTrueDiv: return x / y;
    case kPow: return std::pow(x, y);
    default: return std::fmod(x, y);
  }
}

// a OP b for tensors of the same shape, a tensor and a scalar, or rows of
// [..., D] with a [D] tensor (row broadcasting).
Value Elementwise(VM& vm, int op, const Value& av, const Value& bv, bool reflected) {
  const Value& x = reflected ? bv : av;
  const Value& y = reflected ? av : bv;
  auto scalar = [](const Value& v) { return v.is_intlike() || v.tag == Tag::kFloat; };
  if (!(IsObj(x, Kind::kTensor) || scalar(x)) || !(IsObj(y, Kind::kTensor) || scalar(y))) {
    return V(T().not_implemented);
  }
  if (IsObj(x, Kind::kTensor) && IsObj(y, Kind::kTensor)) {
    const ScriptTensor& p = *As<TensorObj>(x)->t;
    const ScriptTensor& q = *As<TensorObj>(y)->t;
    DType dt = op == kTrueDiv ? (ResultType(p.dtype(), q.dtype()) == DType::kFloat64 ? DType::kFloat64 : DType::kFloat32)
                              : ResultType(p.dtype(), q.dtype());
    if (p.shape() == q.shape()) {
      auto out = Make(vm, dt, p.shape());
      if (p.dtype() == DType::kFloat32 && q.dtype() == DType::kFloat32 && op != kPow && op != kMod) {
        const float* pa = p.data_as<float>();
        const float* qa = q.data_as<float>();
        float* o = out->data_as<float>();
        int64_t n = p.size();
        switch (op) {
          case kAdd: for (int64_t i = 0; i < n; ++i) o[i] = pa[i] + qa[i]; break;
          case kSub: for (int64_t i = 0; i < n; ++i) o[i] = pa[i] - qa[i]; break;
          case kMul: for (int64_t i = 0; i < n; ++i) o[i] = pa[i] * qa[i]; break;
          default: for (int64_t i = 0; i < n; ++i) o[i] = pa[i] / qa[i]; break;
        }
      } else {
        for (int64_t i = 0; i < p.size(); ++i) Set(*out, i, Apply(op, Get(p, i), Get(q, i)));
      }
      return Wrap(vm, out);
    }
    // Row broadcasting: the smaller operand is 1-d and matches the last axis.
    const ScriptTensor& big = p.size() >= q.size() ? p : q;
    const ScriptTensor& small = &big == &p ? q : p;
    if (small.shape().size() == 1 && !big.shape().empty() && big.shape().back() == small.shape()[0] &&
        small.shape()[0] > 0) {
      auto out = Make(vm, dt, big.shape());
      int64_t d = small.shape()[0];
      bool big_left = &big == &p;
      for (int64_t i = 0; i < big.size(); ++i) {
        double u = Get(big, i), v = Get(small, i % d);
        Set(*out, i, big_left ? Apply(op, u, v) : Apply(op, v, u));
      }
      return Wrap(vm, out);
    }
    ValueError(vm, "Tensor shapes " + Repr(vm, ShapeTuple(vm, p.shape())) + " and " +
                       Repr(vm, ShapeTuple(vm, q.shape())) + " do not broadcast");
  }
  const ScriptTensor& t = IsObj(x, Kind::kTensor) ? *As<TensorObj>(x)->t : *As<TensorObj>(y)->t;
  const Value& s = IsObj(x, Kind::kTensor) ? y : x;
  bool tensor_left = IsObj(x, Kind::kTensor);
  double sv = s.tag == Tag::kFloat ? s.f : static_cast<double>(s.i);
  DType dt = t.dtype();
  if (IsInt(dt) && (s.tag == Tag::kFloat || op == kTrueDiv)) dt = DType::kFloat32;
  auto out = Make(vm, dt, t.shape());
  if (t.dtype() == DType::kFloat32 && dt == DType::kFloat32 && op != kPow && op != kMod) {
    const float* ta = t.data_as<float>();
    float* o = out->data_as<float>();
    float c = static_cast<float>(sv);
    int64_t n = t.size();
    switch (op) {
      case kAdd: for (int64_t i = 0; i < n; ++i) o[i] = ta[i] + c; break;
      case kSub:
        if (tensor_left) for (int64_t i = 0; i < n; ++i) o[i] = ta[i] - c;
        else for (int64_t i = 0; i < n; ++i) o[i] = c - ta[i];
        break;
      case kMul: for (int64_t i = 0; i < n; ++i) o[i] = ta[i] * c; break;
      default:
        if (tensor_left) for (int64_t i = 0; i < n; ++i) o[i] = ta[i] / c;
        else for (int64_t i = 0; i < n; ++i) o[i] = c / ta[i];
        break;
    }
    return Wrap(vm, out);
  }
  for (int64_t i = 0; i < t.size(); ++i) {
    double u = Get(t, i);
    Set(*out, i, tensor_left ? Apply(op, u, sv) : Apply(op, sv, u));
  }
  return Wrap(vm, out);
}

#define EF_TENSOR_BINOP(Name, op, reflected)                      \
  Value Name(VM& vm, Value* a, int n, TupleObj*) {                \
    CheckArgs(vm, #Name, n, 2, 2);                                \
    return Elementwise(vm, op, a[0], a[1], reflected);            \
  }
EF_TENSOR_BINOP(MAdd, kAdd, false)
EF_TENSOR_BINOP(MRAdd, kAdd, true)
EF_TENSOR_BINOP(MSub, kSub, false)
EF_TENSOR_BINOP(MRSub, kSub, true)
EF_TENSOR_BINOP(MMul, kMul, false)
EF_TENSOR_BINOP(MRMul, kMul, true)
EF_TENSOR_BINOP(MDiv, kTrueDiv, false)
EF_TENSOR_BINOP(MRDiv, kTrueDiv, true)
EF_TENSOR_BINOP(MPow, kPow, false)
#undef EF_TENSOR_BINOP

using UnaryFn = double (*)(double);

Value Unary(VM& vm, Value* a, UnaryFn fn, bool to_float) {
  const ScriptTensor& t = Self(vm, a[0]);
  DType dt = to_float && IsInt(t.dtype()) ? DType::kFloat32 : t.dtype();
  auto out = Make(vm, dt, t.shape());
  for (int64_t i = 0; i < t.size(); ++i) Set(*out, i, fn(Get(t, i)));
  return Wrap(vm, out);
}

Value MNeg(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return -x; }, false); }
Value MAbs(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return std::fabs(x); }, false); }
Value MExp(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return std::exp(x); }, true); }
Value MLog(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return std::log(x); }, true); }
Value MSqrt(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return std::sqrt(x); }, true); }
Value MSigmoid(VM& vm, Value* a, int, TupleObj*) {
  return Unary(vm, a, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, true);
}
Value MLog1p(VM& vm, Value* a, int, TupleObj*) { return Unary(vm, a, [](double x) { return std::log1p(x); }, true); }

Value MClip(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"clip", {"lo", "hi"}, 0}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  double lo = o[0].unbound() || o[0].is_none() ? -INFINITY : ToDouble(vm, o[0]);
  double hi = o[1].unbound() || o[1].is_none() ? INFINITY : ToDouble(vm, o[1]);
  auto out = Make(vm, t.dtype(), t.shape());
  for (int64_t i = 0; i < t.size(); ++i) Set(*out, i, std::min(hi, std::max(lo, Get(t, i))));
  return Wrap(vm, out);
}

// ---- reductions ----

// Splits t into `outer` rows of `inner` elements along the last axis.
void Rows(const ScriptTensor& t, int64_t* outer, int64_t* inner) {
  *inner = t.shape().empty() ? 1 : t.shape().back();
  *outer = *inner ? t.size() / *inner : 0;
}

int64_t AxisArg(VM& vm, const ScriptTensor& t, const Value& v) {
  if (v.unbound() || v.is_none()) return -2;  // all elements
  int64_t ax = IndexValue(vm, v);
  int64_t nd = static_cast<int64_t>(t.shape().size());
  if (ax < 0) ax += nd;
  if (ax != nd - 1) {
    ValueError(vm, "Tensor reductions support axis=None or the last axis (axis=-1)");
  }
  return -1;
}

enum class Red { kSum, kMean, kMax, kMin, kArgmax, kArgmin };

Value Reduce(VM& vm, Value* a, int n, TupleObj* kw, Red what) {
  Value o[1];
  ParseArgs(vm, {"reduce", {"axis"}, 0}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  int64_t axis = AxisArg(vm, t, o[0]);
  auto reduce = [&](int64_t begin, int64_t count) -> double {
    if (count == 0) {
      if (what == Red::kSum) return 0.0;
      if (what == Red::kMean) return NAN;
      ValueError(vm, "reduction of an empty Tensor has no identity");
    }
    double acc = what == Red::kMax || what == Red::kArgmax ? -INFINITY : what == Red::kMin || what == Red::kArgmin ? INFINITY : 0.0;
    int64_t arg = 0;
    for (int64_t i = 0; i < count; ++i) {
      double v = Get(t, begin + i);
      switch (what) {
        case Red::kSum:
        case Red::kMean: acc += v; break;
        case Red::kMax:
        case Red::kArgmax:
          if (v > acc || (i == 0)) {
            acc = v;
            arg = i;
          }
          break;
        default:
          if (v < acc || (i == 0)) {
            acc = v;
            arg = i;
          }
          break;
      }
    }
    if (what == Red::kMean) return acc / static_cast<double>(count);
    if (what == Red::kArgmax || what == Red::kArgmin) return static_cast<double>(arg);
    return acc;
  };
  bool arg = what == Red::kArgmax || what == Red::kArgmin;
  if (axis == -2 || t.shape().size() <= 1) {
    double r = reduce(0, t.size());
    if (arg) return Value::Int(static_cast<int64_t>(r));
    if (IsInt(t.dtype()) && what != Red::kMean) return Value::Int(IntegralToInt(vm, r));
    return Value::Float(r);
  }
  int64_t outer, inner;
  Rows(t, &outer, &inner);
  std::vector<int64_t> shape(t.shape().begin(), t.shape().end() - 1);
  DType dt = arg ? DType::kInt64 : what == Red::kMean && IsInt(t.dtype()) ? DType::kFloat32 : t.dtype();
  auto out = Make(vm, dt, shape);
  for (int64_t r = 0; r < outer; ++r) Set(*out, r, reduce(r * inner, inner));
  return Wrap(vm, out);
}

Value MSum(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kSum); }
Value MMean(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kMean); }
Value MMax(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kMax); }
Value MMin(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kMin); }
Value MArgmax(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kArgmax); }
Value MArgmin(VM& vm, Value* a, int n, TupleObj* kw) { return Reduce(vm, a, n, kw, Red::kArgmin); }

Value MSoftmax(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[1];
  ParseArgs(vm, {"softmax", {"axis"}, 0}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  if (!o[0].unbound() && !o[0].is_none()) AxisArg(vm, t, o[0]);
  int64_t outer, inner;
  Rows(t, &outer, &inner);
  auto out = Make(vm, IsInt(t.dtype()) ? DType::kFloat32 : t.dtype(), t.shape());
  for (int64_t r = 0; r < outer; ++r) {
    double m = -INFINITY;
    for (int64_t i = 0; i < inner; ++i) m = std::max(m, Get(t, r * inner + i));
    double s = 0;
    for (int64_t i = 0; i < inner; ++i) {
      double e = std::exp(Get(t, r * inner + i) - m);
      Set(*out, r * inner + i, e);
      s += e;
    }
    for (int64_t i = 0; i < inner; ++i) Set(*out, r * inner + i, Get(*out, r * inner + i) / s);
  }
  return Wrap(vm, out);
}

Value MNormalize(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[1];
  ParseArgs(vm, {"normalize", {"axis"}, 0}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  if (!o[0].unbound() && !o[0].is_none()) AxisArg(vm, t, o[0]);
  int64_t outer, inner;
  Rows(t, &outer, &inner);
  auto out = Make(vm, IsInt(t.dtype()) ? DType::kFloat32 : t.dtype(), t.shape());
  for (int64_t r = 0; r < outer; ++r) {
    double ss = 0;
    for (int64_t i = 0; i < inner; ++i) {
      double v = Get(t, r * inner + i);
      ss += v * v;
    }
    double norm = std::sqrt(ss);
    double inv = norm > 0 ? 1.0 / norm : 0.0;
    for (int64_t i = 0; i < inner; ++i) Set(*out, r * inner + i, Get(t, r * inner + i) * inv);
  }
  return Wrap(vm, out);
}

// Indices of a 1-d tensor (or of each row) sorted by value, stable.
std::vector<int64_t> Order(const ScriptTensor& t, int64_t begin, int64_t count, bool descending) {
  std::vector<int64_t> idx(count);
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](int64_t x, int64_t y) {
    double u = Get(t, begin + x), v = Get(t, begin + y);
    return descending ? u > v : u < v;
  });
  return idx;
}

Value MArgsort(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[1];
  ParseArgs(vm, {"argsort", {"descending"}, 0}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  bool desc = !o[0].unbound() && Truthy(vm, o[0]);
  int64_t outer, inner;
  Rows(t, &outer, &inner);
  auto out = Make(vm, DType::kInt64, t.shape());
  for (int64_t r = 0; r < outer; ++r) {
    std::vector<int64_t> idx = Order(t, r * inner, inner, desc);
    for (int64_t i = 0; i < inner; ++i) out->data_as<int64_t>()[r * inner + i] = idx[i];
  }
  return Wrap(vm, out);
}

Value MTopk(VM& vm, Value* a, int n, TupleObj* kw) {
  Value o[2];
  ParseArgs(vm, {"topk", {"k", "largest"}, 1}, a + 1, n - 1, kw, o);
  const ScriptTensor& t = Self(vm, a[0]);
  int64_t k = IndexValue(vm, o[0]);
  bool largest = o[1].unbound() || Truthy(vm, o[1]);
  int64_t outer, inner;
  Rows(t, &outer, &inner);
  if (k < 0) ValueError(vm, "topk: k must be non-negative");
  k = std::min(k, inner);
  std::vector<int64_t> shape = t.shape();
  if (shape.empty()) shape.push_back(1);
  shape.back() = k;
  auto vals = Make(vm, t.dtype(), shape);
  auto idxs = Make(vm, DType::kInt64, shape);
  for (int64_t r = 0; r < outer; ++r) {
    std::vector<int64_t> idx(inner);
    std::iota(idx.begin(), idx.end(), 0);
    auto better = [&](int64_t x, int64_t y) {
      double u = Get(t, r * inner + x), v = Get(t, r * inner + y);
      if (u != v) return largest ? u > v : u < v;
      return x < y;  // ties: lower index first
    };
    std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), better);
    for (int64_t i = 0; i < k; ++i) {
      Set(*vals, r * k + i, Get(t, r * inner + idx[i]));
      idxs->data_as<int64_t>()[r * k + i] = idx[i];
    }
  }
  Value items[2] = {Wrap(vm, vals), Value()};
  RootScope keep(vm);
  keep.Keep(items[0]);
  items[1] = Wrap(vm, idxs);
  return V(NewTupleFrom(&vm, items, 2));
}

Value Dot(VM& vm, const Value& av, const Value& bv) {
  const ScriptTensor& p = Self(vm, av);
  const ScriptTensor& q = Self(vm, bv);
  size_t pr = p.shape().size(), qr = q.shape().size();
  if (pr == 1 && qr == 1) {
    if (p.size() != q.size()) ValueError(vm, "dot: shapes do not match");
    double s = 0;
    if (p.dtype() == DType::kFloat32 && q.dtype() == DType::kFloat32) {
      const float* x = p.data_as<float>();
      const float* y = q.data_as<float>();
      for (int64_t i = 0; i < p.size(); ++i) s += static_cast<double>(x[i]) * y[i];
    } else {
      for (int64_t i = 0; i < p.size(); ++i) s += Get(p, i) * Get(q, i);
    }
    return IsInt(p.dtype()) && IsInt(q.dtype()) ? Value::Int(IntegralToInt(vm, s)) : Value::Float(s);
  }
  if (pr == 2 && (qr == 1 || qr == 2)) {
    int64_t m = p.shape()[0], k = p.shape()[1];
    if (q.shape()[0] != k) {
      ValueError(vm, "matmul: shapes " + Repr(vm, ShapeTuple(vm, p.shape())) + " and " +
                         Repr(vm, ShapeTuple(vm, q.shape())) + " are not aligned");
    }
    int64_t nn = qr == 2 ? q.shape()[1] : 1;
    std::vector<int64_t> shape = qr == 2 ? std::vector<int64_t>{m, nn} : std::vector<int64_t>{m};
    DType dt = ResultType(p.dtype(), q.dtype());
    auto out = Make(vm, dt, shape);
    if (p.dtype() == DType::kFloat32 && q.dtype() == DType::kFloat32) {
      const float* x = p.data_as<float>();
      const float* y = q.data_as<float>();
      float* o = out->data_as<float>();
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t kk = 0; kk < k; ++kk) {
          float xv = x[i * k + kk];
          const float* yr = y + kk * nn;
          float* orow = o + i * nn;
          for (int64_t j = 0; j < nn; ++j) orow[j] += xv * yr[j];
        }
      }
    } else {
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < nn; ++j) {
          double s = 0;
          for (int64_t kk = 0; kk < k; ++kk) s += Get(p, i * k + kk) * Get(q, kk * nn + j);
          Set(*out, i * nn + j, s);
        }
      }
    }
    return Wrap(vm, out);
  }
  ValueError(vm, "dot/matmul supports 1-d . 1-d, 2-d @ 1-d and 2-d @ 2-d tensors");
}

Value MDot(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "dot", n - 1, 1, 1);
  return Dot(vm, a[0], a[1]);
}

Value MMatmul(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__matmul__", n, 2, 2);
  if (!IsObj(a[1], Kind::kTensor)) return V(T().not_implemented);
  return Dot(vm, a[0], a[1]);
}

Value MEq(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "__eq__", n, 2, 2);
  if (!IsObj(a[1], Kind::kTensor)) return V(T().not_implemented);
  const ScriptTensor& p = Self(vm, a[0]);
  const ScriptTensor& q = Self(vm, a[1]);
  if (p.shape() != q.shape()) return Value::Bool(false);
  for (int64_t i = 0; i < p.size(); ++i) {
    if (Get(p, i) != Get(q, i)) return Value::Bool(false);
  }
  return Value::Bool(true);
}

Value FnConcat(VM& vm, Value* a, int n, TupleObj*) {
  CheckArgs(vm, "concat", n, 1, 1);
  std::vector<Value> parts = ToVector(vm, a[0]);
  if (parts.empty()) ValueError(vm, "concat: need at least one Tensor");
  const ScriptTensor& first = Self(vm, parts[0]);
  std::vector<int64_t> shape = first.shape();
  if (shape.empty()) ValueError(vm, "concat: 0-d tensors cannot be concatenated");
  int64_t rows = 0;
  DType dt = first.dtype();
  for (const Value& p : parts) {
    const ScriptTensor& t = Self(vm, p);
    if (t.shape().size() != shape.size() || !std::equal(shape.begin() + 1, shape.end(), t.shape().begin() + 1)) {
      ValueError(vm, "concat: all tensors must have the same shape except the first axis");
    }
    rows += t.shape()[0];
    dt = ResultType(dt, t.dtype());
  }
  shape[0] = rows;
  auto out = Make(vm, dt, shape);
  int64_t pos = 0;
  for (const Value& p : parts) {
    const ScriptTensor& t = Self(vm, p);
    for (int64_t i = 0; i < t.size(); ++i) Set(*out, pos++, Get(t, i));
  }
  return Wrap(vm, out);
}

void AddProperty(ClassObj* cls, const char* name, NativeFn getter) {
  auto* p = New<PropertyObj>(nullptr, Kind::kProperty, T().property);
  p->fget = V(NewNative(nullptr, name, getter));
  p->fset = Value::None();
  DictSet(nullptr, cls->dict, V(Intern(name)), V(p));
}

}  // namespace

void RegisterTensorType(ModuleObj* m);

Value TensorValue(VM& vm, std::shared_ptr<const ScriptTensor> t) {
  return Wrap(vm, std::move(t), false);
}

std::shared_ptr<const ScriptTensor> TensorOf(const Value& v) {
  if (!IsObj(v, Kind::kTensor)) return nullptr;
  return As<TensorObj>(v)->t;
}

ModuleObj* MakeEdgeflowModule() {
  ModuleObj* m = NewLibraryModule("edgeflow");
  RegisterTensorType(m);
  return m;
}

void RegisterTensorType(ModuleObj* m) {
  ClassObj* c = T().tensor;
  c->ctor = TensorCtor;
  DictObj* d = c->dict;
  AddNative(d, "tolist", MToList);
  AddNative(d, "item", MItem);
  AddNative(d, "__repr__", MRepr);
  AddNative(d, "__len__", MLen);
  AddNative(d, "__getitem__", MGetitem);
  AddNative(d, "__setitem__", MSetitem);
  AddNative(d, "__iter__", MIter);
  AddNative(d, "reshape", MReshape);
  AddNative(d, "astype", MAstype);
  AddNative(d, "copy", MCopy);
  AddNative(d, "__add__", MAdd);
  AddNative(d, "__radd__", MRAdd);
  AddNative(d, "__sub__", MSub);
  AddNative(d, "__rsub__", MRSub);
  AddNative(d, "__mul__", MMul);
  AddNative(d, "__rmul__", MRMul);
  AddNative(d, "__truediv__", MDiv);
  AddNative(d, "__rtruediv__", MRDiv);
  AddNative(d, "__pow__", MPow);
  AddNative(d, "__neg__", MNeg);
  AddNative(d, "__abs__", MAbs);
  AddNative(d, "__matmul__", MMatmul);
  AddNative(d, "__eq__", MEq);
  AddNative(d, "abs", MAbs);
  AddNative(d, "exp", MExp);
  AddNative(d, "log", MLog);
  AddNative(d, "log1p", MLog1p);
  AddNative(d, "sqrt", MSqrt);
  AddNative(d, "sigmoid", MSigmoid);
  AddNative(d, "clip", MClip);
  AddNative(d, "sum", MSum);
  AddNative(d, "mean", MMean);
  AddNative(d, "max", MMax);
  AddNative(d, "min", MMin);
  AddNative(d, "argmax", MArgmax);
  AddNative(d, "argmin", MArgmin);
  AddNative(d, "softmax", MSoftmax);
  AddNative(d, "normalize", MNormalize);
  AddNative(d, "argsort", MArgsort);
  AddNative(d, "topk", MTopk);
  AddNative(d, "dot", MDot);
  AddProperty(c, "shape", PShape);
  AddProperty(c, "dtype", PDType);
  AddProperty(c, "ndim", PNdim);
  AddProperty(c, "size", PSize);
  AddConstant(m, "Tensor", V(c));
  AddFunction(m, "tensor", TensorCtor);
  AddFunction(m, "zeros", Zeros);
  AddFunction(m, "full", Full);
  AddFunction(m, "arange", Arange);
  AddFunction(m, "concat", FnConcat);
}

}  // namespace edgeflow::script
