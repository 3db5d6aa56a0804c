// The operator registry: each supported ONNX op has an import-time check of
// its attributes and a reference kernel (short, plain loops: the oracle that
// faster backends are tested against). One table in kernels.cc lists every
// op family; adding an op is one function and one table line.
#ifndef EDGEFLOW_INFER_KERNELS_H_
#define EDGEFLOW_INFER_KERNELS_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "infer/graph.h"

namespace edgeflow::infer {

using KernelInputs = std::vector<const Tensor*>;  // null for an omitted optional input

struct KernelInfo {
  std::string op;
  // Rejects attribute values the kernel does not implement, naming the attribute.
  Status (*check)(const Node& node);
  Status (*run)(const Node& node, const KernelInputs& in, std::vector<Tensor>* out);
};

const KernelInfo* FindKernel(const std::string& op);
std::vector<std::string> SupportedOps();

// Families, each in its own file under ops/.
void AddElementwiseKernels(std::vector<KernelInfo>* table);
void AddNnKernels(std::vector<KernelInfo>* table);
void AddShapeKernels(std::vector<KernelInfo>* table);
void AddReduceKernels(std::vector<KernelInfo>* table);
void AddQuantizeKernels(std::vector<KernelInfo>* table);
void AddResizeKernels(std::vector<KernelInfo>* table);
void AddRnnKernels(std::vector<KernelInfo>* table);

// Helpers shared by the op files.
Status NoCheck(const Node&);
// Resolves a possibly negative axis against `rank`: [-rank, rank), so a
// scalar has no axis.
Result<int> NormalizeAxis(int64_t axis, int rank, const Node& node);
// Numpy broadcasting of two shapes.
Result<std::vector<int64_t>> BroadcastShapes(const std::vector<int64_t>& a, const std::vector<int64_t>& b);
// Strides of `shape` read as `out_shape` under broadcasting (0 where broadcast).
std::vector<int64_t> BroadcastStrides(const std::vector<int64_t>& shape, const std::vector<int64_t>& out_shape);
// Requires input i to be present.
Status NeedInput(const Node& node, const KernelInputs& in, size_t i);
// Requires `t` (named `what` in the message) to have rank in [lo, hi].
Status NeedRank(const Node& node, const Tensor& t, int lo, int hi, const char* what);
// Requires `t` to have one of `types`.
Status NeedDType(const Node& node, const Tensor& t, std::initializer_list<DType> types, const char* what);
// Requires `t` to hold at least one value (a scalar input such as TopK's K).
Status NeedValue(const Node& node, const Tensor& t, const char* what);

// The largest output a kernel allocates (bytes). Output shapes that come from
// input values or attributes (Expand, Tile, Pad, ConstantOfShape, Resize,
// windows) are checked against it, so a hostile shape fails with a Status
// instead of overflowing int64 or asking for absurd memory.
constexpr int64_t kMaxTensorBytes = int64_t{1} << 32;
// Requires every dim of `shape` to be >= 0 and the tensor to fit kMaxTensorBytes.
Status NeedShape(const Node& node, const std::vector<int64_t>& shape, DType dtype);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_KERNELS_H_
