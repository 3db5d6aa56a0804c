// ONNX ModelProto -> Graph.
#include "infer/onnx_import.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>

#include <map>
#include <set>

#include "edgeflow/env.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

// Opsets of the default domain this importer reads (the kernels implement
// the older definitions where an op changed meaning, e.g. Softmax before 13).
constexpr int64_t kMaxOpset = 17;
constexpr int kMaxRank = 8;                    // the .efm limit
constexpr int64_t kMaxDim = int64_t{1} << 32;  // any one dimension
constexpr int64_t kMaxElements = int64_t{1} << 31;

// The element count of `dims`, or an error naming the dimension that makes
// it negative, overflow or exceed kMaxElements. (Checked before anything
// is allocated, so that a declared size cannot ask for a huge buffer.)
Result<int64_t> CheckedElements(const std::vector<int64_t>& dims, const std::string& where) {
  if (dims.size() > static_cast<size_t>(kMaxRank)) {
    return Status::InvalidArgument(where + ": rank " + std::to_string(dims.size()) + " exceeds " +
                                   std::to_string(kMaxRank));
  }
  int64_t n = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = dims[i];
    if (d < 0 || d > kMaxDim) {
      return Status::InvalidArgument(where + ": bad dimension " + std::to_string(d) + " at axis " +
                                     std::to_string(i));
    }
    if (d != 0 && n > kMaxElements / d) {
      return Status::InvalidArgument(where + ": shape " + ShapeString(dims) + " has more than " +
                                     std::to_string(kMaxElements) + " elements");
    }
    n *= d;
  }
  return n;
}

const char* AttributeTypeName(int t) {
  return onnx::AttributeProto::AttributeType_IsValid(t)
             ? onnx::AttributeProto::AttributeType_Name(
                   static_cast<onnx::AttributeProto::AttributeType>(t))
                   .c_str()
             : "invalid";
}

Result<DType> DTypeFromOnnx(int t, const std::string& where) {
  switch (t) {
    case onnx::TensorProto::FLOAT:
      return DType::kFloat32;
    case onnx::TensorProto::DOUBLE:
      return DType::kFloat64;
    case onnx::TensorProto::INT64:
      return DType::kInt64;
    case onnx::TensorProto::INT32:
      return DType::kInt32;
    case onnx::TensorProto::INT8:
      return DType::kInt8;
    case onnx::TensorProto::INT16:
      return DType::kInt16;
    case onnx::TensorProto::UINT8:
      return DType::kUint8;
    case onnx::TensorProto::BOOL:
      return DType::kBool;
    default:
      return Status::Unsupported(where + ": element type " + onnx::TensorProto::DataType_Name(t) +
                                 " is not supported");
  }
}

template <typename T, typename Field>
void CopyField(const Field& field, Tensor* t) {
  T* out = t->data<T>();
  for (int i = 0; i < field.size() && i < t->size(); ++i) out[i] = static_cast<T>(field.Get(i));
}

Result<Attribute> AttrFromProto(const onnx::AttributeProto& a, const std::string& where) {
  Attribute out;
  switch (a.type()) {
    case onnx::AttributeProto::INT:
      out.kind = Attribute::Kind::kInt;
      out.i = a.i();
      break;
    case onnx::AttributeProto::FLOAT:
      out.kind = Attribute::Kind::kFloat;
      out.f = a.f();
      break;
    case onnx::AttributeProto::STRING:
      out.kind = Attribute::Kind::kString;
      out.s = a.s();
      break;
    case onnx::AttributeProto::STRINGS:
      // A string list (e.g. LSTM activations) is kept as one ','-joined string.
      out.kind = Attribute::Kind::kString;
      for (int i = 0; i < a.strings_size(); ++i) {
        if (a.strings(i).find(',') != std::string::npos) {
          return Status::Unsupported(where + ": attribute '" + a.name() +
                                     "': a string containing ','");
        }
        out.s += (i ? "," : "") + a.strings(i);
      }
      break;
    case onnx::AttributeProto::INTS:
      out.kind = Attribute::Kind::kInts;
      out.ints.assign(a.ints().begin(), a.ints().end());
      break;
    case onnx::AttributeProto::FLOATS:
      out.kind = Attribute::Kind::kFloats;
      out.floats.assign(a.floats().begin(), a.floats().end());
      break;
    case onnx::AttributeProto::TENSOR: {
      out.kind = Attribute::Kind::kTensor;
      EF_ASSIGN_OR_RETURN(out.t, TensorFromProto(a.t(), where));
      break;
    }
    default:
      return Status::Unsupported(where + ": attribute '" + a.name() + "' of type " +
                                 onnx::AttributeProto::AttributeType_Name(a.type()) +
                                 " is not supported");
  }
  return out;
}

