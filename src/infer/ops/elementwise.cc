// Elementwise reference kernels: unary math and activations, broadcasting
// binary arithmetic and comparisons, Where, Clip, Cast, Identity, Dropout.
#include <algorithm>
#include <cmath>
#include <functional>
#include <type_traits>

#include "infer/activation.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Calls f(index_a, index_b, index_out) for every output element under numpy broadcasting.
template <typename F>
void ForEachBroadcast(const std::vector<int64_t>& out_shape, const std::vector<int64_t>& sa,
                      const std::vector<int64_t>& sb, F f) {
  int64_t n = NumElements(out_shape);
  int rank = static_cast<int>(out_shape.size());
  std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
  int64_t ia = 0, ib = 0;
  for (int64_t o = 0; o < n; ++o) {
    f(ia, ib, o);
    for (int d = rank - 1; d >= 0; --d) {
      size_t du = static_cast<size_t>(d);
      ++idx[du];
      ia += sa[du];
      ib += sb[du];
      if (idx[du] < out_shape[du]) break;
      ia -= sa[du] * idx[du];
      ib -= sb[du] * idx[du];
      idx[du] = 0;
    }
  }
}

// Integer +, - and * wrap around (two's complement, as numpy and ONNX Runtime
// do) instead of overflowing, which is undefined behaviour in C++.
template <typename T>
T WrapAdd(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) + static_cast<U>(b)));
  } else {
    return a + b;
  }
}
template <typename T>
T WrapSub(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) - static_cast<U>(b)));
  } else {
    return a - b;
  }
}
template <typename T>
T WrapMul(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(static_cast<U>(a) * static_cast<U>(b)));
  } else {
    return a * b;
  }
}

// ---------------------------------------------------------------- unary

using UnaryFn = float (*)(float x, const Node& n);

template <UnaryFn F>
Status RunUnary(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  if (x.dtype() == DType::kFloat32) {
    Tensor y = Tensor::Uninitialized(DType::kFloat32, x.shape());
    const float* a = x.data<float>();
    float* b = y.data<float>();
    for (int64_t i = 0; i < x.size(); ++i) b[i] = F(a[i], n);
    out->push_back(std::move(y));
    return Status::OK();
  }
  if (x.dtype() == DType::kFloat64) {
    Tensor y = Tensor::Uninitialized(DType::kFloat64, x.shape());
    for (int64_t i = 0; i < x.size(); ++i) y.data<double>()[i] = F(static_cast<float>(x.data<double>()[i]), n);
    out->push_back(std::move(y));
    return Status::OK();
  }
  return Status::Unsupported(n.Describe() + ": input type " + DTypeName(x.dtype()) + " is not supported");
}

float Relu(float x, const Node&) { return x > 0 ? x : 0; }
float Sigmoid(float x, const Node&) { return 1.0f / (1.0f + std::exp(-x)); }
float Tanh(float x, const Node&) { return std::tanh(x); }
float Exp(float x, const Node&) { return std::exp(x); }
float Log(float x, const Node&) { return std::log(x); }
float Sqrt(float x, const Node&) { return std::sqrt(x); }
float Abs(float x, const Node&) { return std::fabs(x); }
float Neg(float x, const Node&) { return -x; }
float Floor(float x, const Node&) { return std::floor(x); }
float Ceil(float x, const Node&) { return std::ceil(x); }
float Reciprocal(float x, const Node&) { return 1.0f / x; }
float Erf(float x, const Node&) { return std::erf(x); }
float Softplus(float x, const Node&) { return std::log1p(std::exp(x)); }
float LeakyRelu(float x, const Node& n) { return x >= 0 ? x : x * n.Float("alpha", 0.01f); }
float Elu(float x, const Node& n) { return x >= 0 ? x : n.Float("alpha", 1.0f) * (std::exp(x) - 1); }
float HardSigmoid(float x, const Node& n) {
  return std::fmax(0.0f, std::fmin(1.0f, n.Float("alpha", 0.2f) * x + n.Float("beta", 0.5f)));
}
float HardSwish(float x, const Node&) { return x * std::fmax(0.0f, std::fmin(1.0f, x / 6.0f + 0.5f)); }

