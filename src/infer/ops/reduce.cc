// Reduction reference kernels: ReduceSum/Mean/Max/Min/Prod/SumSquare/L2,
// ArgMax/ArgMin, TopK.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

enum class Red { kSum, kMean, kMax, kMin, kProd, kSumSquare, kL2 };

template <Red kR>
Status RunReduce(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  std::vector<int64_t> axes = n.Ints("axes");
  if (in.size() > 1 && in[1]) {
    axes.clear();
    for (int64_t i = 0; i < in[1]->size(); ++i) axes.push_back(in[1]->AsInt(i));
  }
  bool keep = n.Int("keepdims", 1) != 0;
  if (axes.empty() && n.Int("noop_with_empty_axes", 0)) {
    out->push_back(x);
    return Status::OK();
  }
  EF_RETURN_IF_ERROR(NeedDType(n, x, {DType::kFloat32, DType::kFloat64, DType::kInt64, DType::kInt32}, "input"));
  std::vector<bool> red(x.shape().size(), axes.empty());
  for (int64_t a : axes) {
    EF_ASSIGN_OR_RETURN(int ax, NormalizeAxis(a, x.rank(), n));
    red[static_cast<size_t>(ax)] = true;
  }
  std::vector<int64_t> shape, full;
  for (size_t d = 0; d < red.size(); ++d) {
    full.push_back(red[d] ? 1 : x.shape()[d]);
    if (!red[d]) shape.push_back(x.shape()[d]);
    else if (keep) shape.push_back(1);
  }
  // Fast path: Max/Min of float32 over trailing axes (contiguous rows), exact.
  size_t first_red = red.size();
  while (first_red > 0 && red[first_red - 1]) --first_red;
  bool trailing = first_red < red.size() && std::none_of(red.begin(), red.begin() + static_cast<long>(first_red),
                                                          [](bool r) { return r; });
  if ((kR == Red::kMax || kR == Red::kMin) && x.dtype() == DType::kFloat32 && trailing && x.size() > 0) {
    Tensor y(DType::kFloat32, shape);
    const int64_t rows = y.size(), len = x.size() / std::max<int64_t>(rows, 1);
    const float* px = x.data<float>();
    // 16 running extremes and a NaN flag instead of one chain of dependent
    // selects: the loop vectorizes (a 64x63 row block took 6 us one at a time).
    constexpr int64_t kLanes = 16;
    auto better = [](float v, float m) { return kR == Red::kMax ? v > m : v < m; };
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = px + r * len;
      float lane[kLanes];
      for (int64_t l = 0; l < kLanes; ++l) lane[l] = row[0];
      bool nan = false;
      int64_t j = 0;
      for (; j + kLanes <= len; j += kLanes) {
        for (int64_t l = 0; l < kLanes; ++l) {
          const float v = row[j + l];
          lane[l] = better(v, lane[l]) ? v : lane[l];
          nan |= v != v;
        }
      }
      for (; j < len; ++j) {
        lane[0] = better(row[j], lane[0]) ? row[j] : lane[0];
        nan |= row[j] != row[j];
      }
      float m = lane[0];
      for (int64_t l = 1; l < kLanes; ++l) m = better(lane[l], m) ? lane[l] : m;
      y.data<float>()[r] = nan ? std::numeric_limits<float>::quiet_NaN() : m;  // NaN propagates, as ONNX says
    }
    out->push_back(std::move(y));
    return Status::OK();
  }
  bool is_float = x.dtype() == DType::kFloat32 || x.dtype() == DType::kFloat64;
  double init = kR == Red::kMax ? -INFINITY : kR == Red::kMin ? INFINITY : kR == Red::kProd ? 1 : 0;
  std::vector<double> acc(static_cast<size_t>(NumElements(full)), init);
  auto os = BroadcastStrides(full, x.shape());
  std::vector<int64_t> idx(x.shape().size(), 0);
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t o = 0;
    for (size_t d = 0; d < idx.size(); ++d) o += idx[d] * os[d];
    double v = x.AsDouble(i);
    double& a = acc[static_cast<size_t>(o)];
    switch (kR) {
      case Red::kSum: case Red::kMean: a += v; break;
      case Red::kMax: a = std::max(a, v); break;
      case Red::kMin: a = std::min(a, v); break;
      case Red::kProd: a *= v; break;
      case Red::kSumSquare: case Red::kL2: a += v * v; break;
    }
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < x.shape()[d]) break;
      idx[d] = 0;
    }
  }
  int64_t count = x.size() / std::max<int64_t>(static_cast<int64_t>(acc.size()), 1);
  Tensor y(is_float ? x.dtype() : x.dtype(), shape);
  for (size_t i = 0; i < acc.size(); ++i) {
    double v = acc[i];
    if (kR == Red::kMean) v /= static_cast<double>(count);
    if (kR == Red::kL2) v = std::sqrt(v);
    switch (x.dtype()) {
      case DType::kFloat32: y.data<float>()[i] = static_cast<float>(v); break;
      case DType::kFloat64: y.data<double>()[i] = v; break;
      // An empty integer Max/Min/Mean is +-inf or NaN: saturated, never an undefined cast.
      case DType::kInt64: y.data<int64_t>()[i] = SaturateCast<int64_t>(v); break;
      case DType::kInt32: y.data<int32_t>()[i] = SaturateCast<int32_t>(v); break;
      default: return Status::Unsupported(n.Describe() + ": input type " + DTypeName(x.dtype()));
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

template <bool kMax>
Status RunArg(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", 0), x.rank(), n));
  bool keep = n.Int("keepdims", 1) != 0, last = n.Int("select_last_index", 0) != 0;
  int64_t outer = 1, inner = 1, len = x.dim(axis);
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  if (len == 0 && outer * inner > 0) {
    return Status::InvalidArgument(n.Describe() + ": axis " + std::to_string(axis) + " of " + x.ShapeString() +
                                   " is empty (no index to return)");
  }
  std::vector<int64_t> shape = x.shape();
  if (keep) shape[static_cast<size_t>(axis)] = 1;
  else shape.erase(shape.begin() + axis);
  Tensor y(DType::kInt64, shape);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < inner; ++k) {
      int64_t best = 0;
      double bv = x.AsDouble(o * len * inner + k);
      for (int64_t i = 1; i < len; ++i) {
        double v = x.AsDouble((o * len + i) * inner + k);
        bool better = kMax ? (last ? v >= bv : v > bv) : (last ? v <= bv : v < bv);
        if (better) {
          bv = v;
          best = i;
        }
      }
      y.data<int64_t>()[o * inner + k] = best;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunTopK(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  if (in.size() > 1 && in[1]) EF_RETURN_IF_ERROR(NeedValue(n, *in[1], "K"));
  int64_t k = in.size() > 1 && in[1] ? in[1]->AsInt(0) : n.Int("k", 1);
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", -1), x.rank(), n));
  bool largest = n.Int("largest", 1) != 0;
  int64_t outer = 1, inner = 1, len = x.dim(axis);
  if (k < 0 || k > len) return Status::InvalidArgument(n.Describe() + ": k = " + std::to_string(k) + " out of range");
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  std::vector<int64_t> shape = x.shape();
  shape[static_cast<size_t>(axis)] = k;
  Tensor values(x.dtype(), shape), indices(DType::kInt64, shape);
  size_t es = DTypeSize(x.dtype());
  std::vector<int64_t> order(static_cast<size_t>(len));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t j = 0; j < inner; ++j) {
      std::iota(order.begin(), order.end(), 0);
      auto at = [&](int64_t i) { return x.AsDouble((o * len + i) * inner + j); };
      // NaN ranks above every number (as in ONNX Runtime), which keeps the order strict weak.
      std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        double va = at(a), vb = at(b);
        if (std::isnan(va) || std::isnan(vb)) return largest ? !std::isnan(vb) : !std::isnan(va);
        return largest ? va > vb : va < vb;
      });
      for (int64_t r = 0; r < k; ++r) {
        int64_t src = (o * len + order[static_cast<size_t>(r)]) * inner + j, dst = (o * k + r) * inner + j;
        std::memcpy(values.raw() + static_cast<size_t>(dst) * es, x.raw() + static_cast<size_t>(src) * es, es);
        indices.data<int64_t>()[dst] = order[static_cast<size_t>(r)];
      }
    }
  }
  out->push_back(std::move(values));
  out->push_back(std::move(indices));
  return Status::OK();
}

}  // namespace

void AddReduceKernels(std::vector<KernelInfo>* t) {
  t->push_back({"ReduceSum", NoCheck, RunReduce<Red::kSum>});
  t->push_back({"ReduceMean", NoCheck, RunReduce<Red::kMean>});
  t->push_back({"ReduceMax", NoCheck, RunReduce<Red::kMax>});
  t->push_back({"ReduceMin", NoCheck, RunReduce<Red::kMin>});
  t->push_back({"ReduceProd", NoCheck, RunReduce<Red::kProd>});
  t->push_back({"ReduceSumSquare", NoCheck, RunReduce<Red::kSumSquare>});
  t->push_back({"ReduceL2", NoCheck, RunReduce<Red::kL2>});
  t->push_back({"ArgMax", NoCheck, RunArg<true>});
  t->push_back({"ArgMin", NoCheck, RunArg<false>});
  t->push_back({"TopK", NoCheck, RunTopK});
}

}  // namespace edgeflow::infer
