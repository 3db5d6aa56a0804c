// The partitioner (which backend takes each node, runs grouped into
// subgraphs with their boundary values) and the interpreter's fallbacks: a
// backend that fails to prepare or to run a subgraph leaves a run that
// succeeds with the reference kernels' outputs, counted in the stats and the
// metrics registry. The reference-only interpreter is the oracle.
#include "infer/partitioner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <set>

#include "core/metrics.h"
#include "infer/interpreter.h"
#include "infer/onnx_import.h"
#include "infer/passes.h"
#include "infer/reference_backend.h"
#include "infer/xnnpack_backend.h"
#include "testing/infer_tensors.h"

namespace edgeflow::infer {
namespace {

using testing::MaxRelError;
using testing::RandomNormal;

Node Conv(const std::string& name, const std::string& x, const std::string& w, const std::string& y,
          int64_t k) {
  Node n{name, "Conv", {x, w}, {y}, {}, 13};
  n.attrs["kernel_shape"] = Attribute::Ints({k, k});
  n.attrs["pads"] = Attribute::Ints(std::vector<int64_t>(4, k / 2));
  return n;
}

// The partitioner header's example, with an elementwise tail:
//   n0 Conv(x)->a  n1 Conv(a)->b  n2 Add(b,x)->c  n3 Conv(c)->d  n4 Relu(d)->e  n5 Flatten(e)->y
Graph ResidualBlock() {
  std::mt19937 rng(5);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 8, 6, 6}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w0"] = RandomNormal({8, 8, 3, 3}, rng);
  g.initializers["w1"] = RandomNormal({8, 8, 1, 1}, rng);
  g.initializers["w3"] = RandomNormal({4, 8, 3, 3}, rng);
  g.nodes = {Conv("n0", "x", "w0", "a", 3),
             Conv("n1", "a", "w1", "b", 1),
             Node{"n2", "Add", {"b", "x"}, {"c"}, {}, 13},
             Conv("n3", "c", "w3", "d", 3),
             Node{"n4", "Relu", {"d"}, {"e"}, {}, 13},
             Node{"n5", "Flatten", {"e"}, {"y"}, {}, 13}};
  return g;
}

void ExpectSameTensor(const Tensor& want, const Tensor& got) {
  ASSERT_EQ(want.shape(), got.shape());
  for (int64_t i = 0; i < want.size(); ++i)
    ASSERT_EQ(want.data<float>()[i], got.data<float>()[i]) << "element " << i;
}

// A test-only backend in front of a real one (`inner`): fails to prepare, or
// runs the first `fail_at` nodes of each subgraph on `inner` and then fails.
class FailingBackend : public Backend {
 public:
  enum class Mode { kPrepare, kRun };
  FailingBackend(std::unique_ptr<Backend> inner, Mode mode, size_t fail_at = 0)
      : inner_(std::move(inner)), mode_(mode), fail_at_(fail_at) {}

  const char* name() const override { return "failing"; }
  bool Supports(const Node& node, const Graph& graph) const override {
    return inner_->Supports(node, graph);
  }
  Result<std::unique_ptr<PreparedSubgraph>> Prepare(const GraphIndex& index,
                                                    const Subgraph& sg) override {
    if (mode_ == Mode::kPrepare) {
      return Status::Internal(index.graph().nodes[sg.nodes.front()].Describe() +
                              ": injected prepare failure");
    }
    Subgraph prefix = sg;
    prefix.nodes.resize(std::min(fail_at_, sg.nodes.size() - 1));  // always fails before the end
    std::unique_ptr<PreparedSubgraph> head;
    if (!prefix.nodes.empty()) {
      EF_ASSIGN_OR_RETURN(head, inner_->Prepare(index, prefix));
    }
    return std::unique_ptr<PreparedSubgraph>(
        std::make_unique<Failing>(std::move(head), prefix.nodes.size()));
  }

