// Hostile and broken ONNX files (issue #4): each gives an error naming what
// was wrong (node, op, attribute, tensor), never a crash or a huge allocation.
// Several cases are regressions of onnx_import_fuzzer findings.
#include "infer/onnx_import.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "infer/efm_writer.h"
#include "infer/model.h"
#include "infer/passes.h"

namespace edgeflow::infer {
namespace {

// x [1, 2, 4, 4] -> Conv(W [3, 2, 3, 3], pads 1) -> Relu -> y: a valid model to break.
onnx::ModelProto ValidModel() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto* op = m.add_opset_import();
  op->set_domain("");
  op->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("g");
  auto value = [](onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  value(g->add_input(), "x", {1, 2, 4, 4});
  value(g->add_output(), "y", {1, 3, 4, 4});
  auto* w = g->add_initializer();
  w->set_name("W");
  w->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {3, 2, 3, 3}) w->add_dims(d);
  for (int i = 0; i < 54; ++i) w->add_float_data(0.01f * static_cast<float>(i % 7));
  auto* conv = g->add_node();
  conv->set_name("conv");
  conv->set_op_type("Conv");
  conv->add_input("x");
  conv->add_input("W");
  conv->add_output("c");
  auto* pads = conv->add_attribute();
  pads->set_name("pads");
  pads->set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(1);
  auto* relu = g->add_node();
  relu->set_name("relu");
  relu->set_op_type("Relu");
  relu->add_input("c");
  relu->add_output("y");
  return m;
}

Status Import(const onnx::ModelProto& m) {
  auto g = ImportOnnx(m.SerializeAsString(), "m.onnx");
  return g.ok() ? Status::OK() : g.status();
}

// The import fails, with a message that contains every one of `parts`.
void ExpectError(const onnx::ModelProto& m, std::vector<std::string> parts) {
  Status s = Import(m);
  ASSERT_FALSE(s.ok()) << "imported, expected an error mentioning " << parts[0];
  for (const auto& p : parts) EXPECT_NE(s.message().find(p), std::string::npos) << s.message();
}

onnx::TensorProto* Weight(onnx::ModelProto* m) {
  return m->mutable_graph()->mutable_initializer(0);
}

TEST(OnnxImport, ValidModelImportsCompilesAndLoads) {
  auto g = ImportOnnx(ValidModel().SerializeAsString(), "m.onnx");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->nodes.size(), 2u);
  OptimizeGraph(&*g);
  auto image = SerializeEfm(*g);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_TRUE(Model::FromBytes(*image, "m.efm").ok());
}

TEST(OnnxImport, NotProtobufIsAnError) {
  auto g = ImportOnnx("\xff\xff\xff garbage", "m.onnx");
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("not an ONNX model"), std::string::npos);
}

TEST(OnnxImport, RawDataLengthDisagreeingWithDimsNamesTheTensor) {
  auto m = ValidModel();
  Weight(&m)->clear_float_data();
  Weight(&m)->set_raw_data(std::string(5, '\0'));
  ExpectError(m, {"tensor 'W'", "raw_data holds 5 bytes", "needs 216"});
}

TEST(OnnxImport, TypedValuesDisagreeingWithDimsNameTheTensor) {
  auto m = ValidModel();
  Weight(&m)->add_float_data(1.0f);
  ExpectError(m, {"tensor 'W'", "holds 55 values", "needs 54"});
}

TEST(OnnxImport, NegativeDimensionNamesTheTensorAndAxis) {
  auto m = ValidModel();
  Weight(&m)->set_dims(1, -2);
  ExpectError(m, {"tensor 'W'", "bad dimension -2 at axis 1"});
}

// Fuzzer finding: dims whose product overflows int64 were multiplied
// unchecked (signed overflow, UB) before any check.
TEST(OnnxImport, OverflowingDimensionsAreAnErrorNotUndefinedBehaviour) {
  auto m = ValidModel();
  Weight(&m)->clear_dims();
  for (int i = 0; i < 4; ++i) Weight(&m)->add_dims(int64_t{1} << 31);
  ExpectError(m, {"tensor 'W'", "elements"});
}

// A declared size of 2^31 float64 elements used to be allocated (16 GB,
// zero-filled) before the data was found missing.
TEST(OnnxImport, HugeDeclaredSizeWithoutDataIsRefusedBeforeAllocating) {
  auto m = ValidModel();
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name("huge");
  t->set_data_type(onnx::TensorProto::DOUBLE);
  t->add_dims(int64_t{1} << 30);
  t->add_dims(2);
  ExpectError(m, {"tensor 'huge'", "holds 0 values", "needs 2147483648"});
  t->set_raw_data("12345678");
  ExpectError(m, {"tensor 'huge'", "raw_data holds 8 bytes"});
}

TEST(OnnxImport, RankAboveEightIsAnError) {
  auto m = ValidModel();
  auto* t = m.mutable_graph()->add_initializer();
  t->set_name("deep");
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < 9; ++i) t->add_dims(1);
  t->add_float_data(1);
  ExpectError(m, {"tensor 'deep'", "rank 9"});
}

TEST(OnnxImport, GraphInputWithNegativeDimensionIsAnError) {
  auto m = ValidModel();
  m.mutable_graph()
      ->mutable_input(0)
      ->mutable_type()
      ->mutable_tensor_type()
      ->mutable_shape()
      ->mutable_dim(2)
      ->set_dim_value(-7);
  ExpectError(m, {"'x'", "bad dimension -7"});
}

