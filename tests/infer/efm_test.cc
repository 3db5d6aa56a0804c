// .efm round trip through the writer, the mmap loader and the interpreter,
// and the loader's answer to damaged files: truncation at every length, byte
// flips anywhere (with and without a repaired checksum), hostile records.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <random>

#include "infer/efm_format.h"
#include "infer/efm_reader.h"
#include "infer/efm_writer.h"
#include "infer/interpreter.h"
#include "infer/model.h"
#include "testing/temp_dir.h"

namespace edgeflow::infer {
namespace {

// y = Relu(x @ W + b) with W [3,2], then Softmax.
Graph SmallGraph() {
  Graph g;
  g.opset = 13;
  g.inputs.push_back({"x", DType::kFloat32, {-1, 3}});
  g.outputs.push_back({"y", DType::kFloat32, {-1, 2}});
  Tensor w(DType::kFloat32, {3, 2});
  for (int i = 0; i < 6; ++i) w.data<float>()[i] = 0.5f * static_cast<float>(i) - 1.0f;
  Tensor b(DType::kFloat32, {2});
  b.data<float>()[0] = 0.25f;
  b.data<float>()[1] = -0.5f;
  g.initializers["W"] = w;
  g.initializers["b"] = b;
  Node mm{"mm", "MatMul", {"x", "W"}, {"xw"}, {}, 13};
  Node add{"add", "Add", {"xw", "b"}, {"h"}, {}, 13};
  Node relu{"relu", "Relu", {"h"}, {"r"}, {}, 13};
  Node sm{"softmax", "Softmax", {"r"}, {"y"}, {}, 13};
  Attribute axis;
  axis.kind = Attribute::Kind::kInt;
  axis.i = -1;
  sm.attrs["axis"] = axis;
  g.nodes = {mm, add, relu, sm};
  return g;
}

std::string Image() {
  auto s = SerializeEfm(SmallGraph());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : std::string();
}

void FixChecksum(std::string* s) {
  uint64_t sum = EfmChecksum(reinterpret_cast<const uint8_t*>(s->data()) + kEfmChecksumFrom,
                             s->size() - kEfmChecksumFrom);
  std::memcpy(&(*s)[16], &sum, 8);
}

Tensor Input() {
  Tensor x(DType::kFloat32, {2, 3});
  for (int i = 0; i < 6; ++i) x.data<float>()[i] = static_cast<float>(i) * 0.3f - 0.7f;
  return x;
}

TEST(Efm, RoundTripRunsLikeTheSourceGraph) {
  Graph src = SmallGraph();
  Interpreter ref(src, {1, false});
  auto want = ref.Run({{"x", Input()}});
  ASSERT_TRUE(want.ok()) << want.status().ToString();

  testing::TempDir tmp;
  ASSERT_TRUE(WriteEfm(src, tmp.Sub("m.efm")).ok());
  auto m = Model::Open(tmp.Sub("m.efm"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const Graph& g = (*m)->graph();
  ASSERT_EQ(g.nodes.size(), 4u);
  EXPECT_EQ(g.nodes[3].Int("axis", 0), -1);
  EXPECT_EQ(g.inputs[0].shape, (std::vector<int64_t>{-1, 3}));
  // Weights are used in place, 64-byte aligned, not copied.
  const Tensor& w = g.initializers.at("W");
  EXPECT_TRUE(w.is_view());
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w.raw()) % kEfmAlign, 0u);
  Interpreter interp(g, {1, false});
  auto got = interp.Run({{"x", Input()}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  const Tensor& a = want->at("y");
  const Tensor& b = got->at("y");
  ASSERT_EQ(a.shape(), b.shape());
  for (int64_t i = 0; i < a.size(); ++i) EXPECT_EQ(a.data<float>()[i], b.data<float>()[i]);
}

TEST(Efm, OutputsOutliveTheModel) {
  Graph src = SmallGraph();
  src.outputs.push_back({"W", DType::kFloat32, {3, 2}});  // an output that is a weight
  auto image = SerializeEfm(src);
  ASSERT_TRUE(image.ok());
  std::map<std::string, Tensor> outs;
  {
    auto m = Model::FromBytes(*image, "mem");
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Interpreter interp((*m)->graph(), {1, false});
    auto r = interp.Run({{"x", Input()}});
    ASSERT_TRUE(r.ok());
    outs = std::move(r).value();
  }
  EXPECT_FALSE(outs.at("W").is_view());
  EXPECT_EQ(outs.at("W").data<float>()[5], 1.5f);
}

TEST(Efm, EveryTruncationIsAnError) {
  std::string image = Image();
  for (size_t n = 0; n < image.size(); ++n) {
    auto m = Model::FromBytes(std::string_view(image).substr(0, n), "cut");
    ASSERT_FALSE(m.ok()) << "length " << n;
  }
}

TEST(Efm, TruncatedFileOnDiskNamesTheProblem) {
  std::string image = Image();
  testing::TempDir tmp;
  std::ofstream(tmp.Sub("t.efm"), std::ios::binary).write(image.data(), static_cast<std::streamsize>(image.size() - 7));
  auto m = Model::Open(tmp.Sub("t.efm"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("truncated"), std::string::npos) << m.status().ToString();
  EXPECT_FALSE(Model::Open(tmp.Sub("missing.efm")).ok());
}

TEST(Efm, FlippedByteFailsTheChecksum) {
  std::string image = Image();
  for (size_t i = kEfmChecksumFrom; i < image.size(); i += 7) {
    std::string bad = image;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    auto m = Model::FromBytes(bad, "flip");
    ASSERT_FALSE(m.ok()) << "offset " << i;
    EXPECT_NE(m.status().message().find("checksum"), std::string::npos) << m.status().ToString();
  }
}

TEST(Efm, BadMagicAndVersion) {
  std::string image = Image();
  std::string bad = image;
  bad[0] = 'X';
  auto m = Model::FromBytes(bad, "magic");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("magic"), std::string::npos);
  bad = image;
  bad[4] = 9;
  m = Model::FromBytes(bad, "version");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("version 9"), std::string::npos) << m.status().ToString();
}

// Random damage behind a repaired checksum reaches the record parser and the
// graph validation: each image is either rejected or loads a valid graph.
TEST(Efm, RandomDamageWithValidChecksumNeverCrashes) {
  std::string image = Image();
  uint64_t seed = std::random_device{}();
  std::mt19937_64 rng(seed);
  int rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string bad = image;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      size_t at = kEfmChecksumFrom + rng() % (bad.size() - kEfmChecksumFrom);
      bad[at] = static_cast<char>(rng());
    }
    FixChecksum(&bad);
    auto m = Model::FromBytes(bad, "fuzz");
    if (!m.ok()) {
      ++rejected;
      continue;
    }
    Interpreter interp((*m)->graph(), {1, false});
    (void)interp.Run({{"x", Input()}});  // may fail; must not crash
  }
  EXPECT_GT(rejected, 0) << "seed " << seed;
}

TEST(Efm, WeightOutsideItsSectionIsRejected) {
  Graph g = SmallGraph();
  auto image = SerializeEfm(g);
  ASSERT_TRUE(image.ok());
  // Shrink the weights section in the section table (entry 1, bytes field).
  std::string bad = *image;
  uint64_t len;
  std::memcpy(&len, &bad[kEfmHeaderBytes + kEfmSectionEntryBytes + 16], 8);
  len -= 8;
  std::memcpy(&bad[kEfmHeaderBytes + kEfmSectionEntryBytes + 16], &len, 8);
  FixChecksum(&bad);
  auto m = Model::FromBytes(bad, "short");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("outside the weights section"), std::string::npos) << m.status().ToString();
}

TEST(Efm, WriterRefusesInvalidGraphs) {
  Graph g = SmallGraph();
  g.nodes[1].inputs[0] = "nowhere";
  auto s = SerializeEfm(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("'nowhere'"), std::string::npos) << s.status().ToString();
  g = SmallGraph();
  g.nodes[2].op = "Frobnicate";
  s = SerializeEfm(g);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("Frobnicate"), std::string::npos);
}

}  // namespace
}  // namespace edgeflow::infer
