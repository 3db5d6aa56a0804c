// Tensor: the inference engine's own dense tensor: an element type, a shape
// and contiguous, row-major storage, either owned or a read-only view of
// memory that outlives it (weights in a mapped .efm file). (The script part's edgeflow.Tensor
// will share buffers with it once both exist.)
#ifndef EDGEFLOW_INFER_TENSOR_H_
#define EDGEFLOW_INFER_TENSOR_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "edgeflow/status.h"

namespace edgeflow::infer {

enum class DType : uint8_t { kFloat32, kFloat64, kInt64, kInt32, kInt8, kUint8, kBool };

const char* DTypeName(DType t);
size_t DTypeSize(DType t);

class Tensor {
 public:
  Tensor() = default;
  Tensor(DType dtype, std::vector<int64_t> shape);
  // A view of `bytes` (size * DTypeSize bytes) that the caller keeps alive and
  // unchanged for the lifetime of the view and its copies. Kernels never
  // write to their inputs, so weights are used in place.
  static Tensor View(DType dtype, std::vector<int64_t> shape, const void* bytes);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[static_cast<size_t>(i)]; }
  int64_t size() const { return size_; }  // number of elements
  size_t bytes() const { return static_cast<size_t>(size_) * DTypeSize(dtype_); }
  bool is_view() const { return view_ != nullptr; }
  // An owning copy (of a view or of an owning tensor).
  Tensor Clone() const;

  template <typename T>
  T* data() { return reinterpret_cast<T*>(raw()); }
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(raw()); }
  // Writing through a view is a contract violation (mapped weights are read-only).
  uint8_t* raw() { return view_ ? const_cast<uint8_t*>(view_) : data_.data(); }
  const uint8_t* raw() const { return view_ ? view_ : data_.data(); }

  // Same elements, new shape (sizes must agree).
  Status Reshape(std::vector<int64_t> shape);
  // Element i converted to double / int64 (any dtype), for index and shape inputs.
  double AsDouble(int64_t i) const;
  int64_t AsInt(int64_t i) const;
  std::string ShapeString() const;

 private:
  DType dtype_ = DType::kFloat32;
  std::vector<int64_t> shape_;
  int64_t size_ = 0;
  std::vector<uint8_t> data_;      // owned storage (empty for a view)
  const uint8_t* view_ = nullptr;  // borrowed storage, or null
};

int64_t NumElements(const std::vector<int64_t>& shape);
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_TENSOR_H_
