// Quantization reference kernels: DequantizeLinear (ONNX, opset 10/13
// semantics: per-tensor or per-axis scale and zero point) and
// QuantizeLinear (round half to even, saturate).
#include <algorithm>
#include <cmath>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Index along `axis` of flat element i, for per-axis parameters.
struct AxisWalker {
  int64_t inner = 1, dim = 1;
  int64_t At(int64_t i) const { return (i / inner) % dim; }
};

Result<AxisWalker> Walker(const Node& n, const Tensor& x, const Tensor& scale) {
  AxisWalker w;
  if (scale.size() == 1 && scale.rank() <= 1) return w;
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", 1), x.rank(), n));
  if (scale.rank() != 1 || scale.size() != x.dim(axis)) {
    return Status::InvalidArgument(n.Describe() + ": scale " + scale.ShapeString() + " does not match axis " +
                                   std::to_string(axis) + " of " + x.ShapeString());
  }
  w.dim = x.dim(axis);
  for (int d = axis + 1; d < x.rank(); ++d) w.inner *= x.dim(d);
  return w;
}

Status CheckZeroPoint(const Node& n, const Tensor* zp, const Tensor& scale) {
  if (zp && zp->size() != scale.size()) {
    return Status::InvalidArgument(n.Describe() + ": zero point " + zp->ShapeString() + " and scale " +
                                   scale.ShapeString() + " differ");
  }
  return Status::OK();
}

Status RunDequantize(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor &x = *in[0], &scale = *in[1];
  const Tensor* zp = in.size() > 2 ? in[2] : nullptr;
  if (scale.dtype() != DType::kFloat32) return Status::Unsupported(n.Describe() + ": scale must be float32");
  if (x.dtype() != DType::kInt8 && x.dtype() != DType::kUint8 && x.dtype() != DType::kInt16 &&
      x.dtype() != DType::kInt32) {
    return Status::Unsupported(n.Describe() + ": input type " + DTypeName(x.dtype()));
  }
  EF_RETURN_IF_ERROR(CheckZeroPoint(n, zp, scale));
  EF_ASSIGN_OR_RETURN(AxisWalker w, Walker(n, x, scale));
  Tensor y(DType::kFloat32, x.shape());
  float* py = y.data<float>();
  const float* ps = scale.data<float>();
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = w.At(i);
    double z = zp ? zp->AsDouble(c) : 0.0;
    py[i] = static_cast<float>((x.AsDouble(i) - z) * ps[c]);
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunQuantize(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor &x = *in[0], &scale = *in[1];
  const Tensor* zp = in.size() > 2 ? in[2] : nullptr;
  if (x.dtype() != DType::kFloat32 || scale.dtype() != DType::kFloat32) {
    return Status::Unsupported(n.Describe() + ": float32 input and scale only");
  }
  DType dt = zp ? zp->dtype() : DType::kUint8;
  if (dt != DType::kInt8 && dt != DType::kUint8) return Status::Unsupported(n.Describe() + ": output type");
  EF_RETURN_IF_ERROR(CheckZeroPoint(n, zp, scale));
  EF_ASSIGN_OR_RETURN(AxisWalker w, Walker(n, x, scale));
  double lo = dt == DType::kInt8 ? -128 : 0, hi = dt == DType::kInt8 ? 127 : 255;
  Tensor y(dt, x.shape());
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t c = w.At(i);
    double v = std::nearbyint(static_cast<double>(x.data<float>()[i]) / scale.data<float>()[c]) +
               (zp ? zp->AsDouble(c) : 0.0);
    v = std::min(std::max(v, lo), hi);  // NaN (x / 0 scale) passes through: SaturateCast makes it 0
    if (dt == DType::kInt8) y.data<int8_t>()[i] = SaturateCast<int8_t>(v);
    else y.data<uint8_t>()[i] = SaturateCast<uint8_t>(v);
  }
  out->push_back(std::move(y));
  return Status::OK();
}

}  // namespace

void AddQuantizeKernels(std::vector<KernelInfo>* t) {
  t->push_back({"DequantizeLinear", NoCheck, RunDequantize});
  t->push_back({"QuantizeLinear", NoCheck, RunQuantize});
}

}  // namespace edgeflow::infer
