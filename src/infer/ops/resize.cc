// Resize (ONNX opset 10-17): nearest and (n-)linear modes with the common
// coordinate transformations. Cubic, tf_crop_and_resize and antialias are
// rejected by the check.
#include <algorithm>
#include <cmath>
#include <set>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

Status CheckResize(const Node& n) {
  static const std::set<std::string> kCtm = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                                             "tf_half_pixel_for_nearest"};
  static const std::set<std::string> kNearest = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  std::string mode = n.String("mode", "nearest");
  if (mode != "nearest" && mode != "linear") {
    return Status::Unsupported(n.Describe() + ": attribute mode='" + mode + "' is not supported (nearest, linear)");
  }
  std::string ctm = n.String("coordinate_transformation_mode", "half_pixel");
  if (!kCtm.count(ctm)) {
    return Status::Unsupported(n.Describe() + ": attribute coordinate_transformation_mode='" + ctm +
                               "' is not supported");
  }
  std::string nm = n.String("nearest_mode", "round_prefer_floor");
  if (!kNearest.count(nm)) return Status::Unsupported(n.Describe() + ": attribute nearest_mode='" + nm + "'");
  if (n.Int("antialias", 0) != 0) return Status::Unsupported(n.Describe() + ": attribute antialias=1");
  if (n.Has("axes")) return Status::Unsupported(n.Describe() + ": attribute axes");
  if (n.Int("exclude_outside", 0) != 0) return Status::Unsupported(n.Describe() + ": attribute exclude_outside=1");
  return Status::OK();
}

// out_len is the unrounded resized length (in_len * scale when scales are given), as in the ONNX reference.
double SourceCoordinate(const std::string& ctm, double x, double scale, int64_t in_len, double out_len) {
  if (ctm == "half_pixel") return (x + 0.5) / scale - 0.5;
  if (ctm == "pytorch_half_pixel") return out_len > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
  if (ctm == "align_corners") {
    return out_len == 1 ? 0.0 : x * static_cast<double>(in_len - 1) / (out_len - 1);
  }
  if (ctm == "tf_half_pixel_for_nearest") return (x + 0.5) / scale;
  return x / scale;  // asymmetric
}

int64_t NearestIndex(const std::string& nm, double x, int64_t in_len) {
  double r;
  if (nm == "round_prefer_ceil") r = std::floor(x + 0.5);
  else if (nm == "floor") r = std::floor(x);
  else if (nm == "ceil") r = std::ceil(x);
  else r = std::ceil(x - 0.5);  // round_prefer_floor
  return std::min<int64_t>(std::max<int64_t>(SaturateCast<int64_t>(r), 0), in_len - 1);
}

// Per axis: for each output index, two source indices and the weight of the second.
struct AxisMap {
  std::vector<int64_t> i0, i1;
  std::vector<double> w;
};

