// ONNX import (toolchain only; the device never parses protobuf): reads an
// ONNX model into a Graph, folding Constant nodes into initializers, and
// rejects what the engine cannot run with an error naming the node, the op
// and the attribute.
#ifndef EDGEFLOW_INFER_ONNX_IMPORT_H_
#define EDGEFLOW_INFER_ONNX_IMPORT_H_

#include <string>

#include "infer/graph.h"

namespace onnx {
class TensorProto;
}

namespace edgeflow::infer {

Result<Graph> ImportOnnxFile(const std::string& path);
Result<Graph> ImportOnnx(const std::string& bytes, const std::string& where);
// A TensorProto (e.g. from ONNX's test data sets) as a Tensor.
Result<Tensor> TensorFromProto(const onnx::TensorProto& proto, const std::string& where);
Result<Tensor> ReadTensorProtoFile(const std::string& path);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_ONNX_IMPORT_H_