// Neg and Abs also exist for integers.
template <UnaryFn F, typename IntF>
Status RunUnaryWithInt(const Node& n, const KernelInputs& in, std::vector<Tensor>* out, IntF fi) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  if (x.dtype() == DType::kInt64 || x.dtype() == DType::kInt32) {
    Tensor y(x.dtype(), x.shape());
    for (int64_t i = 0; i < x.size(); ++i) {
      if (x.dtype() == DType::kInt64) {
        y.data<int64_t>()[i] = fi(x.data<int64_t>()[i]);
      } else {
        y.data<int32_t>()[i] = static_cast<int32_t>(fi(x.data<int32_t>()[i]));
      }
    }
    out->push_back(std::move(y));
    return Status::OK();
  }
  return RunUnary<F>(n, in, out);
}

Status RunNeg(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  return RunUnaryWithInt<Neg>(n, in, out, [](int64_t v) { return WrapSub<int64_t>(0, v); });
}
Status RunAbs(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  return RunUnaryWithInt<Abs>(n, in, out, [](int64_t v) { return v < 0 ? WrapSub<int64_t>(0, v) : v; });
}

// ---------------------------------------------------------------- binary

enum class BinOp { kAdd, kSub, kMul, kDiv, kPow, kMax, kMin, kEqual, kGreater, kLess, kGreaterOrEqual, kLessOrEqual };

bool IsComparison(BinOp op) { return op >= BinOp::kEqual; }

template <typename T>
T Arith(BinOp op, T a, T b) {
  switch (op) {
    case BinOp::kAdd: return WrapAdd(a, b);
    case BinOp::kSub: return WrapSub(a, b);
    case BinOp::kMul: return WrapMul(a, b);
    case BinOp::kDiv:
      if constexpr (std::is_integral_v<T>) {
        if (b == 0) return 0;
        if (b == -1) return WrapSub<T>(0, a);  // lowest / -1 overflows
        return static_cast<T>(a / b);
      } else {
        return a / b;
      }
    case BinOp::kPow:
      if constexpr (std::is_integral_v<T>) {
        return SaturateCast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
      } else {
        return static_cast<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
      }
    case BinOp::kMax: return a > b ? a : b;
    case BinOp::kMin: return a < b ? a : b;
    default: return 0;
  }
}

template <typename T>
bool Compare(BinOp op, T a, T b) {
  switch (op) {
    case BinOp::kEqual: return a == b;
    case BinOp::kGreater: return a > b;
    case BinOp::kLess: return a < b;
    case BinOp::kGreaterOrEqual: return a >= b;
    case BinOp::kLessOrEqual: return a <= b;
    default: return false;
  }
}