// Constant nodes become initializers.
Result<Tensor> ConstantValue(const Node& n) {
  auto it = n.attrs.find("value");
  if (it != n.attrs.end()) return it->second.t;
  if (n.Has("value_float")) {
    Tensor t(DType::kFloat32, {});
    t.data<float>()[0] = n.Float("value_float", 0);
    return t;
  }
  if (n.Has("value_int")) {
    Tensor t(DType::kInt64, {});
    t.data<int64_t>()[0] = n.Int("value_int", 0);
    return t;
  }
  if (n.Has("value_floats")) {
    const auto& v = n.attrs.at("value_floats").floats;
    Tensor t(DType::kFloat32, {static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<float>());
    return t;
  }
  if (n.Has("value_ints")) {
    const auto& v = n.attrs.at("value_ints").ints;
    Tensor t(DType::kInt64, {static_cast<int64_t>(v.size())});
    std::copy(v.begin(), v.end(), t.data<int64_t>());
    return t;
  }
  return Status::Unsupported(n.Describe() + ": Constant without a supported value attribute");
}

Result<ValueInfo> InfoFromProto(const onnx::ValueInfoProto& v, const std::string& where) {
  ValueInfo info;
  info.name = v.name();
  if (!v.type().has_tensor_type()) {
    return Status::Unsupported(
        where + ": graph input or output '" + v.name() +
        "' is not a tensor (sequence, map and optional types are not supported)");
  }
  EF_ASSIGN_OR_RETURN(info.dtype, DTypeFromOnnx(v.type().tensor_type().elem_type(),
                                                where + ": '" + v.name() + "'"));
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    if (d.has_dim_value() && (d.dim_value() < 0 || d.dim_value() > kMaxDim)) {
      return Status::InvalidArgument(where + ": graph input or output '" + v.name() +
                                     "': bad dimension " + std::to_string(d.dim_value()));
    }
    info.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  if (info.shape.size() > static_cast<size_t>(kMaxRank)) {
    return Status::InvalidArgument(where + ": graph input or output '" + v.name() + "': rank " +
                                   std::to_string(info.shape.size()) + " exceeds " +
                                   std::to_string(kMaxRank));
  }
  return info;
}

}  // namespace