 private:
  class Failing : public PreparedSubgraph {
   public:
    Failing(std::unique_ptr<PreparedSubgraph> head, size_t head_nodes)
        : head_(std::move(head)), head_nodes_(head_nodes) {}
    Status Run(RunState* state, size_t first, size_t* done) override {
      *done = first;
      if (head_ && first < head_nodes_) EF_RETURN_IF_ERROR(head_->Run(state, first, done));
      *done = std::max(first, head_nodes_);
      return Status::Internal("injected run failure");
    }

   private:
    std::unique_ptr<PreparedSubgraph> head_;
    size_t head_nodes_;
  };

  std::unique_ptr<Backend> inner_;
  Mode mode_;
  size_t fail_at_;
};

std::string Nodes(const Subgraph& sg) {
  std::string s;
  for (size_t i : sg.nodes) s += (s.empty() ? "" : ",") + std::to_string(i);
  return s;
}

TEST(Partitioner, EachNodeGoesToTheFirstBackendThatSupportsIt) {
  Graph g = ResidualBlock();
  XnnBackend xnn(1);
  ASSERT_TRUE(xnn.available());
  ReferenceBackend ref;
  Partitioner p(g, {&xnn, &ref});
  EXPECT_EQ(p.assignment(), (std::vector<int>{0, 0, 1, 0, 1, 1}));
  // Reference first: it supports every node, so it takes them all.
  Partitioner all_ref(g, {&ref, &xnn});
  EXPECT_EQ(all_ref.assignment(), (std::vector<int>(6, 0)));
}

TEST(Partitioner, GroupsRunsIntoSubgraphsWithTheirBoundaryValues) {
  Graph g = ResidualBlock();
  XnnBackend xnn(1);
  ReferenceBackend ref;
  auto sgs = Partitioner(g, {&xnn, &ref}).Subgraphs();
  ASSERT_EQ(sgs.size(), 4u);
  EXPECT_EQ(sgs[0].backend, 0);
  EXPECT_EQ(Nodes(sgs[0]), "0,1");
  EXPECT_EQ(sgs[0].inputs, (std::vector<std::string>{"x"}));   // weights are not boundary values
  EXPECT_EQ(sgs[0].outputs, (std::vector<std::string>{"b"}));  // a stays inside
  EXPECT_EQ(sgs[1].backend, 1);
  EXPECT_EQ(Nodes(sgs[1]), "2");
  EXPECT_EQ(sgs[1].inputs, (std::vector<std::string>{"b", "x"}));
  EXPECT_EQ(sgs[1].outputs, (std::vector<std::string>{"c"}));
  EXPECT_EQ(Nodes(sgs[2]), "3");
  EXPECT_EQ(sgs[2].outputs, (std::vector<std::string>{"d"}));
  EXPECT_EQ(sgs[3].backend, 1);
  EXPECT_EQ(Nodes(sgs[3]), "4,5");
  EXPECT_EQ(sgs[3].inputs, (std::vector<std::string>{"d"}));
  EXPECT_EQ(sgs[3].outputs, (std::vector<std::string>{"y"}));  // a graph output
}

TEST(Partitioner, ExcludedNodesMoveToTheNextBackendAndRunsMerge) {
  Graph g = ResidualBlock();
  XnnBackend xnn(1);
  ReferenceBackend ref;
  Partitioner p(g, {&xnn, &ref});
  p.Exclude(p.Subgraphs()[0]);
  auto sgs = p.Subgraphs();
  ASSERT_EQ(sgs.size(), 3u);
  EXPECT_EQ(sgs[0].backend, 1);
  EXPECT_EQ(Nodes(sgs[0]), "0,1,2");
  EXPECT_EQ(sgs[0].inputs, (std::vector<std::string>{"x"}));
  EXPECT_EQ(sgs[0].outputs, (std::vector<std::string>{"c"}));
  // The last backend is never taken away.
  p.Exclude(sgs[0]);
  EXPECT_EQ(p.Subgraphs().size(), 3u);
}

TEST(Partitioner, ANodeNoBackendSupportsGoesToTheLastAndTheRunNamesIt) {
  Graph g = ResidualBlock();
  g.nodes[4].op = "NoSuchOp";
  XnnBackend xnn(1);
  ReferenceBackend ref;
  EXPECT_EQ(Partitioner(g, {&xnn, &ref}).assignment()[4], 1);
  Interpreter interp(g);
  std::mt19937 rng(1);
  auto r = interp.Run({{"x", RandomNormal({1, 8, 6, 6}, rng)}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("NoSuchOp node 'n4'"), std::string::npos)
      << r.status().ToString();
}

TEST(Interpreter, StatsCountSubgraphsAndNodesPerBackend) {
  Graph g = ResidualBlock();
  Interpreter interp(g);
  InterpreterStats s = interp.stats();
  ASSERT_EQ(s.backends.size(), 2u);
  EXPECT_EQ(s.backends[0].backend, "xnnpack");
  EXPECT_EQ(s.backends[0].subgraphs, 2);
  EXPECT_EQ(s.backends[0].nodes, 3);
  EXPECT_EQ(s.backends[1].backend, "reference");
  EXPECT_EQ(s.backends[1].subgraphs, 2);
  EXPECT_EQ(s.backends[1].nodes, 3);
  EXPECT_EQ(s.xnnpack_nodes, 3);
  EXPECT_EQ(s.reference_nodes, 3);
  EXPECT_EQ(s.fallbacks, 0);
  EXPECT_EQ(interp.subgraphs().size(), 4u);
}

TEST(Interpreter, AnXnnpackSigmoidOnAnNhwcValueKeepsItsLayout) {
  // Conv -> Sigmoid (both XNNPACK, the Sigmoid runs on the conv's NHWC
  // output) -> Flatten (reference, needs NCHW): the Sigmoid's output must be
  // known to be NHWC so that Flatten gets it converted.
  std::mt19937 rng(8);
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {1, 4, 5, 5}});
  g.outputs.push_back({"y", DType::kFloat32, {}});
  g.initializers["w"] = RandomNormal({6, 4, 3, 3}, rng);
  g.nodes = {Conv("c", "x", "w", "a", 3), Node{"s", "Sigmoid", {"a"}, {"b"}, {}, 13},
             Node{"f", "Flatten", {"b"}, {"y"}, {}, 13}};
  Interpreter fast(g), oracle(g, {1, false});
  ASSERT_EQ(fast.stats().xnnpack_nodes, 2);
  Tensor x = RandomNormal({1, 4, 5, 5}, rng);
  auto got = fast.Run({{"x", x}});
  auto want = oracle.Run({{"x", x}});
  ASSERT_TRUE(got.ok() && want.ok());
  ASSERT_EQ(got->at("y").shape(), want->at("y").shape());
  EXPECT_LE(MaxRelError(want->at("y"), got->at("y")), 1e-5);
}