template <typename T>
void BinaryTyped(BinOp op, const Tensor& a, const Tensor& b, const std::vector<int64_t>& shape, Tensor* y) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  if (!IsComparison(op) && a.shape() == b.shape()) {  // the common case: no broadcasting
    T* py = y->data<T>();
    const int64_t n = y->size();
    switch (op) {
      case BinOp::kAdd: for (int64_t i = 0; i < n; ++i) py[i] = WrapAdd(pa[i], pb[i]); return;
      case BinOp::kSub: for (int64_t i = 0; i < n; ++i) py[i] = WrapSub(pa[i], pb[i]); return;
      case BinOp::kMul: for (int64_t i = 0; i < n; ++i) py[i] = WrapMul(pa[i], pb[i]); return;
      default: for (int64_t i = 0; i < n; ++i) py[i] = Arith(op, pa[i], pb[i]); return;
    }
  }
  auto sa = BroadcastStrides(a.shape(), shape), sb = BroadcastStrides(b.shape(), shape);
  if (!IsComparison(op) && !shape.empty() && shape.back() >= 8) {
    // Broadcasting over the outer axes, contiguous (or scalar) rows along the
    // last axis: loops the compiler vectorises.
    const int64_t len = shape.back(), la = sa.back(), lb = sb.back();
    std::vector<int64_t> outer(shape.begin(), shape.end() - 1), oa(sa.begin(), sa.end() - 1),
        ob(sb.begin(), sb.end() - 1);
    T* py = y->data<T>();
    auto rows = [&](auto f) {
      ForEachBroadcast(outer, oa, ob, [&](int64_t i, int64_t j, int64_t o) {
        const T* ra = pa + i;
        const T* rb = pb + j;
        T* ry = py + o * len;
        if (la && lb) {
          for (int64_t k = 0; k < len; ++k) ry[k] = f(ra[k], rb[k]);
        } else if (la) {
          const T vb = rb[0];
          for (int64_t k = 0; k < len; ++k) ry[k] = f(ra[k], vb);
        } else if (lb) {
          const T va = ra[0];
          for (int64_t k = 0; k < len; ++k) ry[k] = f(va, rb[k]);
        } else {
          const T v = f(ra[0], rb[0]);
          for (int64_t k = 0; k < len; ++k) ry[k] = v;
        }
      });
    };
    switch (op) {
      case BinOp::kAdd: rows([](T x, T z) { return WrapAdd(x, z); }); return;
      case BinOp::kSub: rows([](T x, T z) { return WrapSub(x, z); }); return;
      case BinOp::kMul: rows([](T x, T z) { return WrapMul(x, z); }); return;
      default: rows([op](T x, T z) { return Arith(op, x, z); }); return;
    }
  }
  if (IsComparison(op)) {
    uint8_t* py = y->data<uint8_t>();
    ForEachBroadcast(shape, sa, sb, [&](int64_t i, int64_t j, int64_t o) { py[o] = Compare(op, pa[i], pb[j]); });
  } else {
    T* py = y->data<T>();
    ForEachBroadcast(shape, sa, sb, [&](int64_t i, int64_t j, int64_t o) { py[o] = Arith(op, pa[i], pb[j]); });
  }
}

template <BinOp kOp>
Status RunBinary(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor& a = *in[0];
  const Tensor& b = *in[1];
  auto shape = BroadcastShapes(a.shape(), b.shape());
  if (!shape.ok()) return shape.status().WithContext(n.Describe());
  // Pow may mix types (float base, integer exponent): compute in the base's type.
  if (kOp == BinOp::kPow && a.dtype() != b.dtype()) {
    Tensor y(a.dtype(), *shape);
    auto sa = BroadcastStrides(a.shape(), *shape), sb = BroadcastStrides(b.shape(), *shape);
    ForEachBroadcast(*shape, sa, sb, [&](int64_t i, int64_t j, int64_t o) {
      double v = std::pow(a.AsDouble(i), b.AsDouble(j));
      if (a.dtype() == DType::kFloat32) y.data<float>()[o] = static_cast<float>(v);
      else if (a.dtype() == DType::kFloat64) y.data<double>()[o] = v;
      else if (a.dtype() == DType::kInt64) y.data<int64_t>()[o] = SaturateCast<int64_t>(v);
      else if (a.dtype() == DType::kInt32) y.data<int32_t>()[o] = SaturateCast<int32_t>(v);
    });
    out->push_back(std::move(y));
    return Status::OK();
  }
  if (a.dtype() != b.dtype()) {
    return Status::InvalidArgument(n.Describe() + ": input types differ (" + DTypeName(a.dtype()) + ", " +
                                   DTypeName(b.dtype()) + ")");
  }
  // Every element is written below: no need to clear the planned memory first.
  Tensor y = Tensor::Uninitialized(IsComparison(kOp) ? DType::kBool : a.dtype(), *shape);
  switch (a.dtype()) {
    case DType::kFloat32: BinaryTyped<float>(kOp, a, b, *shape, &y); break;
    case DType::kFloat64: BinaryTyped<double>(kOp, a, b, *shape, &y); break;
    case DType::kInt64: BinaryTyped<int64_t>(kOp, a, b, *shape, &y); break;
    case DType::kInt32: BinaryTyped<int32_t>(kOp, a, b, *shape, &y); break;
    case DType::kBool:
    case DType::kUint8:
      if (kOp != BinOp::kEqual) return Status::Unsupported(n.Describe() + ": bool/uint8 inputs");
      BinaryTyped<uint8_t>(kOp, a, b, *shape, &y);
      break;
    case DType::kInt8: BinaryTyped<int8_t>(kOp, a, b, *shape, &y); break;
    case DType::kInt16: BinaryTyped<int16_t>(kOp, a, b, *shape, &y); break;
  }
  // A Relu or Clip fused into this Add by FuseActivations (passes.h).
  if (n.Has("activation_min")) {
    float lo = n.Float("activation_min", 0), hi = n.Float("activation_max", 0);
    if (y.dtype() == DType::kFloat32) {
      float* p = y.data<float>();
      for (int64_t i = 0; i < y.size(); ++i) p[i] = std::min(std::max(p[i], lo), hi);
    } else if (y.dtype() == DType::kInt64 || y.dtype() == DType::kInt32) {
      for (int64_t i = 0; i < y.size(); ++i) {
        double v = std::min(std::max(y.AsDouble(i), static_cast<double>(lo)), static_cast<double>(hi));
        if (y.dtype() == DType::kInt64) y.data<int64_t>()[i] = SaturateCast<int64_t>(v);
        else y.data<int32_t>()[i] = SaturateCast<int32_t>(v);
      }
    } else {
      return Status::Unsupported(n.Describe() + ": fused activation on " + DTypeName(y.dtype()));
    }
  }
  // HardSwish or SiLU fused into this Add (activation.h): float32 only.
  if (n.Has("activation")) {
    EF_RETURN_IF_ERROR(CheckActivation(n));
    if (y.dtype() != DType::kFloat32) {
      return Status::Unsupported(n.Describe() + ": fused activation on " + DTypeName(y.dtype()));
    }
    ApplyActivation(ActivationOf(n), y.data<float>(), y.size());
  }
  out->push_back(std::move(y));
  return Status::OK();
}