Result<Tensor> TensorFromProto(const onnx::TensorProto& p, const std::string& where_in) {
  std::string where = where_in + (p.name().empty() ? "" : ": tensor '" + p.name() + "'");
  if (p.data_location() == onnx::TensorProto::EXTERNAL || p.external_data_size() > 0) {
    return Status::Unsupported(where + ": external tensor data is not supported");
  }
  if (p.has_segment()) return Status::Unsupported(where + ": segmented tensors are not supported");
  EF_ASSIGN_OR_RETURN(DType dtype, DTypeFromOnnx(p.data_type(), where));
  std::vector<int64_t> shape(p.dims().begin(), p.dims().end());
  EF_ASSIGN_OR_RETURN(int64_t elements, CheckedElements(shape, where));
  const size_t bytes = static_cast<size_t>(elements) * DTypeSize(dtype);
  // The data must be there before the tensor is allocated.
  if (p.has_raw_data()) {
    if (p.raw_data().size() != bytes) {
      return Status::InvalidArgument(where + ": raw_data holds " +
                                     std::to_string(p.raw_data().size()) + " bytes, the shape " +
                                     ShapeString(shape) + " needs " + std::to_string(bytes));
    }
    Tensor t(dtype, shape);
    if (bytes > 0) std::memcpy(t.raw(), p.raw_data().data(), bytes);  // empty: raw() may be null
    return t;
  }
  int64_t have = 0;
  switch (dtype) {
    case DType::kFloat32:
      have = p.float_data_size();
      break;
    case DType::kFloat64:
      have = p.double_data_size();
      break;
    case DType::kInt64:
      have = p.int64_data_size();
      break;
    case DType::kInt32:
    case DType::kInt16:
    case DType::kInt8:
    case DType::kUint8:
    case DType::kBool:
      have = p.int32_data_size();
      break;
  }
  if (have != elements) {
    return Status::InvalidArgument(where + ": holds " + std::to_string(have) +
                                   " values, the shape " + ShapeString(shape) + " needs " +
                                   std::to_string(elements));
  }
  Tensor t(dtype, shape);
  switch (dtype) {
    case DType::kFloat32:
      CopyField<float>(p.float_data(), &t);
      break;
    case DType::kFloat64:
      CopyField<double>(p.double_data(), &t);
      break;
    case DType::kInt64:
      CopyField<int64_t>(p.int64_data(), &t);
      break;
    case DType::kInt32:
      CopyField<int32_t>(p.int32_data(), &t);
      break;
    case DType::kInt8:
      CopyField<int8_t>(p.int32_data(), &t);
      break;
    case DType::kInt16:
      CopyField<int16_t>(p.int32_data(), &t);
      break;
    case DType::kUint8:
    case DType::kBool:
      CopyField<uint8_t>(p.int32_data(), &t);
      break;
  }
  return t;
}

Result<Tensor> ReadTensorProtoFile(const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string bytes, Env::Default()->ReadFile(path));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes)) return Status::InvalidArgument(path + ": not a TensorProto");
  return TensorFromProto(p, path);
}

