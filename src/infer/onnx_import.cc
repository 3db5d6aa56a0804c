// ONNX ModelProto -> Graph.
#include "infer/onnx_import.h"

#include <onnx/onnx_pb.h>

#include "edgeflow/env.h"
#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

Result<DType> DTypeFromOnnx(int t, const std::string& where) {
  switch (t) {
    case onnx::TensorProto::FLOAT: return DType::kFloat32;
    case onnx::TensorProto::DOUBLE: return DType::kFloat64;
    case onnx::TensorProto::INT64: return DType::kInt64;
    case onnx::TensorProto::INT32: return DType::kInt32;
    case onnx::TensorProto::INT8: return DType::kInt8;
    case onnx::TensorProto::UINT8: return DType::kUint8;
    case onnx::TensorProto::BOOL: return DType::kBool;
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
          return Status::Unsupported(where + ": attribute '" + a.name() + "': a string containing ','");
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
                                 onnx::AttributeProto::AttributeType_Name(a.type()) + " is not supported");
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
    return Status::Unsupported(where + ": graph input or output '" + v.name() +
                               "' is not a tensor (sequence, map and optional types are not supported)");
  }
  EF_ASSIGN_OR_RETURN(info.dtype, DTypeFromOnnx(v.type().tensor_type().elem_type(), where + ": '" + v.name() + "'"));
  for (const auto& d : v.type().tensor_type().shape().dim()) {
    info.shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  }
  return info;
}

}  // namespace

Result<Tensor> TensorFromProto(const onnx::TensorProto& p, const std::string& where_in) {
  std::string where = where_in + (p.name().empty() ? "" : ": tensor '" + p.name() + "'");
  if (p.data_location() == onnx::TensorProto::EXTERNAL) {
    return Status::Unsupported(where + ": external tensor data is not supported");
  }
  EF_ASSIGN_OR_RETURN(DType dtype, DTypeFromOnnx(p.data_type(), where));
  std::vector<int64_t> shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape) {
    if (d < 0 || d > (int64_t{1} << 32)) return Status::InvalidArgument(where + ": bad dimension " + std::to_string(d));
  }
  if (NumElements(shape) > (int64_t{1} << 31)) return Status::InvalidArgument(where + ": tensor too large");
  Tensor t(dtype, shape);
  if (p.has_raw_data()) {
    if (p.raw_data().size() != t.bytes()) {
      return Status::InvalidArgument(where + ": raw_data holds " + std::to_string(p.raw_data().size()) +
                                     " bytes, the shape needs " + std::to_string(t.bytes()));
    }
    if (t.bytes() > 0) std::memcpy(t.raw(), p.raw_data().data(), t.bytes());  // empty: raw() may be null
    return t;
  }
  int64_t have = 0;
  switch (dtype) {
    case DType::kFloat32: have = p.float_data_size(); CopyField<float>(p.float_data(), &t); break;
    case DType::kFloat64: have = p.double_data_size(); CopyField<double>(p.double_data(), &t); break;
    case DType::kInt64: have = p.int64_data_size(); CopyField<int64_t>(p.int64_data(), &t); break;
    case DType::kInt32: have = p.int32_data_size(); CopyField<int32_t>(p.int32_data(), &t); break;
    case DType::kInt8: have = p.int32_data_size(); CopyField<int8_t>(p.int32_data(), &t); break;
    case DType::kUint8:
    case DType::kBool: have = p.int32_data_size(); CopyField<uint8_t>(p.int32_data(), &t); break;
  }
  if (have != t.size()) {
    return Status::InvalidArgument(where + ": holds " + std::to_string(have) + " values, the shape needs " +
                                   std::to_string(t.size()));
  }
  return t;
}

Result<Tensor> ReadTensorProtoFile(const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string bytes, Env::Default()->ReadFile(path));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes)) return Status::InvalidArgument(path + ": not a TensorProto");
  return TensorFromProto(p, path);
}

Result<Graph> ImportOnnx(const std::string& bytes, const std::string& where) {
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) return Status::InvalidArgument(where + ": not an ONNX model (protobuf parse failed)");
  Graph g;
  for (const auto& op : model.opset_import()) {
    if (op.domain().empty() || op.domain() == "ai.onnx") g.opset = op.version();
  }
  const onnx::GraphProto& gp = model.graph();
  for (const auto& init : gp.initializer()) {
    EF_ASSIGN_OR_RETURN(Tensor t, TensorFromProto(init, where));
    g.initializers[init.name()] = std::move(t);
  }
  for (const auto& in : gp.input()) {
    if (g.initializers.count(in.name())) continue;
    EF_ASSIGN_OR_RETURN(ValueInfo info, InfoFromProto(in, where));
    g.inputs.push_back(std::move(info));
  }
  for (const auto& out : gp.output()) {
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
      return Status::Unsupported(nwhere + ": operator domain '" + np.domain() + "' is not supported");
    }
    for (const auto& a : np.attribute()) {
      EF_ASSIGN_OR_RETURN(Attribute attr, AttrFromProto(a, nwhere));
      n.attrs[a.name()] = std::move(attr);
    }
    if (n.op == "Constant") {
      EF_ASSIGN_OR_RETURN(Tensor t, ConstantValue(n));
      if (n.outputs.size() != 1) return Status::InvalidArgument(nwhere + ": Constant needs one output");
      g.initializers[n.outputs[0]] = std::move(t);
      continue;
    }
    const KernelInfo* k = FindKernel(n.op);
    if (!k) return Status::Unsupported(nwhere + ": operator " + n.op + " is not supported");
    EF_RETURN_IF_ERROR(k->check(n).WithContext(nwhere));
    g.nodes.push_back(std::move(n));
  }
  return g;
}

Result<Graph> ImportOnnxFile(const std::string& path) {
  EF_ASSIGN_OR_RETURN(std::string bytes, Env::Default()->ReadFile(path));
  return ImportOnnx(bytes, path);
}

}  // namespace edgeflow::infer