// Sum / Max / Min / Mean with any number of inputs.
template <BinOp kOp>
Status RunVariadic(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  Tensor acc = *in[0];
  for (size_t i = 1; i < in.size(); ++i) {
    EF_RETURN_IF_ERROR(NeedInput(n, in, i));
    std::vector<Tensor> r;
    EF_RETURN_IF_ERROR(RunBinary<kOp>(n, {&acc, in[i]}, &r));
    acc = std::move(r[0]);
  }
  out->push_back(std::move(acc));
  return Status::OK();
}

Status RunMean(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(RunVariadic<BinOp::kAdd>(n, in, out));
  Tensor& y = out->back();
  if (y.dtype() != DType::kFloat32) return Status::Unsupported(n.Describe() + ": Mean needs float32");
  if (y.is_view()) y = y.Clone();  // a lone mapped-weight input: never write through it
  for (int64_t i = 0; i < y.size(); ++i) y.data<float>()[i] /= static_cast<float>(in.size());
  return Status::OK();
}

// ---------------------------------------------------------------- others

Status RunWhere(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  for (size_t i = 0; i < 3; ++i) EF_RETURN_IF_ERROR(NeedInput(n, in, i));
  const Tensor &c = *in[0], &x = *in[1], &y = *in[2];
  if (x.dtype() != y.dtype()) return Status::InvalidArgument(n.Describe() + ": X and Y types differ");
  auto s1 = BroadcastShapes(c.shape(), x.shape());
  if (!s1.ok()) return s1.status().WithContext(n.Describe());
  auto s2 = BroadcastShapes(*s1, y.shape());
  if (!s2.ok()) return s2.status().WithContext(n.Describe());
  const std::vector<int64_t>& shape = *s2;
  Tensor out_t(x.dtype(), shape);
  auto sc = BroadcastStrides(c.shape(), shape), sx = BroadcastStrides(x.shape(), shape),
       sy = BroadcastStrides(y.shape(), shape);
  size_t es = DTypeSize(x.dtype());
  std::vector<int64_t> idx(shape.size(), 0);
  for (int64_t o = 0; o < out_t.size(); ++o) {
    int64_t ic = 0, ix = 0, iy = 0, rem = o;
    for (size_t d = shape.size(); d-- > 0;) {
      int64_t k = rem % shape[d];
      rem /= shape[d];
      ic += k * sc[d];
      ix += k * sx[d];
      iy += k * sy[d];
    }
    bool take_x = c.AsInt(ic) != 0;
    std::memcpy(out_t.raw() + static_cast<size_t>(o) * es,
                (take_x ? x.raw() + static_cast<size_t>(ix) * es : y.raw() + static_cast<size_t>(iy) * es), es);
  }
  out->push_back(std::move(out_t));
  return Status::OK();
}

