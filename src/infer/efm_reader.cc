// .efm reader. The GRAPH section is a stream of little-endian records:
//
//   graph    := i64 opset, u32 n, value*n (inputs), u32 n, value*n (outputs),
//               u32 n, weight*n, u32 n, node*n
//   str      := u32 length, bytes
//   shape    := u8 dtype, u32 rank (<= 8), i64 dims[rank]  (-1: dynamic, values only)
//   value    := str name, shape
//   weight   := str name, shape, u64 offset (in WEIGHTS, 64-aligned), u64 bytes
//   node     := str name, str op, i64 opset, u32 n, str*n (inputs, "" = omitted),
//               u32 n, str*n (outputs), u32 n, attr*n
//   attr     := str key, u8 kind (Attribute::Kind), then by kind:
//               int i64 | float f32 | string str | ints u32 n, i64*n |
//               floats u32 n, f32*n | tensor shape, u64 bytes, bytes (copied)
//
// dtype is the DType enumerator value. The stream must be consumed exactly.
#include "infer/efm_reader.h"

#include <cstring>
#include <set>

#include "infer/efm_format.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

constexpr int64_t kMaxElements = int64_t{1} << 40;

// Bounds-checked cursor over the GRAPH section; the first failure sticks.
class Cursor {
 public:
  Cursor(const uint8_t* p, size_t n) : p_(p), n_(n) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t pos() const { return pos_; }
  size_t left() const { return n_ - pos_; }
  void Fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at graph offset " + std::to_string(pos_);
  }

  template <typename T>
  T Get(const char* what) {
    T v{};
    if (!ok()) return v;
    if (left() < sizeof(T)) {
      Fail(std::string("truncated ") + what);
      return v;
    }
    std::memcpy(&v, p_ + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::string Str(const char* what) {
    uint32_t len = Get<uint32_t>(what);
    if (!ok()) return {};
    if (len > left()) {
      Fail(std::string(what) + " length " + std::to_string(len) + " runs past the section");
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p_ + pos_), len);
    pos_ += len;
    return s;
  }
  // A count of records, each at least `min_bytes` long (bounds allocations).
  uint32_t Count(const char* what, size_t min_bytes) {
    uint32_t n = Get<uint32_t>(what);
    if (ok() && static_cast<uint64_t>(n) * min_bytes > left()) {
      Fail(std::string(what) + " " + std::to_string(n) + " exceeds the section");
      return 0;
    }
    return ok() ? n : 0;
  }
  const uint8_t* Bytes(uint64_t len, const char* what) {
    if (!ok()) return nullptr;
    if (len > left()) {
      Fail(std::string(what) + " runs past the section");
      return nullptr;
    }
    const uint8_t* q = p_ + pos_;
    pos_ += static_cast<size_t>(len);
    return q;
  }

 private:
  const uint8_t* p_;
  size_t n_;
  size_t pos_ = 0;
  std::string error_;
};

bool ReadShape(Cursor* c, bool allow_dynamic, DType* dtype, std::vector<int64_t>* dims, const char* what) {
  uint8_t dt = c->Get<uint8_t>(what);
  uint32_t rank = c->Get<uint32_t>(what);
  if (!c->ok()) return false;
  if (dt > static_cast<uint8_t>(DType::kInt16)) {
    c->Fail(std::string(what) + ": unknown dtype " + std::to_string(dt));
    return false;
  }
  if (rank > kEfmMaxRank) {
    c->Fail(std::string(what) + ": rank " + std::to_string(rank) + " exceeds " + std::to_string(kEfmMaxRank));
    return false;
  }
  *dtype = static_cast<DType>(dt);
  dims->clear();
  int64_t count = 1;
  for (uint32_t i = 0; i < rank; ++i) {
    int64_t d = c->Get<int64_t>(what);
    if (!c->ok()) return false;
    if (d < (allow_dynamic ? -1 : 0) || d > kMaxElements) {
      c->Fail(std::string(what) + ": bad dimension " + std::to_string(d));
      return false;
    }
    if (d > 0 && count > kMaxElements / d) {
      c->Fail(std::string(what) + ": too many elements");
      return false;
    }
    if (d > 0) count *= d;
    if (count > kMaxElements) {
      c->Fail(std::string(what) + ": too many elements");
      return false;
    }
    dims->push_back(d);
  }
  return true;
}

bool ReadValue(Cursor* c, ValueInfo* v) {
  v->name = c->Str("value name");
  return ReadShape(c, true, &v->dtype, &v->shape, "value shape") && c->ok();
}