namespace {

// Attribute names and types and input/output counts against the operator's ONNX schema
// at the model's opset (the kernels' checks see only values they know).
Status CheckAgainstSchema(const onnx::NodeProto& np, int64_t opset, const std::string& where) {
  const onnx::OpSchema* schema =
      onnx::OpSchemaRegistry::Schema(np.op_type(), static_cast<int>(opset), "");
  if (!schema) {
    return Status::Unsupported(where + ": operator " + np.op_type() + " is not defined in opset " +
                               std::to_string(opset));
  }
  if (np.input_size() < schema->min_input() || np.input_size() > schema->max_input()) {
    return Status::InvalidArgument(where + ": " + std::to_string(np.input_size()) + " inputs, " +
                                   np.op_type() + " takes " + std::to_string(schema->min_input()) +
                                   " to " + std::to_string(schema->max_input()));
  }
  if (np.output_size() < schema->min_output() || np.output_size() > schema->max_output()) {
    return Status::InvalidArgument(where + ": " + std::to_string(np.output_size()) + " outputs, " +
                                   np.op_type() + " has " + std::to_string(schema->min_output()) +
                                   " to " + std::to_string(schema->max_output()));
  }
  std::set<std::string> seen;
  for (const auto& a : np.attribute()) {
    if (a.name().empty()) return Status::InvalidArgument(where + ": an attribute without a name");
    if (!seen.insert(a.name()).second) {
      return Status::InvalidArgument(where + ": attribute '" + a.name() + "' given twice");
    }
    auto it = schema->attributes().find(a.name());
    // As ONNX's checker: an attribute the op does not define is an error (and
    // edgeflow's own fused-activation attributes cannot be smuggled in).
    if (it == schema->attributes().end()) {
      return Status::InvalidArgument(where + ": attribute '" + a.name() + "' is not an attribute of " +
                                     np.op_type() + " (opset " + std::to_string(schema->since_version()) + ")");
    }
    if (it->second.type != a.type()) {
      return Status::InvalidArgument(where + ": attribute '" + a.name() + "' is " +
                                     AttributeTypeName(a.type()) + ", " + np.op_type() +
                                     " expects " + AttributeTypeName(it->second.type));
    }
  }
  return Status::OK();
}

// Checks that every value has one definition and every node input one
// source, and orders the nodes topologically (ONNX requires the order; a
// graph out of order is sorted, keeping the given order where it can). A
// cycle is an error naming its nodes.
Status OrderNodes(Graph* g, const std::string& where) {
  std::map<std::string, size_t> producer;  // value -> index of the node that writes it
  std::set<std::string> sources;           // graph inputs and weights
  for (const auto& v : g->inputs) sources.insert(v.name);
  for (const auto& [name, t] : g->initializers) sources.insert(name);
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    const Node& n = g->nodes[i];
    for (const auto& out : n.outputs) {
      if (out.empty()) continue;
      if (sources.count(out)) {
        return Status::InvalidArgument(where + ": " + n.Describe() + ": output '" + out +
                                       "' is also a graph input or a weight");
      }
      auto [it, fresh] = producer.emplace(out, i);
      if (!fresh) {
        return Status::InvalidArgument(where + ": " + n.Describe() + ": output '" + out +
                                       "' is already written by " +
                                       g->nodes[it->second].Describe());
      }
    }
  }
  std::vector<std::set<size_t>> readers(g->nodes.size());
  std::vector<size_t> waiting(g->nodes.size(), 0);  // producing nodes not yet placed
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    const Node& n = g->nodes[i];
    std::set<size_t> deps;
    for (const auto& in : n.inputs) {
      if (in.empty() || sources.count(in)) continue;
      auto it = producer.find(in);
      if (it == producer.end()) {
        return Status::InvalidArgument(where + ": " + n.Describe() + ": input '" + in +
                                       "' is not a graph input, a weight or any node's output");
      }
      deps.insert(it->second);
    }
    waiting[i] = deps.size();
    for (size_t d : deps) readers[d].insert(i);
  }
  for (const auto& o : g->outputs) {
    if (!sources.count(o.name) && !producer.count(o.name)) {
      return Status::InvalidArgument(where + ": graph output '" + o.name + "' is never produced");
    }
  }
  std::set<size_t> ready;
  for (size_t i = 0; i < g->nodes.size(); ++i) {
    if (waiting[i] == 0) ready.insert(i);
  }
  std::vector<size_t> order;
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t r : readers[i]) {
      if (--waiting[r] == 0) ready.insert(r);
    }
  }
  if (order.size() != g->nodes.size()) {
    std::string names;
    int listed = 0;
    for (size_t i = 0; i < g->nodes.size() && listed < 4; ++i) {
      if (waiting[i] == 0) continue;
      names += (listed++ ? ", " : "") + g->nodes[i].Describe();
    }
    return Status::InvalidArgument(where + ": the graph has a cycle: " + names +
                                   " read values that depend on their own outputs");
  }
  std::vector<Node> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.push_back(std::move(g->nodes[i]));
  g->nodes = std::move(sorted);
  return Status::OK();
}

}  // namespace