TEST(OnnxImport, NodeReadingAnUndefinedValueNamesNodeAndValue) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
  ExpectError(m, {"Relu node 'relu'", "input 'nowhere'"});
}

TEST(OnnxImport, CycleIsAnErrorNamingItsNodes) {
  auto m = ValidModel();
  auto* g = m.mutable_graph();
  // conv reads 'x2', which relu2 computes from conv's own output.
  g->mutable_node(0)->set_input(0, "x2");
  auto* back = g->add_node();
  back->set_name("relu2");
  back->set_op_type("Relu");
  back->add_input("y");
  back->add_output("x2");
  ExpectError(m, {"cycle", "Conv node 'conv'", "Relu node 'relu'", "Relu node 'relu2'"});
}

TEST(OnnxImport, NodesOutOfOrderAreSorted) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node()->SwapElements(0, 1);
  auto g = ImportOnnx(m.SerializeAsString(), "m.onnx");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_EQ(g->nodes.size(), 2u);
  EXPECT_EQ(g->nodes[0].op, "Conv");
  EXPECT_EQ(g->nodes[1].op, "Relu");
}

TEST(OnnxImport, ValueWrittenTwiceNamesBothNodes) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node(1)->set_output(0, "c");
  m.mutable_graph()->mutable_output(0)->set_name("c");
  ExpectError(m, {"Relu node 'relu'", "output 'c'", "Conv node 'conv'"});
}

TEST(OnnxImport, OutputOverwritingAWeightIsAnError) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node(0)->set_output(0, "W");
  ExpectError(m, {"Conv node 'conv'", "output 'W'", "weight"});
}

TEST(OnnxImport, GraphOutputNeverProducedIsNamed) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_output(0)->set_name("missing");
  ExpectError(m, {"graph output 'missing'"});
}

TEST(OnnxImport, UnsupportedOpsetIsNamed) {
  auto m = ValidModel();
  m.mutable_opset_import(0)->set_version(99);
  Status s = Import(m);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("opset 99"), std::string::npos) << s.message();
  m.mutable_opset_import(0)->set_domain("ai.onnx.ml");
  s = Import(m);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("no opset of the default"), std::string::npos) << s.message();
}

TEST(OnnxImport, WrongAttributeTypeNamesNodeAttributeAndTypes) {
  auto m = ValidModel();
  auto* pads = m.mutable_graph()->mutable_node(0)->mutable_attribute(0);
  pads->clear_ints();
  pads->set_type(onnx::AttributeProto::INT);
  pads->set_i(1);
  ExpectError(m, {"Conv node 'conv'", "attribute 'pads' is INT", "expects INTS"});
}

// An attribute the op's schema does not define is refused, as ONNX's checker
// does; edgeflow's own fused-activation attributes cannot come from a file.
TEST(OnnxImport, AttributeTheOpDoesNotDefineIsAnError) {
  for (const char* name : {"activation", "activation_min", "bogus"}) {
    auto m = ValidModel();
    auto* a = m.mutable_graph()->mutable_node(0)->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s("SiLU");
    ExpectError(m, {"Conv node 'conv'", std::string("attribute '") + name + "' is not an attribute of Conv"});
  }
}

TEST(OnnxImport, AttributeGivenTwiceIsAnError) {
  auto m = ValidModel();
  *m.mutable_graph()->mutable_node(0)->add_attribute() = m.graph().node(0).attribute(0);
  ExpectError(m, {"Conv node 'conv'", "attribute 'pads' given twice"});
}

TEST(OnnxImport, WrongInputCountNamesTheNode) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node(1)->add_input("x");
  ExpectError(m, {"Relu node 'relu'", "2 inputs"});
}

TEST(OnnxImport, UnknownOperatorAndDomainAreNamed) {
  auto m = ValidModel();
  m.mutable_graph()->mutable_node(1)->set_op_type("NoSuchOp");
  ExpectError(m, {"relu", "operator NoSuchOp is not supported"});
  m = ValidModel();
  m.mutable_graph()->mutable_node(1)->set_domain("com.example");
  ExpectError(m, {"Relu node 'relu'", "domain 'com.example'"});
}

TEST(OnnxImport, ConstantWithAWrongValueIsAnError) {
  auto m = ValidModel();
  auto* c = m.mutable_graph()->add_node();
  c->set_name("k");
  c->set_op_type("Constant");
  c->add_output("kv");
  auto* v = c->add_attribute();
  v->set_name("value");
  v->set_type(onnx::AttributeProto::INT);  // must be a TENSOR
  v->set_i(3);
  ExpectError(m, {"Constant node 'k'", "attribute 'value' is INT", "expects TENSOR"});
  v->set_type(onnx::AttributeProto::TENSOR);
  v->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
  v->mutable_t()->add_dims(3);
  ExpectError(m, {"Constant node 'k'", "holds 0 values"});
}

TEST(OnnxImport, DuplicateInitializerIsAnError) {
  auto m = ValidModel();
  *m.mutable_graph()->add_initializer() = m.graph().initializer(0);
  ExpectError(m, {"initializer 'W' is defined twice"});
}

TEST(OnnxImport, ExternalDataIsUnsupported) {
  auto m = ValidModel();
  auto* e = Weight(&m)->add_external_data();
  e->set_key("location");
  e->set_value("/etc/passwd");
  Status s = Import(m);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.ToString();
  EXPECT_NE(s.message().find("tensor 'W': external"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace edgeflow::infer
