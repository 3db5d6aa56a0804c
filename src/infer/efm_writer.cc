// .efm writer: graph records (efm_reader.cc), then the weights section.
#include "infer/efm_writer.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "infer/efm_format.h"
#include "infer/efm_reader.h"

namespace edgeflow::infer {
namespace {

class Sink {
 public:
  template <typename T>
  void Put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    s_.append(b, sizeof(T));
  }
  void Str(const std::string& v) {
    Put<uint32_t>(static_cast<uint32_t>(v.size()));
    s_ += v;
  }
  void Shape(DType dt, const std::vector<int64_t>& dims) {
    Put<uint8_t>(static_cast<uint8_t>(dt));
    Put<uint32_t>(static_cast<uint32_t>(dims.size()));
    for (int64_t d : dims) Put<int64_t>(d);
  }
  std::string& str() { return s_; }

 private:
  std::string s_;
};

size_t AlignUp(size_t n) { return (n + kEfmAlign - 1) / kEfmAlign * kEfmAlign; }

}  // namespace

Result<std::string> SerializeEfm(const Graph& g) {
  EF_RETURN_IF_ERROR(ValidateGraph(g, "model"));
  Sink gs;
  gs.Put<int64_t>(g.opset);
  for (const auto* list : {&g.inputs, &g.outputs}) {
    gs.Put<uint32_t>(static_cast<uint32_t>(list->size()));
    for (const auto& v : *list) {
      if (v.shape.size() > static_cast<size_t>(kEfmMaxRank)) {
        return Status::Unsupported("value '" + v.name + "' has rank above " + std::to_string(kEfmMaxRank));
      }
      gs.Str(v.name);
      gs.Shape(v.dtype, v.shape);
    }
  }
  std::string weights;
  gs.Put<uint32_t>(static_cast<uint32_t>(g.initializers.size()));
  for (const auto& [name, t] : g.initializers) {
    if (t.rank() > kEfmMaxRank) return Status::Unsupported("weight '" + name + "' has rank above 8");
    weights.resize(AlignUp(weights.size()), '\0');
    gs.Str(name);
    gs.Shape(t.dtype(), t.shape());
    gs.Put<uint64_t>(weights.size());
    gs.Put<uint64_t>(t.bytes());
    weights.append(reinterpret_cast<const char*>(t.raw()), t.bytes());
  }
  gs.Put<uint32_t>(static_cast<uint32_t>(g.nodes.size()));
  for (const auto& n : g.nodes) {
    gs.Str(n.name);
    gs.Str(n.op);
    gs.Put<int64_t>(n.opset);
    gs.Put<uint32_t>(static_cast<uint32_t>(n.inputs.size()));
    for (const auto& s : n.inputs) gs.Str(s);
    gs.Put<uint32_t>(static_cast<uint32_t>(n.outputs.size()));
    for (const auto& s : n.outputs) gs.Str(s);
    gs.Put<uint32_t>(static_cast<uint32_t>(n.attrs.size()));
    for (const auto& [key, a] : n.attrs) {
      gs.Str(key);
      gs.Put<uint8_t>(static_cast<uint8_t>(a.kind));
      switch (a.kind) {
        case Attribute::Kind::kInt: gs.Put<int64_t>(a.i); break;
        case Attribute::Kind::kFloat: gs.Put<float>(a.f); break;
        case Attribute::Kind::kString: gs.Str(a.s); break;
        case Attribute::Kind::kInts:
          gs.Put<uint32_t>(static_cast<uint32_t>(a.ints.size()));
          for (int64_t v : a.ints) gs.Put<int64_t>(v);
          break;
        case Attribute::Kind::kFloats:
          gs.Put<uint32_t>(static_cast<uint32_t>(a.floats.size()));
          for (float v : a.floats) gs.Put<float>(v);
          break;
        case Attribute::Kind::kTensor:
          if (a.t.rank() > kEfmMaxRank) return Status::Unsupported(n.Describe() + ": tensor attribute rank above 8");
          gs.Shape(a.t.dtype(), a.t.shape());
          gs.Put<uint64_t>(a.t.bytes());
          gs.str().append(reinterpret_cast<const char*>(a.t.raw()), a.t.bytes());
          break;
      }
    }
  }
  const uint32_t sections = 2;
  size_t graph_off = kEfmHeaderBytes + sections * kEfmSectionEntryBytes;
  size_t weights_off = AlignUp(graph_off + gs.str().size());
  size_t total = weights_off + weights.size();
  Sink out;
  out.str().append(kEfmMagic, 4);
  out.Put<uint32_t>(kEfmVersion);
  out.Put<uint64_t>(total);
  out.Put<uint64_t>(0);  // checksum, patched below
  out.Put<uint32_t>(sections);
  out.Put<uint32_t>(0);
  out.str().resize(kEfmHeaderBytes, '\0');
  for (auto [kind, off, len] : {std::tuple{EfmSection::kGraph, graph_off, gs.str().size()},
                                std::tuple{EfmSection::kWeights, weights_off, weights.size()}}) {
    out.Put<uint32_t>(static_cast<uint32_t>(kind));
    out.Put<uint32_t>(0);
    out.Put<uint64_t>(off);
    out.Put<uint64_t>(len);
  }
  out.str() += gs.str();
  out.str().resize(weights_off, '\0');
  out.str() += weights;
  std::string& s = out.str();
  uint64_t sum = EfmChecksum(reinterpret_cast<const uint8_t*>(s.data()) + kEfmChecksumFrom, s.size() - kEfmChecksumFrom);
  std::memcpy(&s[16], &sum, 8);
  return std::move(s);
}

Status WriteEfm(const Graph& g, const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string image, SerializeEfm(g));
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return Status::IOError(path + ": cannot create");
    f.write(image.data(), static_cast<std::streamsize>(image.size()));
    f.flush();
    if (!f) return Status::IOError(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IOError(path + ": cannot rename into place");
  }
  return Status::OK();
}

}  // namespace edgeflow::infer