Result<Graph> ImportOnnx(const std::string& bytes, const std::string& where) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    return Status::InvalidArgument(where + ": not an ONNX model (protobuf parse failed)");
  Graph g;
  bool have_opset = false;
  for (const auto& op : model.opset_import()) {
    if (!op.domain().empty() && op.domain() != "ai.onnx") continue;
    if (have_opset && op.version() != g.opset) {
      return Status::InvalidArgument(where + ": the default domain is imported twice (opsets " +
                                     std::to_string(g.opset) + " and " +
                                     std::to_string(op.version()) + ")");
    }
    have_opset = true;
    g.opset = op.version();
  }
  if (!have_opset) {
    return Status::Unsupported(where +
                               ": the model imports no opset of the default (ai.onnx) domain");
  }
  if (g.opset < 1 || g.opset > kMaxOpset) {
    return Status::Unsupported(where + ": opset " + std::to_string(g.opset) +
                               " is not supported (1 to " + std::to_string(kMaxOpset) + ")");
  }
  const onnx::GraphProto& gp = model.graph();
  for (const auto& init : gp.initializer()) {
    if (init.name().empty())
      return Status::InvalidArgument(where + ": an initializer without a name");
    if (g.initializers.count(init.name())) {
      return Status::InvalidArgument(where + ": initializer '" + init.name() +
                                     "' is defined twice");
    }
    EF_ASSIGN_OR_RETURN(Tensor t, TensorFromProto(init, where));
    g.initializers[init.name()] = std::move(t);
  }
  if (gp.sparse_initializer_size() > 0) {
    return Status::Unsupported(where + ": sparse initializer '" +
                               gp.sparse_initializer(0).values().name() + "' is not supported");
  }
  std::set<std::string> input_names;
  for (const auto& in : gp.input()) {
    if (g.initializers.count(in.name())) continue;
    if (in.name().empty()) return Status::InvalidArgument(where + ": a graph input without a name");
    if (!input_names.insert(in.name()).second) {
      return Status::InvalidArgument(where + ": graph input '" + in.name() + "' is listed twice");
    }
    EF_ASSIGN_OR_RETURN(ValueInfo info, InfoFromProto(in, where));
    g.inputs.push_back(std::move(info));
  }
  for (const auto& out : gp.output()) {
    if (out.name().empty())
      return Status::InvalidArgument(where + ": a graph output without a name");
    EF_ASSIGN_OR_RETURN(ValueInfo info, InfoFromProto(out, where));
    g.outputs.push_back(std::move(info));
  }
  for (const auto& np : gp.node()) {
    Node n;
    n.name = np.name();
    n.op = np.op_type();
    n.opset = g.opset;
    n.inputs.assign(np.input().begin(), np.input().end());
    n.outputs.assign(np.output().begin(), np.output().end());
    std::string nwhere = where + ": " + n.Describe();
    if (!np.domain().empty() && np.domain() != "ai.onnx") {
      return Status::Unsupported(nwhere + ": operator domain '" + np.domain() +
                                 "' is not supported");
    }
    const KernelInfo* k = n.op == "Constant" ? nullptr : FindKernel(n.op);
    if (n.op != "Constant" && !k)
      return Status::Unsupported(nwhere + ": operator " + n.op + " is not supported");
    EF_RETURN_IF_ERROR(CheckAgainstSchema(np, g.opset, nwhere));
    for (const auto& a : np.attribute()) {
      EF_ASSIGN_OR_RETURN(Attribute attr, AttrFromProto(a, nwhere));
      n.attrs[a.name()] = std::move(attr);
    }
    if (n.op == "Constant") {
      if (n.outputs.size() != 1 || n.outputs[0].empty()) {
        return Status::InvalidArgument(nwhere + ": Constant needs one named output");
      }
      if (n.attrs.size() != 1) {
        return Status::InvalidArgument(nwhere +
                                       ": Constant needs exactly one value attribute, it has " +
                                       std::to_string(n.attrs.size()));
      }
      EF_ASSIGN_OR_RETURN(Tensor t, ConstantValue(n));
      if (g.initializers.count(n.outputs[0]) || input_names.count(n.outputs[0])) {
        return Status::InvalidArgument(nwhere + ": output '" + n.outputs[0] +
                                       "' is already defined");
      }
      g.initializers[n.outputs[0]] = std::move(t);
      continue;
    }
    EF_RETURN_IF_ERROR(k->check(n).WithContext(nwhere));
    g.nodes.push_back(std::move(n));
  }
  EF_RETURN_IF_ERROR(OrderNodes(&g, where));
  return g;
}

Result<Graph> ImportOnnxFile(const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string bytes, Env::Default()->ReadFile(path));
  return ImportOnnx(bytes, path);
}

}  // namespace edgeflow::infer
