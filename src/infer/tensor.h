// Tensor: the inference engine's own dense tensor: an element type, a shape
// and contiguous, row-major storage, either owned or a read-only view of
// memory that outlives it (weights in a mapped .efm file). (The script part's edgeflow.Tensor
// will share buffers with it once both exist.)
#ifndef EDGEFLOW_INFER_TENSOR_H_
#define EDGEFLOW_INFER_TENSOR_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "edgeflow/status.h"

namespace edgeflow::infer {

// The enumerator values are the .efm format's dtype codes: append only.
enum class DType : uint8_t { kFloat32, kFloat64, kInt64, kInt32, kInt8, kUint8, kBool, kInt16 };

// `v` converted to the integer type T: NaN gives 0 and values outside T's
// range saturate (where a plain cast would be undefined behaviour).
template <typename T>
T SaturateCast(double v) {
  if (std::isnan(v)) return 0;
  // T's max as a double rounds up for 64-bit types, so compare with >=.
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  return static_cast<T>(v);
}

const char* DTypeName(DType t);
size_t DTypeSize(DType t);

// Where the storage of tensors created on this thread comes from: the heap,
// or, while an Interpreter runs, its memory planner (planner.h), which sees
// every allocation and release in order and serves them from one arena.
class TensorAllocator {
 public:
  virtual ~TensorAllocator() = default;
  // 64-byte aligned storage for `bytes` (zeroed if `zero`), or null for
  // "use the heap". *slot (>= 0) names the allocation for Release; -1 if untracked.
  virtual uint8_t* Allocate(size_t bytes, bool zero, int32_t* slot) = 0;
  // The tensor holding `slot` is gone (its storage may be reused).
  virtual void Release(int32_t slot) = 0;
};

// Installs an allocator for the current thread for the scope's lifetime.
class ScopedTensorAllocator {
 public:
  explicit ScopedTensorAllocator(TensorAllocator* a);
  ~ScopedTensorAllocator();
  ScopedTensorAllocator(const ScopedTensorAllocator&) = delete;
  ScopedTensorAllocator& operator=(const ScopedTensorAllocator&) = delete;

 private:
  TensorAllocator* previous_;
};

class Tensor {
 public:
  Tensor() = default;
  // Zero-filled storage from the thread's allocator (or the heap).
  Tensor(DType dtype, std::vector<int64_t> shape);
  // Storage whose contents are unspecified, for kernels that write every
  // element (skips the zero fill on the planned hot path).
  static Tensor Uninitialized(DType dtype, std::vector<int64_t> shape);
  // Copies allocate new storage (a view's copy is the same view); moves steal.
  Tensor(const Tensor& o);
  Tensor(Tensor&& o) noexcept;
  Tensor& operator=(const Tensor& o);
  Tensor& operator=(Tensor&& o) noexcept;
  ~Tensor();
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
  // A heap copy, independent of any view or planner arena (for values that
  // leave a run or outlive the model).
  Tensor Clone() const;

  template <typename T>
  T* data() { return reinterpret_cast<T*>(raw()); }
  template <typename T>
  const T* data() const { return reinterpret_cast<const T*>(raw()); }
  // Writing through a view is a contract violation (mapped weights are read-only).
  uint8_t* raw() { return view_ ? const_cast<uint8_t*>(view_) : planned_ ? planned_ : data_.data(); }
  const uint8_t* raw() const { return view_ ? view_ : planned_ ? planned_ : data_.data(); }

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
  void Allocate(bool zero = true);  // storage for bytes() from the thread's allocator or the heap
  void Drop();      // releases the storage

  std::vector<uint8_t> data_;            // heap storage (empty for a view or planned storage)
  const uint8_t* view_ = nullptr;        // borrowed read-only storage, or null
  uint8_t* planned_ = nullptr;           // storage in a planner's arena, or null
  TensorAllocator* allocator_ = nullptr; // who to tell when the storage is released
  int32_t slot_ = -1;                    // the allocation's name for allocator_
};

int64_t NumElements(const std::vector<int64_t>& shape);
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_TENSOR_H_
