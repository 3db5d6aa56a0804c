// Tensor: the inference engine's own dense tensor: an element type, a shape
// and owned, contiguous, row-major storage. (The script part's edgeflow.Tensor
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

  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[static_cast<size_t>(i)]; }
  int64_t size() const { return size_; }  // number of elements
  size_t bytes() const { return data_.size(); }

  template <typename T>
  T* data() { return reinterpret_cast<T*>(data_.data()); }
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(data_.data()); }
  uint8_t* raw() { return data_.data(); }
  const uint8_t* raw() const { return data_.data(); }

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
  std::vector<uint8_t> data_;
};

int64_t NumElements(const std::vector<int64_t>& shape);
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_TENSOR_H_