bool ReadAttribute(Cursor* c, std::string* key, Attribute* a) {
  *key = c->Str("attribute name");
  uint8_t kind = c->Get<uint8_t>("attribute kind");
  if (!c->ok()) return false;
  switch (kind) {
    case static_cast<uint8_t>(Attribute::Kind::kInt): a->i = c->Get<int64_t>("int attribute"); break;
    case static_cast<uint8_t>(Attribute::Kind::kFloat): a->f = c->Get<float>("float attribute"); break;
    case static_cast<uint8_t>(Attribute::Kind::kString): a->s = c->Str("string attribute"); break;
    case static_cast<uint8_t>(Attribute::Kind::kInts): {
      uint32_t n = c->Count("ints attribute", 8);
      for (uint32_t i = 0; i < n && c->ok(); ++i) a->ints.push_back(c->Get<int64_t>("ints attribute"));
      break;
    }
    case static_cast<uint8_t>(Attribute::Kind::kFloats): {
      uint32_t n = c->Count("floats attribute", 4);
      for (uint32_t i = 0; i < n && c->ok(); ++i) a->floats.push_back(c->Get<float>("floats attribute"));
      break;
    }
    case static_cast<uint8_t>(Attribute::Kind::kTensor): {
      DType dt;
      std::vector<int64_t> dims;
      if (!ReadShape(c, false, &dt, &dims, "tensor attribute")) return false;
      uint64_t bytes = c->Get<uint64_t>("tensor attribute size");
      if (!c->ok()) return false;
      if (bytes != static_cast<uint64_t>(NumElements(dims)) * DTypeSize(dt)) {
        c->Fail("tensor attribute '" + *key + "': " + std::to_string(bytes) + " bytes do not match its shape");
        return false;
      }
      const uint8_t* p = c->Bytes(bytes, "tensor attribute data");
      if (!p) return false;
      a->t = Tensor(dt, dims);
      if (bytes) std::memcpy(a->t.raw(), p, static_cast<size_t>(bytes));
      break;
    }
    default: c->Fail("attribute '" + *key + "': unknown kind " + std::to_string(kind)); return false;
  }
  a->kind = static_cast<Attribute::Kind>(kind);
  return c->ok();
}

Status ReadGraph(const uint8_t* graph, size_t graph_bytes, const uint8_t* weights, uint64_t weights_bytes,
                 const std::string& where, Graph* g) {
  Cursor c(graph, graph_bytes);
  g->opset = c.Get<int64_t>("opset");
  uint32_t n = c.Count("input count", 9);
  g->inputs.resize(n);
  for (auto& v : g->inputs) {
    if (!ReadValue(&c, &v)) break;
  }
  n = c.Count("output count", 9);
  g->outputs.resize(n);
  for (auto& v : g->outputs) {
    if (!ReadValue(&c, &v)) break;
  }
  n = c.Count("weight count", 25);
  for (uint32_t i = 0; i < n && c.ok(); ++i) {
    std::string name = c.Str("weight name");
    DType dt;
    std::vector<int64_t> dims;
    if (!ReadShape(&c, false, &dt, &dims, "weight shape")) break;
    uint64_t offset = c.Get<uint64_t>("weight offset");
    uint64_t bytes = c.Get<uint64_t>("weight size");
    if (!c.ok()) break;
    std::string w = "weight '" + name + "'";
    if (bytes != static_cast<uint64_t>(NumElements(dims)) * DTypeSize(dt)) {
      c.Fail(w + ": " + std::to_string(bytes) + " bytes do not match shape " + ShapeString(dims));
    } else if (offset % kEfmAlign != 0) {
      c.Fail(w + ": offset " + std::to_string(offset) + " is not 64-byte aligned");
    } else if (offset > weights_bytes || bytes > weights_bytes - offset) {
      c.Fail(w + ": bytes [" + std::to_string(offset) + ", +" + std::to_string(bytes) +
             ") lie outside the weights section (" + std::to_string(weights_bytes) + " bytes)");
    } else if (g->initializers.count(name)) {
      c.Fail(w + " appears twice");
    } else {
      g->initializers[name] = Tensor::View(dt, dims, weights + offset);
    }
  }
  n = c.Count("node count", 32);
  g->nodes.resize(n);
  for (auto& node : g->nodes) {
    if (!c.ok()) break;
    node.name = c.Str("node name");
    node.op = c.Str("node op");
    node.opset = c.Get<int64_t>("node opset");
    uint32_t k = c.Count("node input count", 4);
    for (uint32_t j = 0; j < k && c.ok(); ++j) node.inputs.push_back(c.Str("node input"));
    k = c.Count("node output count", 4);
    for (uint32_t j = 0; j < k && c.ok(); ++j) node.outputs.push_back(c.Str("node output"));
    k = c.Count("node attribute count", 5);
    for (uint32_t j = 0; j < k && c.ok(); ++j) {
      std::string key;
      Attribute a;
      if (!ReadAttribute(&c, &key, &a)) break;
      if (node.attrs.count(key)) c.Fail(node.Describe() + ": attribute '" + key + "' appears twice");
      node.attrs[key] = std::move(a);
    }
  }
  if (c.ok() && c.left() != 0) c.Fail(std::to_string(c.left()) + " trailing bytes after the last node");
  if (!c.ok()) return Status::Corruption(where + ": " + c.error());
  return Status::OK();
}

