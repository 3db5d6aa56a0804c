// Data-movement reference kernels, for any element type: Reshape, Flatten,
// Transpose, Squeeze, Unsqueeze, Concat, Split, Slice, Gather, Shape,
// ConstantOfShape, Expand, Pad, Tile.
#include <algorithm>
#include <numeric>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

std::vector<int64_t> Ints(const Tensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.size()));
  for (int64_t i = 0; i < t.size(); ++i) v[static_cast<size_t>(i)] = t.AsInt(i);
  return v;
}

std::vector<int64_t> Strides(const std::vector<int64_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

// Axes from the attribute (older opsets) or the optional input `idx`.
std::vector<int64_t> AxesOf(const Node& n, const KernelInputs& in, size_t idx) {
  if (in.size() > idx && in[idx]) return Ints(*in[idx]);
  return n.Ints("axes");
}

Status RunReshape(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  std::vector<int64_t> shape = in.size() > 1 && in[1] ? Ints(*in[1]) : n.Ints("shape");
  const Tensor& x = *in[0];
  bool allow_zero = n.Int("allowzero", 0) != 0;
  int infer = -1;
  int64_t known = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allow_zero) {
      if (i >= x.shape().size()) return Status::InvalidArgument(n.Describe() + ": 0 beyond the input rank");
      shape[i] = x.shape()[i];
    }
    if (shape[i] == -1) {
      if (infer >= 0) return Status::InvalidArgument(n.Describe() + ": more than one -1 in shape");
      infer = static_cast<int>(i);
    } else if (shape[i] < 0) {
      return Status::InvalidArgument(n.Describe() + ": negative dimension in shape");
    } else {
      if (shape[i] > 0 && known > kMaxTensorBytes / shape[i]) {
        return Status::InvalidArgument(n.Describe() + ": shape " + ShapeString(shape) + " is too large");
      }
      known *= shape[i];
    }
  }
  if (infer >= 0) shape[static_cast<size_t>(infer)] = known ? x.size() / known : 0;
  Tensor y = x;
  EF_RETURN_IF_ERROR(y.Reshape(shape).WithContext(n.Describe()));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunFlatten(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  int64_t axis = n.Int("axis", 1);
  if (axis < 0) axis += x.rank();
  if (axis < 0 || axis > x.rank()) return Status::InvalidArgument(n.Describe() + ": axis out of range");
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= x.dim(static_cast<int>(i));
  Tensor y = x;
  EF_RETURN_IF_ERROR(y.Reshape({outer, outer ? x.size() / outer : 0}));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunTranspose(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  std::vector<int64_t> perm = n.Ints("perm");
  if (perm.empty()) {
    for (int i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
  }
  if (static_cast<int>(perm.size()) != x.rank()) return Status::InvalidArgument(n.Describe() + ": perm size");
  std::vector<int64_t> shape(perm.size());
  std::vector<bool> seen(perm.size(), false);
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] < 0 || perm[i] >= x.rank() || seen[static_cast<size_t>(perm[i])]) {
      return Status::InvalidArgument(n.Describe() + ": perm " + ShapeString(perm) + " is not a permutation of " +
                                     std::to_string(x.rank()) + " axes");
    }
    seen[static_cast<size_t>(perm[i])] = true;
    shape[i] = x.shape()[static_cast<size_t>(perm[i])];
  }
  Tensor y(x.dtype(), shape);
  auto xs = Strides(x.shape());
  size_t es = DTypeSize(x.dtype());
  if (y.size() == 0) {
    out->push_back(std::move(y));
    return Status::OK();
  }
  if (shape.empty()) {
    std::memcpy(y.raw(), x.raw(), es);
    out->push_back(std::move(y));
    return Status::OK();
  }
  // Rows of the innermost output axis, each a strided walk through x.
  const size_t last = shape.size() - 1;
  const int64_t len = shape[last], step = xs[static_cast<size_t>(perm[last])];
  std::vector<int64_t> idx(shape.size(), 0);
  for (int64_t o = 0; o < y.size(); o += len) {
    int64_t src = 0;
    for (size_t d = 0; d < last; ++d) src += idx[d] * xs[static_cast<size_t>(perm[d])];
    if (es == 4) {  // fixed-size copies compile to plain moves
      const uint8_t* px = x.raw() + static_cast<size_t>(src) * 4;
      uint8_t* py = y.raw() + static_cast<size_t>(o) * 4;
      for (int64_t j = 0; j < len; ++j) std::memcpy(py + j * 4, px + j * step * 4, 4);
    } else {
      for (int64_t j = 0; j < len; ++j) {
        std::memcpy(y.raw() + static_cast<size_t>(o + j) * es, x.raw() + static_cast<size_t>(src + j * step) * es, es);
      }
    }
    for (size_t d = last; d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunSqueeze(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  std::vector<int64_t> axes = AxesOf(n, in, 1);
  std::vector<bool> drop(x.shape().size(), false);
  if (axes.empty()) {
    for (size_t i = 0; i < drop.size(); ++i) drop[i] = x.shape()[i] == 1;
  }
  for (int64_t a : axes) {
    EF_ASSIGN_OR_RETURN(int ax, NormalizeAxis(a, x.rank(), n));
    if (x.dim(ax) != 1) return Status::InvalidArgument(n.Describe() + ": axis " + std::to_string(a) + " is not 1");
    drop[static_cast<size_t>(ax)] = true;
  }
  std::vector<int64_t> shape;
  for (size_t i = 0; i < drop.size(); ++i) {
    if (!drop[i]) shape.push_back(x.shape()[i]);
  }
  Tensor y = x;
  EF_RETURN_IF_ERROR(y.Reshape(shape));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunUnsqueeze(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  std::vector<int64_t> axes = AxesOf(n, in, 1);
  int rank = x.rank() + static_cast<int>(axes.size());
  std::vector<bool> ones(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    EF_ASSIGN_OR_RETURN(int ax, NormalizeAxis(a, rank, n));
    if (ones[static_cast<size_t>(ax)]) return Status::InvalidArgument(n.Describe() + ": repeated axis");
    ones[static_cast<size_t>(ax)] = true;
  }
  std::vector<int64_t> shape;
  size_t k = 0;
  for (int i = 0; i < rank; ++i) shape.push_back(ones[static_cast<size_t>(i)] ? 1 : x.shape()[k++]);
  Tensor y = x;
  EF_RETURN_IF_ERROR(y.Reshape(shape));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunConcat(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& first = *in[0];
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", 0), first.rank(), n));
  std::vector<int64_t> shape = first.shape();
  shape[static_cast<size_t>(axis)] = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    EF_RETURN_IF_ERROR(NeedInput(n, in, i));
    const Tensor& t = *in[i];
    if (t.rank() != first.rank() || t.dtype() != first.dtype()) {
      return Status::InvalidArgument(n.Describe() + ": inputs differ in rank or type");
    }
    for (int d = 0; d < t.rank(); ++d) {
      if (d != axis && t.dim(d) != first.dim(d)) {
        return Status::InvalidArgument(n.Describe() + ": shapes " + first.ShapeString() + " and " + t.ShapeString());
      }
    }
    shape[static_cast<size_t>(axis)] += t.dim(axis);
  }
  Tensor y(first.dtype(), shape);
  int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= shape[static_cast<size_t>(d)];
  size_t es = DTypeSize(first.dtype());
  size_t out_row = static_cast<size_t>(y.size() / std::max<int64_t>(outer, 1)) * es;
  size_t off = 0;
  for (const Tensor* t : in) {
    size_t row = static_cast<size_t>(t->size() / std::max<int64_t>(outer, 1)) * es;
    if (row == 0) continue;  // an empty input adds nothing (and may have no buffer)
    for (int64_t o = 0; o < outer; ++o) {
      std::memcpy(y.raw() + static_cast<size_t>(o) * out_row + off, t->raw() + static_cast<size_t>(o) * row, row);
    }
    off += row;
  }
  out->push_back(std::move(y));
  return Status::OK();
}

// Copies x[..., begin:begin+len, ...] along axis into a new tensor.
Tensor Narrow(const Tensor& x, int axis, int64_t begin, int64_t len) {
  std::vector<int64_t> shape = x.shape();
  shape[static_cast<size_t>(axis)] = len;
  Tensor y(x.dtype(), shape);
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.dim(d);
  size_t es = DTypeSize(x.dtype());
  if (y.size() == 0) return y;  // nothing to copy, and no buffer to copy into
  for (int64_t o = 0; o < outer; ++o) {
    std::memcpy(y.raw() + static_cast<size_t>(o * len * inner) * es,
                x.raw() + static_cast<size_t>((o * x.dim(axis) + begin) * inner) * es,
                static_cast<size_t>(len * inner) * es);
  }
  return y;
}

Status RunSplit(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", 0), x.rank(), n));
  std::vector<int64_t> split = in.size() > 1 && in[1] ? Ints(*in[1]) : n.Ints("split");
  int64_t parts = static_cast<int64_t>(n.outputs.size());
  int64_t dim = x.dim(axis);
  if (split.empty()) {
    int64_t chunk = (dim + parts - 1) / std::max<int64_t>(parts, 1);
    for (int64_t i = 0; i < parts; ++i) split.push_back(std::min(chunk, dim - i * chunk));
  }
  // Each size in [0, dim] before summing, so the sum neither overflows nor
  // balances a negative size against one beyond the axis.
  for (int64_t s : split) {
    if (s < 0 || s > dim) {
      return Status::InvalidArgument(n.Describe() + ": split size " + std::to_string(s) + " outside [0, " +
                                     std::to_string(dim) + "]");
    }
  }
  if (static_cast<int64_t>(split.size()) != parts ||
      std::accumulate(split.begin(), split.end(), int64_t{0}) != dim) {
    return Status::InvalidArgument(n.Describe() + ": split sizes do not add up to " + std::to_string(dim));
  }
  int64_t begin = 0;
  for (int64_t s : split) {
    out->push_back(Narrow(x, axis, begin, s));
    begin += s;
  }
  return Status::OK();
}

Status RunSlice(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opset > 0 && n.opset < 10) {
    starts = n.Ints("starts");
    ends = n.Ints("ends");
    axes = n.Ints("axes");
  } else {
    EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
    EF_RETURN_IF_ERROR(NeedInput(n, in, 2));
    starts = Ints(*in[1]);
    ends = Ints(*in[2]);
    if (in.size() > 3 && in[3]) axes = Ints(*in[3]);
    if (in.size() > 4 && in[4]) steps = Ints(*in[4]);
  }
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
    return Status::InvalidArgument(n.Describe() + ": starts/ends/axes/steps sizes differ");
  }
  int rank = x.rank();
  std::vector<int64_t> st(static_cast<size_t>(rank), 0), sp(static_cast<size_t>(rank), 1), shape = x.shape();
  for (size_t i = 0; i < starts.size(); ++i) {
    EF_ASSIGN_OR_RETURN(int a, NormalizeAxis(axes[i], rank, n));
    int64_t d = x.dim(a), step = steps[i];
    if (step == 0) return Status::InvalidArgument(n.Describe() + ": step 0");
    // A step longer than the axis takes one element either way; clamping it
    // keeps e - s + step (and -step) from overflowing.
    step = std::clamp<int64_t>(step, -std::max<int64_t>(d, 1), std::max<int64_t>(d, 1));
    int64_t s = starts[i] < 0 ? starts[i] + d : starts[i];
    int64_t e = ends[i] < 0 ? ends[i] + d : ends[i];
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, d);
      e = std::clamp<int64_t>(e, 0, d);
      shape[static_cast<size_t>(a)] = e > s ? (e - s + step - 1) / step : 0;
    } else {
      s = std::clamp<int64_t>(s, -1, d - 1);
      e = std::clamp<int64_t>(e, -1, d - 1);
      shape[static_cast<size_t>(a)] = s > e ? (s - e - step - 1) / -step : 0;
    }
    st[static_cast<size_t>(a)] = s;
    sp[static_cast<size_t>(a)] = step;
  }
  Tensor y(x.dtype(), shape);
  auto xs = Strides(x.shape());
  size_t es = DTypeSize(x.dtype());
  std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
  for (int64_t o = 0; o < y.size(); ++o) {
    int64_t src = 0;
    for (size_t d = 0; d < idx.size(); ++d) src += (st[d] + idx[d] * sp[d]) * xs[d];
    std::memcpy(y.raw() + static_cast<size_t>(o) * es, x.raw() + static_cast<size_t>(src) * es, es);
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunGather(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor &x = *in[0], &ind = *in[1];
  EF_ASSIGN_OR_RETURN(int axis, NormalizeAxis(n.Int("axis", 0), x.rank(), n));
  std::vector<int64_t> shape(x.shape().begin(), x.shape().begin() + axis);
  shape.insert(shape.end(), ind.shape().begin(), ind.shape().end());
  shape.insert(shape.end(), x.shape().begin() + axis + 1, x.shape().end());
  Tensor y(x.dtype(), shape);
  int64_t outer = 1, inner = 1, d = x.dim(axis);
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = axis + 1; i < x.rank(); ++i) inner *= x.dim(i);
  size_t es = DTypeSize(x.dtype()), row = static_cast<size_t>(inner) * es;
  if (y.size() == 0) {
    out->push_back(std::move(y));
    return Status::OK();
  }
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t k = 0; k < ind.size(); ++k) {
      int64_t j = ind.AsInt(k);
      if (j < 0) j += d;
      if (j < 0 || j >= d) {
        return Status::InvalidArgument(n.Describe() + ": index " + std::to_string(ind.AsInt(k)) +
                                       " out of range [" + std::to_string(-d) + ", " + std::to_string(d) + ")");
      }
      std::memcpy(y.raw() + static_cast<size_t>(o * ind.size() + k) * row,
                  x.raw() + static_cast<size_t>(o * d + j) * row, row);
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunShape(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  int64_t r = in[0]->rank();
  int64_t start = n.Int("start", 0), end = n.Int("end", r);
  if (start < 0) start += r;
  if (end < 0) end += r;
  start = std::clamp<int64_t>(start, 0, r);
  end = std::clamp<int64_t>(end, 0, r);
  Tensor y(DType::kInt64, {std::max<int64_t>(0, end - start)});
  for (int64_t i = start; i < end; ++i) y.data<int64_t>()[i - start] = in[0]->dim(static_cast<int>(i));
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunConstantOfShape(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  auto it = n.attrs.find("value");
  Tensor value = it != n.attrs.end() ? it->second.t : Tensor(DType::kFloat32, {1});
  if (value.size() != 1) {
    return Status::InvalidArgument(n.Describe() + ": attribute value " + value.ShapeString() +
                                   " must hold one value");
  }
  std::vector<int64_t> shape = Ints(*in[0]);
  EF_RETURN_IF_ERROR(NeedShape(n, shape, value.dtype()));
  Tensor y(value.dtype(), shape);
  size_t es = DTypeSize(value.dtype());
  for (int64_t i = 0; i < y.size(); ++i) std::memcpy(y.raw() + static_cast<size_t>(i) * es, value.raw(), es);
  out->push_back(std::move(y));
  return Status::OK();
}

// y = x broadcast to `shape`, copying whole contiguous blocks: the trailing
// dimensions that x does not broadcast are one memcpy per output block.
void BroadcastCopy(const Tensor& x, const std::vector<int64_t>& shape, Tensor* y) {
  const size_t rank = shape.size(), es = DTypeSize(x.dtype());
  std::vector<int64_t> xs = BroadcastStrides(x.shape(), shape);
  std::vector<int64_t> xshape(rank, 1);
  for (size_t i = 0; i < x.shape().size(); ++i) xshape[rank - x.shape().size() + i] = x.shape()[i];
  size_t split = rank;  // dims [split, rank) are copied as one block
  int64_t block = 1;
  while (split > 0 && xshape[split - 1] == shape[split - 1]) block *= shape[--split];
  const size_t block_bytes = static_cast<size_t>(block) * es;
  const int64_t outer = block ? y->size() / block : 0;
  std::vector<int64_t> idx(split, 0);
  int64_t src = 0;
  for (int64_t o = 0; o < outer; ++o) {
    std::memcpy(y->raw() + static_cast<size_t>(o) * block_bytes, x.raw() + static_cast<size_t>(src) * es, block_bytes);
    for (size_t d = split; d-- > 0;) {
      src += xs[d];
      if (++idx[d] < shape[d]) break;
      src -= xs[d] * idx[d];
      idx[d] = 0;
    }
  }
}

Status RunExpand(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor& x = *in[0];
  std::vector<int64_t> target = Ints(*in[1]);
  EF_RETURN_IF_ERROR(NeedShape(n, target, x.dtype()));
  auto shape = BroadcastShapes(x.shape(), target);
  if (!shape.ok()) return shape.status().WithContext(n.Describe());
  EF_RETURN_IF_ERROR(NeedShape(n, *shape, x.dtype()));
  Tensor y(x.dtype(), *shape);
  BroadcastCopy(x, *shape, &y);
  out->push_back(std::move(y));
  return Status::OK();
}

Status CheckPad(const Node& n) {
  std::string mode = n.String("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge") return Status::Unsupported("attribute 'mode' = " + mode);
  return Status::OK();
}

Status RunPad(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  const Tensor& x = *in[0];
  int rank = x.rank();
  std::vector<int64_t> pads = in.size() > 1 && in[1] ? Ints(*in[1]) : n.Ints("pads");
  std::vector<int64_t> axes;
  if (in.size() > 3 && in[3]) axes = Ints(*in[3]);
  std::vector<int64_t> full(static_cast<size_t>(2 * rank), 0);
  if (axes.empty()) {
    if (pads.size() != full.size()) return Status::InvalidArgument(n.Describe() + ": pads size");
    full = pads;
  } else {
    if (pads.size() != 2 * axes.size()) return Status::InvalidArgument(n.Describe() + ": pads size");
    for (size_t i = 0; i < axes.size(); ++i) {
      EF_ASSIGN_OR_RETURN(int a, NormalizeAxis(axes[i], rank, n));
      full[static_cast<size_t>(a)] = pads[i];
      full[static_cast<size_t>(a + rank)] = pads[i + axes.size()];
    }
  }
  double cval = in.size() > 2 && in[2] && in[2]->size() ? in[2]->AsDouble(0) : n.Float("value", 0);
  std::string mode = n.String("mode", "constant");
  for (int64_t p : full) {
    if (p > kMaxTensorBytes || p < -kMaxTensorBytes) {
      return Status::InvalidArgument(n.Describe() + ": pad " + std::to_string(p) + " is too large");
    }
  }
  std::vector<int64_t> shape = x.shape();
  for (int d = 0; d < rank; ++d) {
    shape[static_cast<size_t>(d)] += full[static_cast<size_t>(d)] + full[static_cast<size_t>(d + rank)];
    if (shape[static_cast<size_t>(d)] < 0) return Status::InvalidArgument(n.Describe() + ": negative size");
  }
  EF_RETURN_IF_ERROR(NeedShape(n, shape, x.dtype()));
  Tensor y(x.dtype(), shape);
  auto xs = Strides(x.shape());
  size_t es = DTypeSize(x.dtype());
  Tensor cv(x.dtype(), {1});
  switch (x.dtype()) {
    case DType::kFloat32: cv.data<float>()[0] = static_cast<float>(cval); break;
    case DType::kFloat64: cv.data<double>()[0] = cval; break;
    case DType::kInt64: cv.data<int64_t>()[0] = SaturateCast<int64_t>(cval); break;
    case DType::kInt32: cv.data<int32_t>()[0] = SaturateCast<int32_t>(cval); break;
    case DType::kInt8: cv.data<int8_t>()[0] = SaturateCast<int8_t>(cval); break;
    case DType::kInt16: cv.data<int16_t>()[0] = SaturateCast<int16_t>(cval); break;
    case DType::kUint8: cv.raw()[0] = SaturateCast<uint8_t>(cval); break;
    case DType::kBool: cv.raw()[0] = cval != 0; break;
  }
  std::vector<int64_t> idx(static_cast<size_t>(rank), 0);
  for (int64_t o = 0; o < y.size(); ++o) {
    int64_t src = 0;
    bool outside = false;
    for (int d = 0; d < rank; ++d) {
      int64_t i = idx[static_cast<size_t>(d)] - full[static_cast<size_t>(d)], dim = x.dim(d);
      if (i < 0 || i >= dim) {
        if (mode == "constant" || dim == 0) {
          outside = true;
        } else if (mode == "edge") {
          i = std::clamp<int64_t>(i, 0, dim - 1);
        } else {  // reflect
          int64_t period = 2 * (dim - 1);
          if (period == 0) {
            i = 0;
          } else {
            i = ((i % period) + period) % period;
            if (i >= dim) i = period - i;
          }
        }
      }
      src += i * xs[static_cast<size_t>(d)];
    }
    std::memcpy(y.raw() + static_cast<size_t>(o) * es, outside ? cv.raw() : x.raw() + static_cast<size_t>(src) * es, es);
    for (size_t d = idx.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  out->push_back(std::move(y));
  return Status::OK();
}

Status RunTile(const Node& n, const KernelInputs& in, std::vector<Tensor>* out) {
  EF_RETURN_IF_ERROR(NeedInput(n, in, 0));
  EF_RETURN_IF_ERROR(NeedInput(n, in, 1));
  const Tensor& x = *in[0];
  auto reps = Ints(*in[1]);
  if (static_cast<int>(reps.size()) != x.rank()) return Status::InvalidArgument(n.Describe() + ": repeats size");
  std::vector<int64_t> shape = x.shape();
  for (size_t d = 0; d < shape.size(); ++d) {
    if (reps[d] < 0 || __builtin_mul_overflow(shape[d], reps[d], &shape[d])) {
      return Status::InvalidArgument(n.Describe() + ": repeats " + ShapeString(reps) + " for input " +
                                     x.ShapeString());
    }
  }
  EF_RETURN_IF_ERROR(NeedShape(n, shape, x.dtype()));
  Tensor y(x.dtype(), shape);
  auto xs = Strides(x.shape());
  size_t es = DTypeSize(x.dtype());
  for (int64_t o = 0; o < y.size(); ++o) {
    int64_t src = 0, rem = o;
    for (size_t d = shape.size(); d-- > 0;) {
      src += ((rem % shape[d]) % x.shape()[d]) * xs[d];
      rem /= shape[d];
    }
    std::memcpy(y.raw() + static_cast<size_t>(o) * es, x.raw() + static_cast<size_t>(src) * es, es);
  }
  out->push_back(std::move(y));
  return Status::OK();
}

}  // namespace

void AddShapeKernels(std::vector<KernelInfo>* t) {
  t->push_back({"Reshape", NoCheck, RunReshape});
  t->push_back({"Flatten", NoCheck, RunFlatten});
  t->push_back({"Transpose", NoCheck, RunTranspose});
  t->push_back({"Squeeze", NoCheck, RunSqueeze});
  t->push_back({"Unsqueeze", NoCheck, RunUnsqueeze});
  t->push_back({"Concat", NoCheck, RunConcat});
  t->push_back({"Split", NoCheck, RunSplit});
  t->push_back({"Slice", NoCheck, RunSlice});
  t->push_back({"Gather", NoCheck, RunGather});
  t->push_back({"Shape", NoCheck, RunShape});
  t->push_back({"ConstantOfShape", NoCheck, RunConstantOfShape});
  t->push_back({"Expand", NoCheck, RunExpand});
  t->push_back({"Pad", CheckPad, RunPad});
  t->push_back({"Tile", NoCheck, RunTile});
}

}  // namespace edgeflow::infer
