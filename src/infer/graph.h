// Graph: the engine's intermediate representation of a model. Nodes are in
// topological order; values are named; weights are initializers. Produced by
// the ONNX importer (toolchain) and executed by the Interpreter (device).
#ifndef EDGEFLOW_INFER_GRAPH_H_
#define EDGEFLOW_INFER_GRAPH_H_

#include <map>
#include <string>
#include <vector>

#include "infer/tensor.h"

namespace edgeflow::infer {

struct Attribute {
  enum class Kind { kInt, kFloat, kString, kInts, kFloats, kTensor };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  float f = 0;
  std::string s;  // a string list (ONNX STRINGS) is joined with ','
  std::vector<int64_t> ints;
  std::vector<float> floats;
  Tensor t;

  static Attribute Int(int64_t v);
  static Attribute Float(float v);
  static Attribute Ints(std::vector<int64_t> v);
  static Attribute String(std::string v);
};

struct Node {
  std::string name;  // for error messages; may be empty in the source model
  std::string op;    // ONNX op type, e.g. "Conv"
  std::vector<std::string> inputs;   // "" = an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, Attribute> attrs;
  int64_t opset = 0;  // the model's default-domain opset (some ops changed meaning)

  // Attribute accessors with defaults.
  int64_t Int(const std::string& k, int64_t dflt) const;
  float Float(const std::string& k, float dflt) const;
  std::string String(const std::string& k, const std::string& dflt) const;
  std::vector<int64_t> Ints(const std::string& k, std::vector<int64_t> dflt = {}) const;
  bool Has(const std::string& k) const { return attrs.count(k) > 0; }
  // "Conv node 'conv1'" for messages.
  std::string Describe() const;
};

struct ValueInfo {
  std::string name;
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;  // -1 for a dynamic dimension
};

// A float32 weight that Model::Open computed from int8 values (quantize.h):
// value = values[...] * scales[index along axis]. Both name initializers.
struct Int8Weight {
  std::string values;  // int8
  std::string scales;  // float32, one per index along axis (or a single one)
  int64_t axis = 0;    // normalized: 0 <= axis < rank of values
};

struct Graph {
  std::vector<Node> nodes;
  std::map<std::string, Tensor> initializers;
  // Float initializers that were int8 in the file, by name, for kernels that
  // compute with the int8 values directly (gemm_int8.h).
  std::map<std::string, Int8Weight> int8_weights;
  std::vector<ValueInfo> inputs;   // excluding initializers
  std::vector<ValueInfo> outputs;
  int64_t opset = 0;
};

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_GRAPH_H_