TEST(Fallback, APrepareFailureMovesTheSubgraphToTheReferenceKernels) {
  Graph g = ResidualBlock();
  std::mt19937 rng(11);
  Tensor x = RandomNormal({1, 8, 6, 6}, rng);
  Interpreter oracle(g, {1, false});
  auto want = oracle.Run({{"x", x}});
  ASSERT_TRUE(want.ok()) << want.status().ToString();

  MetricsRegistry metrics;
  InterpreterOptions o(1, false);
  o.backends = {std::make_shared<FailingBackend>(std::make_unique<XnnBackend>(1),
                                                 FailingBackend::Mode::kPrepare)};
  o.metrics = &metrics;
  Interpreter interp(g, o);
  InterpreterStats s = interp.stats();
  EXPECT_EQ(s.prepare_fallbacks, 2);  // {n0,n1} and {n3}
  EXPECT_EQ(s.fallbacks, 2);
  EXPECT_EQ(metrics.GetCounter("infer.fallbacks.prepare")->value(), 2);
  ASSERT_EQ(s.backends.size(), 2u);
  EXPECT_EQ(s.backends[0].subgraphs, 0);
  EXPECT_EQ(s.backends[1].subgraphs, 1);  // the re-partition merged everything into one run
  EXPECT_EQ(s.backends[1].nodes, 6);
  for (int run = 0; run < 2; ++run) {
    auto got = interp.Run({{"x", x}});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectSameTensor(want->at("y"), got->at("y"));
  }
  EXPECT_EQ(interp.stats().run_fallbacks, 0);
  EXPECT_EQ(metrics.GetCounter("infer.fallbacks.run")->value(), 0);
}

