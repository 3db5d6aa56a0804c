// The operator table and the helpers shared by the op files.
#include "infer/kernels.h"

#include <algorithm>
#include <unordered_map>

namespace edgeflow::infer {
namespace {

const std::unordered_map<std::string, KernelInfo>& Table() {
  static const auto* table = [] {
    std::vector<KernelInfo> list;
    AddElementwiseKernels(&list);
    AddNnKernels(&list);
    AddShapeKernels(&list);
    AddReduceKernels(&list);
    AddQuantizeKernels(&list);
    AddResizeKernels(&list);
    AddRnnKernels(&list);
    auto* m = new std::unordered_map<std::string, KernelInfo>;
    for (auto& k : list) (*m)[k.op] = k;
    return m;
  }();
  return *table;
}

}  // namespace

const KernelInfo* FindKernel(const std::string& op) {
  auto it = Table().find(op);
  return it == Table().end() ? nullptr : &it->second;
}

std::vector<std::string> SupportedOps() {
  std::vector<std::string> ops;
  for (const auto& [name, k] : Table()) ops.push_back(name);
  std::sort(ops.begin(), ops.end());
  return ops;
}

Status NoCheck(const Node&) { return Status::OK(); }

Result<int> NormalizeAxis(int64_t axis, int rank, const Node& node) {
  if (axis < -rank || axis >= rank) {
    return Status::InvalidArgument(node.Describe() + ": axis " + std::to_string(axis) + " out of range for rank " +
                                   std::to_string(rank));
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

Result<std::vector<int64_t>> BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  size_t n = std::max(a.size(), b.size());
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1) {
      return Status::InvalidArgument("shapes " + ShapeString(a) + " and " + ShapeString(b) + " do not broadcast");
    }
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape) {
  size_t n = out_shape.size(), off = n - shape.size();
  std::vector<int64_t> strides(n, 0);
  int64_t s = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i + off] = shape[i] == 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

Status NeedInput(const Node& node, const KernelInputs& in, size_t i) {
  if (i >= in.size() || !in[i]) {
    return Status::InvalidArgument(node.Describe() + ": missing input " + std::to_string(i));
  }
  return Status::OK();
}

Status NeedRank(const Node& node, const Tensor& t, int lo, int hi, const char* what) {
  if (t.rank() < lo || t.rank() > hi) {
    std::string want = lo == hi ? std::to_string(lo) : std::to_string(lo) + ".." + std::to_string(hi);
    return Status::InvalidArgument(node.Describe() + ": " + what + " " + t.ShapeString() + " has rank " +
                                   std::to_string(t.rank()) + ", expected " + want);
  }
  return Status::OK();
}

Status NeedDType(const Node& node, const Tensor& t, std::initializer_list<DType> types, const char* what) {
  if (std::find(types.begin(), types.end(), t.dtype()) != types.end()) return Status::OK();
  std::string want;
  for (DType d : types) want += std::string(want.empty() ? "" : ", ") + DTypeName(d);
  return Status::Unsupported(node.Describe() + ": " + what + " type " + DTypeName(t.dtype()) + " (supported: " +
                             want + ")");
}

Status NeedValue(const Node& node, const Tensor& t, const char* what) {
  if (t.size() < 1) {
    return Status::InvalidArgument(node.Describe() + ": " + what + " " + t.ShapeString() + " holds no value");
  }
  return Status::OK();
}

Status NeedShape(const Node& node, const std::vector<int64_t>& shape, DType dtype) {
  // The product of the non-zero dims is bounded too, so that no prefix product
  // (NumElements) overflows even when a later dim is 0.
  int64_t limit = kMaxTensorBytes / static_cast<int64_t>(DTypeSize(dtype)), n = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      return Status::InvalidArgument(node.Describe() + ": negative dimension in output shape " + ShapeString(shape));
    }
    if (d == 0) continue;
    if (d > limit / n) {
      return Status::InvalidArgument(node.Describe() + ": output shape " + ShapeString(shape) + " exceeds " +
                                     std::to_string(kMaxTensorBytes) + " bytes");
    }
    n *= d;
  }
  return Status::OK();
}

}  // namespace edgeflow::infer
