// Tensor storage, dtype table and element access helpers.
#include "infer/tensor.h"

namespace edgeflow::infer {

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kInt64: return "int64";
    case DType::kInt32: return "int32";
    case DType::kInt8: return "int8";
    case DType::kUint8: return "uint8";
    case DType::kBool: return "bool";
    case DType::kInt16: return "int16";
  }
  return "?";
}

size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kFloat64:
    case DType::kInt64: return 8;
    case DType::kFloat32:
    case DType::kInt32: return 4;
    case DType::kInt16: return 2;
    case DType::kInt8:
    case DType::kUint8:
    case DType::kBool: return 1;
  }
  return 1;
}

int64_t NumElements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

namespace {
thread_local TensorAllocator* current_allocator = nullptr;
}  // namespace

ScopedTensorAllocator::ScopedTensorAllocator(TensorAllocator* a) : previous_(current_allocator) {
  current_allocator = a;
}
ScopedTensorAllocator::~ScopedTensorAllocator() { current_allocator = previous_; }

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)), size_(NumElements(shape_)) {
  Allocate();
}

Tensor Tensor::Uninitialized(DType dtype, std::vector<int64_t> shape) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.size_ = NumElements(t.shape_);
  t.Allocate(false);
  return t;
}

void Tensor::Allocate(bool zero) {
  if (current_allocator) {
    allocator_ = current_allocator;
    planned_ = allocator_->Allocate(bytes(), zero, &slot_);
    if (planned_) return;
  }
  data_.assign(bytes(), 0);
}

void Tensor::Drop() {
  if (allocator_ && slot_ >= 0) allocator_->Release(slot_);
  allocator_ = nullptr;
  slot_ = -1;
  planned_ = nullptr;
  view_ = nullptr;
  data_ = std::vector<uint8_t>();
}

Tensor::Tensor(const Tensor& o) : dtype_(o.dtype_), shape_(o.shape_), size_(o.size_), view_(o.view_) {
  if (view_) return;
  Allocate();
  if (bytes() > 0) std::memcpy(raw(), o.raw(), bytes());
}

Tensor::Tensor(Tensor&& o) noexcept
    : dtype_(o.dtype_), shape_(std::move(o.shape_)), size_(o.size_), data_(std::move(o.data_)), view_(o.view_),
      planned_(o.planned_), allocator_(o.allocator_), slot_(o.slot_) {
  o.shape_.clear();
  o.size_ = 0;
  o.view_ = nullptr;
  o.planned_ = nullptr;
  o.allocator_ = nullptr;
  o.slot_ = -1;
}

Tensor& Tensor::operator=(const Tensor& o) {
  if (this == &o) return *this;
  Tensor copy(o);
  return *this = std::move(copy);
}

Tensor& Tensor::operator=(Tensor&& o) noexcept {
  if (this == &o) return *this;
  Drop();
  dtype_ = o.dtype_;
  shape_ = std::move(o.shape_);
  size_ = o.size_;
  data_ = std::move(o.data_);
  view_ = o.view_;
  planned_ = o.planned_;
  allocator_ = o.allocator_;
  slot_ = o.slot_;
  o.shape_.clear();
  o.size_ = 0;
  o.view_ = nullptr;
  o.planned_ = nullptr;
  o.allocator_ = nullptr;
  o.slot_ = -1;
  return *this;
}

Tensor::~Tensor() { Drop(); }

Tensor Tensor::View(DType dtype, std::vector<int64_t> shape, const void* bytes) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.size_ = NumElements(t.shape_);
  t.view_ = static_cast<const uint8_t*>(bytes);
  return t;
}

Tensor Tensor::Clone() const {
  Tensor t;
  t.dtype_ = dtype_;
  t.shape_ = shape_;
  t.size_ = size_;
  t.data_.assign(raw(), raw() + bytes());
  return t;
}

Status Tensor::Reshape(std::vector<int64_t> shape) {
  if (NumElements(shape) != size_) {
    return Status::InvalidArgument("cannot reshape " + ShapeString() + " to " + infer::ShapeString(shape));
  }
  shape_ = std::move(shape);
  return Status::OK();
}

double Tensor::AsDouble(int64_t i) const {
  switch (dtype_) {
    case DType::kFloat32: return data<float>()[i];
    case DType::kFloat64: return data<double>()[i];
    case DType::kInt64: return static_cast<double>(data<int64_t>()[i]);
    case DType::kInt32: return data<int32_t>()[i];
    case DType::kInt8: return data<int8_t>()[i];
    case DType::kUint8: return data<uint8_t>()[i];
    case DType::kBool: return data<uint8_t>()[i] ? 1 : 0;
    case DType::kInt16: return data<int16_t>()[i];
  }
  return 0;
}

int64_t Tensor::AsInt(int64_t i) const {
  switch (dtype_) {
    case DType::kInt64: return data<int64_t>()[i];
    case DType::kInt32: return data<int32_t>()[i];
    case DType::kFloat32: return SaturateCast<int64_t>(data<float>()[i]);
    case DType::kFloat64: return SaturateCast<int64_t>(data<double>()[i]);
    case DType::kInt8: return data<int8_t>()[i];
    case DType::kInt16: return data<int16_t>()[i];
    case DType::kUint8:
    case DType::kBool: return data<uint8_t>()[i];
  }
  return 0;
}

std::string Tensor::ShapeString() const { return infer::ShapeString(shape_); }

}  // namespace edgeflow::infer