TEST(Fallback, APrepareFailureMovesNodesToTheNextBackendInPriorityOrder) {
  // Failing GPU-like backend first, then XNNPACK: its nodes land on XNNPACK,
  // giving exactly the plain XNNPACK interpreter's partition and outputs.
  Graph g = ResidualBlock();
  std::mt19937 rng(12);
  Tensor x = RandomNormal({1, 8, 6, 6}, rng);
  Interpreter plain(g), oracle(g, {1, false});
  InterpreterOptions o;
  o.backends = {std::make_shared<FailingBackend>(std::make_unique<XnnBackend>(1),
                                                 FailingBackend::Mode::kPrepare)};
  Interpreter interp(g, o);
  EXPECT_EQ(interp.stats().prepare_fallbacks, 2);
  EXPECT_EQ(interp.stats().xnnpack_nodes, 3);
  auto sgs = interp.subgraphs(), plain_sgs = plain.subgraphs();
  ASSERT_EQ(sgs.size(), plain_sgs.size());
  for (size_t i = 0; i < sgs.size(); ++i) EXPECT_EQ(Nodes(sgs[i]), Nodes(plain_sgs[i]));
  auto got = interp.Run({{"x", x}});
  auto fast = plain.Run({{"x", x}});
  auto want = oracle.Run({{"x", x}});
  ASSERT_TRUE(got.ok() && fast.ok() && want.ok());
  ExpectSameTensor(fast->at("y"), got->at("y"));
  EXPECT_LE(MaxRelError(want->at("y"), got->at("y")), 1e-5);
}

TEST(Fallback, ARunFailureRerunsTheSubgraphOnTheReferenceKernels) {
  Graph g = ResidualBlock();
  std::mt19937 rng(13);
  Tensor x = RandomNormal({1, 8, 6, 6}, rng);
  Interpreter oracle(g, {1, false});
  auto want = oracle.Run({{"x", x}});
  ASSERT_TRUE(want.ok());
  MetricsRegistry metrics;
  InterpreterOptions o(1, false);
  o.backends = {std::make_shared<FailingBackend>(std::make_unique<XnnBackend>(1),
                                                 FailingBackend::Mode::kRun, 0)};
  o.metrics = &metrics;
  Interpreter interp(g, o);
  EXPECT_EQ(interp.stats().backends[0].subgraphs, 2);
  EXPECT_EQ(interp.stats().prepare_fallbacks, 0);
  for (int run = 0; run < 3; ++run) {
    auto got = interp.Run({{"x", x}});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    ExpectSameTensor(want->at("y"), got->at("y"));  // every node ran on the reference kernels
  }
  EXPECT_EQ(interp.stats().run_fallbacks, 6);  // two subgraphs, three runs
  EXPECT_EQ(interp.stats().fallbacks, 6);
  EXPECT_EQ(metrics.GetCounter("infer.fallbacks.run")->value(), 6);
  EXPECT_EQ(interp.stats().memory.divergences, 0);  // a fallback run is as deterministic as any
}

TEST(Fallback, ARunFailureMidSubgraphFinishesFromTheFailedNodeInAnyLayout) {
  // n0 runs on XNNPACK and leaves its output NHWC; the reference kernels take
  // over at n1 and read it.
  Graph g = ResidualBlock();
  std::mt19937 rng(14);
  Tensor x = RandomNormal({1, 8, 6, 6}, rng);
  Interpreter oracle(g, {1, false});
  InterpreterOptions o(1, false);
  o.backends = {std::make_shared<FailingBackend>(std::make_unique<XnnBackend>(1),
                                                 FailingBackend::Mode::kRun, 1)};
  Interpreter interp(g, o);
  auto want = oracle.Run({{"x", x}});
  for (int run = 0; run < 2; ++run) {
    auto got = interp.Run({{"x", x}});
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_LE(MaxRelError(want->at("y"), got->at("y")), 1e-5);
  }
  EXPECT_EQ(interp.stats().run_fallbacks, 4);
}

