// Model loading: mmap (or an aligned copy) followed by full validation.
#include "infer/model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "infer/efm_format.h"
#include "infer/efm_reader.h"
#include "infer/kernels.h"

namespace edgeflow::infer {

namespace {

// Where a DequantizeLinear of weights is symmetric (int8 values, float32
// scales per tensor or per axis, no or zero zero points), the int8 form is
// recorded too, so that a kernel can use it instead of the float one.
void RecordInt8(Graph* g, const Node& n, const KernelInputs& in) {
  const Tensor* x = in[0];
  const Tensor* scale = in.size() > 1 ? in[1] : nullptr;
  const Tensor* zp = in.size() > 2 ? in[2] : nullptr;
  if (!x || !scale || x->dtype() != DType::kInt8 || scale->dtype() != DType::kFloat32 || x->rank() < 1) return;
  if (zp) {
    for (int64_t i = 0; i < zp->size(); ++i)
      if (zp->AsInt(i) != 0) return;
  }
  int64_t axis = n.Int("axis", 1);
  if (axis < 0) axis += x->rank();
  if (scale->size() == 1 && scale->rank() <= 1) {
    axis = 0;
  } else if (axis < 0 || axis >= x->rank() || scale->rank() != 1 || scale->size() != x->dim(static_cast<int>(axis))) {
    return;
  }
  g->int8_weights[n.outputs[0]] = Int8Weight{n.inputs[0], n.inputs[1], axis};
}

// int8 weights (quantize.h) become float32 once, here, so that every run
// can use the float kernels with static weights: DequantizeLinear nodes whose
// inputs are all weights are computed and replaced by their result.
Status DequantizeWeights(Graph* g, const std::string& where) {
  for (size_t i = 0; i < g->nodes.size();) {
    const Node& n = g->nodes[i];
    bool constant = n.op == "DequantizeLinear" && n.outputs.size() == 1;
    KernelInputs in;
    for (const auto& name : n.inputs) {
      auto it = name.empty() ? g->initializers.end() : g->initializers.find(name);
      if (!name.empty() && it == g->initializers.end()) constant = false;
      in.push_back(it == g->initializers.end() ? nullptr : &it->second);
    }
    if (!constant) {
      ++i;
      continue;
    }
    std::vector<Tensor> out;
    Status s = FindKernel(n.op)->run(n, in, &out);
    if (!s.ok()) return Status::Corruption(where + ": " + s.message());
    RecordInt8(g, n, in);
    g->initializers[n.outputs[0]] = std::move(out[0]);
    g->nodes.erase(g->nodes.begin() + static_cast<long>(i));
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Model>> Model::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Status::IOError(path + ": cannot stat: " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  size_t bytes = static_cast<size_t>(st.st_size);
  if (bytes < kEfmHeaderBytes) {
    ::close(fd);
    return Status::Corruption(path + ": " + std::to_string(bytes) + " bytes is too short for an .efm header");
  }
  void* map = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Status::IOError(path + ": mmap failed: " + std::strerror(errno));
  std::unique_ptr<Model> m(new Model);
  m->map_ = map;
  m->bytes_ = bytes;
  EF_ASSIGN_OR_RETURN(m->graph_, ParseEfm(static_cast<const uint8_t*>(map), bytes, path));
  EF_RETURN_IF_ERROR(DequantizeWeights(&m->graph_, path));
  return m;
}

Result<std::unique_ptr<Model>> Model::FromBytes(std::string_view bytes, const std::string& where) {
  std::unique_ptr<Model> m(new Model);
  m->buffer_.resize(bytes.size() + kEfmAlign);
  auto addr = reinterpret_cast<uintptr_t>(m->buffer_.data());
  size_t skip = (kEfmAlign - addr % kEfmAlign) % kEfmAlign;
  uint8_t* base = m->buffer_.data() + skip;
  if (!bytes.empty()) std::memcpy(base, bytes.data(), bytes.size());
  m->bytes_ = bytes.size();
  EF_ASSIGN_OR_RETURN(m->graph_, ParseEfm(base, bytes.size(), where));
  EF_RETURN_IF_ERROR(DequantizeWeights(&m->graph_, where));
  return m;
}

Model::~Model() {
  graph_ = Graph();  // drop the views before the memory they point into
  if (map_) ::munmap(map_, bytes_);
}

}  // namespace edgeflow::infer