Status RunResize(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  if (x.dtype() != DType::kFloat32) return Status::Unsupported(n.Describe() + ": Resize needs float32");
  // Opset 10: (X, scales); opset 11+: (X, roi, scales, sizes).
  const Tensor* scales = n.opset < 11 ? (in.size() > 1 ? in[1] : nullptr) : (in.size() > 2 ? in[2] : nullptr);
  const Tensor* sizes = n.opset < 11 ? nullptr : (in.size() > 3 ? in[3] : nullptr);
  if (scales && scales->size() == 0) scales = nullptr;
  if (sizes && sizes->size() == 0) sizes = nullptr;
  const int r = x.rank();
  if (r > 8) return Status::Unsupported(n.Describe() + ": Resize of rank above 8");
  std::vector<int64_t> shape(static_cast<size_t>(r));
  std::vector<double> scale(static_cast<size_t>(r));
  if (sizes) {
    if (sizes->size() != r) return Status::InvalidArgument(n.Describe() + ": sizes must have one value per axis");
    for (int d = 0; d < r; ++d) {
      shape[static_cast<size_t>(d)] = sizes->AsInt(d);
      if (shape[static_cast<size_t>(d)] < 0) return Status::InvalidArgument(n.Describe() + ": negative size");
      scale[static_cast<size_t>(d)] = x.dim(d) ? static_cast<double>(shape[static_cast<size_t>(d)]) / x.dim(d) : 1;
    }
  } else if (scales) {
    if (scales->size() != r) return Status::InvalidArgument(n.Describe() + ": scales must have one value per axis");
    for (int d = 0; d < r; ++d) {
      double s = scales->AsDouble(d);
      if (!(s > 0) || s > 1e6) return Status::InvalidArgument(n.Describe() + ": bad scale");
      scale[static_cast<size_t>(d)] = s;
      shape[static_cast<size_t>(d)] = static_cast<int64_t>(std::floor(static_cast<double>(x.dim(d)) * s));
    }
  } else {
    return Status::InvalidArgument(n.Describe() + ": neither scales nor sizes given");
  }
  EF_RETURN_IF_ERROR(NeedShape(n, shape, DType::kFloat32));
  if (x.size() == 0 && NumElements(shape) > 0) {
    return Status::InvalidArgument(n.Describe() + ": cannot resize the empty " + x.ShapeString() + " to " +
                                   ShapeString(shape));
  }
  const std::string mode = n.String("mode", "nearest");
  const std::string ctm = n.opset < 11 ? "asymmetric" : n.String("coordinate_transformation_mode", "half_pixel");
  const std::string nm = n.opset < 11 ? "floor" : n.String("nearest_mode", "round_prefer_floor");
  std::vector<AxisMap> maps(static_cast<size_t>(r));
  for (int d = 0; d < r; ++d) {
    AxisMap& m = maps[static_cast<size_t>(d)];
    int64_t in_len = x.dim(d), out_len = shape[static_cast<size_t>(d)];
    for (int64_t o = 0; o < out_len; ++o) {
      double len = sizes ? static_cast<double>(out_len) : static_cast<double>(in_len) * scale[static_cast<size_t>(d)];
      double src = SourceCoordinate(ctm, static_cast<double>(o), scale[static_cast<size_t>(d)], in_len, len);
      if (mode == "nearest") {
        int64_t i = NearestIndex(nm, src, in_len);
        m.i0.push_back(i);
        m.i1.push_back(i);
        m.w.push_back(0);
      } else {
        src = std::min(std::max(src, 0.0), static_cast<double>(in_len - 1));
        auto i0 = static_cast<int64_t>(std::floor(src));
        m.i0.push_back(i0);
        m.i1.push_back(std::min(i0 + 1, in_len - 1));
        m.w.push_back(src - static_cast<double>(i0));
      }
    }
  }
  Tensor y(DType::kFloat32, shape);
  std::vector<int64_t> in_strides(static_cast<size_t>(r), 1);
  for (int d = r - 2; d >= 0; --d) in_strides[static_cast<size_t>(d)] = in_strides[static_cast<size_t>(d) + 1] * x.dim(d + 1);
  std::vector<int64_t> idx(static_cast<size_t>(r), 0);
  const float* px = x.data<float>();
  for (int64_t o = 0; o < y.size(); ++o) {
    // Sum over the 2^r corners (axes with weight 0 contribute one corner).
    double acc = 0;
    for (int corner = 0; corner < (1 << r); ++corner) {
      double weight = 1;
      int64_t off = 0;
      for (int d = 0; d < r && weight != 0; ++d) {
        const AxisMap& m = maps[static_cast<size_t>(d)];
        auto k = static_cast<size_t>(idx[static_cast<size_t>(d)]);
        bool hi = (corner >> d) & 1;
        weight *= hi ? m.w[k] : 1 - m.w[k];
        off += (hi ? m.i1[k] : m.i0[k]) * in_strides[static_cast<size_t>(d)];
      }
      if (weight != 0) acc += weight * px[off];
    }
    y.data<float>()[o] = static_cast<float>(acc);
    for (int d = r - 1; d >= 0; --d) {
      if (++idx[static_cast<size_t>(d)] < shape[static_cast<size_t>(d)]) break;
      idx[static_cast<size_t>(d)] = 0;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

}  // namespace

void AddResizeKernels(std::vector<KernelInfo>* t) { t->push_back({"Resize", CheckResize, RunResize}); }

}  // namespace edgeflow::infer