Status RunClip(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  double lo = -INFINITY, hi = INFINITY;
  if (n.Has("min")) lo = n.Float("min", 0);
  if (n.Has("max")) hi = n.Float("max", 0);
  if (in.size() > 1 && in[1] && in[1]->size() > 0) lo = in[1]->AsDouble(0);
  if (in.size() > 2 && in[2] && in[2]->size() > 0) hi = in[2]->AsDouble(0);
  Tensor y(x.dtype(), x.shape());
  for (int64_t i = 0; i < x.size(); ++i) {
    double v = std::fmin(hi, std::fmax(lo, x.AsDouble(i)));
    switch (x.dtype()) {
      case DType::kFloat32: y.data<float>()[i] = static_cast<float>(v); break;
      case DType::kFloat64: y.data<double>()[i] = v; break;
      case DType::kInt64: y.data<int64_t>()[i] = SaturateCast<int64_t>(v); break;
      case DType::kInt32: y.data<int32_t>()[i] = SaturateCast<int32_t>(v); break;
      default: return Status::Unsupported(n.Describe() + ": input type " + DTypeName(x.dtype()));
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status CheckCast(const Node& n) {
  int64_t to = n.Int("to", 1);
  switch (to) {
    case 1: case 2: case 3: case 6: case 7: case 9: case 11: return Status::OK();
    default: return Status::Unsupported("attribute 'to' = " + std::to_string(to) + " (element type) is not supported");
  }
  (void)n;
}

Status RunCast(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  DType to;
  switch (n.Int("to", 1)) {
    case 1: to = DType::kFloat32; break;
    case 2: to = DType::kUint8; break;
    case 3: to = DType::kInt8; break;
    case 5: to = DType::kInt16; break;
    case 6: to = DType::kInt32; break;
    case 7: to = DType::kInt64; break;
    case 9: to = DType::kBool; break;
    case 11: to = DType::kFloat64; break;
    default: return Status::Unsupported(n.Describe() + ": attribute 'to'");
  }
  Tensor y(to, x.shape());
  // Integers narrow by wrapping (as numpy and ONNX Runtime do); floats out of
  // the target's range saturate and NaN becomes 0 (ONNX leaves both
  // undefined; a plain C++ cast would be undefined behaviour).
  const bool from_float = x.dtype() == DType::kFloat32 || x.dtype() == DType::kFloat64;
  for (int64_t i = 0; i < x.size(); ++i) {
    double v = x.AsDouble(i);
    int64_t iv = from_float ? 0 : x.AsInt(i);
    switch (to) {
      case DType::kFloat32: y.data<float>()[i] = static_cast<float>(v); break;
      case DType::kFloat64: y.data<double>()[i] = v; break;
      case DType::kInt64: y.data<int64_t>()[i] = from_float ? SaturateCast<int64_t>(v) : iv; break;
      case DType::kInt32: y.data<int32_t>()[i] = from_float ? SaturateCast<int32_t>(v) : static_cast<int32_t>(iv); break;
      case DType::kInt8: y.data<int8_t>()[i] = from_float ? SaturateCast<int8_t>(v) : static_cast<int8_t>(iv); break;
      case DType::kInt16: y.data<int16_t>()[i] = from_float ? SaturateCast<int16_t>(v) : static_cast<int16_t>(iv); break;
      case DType::kUint8: y.data<uint8_t>()[i] = from_float ? SaturateCast<uint8_t>(v) : static_cast<uint8_t>(iv); break;
      case DType::kBool: y.data<uint8_t>()[i] = v != 0; break;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunIdentity(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  if (n.op == "Dropout" && in.size() > 2 && in[2] && in[2]->size() > 0 && in[2]->AsInt(0) != 0) {
    return Status::Unsupported(n.Describe() + ": training_mode = true (inference only)");
  }
  out->push_back(*in[0]);
  if (n.op == "Dropout" && n.outputs.size() > 1) {
    Tensor mask(DType::kBool, in[0]->shape());
    std::fill(mask.raw(), mask.raw() + mask.bytes(), 1);
    out->push_back(std::move(mask));
  }
  return Status::OK();
}

Status RunNot(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  Tensor y(DType::kBool, in[0]->shape());
  for (int64_t i = 0; i < y.size(); ++i) y.data<uint8_t>()[i] = in[0]->AsInt(i) == 0;
  out->push_back(std::move(y));
  return Status::OK();
}

}  // namespace

void AddElementwiseKernels(std::vector<KernelInfo>* t) {
  t->push_back({"Relu", NoCheck, RunUnary<Relu>});
  t->push_back({"Sigmoid", NoCheck, RunUnary<Sigmoid>});
  t->push_back({"Tanh", NoCheck, RunUnary<Tanh>});
  t->push_back({"Exp", NoCheck, RunUnary<Exp>});
  t->push_back({"Log", NoCheck, RunUnary<Log>});
  t->push_back({"Sqrt", NoCheck, RunUnary<Sqrt>});
  t->push_back({"Abs", NoCheck, RunAbs});
  t->push_back({"Neg", NoCheck, RunNeg});
  t->push_back({"Floor", NoCheck, RunUnary<Floor>});
  t->push_back({"Ceil", NoCheck, RunUnary<Ceil>});
  t->push_back({"Reciprocal", NoCheck, RunUnary<Reciprocal>});
  t->push_back({"Erf", NoCheck, RunUnary<Erf>});
  t->push_back({"Softplus", NoCheck, RunUnary<Softplus>});
  t->push_back({"LeakyRelu", NoCheck, RunUnary<LeakyRelu>});
  t->push_back({"Elu", NoCheck, RunUnary<Elu>});
  t->push_back({"HardSigmoid", NoCheck, RunUnary<HardSigmoid>});
  t->push_back({"HardSwish", NoCheck, RunUnary<HardSwish>});
  t->push_back({"Add", NoCheck, RunBinary<BinOp::kAdd>});
  t->push_back({"Sub", NoCheck, RunBinary<BinOp::kSub>});
  t->push_back({"Mul", NoCheck, RunBinary<BinOp::kMul>});
  t->push_back({"Div", NoCheck, RunBinary<BinOp::kDiv>});
  t->push_back({"Pow", NoCheck, RunBinary<BinOp::kPow>});
  t->push_back({"Equal", NoCheck, RunBinary<BinOp::kEqual>});
  t->push_back({"Greater", NoCheck, RunBinary<BinOp::kGreater>});
  t->push_back({"Less", NoCheck, RunBinary<BinOp::kLess>});
  t->push_back({"GreaterOrEqual", NoCheck, RunBinary<BinOp::kGreaterOrEqual>});
  t->push_back({"LessOrEqual", NoCheck, RunBinary<BinOp::kLessOrEqual>});
  t->push_back({"Max", NoCheck, RunVariadic<BinOp::kMax>});
  t->push_back({"Min", NoCheck, RunVariadic<BinOp::kMin>});
  t->push_back({"Sum", NoCheck, RunVariadic<BinOp::kAdd>});
  t->push_back({"Mean", NoCheck, RunMean});
  t->push_back({"Where", NoCheck, RunWhere});
  t->push_back({"Clip", NoCheck, RunClip});
  t->push_back({"Cast", CheckCast, RunCast});
  t->push_back({"Identity", NoCheck, RunIdentity});
  t->push_back({"Dropout", NoCheck, RunIdentity});
  t->push_back({"Not", NoCheck, RunNot});
}

}  // namespace edgeflow::infer