TEST(Fallback, ACancelledRunIsNotAFallback) {
  Graph g = ResidualBlock();
  InterpreterOptions o(1, false);
  o.backends = {std::make_shared<FailingBackend>(std::make_unique<XnnBackend>(1),
                                                 FailingBackend::Mode::kRun, 1)};
  Interpreter interp(g, o);
  CancellationToken token;
  token.Cancel();
  std::mt19937 rng(15);
  auto r = interp.Run({{"x", RandomNormal({1, 8, 6, 6}, rng)}}, &token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(interp.stats().run_fallbacks, 0);
}

// Real models from ../shared/models: partitioned with XNNPACK, the same
// outputs as the reference kernels alone, and a partition whose boundaries
// connect (every subgraph input is a graph input or an earlier subgraph's output).
class ModelPartition : public ::testing::TestWithParam<std::string> {};

TEST_P(ModelPartition, GivesTheReferenceOutputsWithAndWithoutXnnpack) {
  const char* src = std::getenv("EDGEFLOW_SOURCE_DIR");
  std::filesystem::path path =
      std::filesystem::path(src ? src : ".") / ".." / "shared" / "models" / (GetParam() + ".onnx");
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not found";
  auto imported = ImportOnnxFile(path.string());
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  Graph g = std::move(imported).value();
  OptimizeGraph(&g);

  Interpreter fast(g), ref(g, {1, false});
  InterpreterStats s = fast.stats();
  ASSERT_EQ(s.backends.size(), 2u);
  EXPECT_GT(s.backends[0].subgraphs, 0);
  EXPECT_EQ(s.backends[0].nodes + s.backends[1].nodes, static_cast<int>(g.nodes.size()));
  EXPECT_EQ(s.fallbacks, 0);
  std::set<std::string> available;
  for (const auto& in : g.inputs) available.insert(in.name);
  auto sgs = fast.subgraphs();
  for (size_t i = 0; i < sgs.size(); ++i) {
    if (i > 0) {
      EXPECT_NE(sgs[i].backend, sgs[i - 1].backend) << "runs are maximal";
    }
    for (const auto& v : sgs[i].inputs)
      EXPECT_TRUE(available.count(v)) << v << " read by subgraph " << i;
    for (const auto& v : sgs[i].outputs) available.insert(v);
  }
  for (const auto& o : g.outputs) EXPECT_TRUE(available.count(o.name)) << o.name;

  std::mt19937 rng(21);
  std::map<std::string, Tensor> inputs;
  for (const auto& in : g.inputs) {
    std::vector<int64_t> shape = in.shape;
    for (size_t d = 0; d < shape.size(); ++d) {
      if (shape[d] < 0) shape[d] = d == 0 ? 1 : 20;
    }
    Tensor t(in.dtype, shape);
    for (int64_t i = 0; i < t.size(); ++i) {
      if (in.dtype == DType::kFloat32)
        t.data<float>()[i] = std::normal_distribution<float>(0, 1)(rng);
      if (in.dtype == DType::kInt64) t.data<int64_t>()[i] = static_cast<int64_t>(rng() % 100);
    }
    inputs[in.name] = std::move(t);
  }
  auto a = fast.Run(inputs);
  auto b = ref.Run(inputs);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  for (const auto& o : g.outputs) {
    const Tensor &want = b->at(o.name), &got = a->at(o.name);
    ASSERT_EQ(want.shape(), got.shape()) << o.name;
    double num = 0, den = 0;
    for (int64_t i = 0; i < want.size(); ++i) {
      double d = want.AsDouble(i) - got.AsDouble(i);
      num += d * d;
      den += want.AsDouble(i) * want.AsDouble(i);
    }
    EXPECT_LE(std::sqrt(num / std::max(den, 1e-30)), 1e-4) << GetParam() << " output " << o.name;
  }
  EXPECT_EQ(fast.stats().fallbacks, 0);
}

INSTANTIATE_TEST_SUITE_P(Models, ModelPartition, ::testing::Values("mobilenet_v2", "textcnn"));

}  // namespace
}  // namespace edgeflow::infer