uint32_t U32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
uint64_t U64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

Result<Graph> ParseEfm(const uint8_t* data, size_t bytes, const std::string& where) {
  if (bytes < kEfmHeaderBytes) {
    return Status::Corruption(where + ": " + std::to_string(bytes) + " bytes is too short for an .efm header");
  }
  if (std::memcmp(data, kEfmMagic, 4) != 0) return Status::Corruption(where + ": not an .efm file (bad magic)");
  if (U32(data + 4) != kEfmVersion) {
    return Status::Unsupported(where + ": .efm format version " + std::to_string(U32(data + 4)) +
                               " (this runtime reads version " + std::to_string(kEfmVersion) + ")");
  }
  if (U64(data + 8) != bytes) {
    return Status::Corruption(where + ": header says " + std::to_string(U64(data + 8)) + " bytes, the file has " +
                              std::to_string(bytes) + " (truncated or extended)");
  }
  if (EfmChecksum(data + kEfmChecksumFrom, bytes - kEfmChecksumFrom) != U64(data + 16)) {
    return Status::Corruption(where + ": checksum mismatch (the file is damaged)");
  }
  uint32_t sections = U32(data + 24);
  if (sections == 0 || sections > kEfmMaxSections ||
      kEfmHeaderBytes + sections * kEfmSectionEntryBytes > bytes) {
    return Status::Corruption(where + ": bad section count " + std::to_string(sections));
  }
  const uint8_t* graph = nullptr;
  const uint8_t* weights = data;  // an empty weights section when absent
  uint64_t graph_bytes = 0, weights_bytes = 0;
  for (uint32_t i = 0; i < sections; ++i) {
    const uint8_t* e = data + kEfmHeaderBytes + i * kEfmSectionEntryBytes;
    uint32_t kind = U32(e);
    uint64_t off = U64(e + 8), len = U64(e + 16);
    std::string s = "section " + std::to_string(i) + " (kind " + std::to_string(kind) + ")";
    if (off > bytes || len > bytes - off) {
      return Status::Corruption(where + ": " + s + " [" + std::to_string(off) + ", +" + std::to_string(len) +
                                ") lies outside the file");
    }
    if (kind == static_cast<uint32_t>(EfmSection::kGraph)) {
      if (graph) return Status::Corruption(where + ": two graph sections");
      graph = data + off;
      graph_bytes = len;
    } else if (kind == static_cast<uint32_t>(EfmSection::kWeights)) {
      if (weights != data) return Status::Corruption(where + ": two weights sections");
      if (off % kEfmAlign != 0) return Status::Corruption(where + ": weights section is not 64-byte aligned");
      weights = data + off;
      weights_bytes = len;
    }  // other kinds: later additions, skipped
  }
  if (!graph) return Status::Corruption(where + ": no graph section");
  Graph g;
  EF_RETURN_IF_ERROR(ReadGraph(graph, static_cast<size_t>(graph_bytes), weights, weights_bytes, where, &g));
  EF_RETURN_IF_ERROR(ValidateGraph(g, where));
  return g;
}

Status ValidateGraph(const Graph& g, const std::string& where) {
  std::set<std::string> defined;
  for (const auto& v : g.inputs) {
    if (v.name.empty()) return Status::Corruption(where + ": a graph input has no name");
    if (g.initializers.count(v.name)) {
      return Status::Corruption(where + ": graph input '" + v.name + "' is also a weight");
    }
    if (!defined.insert(v.name).second) return Status::Corruption(where + ": graph input '" + v.name + "' twice");
  }
  for (const auto& [name, t] : g.initializers) defined.insert(name);
  for (const auto& n : g.nodes) {
    const KernelInfo* k = FindKernel(n.op);
    if (!k) return Status::Unsupported(where + ": " + n.Describe() + ": operator " + n.op + " is not supported");
    Status s = k->check(n);
    if (!s.ok()) return Status::Unsupported(where + ": " + s.message());
    for (const auto& in : n.inputs) {
      if (!in.empty() && !defined.count(in)) {
        return Status::Corruption(where + ": " + n.Describe() + ": input '" + in + "' is not defined before use");
      }
    }
    for (const auto& out : n.outputs) {
      if (out.empty()) continue;
      if (!defined.insert(out).second) {
        return Status::Corruption(where + ": " + n.Describe() + ": output '" + out + "' is defined twice");
      }
    }
  }
  for (const auto& o : g.outputs) {
    if (!defined.count(o.name)) return Status::Corruption(where + ": graph output '" + o.name + "' is never produced");
  }
  return Status::OK();
}

}  // namespace edgeflow::infer
