// Every reference kernel against inputs it was not written for: each op in
// the registry runs on seeded random input counts (0 to 8), ranks (0 to 5),
// dimension sizes (including 0), dtypes, values (now and then NaN, infinity
// or an int64 extreme), shapes shared between inputs (so that shape checks
// pass and the loops run) and common attributes. A kernel may refuse with
// a Status or compute something; it must never read or write out of bounds
// (run under ASan in `make test SANITIZE=1`), never crash and never produce
// an output whose storage does not match its shape. The device meets such
// inputs from a constant-folded hostile model or a wrongly shaped input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "infer/kernels.h"

namespace edgeflow::infer {
namespace {

constexpr DType kDTypes[] = {DType::kFloat32, DType::kFloat32, DType::kFloat32, DType::kInt64, DType::kInt64,
                             DType::kInt32,   DType::kInt8,    DType::kBool,    DType::kUint8, DType::kFloat64,
                             DType::kInt16};

std::vector<int64_t> RandomShape(std::mt19937* rng) {
  std::uniform_int_distribution<int> rank_d(0, 5), dim_d(0, 4);
  std::vector<int64_t> shape(static_cast<size_t>(rank_d(*rng)));
  for (auto& d : shape) d = (*rng)() % 8 == 0 ? 0 : dim_d(*rng) + 1;
  return shape;
}

// A small tensor of the given shape; integer values mostly stay in [-3, 3] so
// that an input read as a shape, an index or a count asks for little memory.
// One value in 64 is special: NaN, +-infinity, 1e30 for floats, an int64 or
// int32 extreme or 2^40 for integers (each of them too large for any shape
// the kernels accept, so none makes a kernel allocate much).
Tensor RandomTensor(std::mt19937* rng, std::vector<int64_t> shape, const DType* dtype = nullptr) {
  std::uniform_int_distribution<int> dtype_d(0, std::size(kDTypes) - 1);
  Tensor t(dtype ? *dtype : kDTypes[dtype_d(*rng)], shape);
  std::uniform_int_distribution<int> v(-3, 3);
  constexpr float kFloats[] = {NAN, INFINITY, -INFINITY, 1e30f};
  constexpr int64_t kInts[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                               std::numeric_limits<int32_t>::min(), int64_t{1} << 40};
  for (int64_t i = 0; i < t.size(); ++i) {
    bool special = (*rng)() % 64 == 0;
    unsigned pick = (*rng)() % 4;
    switch (t.dtype()) {
      case DType::kFloat32: t.data<float>()[i] = special ? kFloats[pick] : static_cast<float>(v(*rng)) * 0.75f; break;
      case DType::kInt64: t.data<int64_t>()[i] = special ? kInts[pick] : v(*rng); break;
      case DType::kInt32:
        t.data<int32_t>()[i] = special ? std::numeric_limits<int32_t>::min() + static_cast<int32_t>(pick % 2)
                                       : v(*rng);
        break;
      case DType::kInt8: t.data<int8_t>()[i] = static_cast<int8_t>(v(*rng)); break;
      case DType::kInt16: t.data<int16_t>()[i] = special ? std::numeric_limits<int16_t>::min() : static_cast<int16_t>(v(*rng)); break;
      case DType::kBool: t.data<uint8_t>()[i] = static_cast<uint8_t>(v(*rng) > 0); break;
      case DType::kUint8: t.data<uint8_t>()[i] = static_cast<uint8_t>(special ? 255 : v(*rng) + 3); break;
      case DType::kFloat64: t.data<double>()[i] = special ? kFloats[pick] : v(*rng) * 0.75; break;
      default: break;
    }
  }
  return t;
}

// One of `options`, chosen by rng.
template <size_t N>
std::string Pick(const char* const (&options)[N], std::mt19937* rng) {
  return options[(*rng)() % N];
}

// Attributes many ops read, each present with probability 1/3.
void AddRandomAttributes(Node* n, std::mt19937* rng) {
  std::uniform_int_distribution<int> small(-4, 4), pos(1, 3), len(0, 4);
  auto maybe = [&] { return (*rng)() % 3 == 0; };
  auto list = [&](bool positive) {
    std::vector<int64_t> v(static_cast<size_t>(len(*rng)));
    for (auto& x : v) x = positive ? pos(*rng) : small(*rng);
    return v;
  };
  if (maybe()) n->attrs["axis"] = Attribute::Int(small(*rng));
  if (maybe()) n->attrs["axes"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["perm"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["keepdims"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["kernel_shape"] = Attribute::Ints(list(true));
  if (maybe()) n->attrs["strides"] = Attribute::Ints(list(true));
  if (maybe()) n->attrs["pads"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["dilations"] = Attribute::Ints(list(true));
  if (maybe()) n->attrs["group"] = Attribute::Int(pos(*rng));
  if (maybe()) n->attrs["transA"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["transB"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["split"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["to"] = Attribute::Int(1 + (*rng)() % 9);
  if (maybe()) n->attrs["hidden_size"] = Attribute::Int(pos(*rng));
  if (maybe()) n->attrs["largest"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["k"] = Attribute::Int(small(*rng));
  if (maybe()) n->attrs["ceil_mode"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["count_include_pad"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["allowzero"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["noop_with_empty_axes"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["select_last_index"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["linear_before_reset"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["layout"] = Attribute::Int((*rng)() % 2);
  if (maybe()) n->attrs["start"] = Attribute::Int(small(*rng));
  if (maybe()) n->attrs["end"] = Attribute::Int(small(*rng));
  if (maybe()) n->attrs["shape"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["starts"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["ends"] = Attribute::Ints(list(false));
  if (maybe()) n->attrs["clip"] = Attribute::Float(static_cast<float>(small(*rng)));
  if (maybe()) n->attrs["min"] = Attribute::Float(static_cast<float>(small(*rng)));
  if (maybe()) n->attrs["max"] = Attribute::Float(static_cast<float>(small(*rng)));
  if (maybe()) {
    n->attrs["activation_min"] = Attribute::Float(static_cast<float>(small(*rng)));
    n->attrs["activation_max"] = Attribute::Float(static_cast<float>(small(*rng)));
  }
  static const char* const kAutoPad[] = {"NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"};
  static const char* const kMode[] = {"constant", "reflect", "edge", "nearest", "linear"};
  static const char* const kCtm[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                                     "tf_half_pixel_for_nearest"};
  static const char* const kNearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  static const char* const kDirection[] = {"forward", "reverse", "bidirectional"};
  static const char* const kActivations[] = {"Relu", "Sigmoid,Tanh", "Sigmoid,Tanh,Tanh", "Tanh,Tanh"};
  if (maybe()) n->attrs["auto_pad"] = Attribute::String(Pick(kAutoPad, rng));
  if (maybe()) n->attrs["mode"] = Attribute::String(Pick(kMode, rng));
  if (maybe()) n->attrs["coordinate_transformation_mode"] = Attribute::String(Pick(kCtm, rng));
  if (maybe()) n->attrs["nearest_mode"] = Attribute::String(Pick(kNearest, rng));
  if (maybe()) n->attrs["direction"] = Attribute::String(Pick(kDirection, rng));
  if (maybe()) n->attrs["activations"] = Attribute::String(Pick(kActivations, rng));
  if (maybe()) {  // ConstantOfShape's value: usually one element, sometimes none or two
    Attribute a;
    a.kind = Attribute::Kind::kTensor;
    a.t = RandomTensor(rng, {static_cast<int64_t>((*rng)() % 3)});
    n->attrs["value"] = a;
  }
}

// Input i of a case: a tensor of the first input's shape (so that
// elementwise, MatMul and normalisation checks pass), a 1-D integer tensor as
// long as that shape's rank (shapes, axes, pads, repeats) or a tensor of a
// random shape. Of type `dtype` if given (most kernels want one type).
Tensor RandomInput(std::mt19937* rng, const std::vector<int64_t>& first_shape, int i, const DType* dtype) {
  switch ((*rng)() % 4) {
    case 0:
      if (i > 0) return RandomTensor(rng, first_shape, dtype);
      break;
    case 1:
      if (i > 0) {
        Tensor t(DType::kInt64, {static_cast<int64_t>(first_shape.size()) * (1 + static_cast<int64_t>((*rng)() % 2))});
        std::uniform_int_distribution<int> v(-1, 4);
        for (int64_t k = 0; k < t.size(); ++k) t.data<int64_t>()[k] = v(*rng);
        return t;
      }
      break;
    default: break;
  }
  return RandomTensor(rng, RandomShape(rng), dtype);
}

TEST(KernelRobustness, EveryOpRefusesOrComputesOnHostileInputs) {
  constexpr int kCasesPerOp = 300;
  int ran = 0, refused = 0;
  std::string never_computed;
  for (const std::string& op : SupportedOps()) {
    int computed = 0;
    const KernelInfo* k = FindKernel(op);
    ASSERT_NE(k, nullptr) << op;
    std::mt19937 rng(static_cast<uint32_t>(std::hash<std::string>()(op)));
    for (int c = 0; c < kCasesPerOp; ++c) {
      Node n;
      n.name = "fuzz";
      n.op = op;
      n.opset = 11 + static_cast<int64_t>(rng() % 7);
      AddRandomAttributes(&n, &rng);
      if (!k->check(n).ok()) continue;
      SCOPED_TRACE(op + " case " + std::to_string(c));
      int num_inputs = static_cast<int>(rng() % 9);
      std::vector<Tensor> storage;
      storage.reserve(static_cast<size_t>(num_inputs));
      KernelInputs in;
      std::vector<int64_t> first_shape;
      const DType float32 = DType::kFloat32;
      const DType* dtype = rng() % 2 ? &float32 : nullptr;  // half the cases all float32
      for (int i = 0; i < num_inputs; ++i) {
        if (rng() % 10 == 0) {
          in.push_back(nullptr);  // an omitted optional input
          n.inputs.push_back("");
          continue;
        }
        storage.push_back(RandomInput(&rng, first_shape, i, dtype));
        if (i == 0) first_shape = storage.back().shape();
        in.push_back(&storage.back());
        n.inputs.push_back("in" + std::to_string(i));
      }
      n.outputs = {"y", "y2", "y3"};
      n.outputs.resize(1 + rng() % 3);
      std::vector<std::vector<uint8_t>> before;
      for (const Tensor& t : storage) before.emplace_back(t.raw(), t.raw() + t.bytes());
      std::vector<Tensor> out;
      Status s = k->run(n, in, &out);
      ++ran;
      for (size_t i = 0; i < storage.size(); ++i) {
        EXPECT_EQ(before[i], std::vector<uint8_t>(storage[i].raw(), storage[i].raw() + storage[i].bytes()))
            << "input " << i << " was written";
      }
      if (!s.ok()) {
        ++refused;
        EXPECT_NE(s.message().find(n.Describe()), std::string::npos) << "the error does not name the node: "
                                                                      << s.message();
        continue;
      }
      ++computed;
      EXPECT_FALSE(out.empty());
      for (const Tensor& t : out) {
        int64_t elements = 1;
        for (int64_t d : t.shape()) elements *= d;
        EXPECT_EQ(elements, t.size()) << op << " output " << t.ShapeString();
      }
    }
    if (computed == 0) never_computed += " " + op;
  }
  std::printf("kernel robustness: %d cases run, %d refused with a Status; never computed:%s\n", ran, refused,
              never_computed.empty() ? " none" : never_computed.c_str());
  EXPECT_GT(ran, 1000);
}

// ------------------------------------------------- mutations of valid cases

// The random sweep above rarely gets past the checks of ops with many
// related inputs (Conv, Gemm, BatchNormalization, LSTM, ...). Here each op
// starts from a valid case and every run changes one to three things: a dim,
// the rank, a dtype, an input dropped or added, an attribute or a value of an
// integer input (a K, a shape, a pad) set to an edge or an extreme.

struct InputSpec {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::vector<int64_t> values;  // for integer inputs; empty = random values
  bool absent = false;
};

struct Seed {
  std::string op;
  int64_t opset = 13;
  std::map<std::string, Attribute> attrs;
  std::vector<InputSpec> inputs;
  size_t outputs = 1;
};

InputSpec F(std::vector<int64_t> shape) { return {DType::kFloat32, std::move(shape), {}, false}; }
InputSpec I64(std::vector<int64_t> values) {
  return {DType::kInt64, {static_cast<int64_t>(values.size())}, std::move(values), false};
}
InputSpec Absent() { return {DType::kFloat32, {}, {}, true}; }

std::vector<Seed> ValidSeeds() {
  std::vector<Seed> s;
  s.push_back({"Conv", 13, {{"kernel_shape", Attribute::Ints({3, 3})}, {"pads", Attribute::Ints({1, 1, 1, 1})}},
               {F({1, 2, 5, 5}), F({4, 2, 3, 3}), F({4})}});
  s.push_back({"Conv", 13, {{"group", Attribute::Int(2)}, {"strides", Attribute::Ints({2, 2})}}, {F({1, 2, 5, 5}), F({2, 1, 3, 3})}});
  s.push_back({"Conv", 13, {{"auto_pad", Attribute::String("SAME_UPPER")}, {"dilations", Attribute::Ints({2})}},
               {F({1, 2, 7}), F({3, 2, 3})}});
  s.push_back({"MaxPool", 13, {{"kernel_shape", Attribute::Ints({2, 2})}, {"strides", Attribute::Ints({2, 2})}, {"ceil_mode", Attribute::Int(1)}},
               {F({1, 2, 5, 5})}});
  s.push_back({"AveragePool", 13,
               {{"kernel_shape", Attribute::Ints({3, 3})}, {"pads", Attribute::Ints({1, 1, 1, 1})}, {"count_include_pad", Attribute::Int(1)}},
               {F({1, 2, 5, 5})}});
  s.push_back({"GlobalAveragePool", 13, {}, {F({1, 3, 4, 4})}});
  s.push_back({"Gemm", 13, {{"transB", Attribute::Int(1)}}, {F({3, 4}), F({5, 4}), F({5})}});
  s.push_back({"MatMul", 13, {}, {F({2, 3, 4}), F({4, 5}), F({5})}});
  s.push_back({"MatMul", 13, {}, {F({4}), F({4}), F({1})}});
  s.push_back({"BatchNormalization", 13, {}, {F({2, 3, 4, 4}), F({3}), F({3}), F({3}), F({3})}});
  s.push_back({"LayerNormalization", 17, {{"axis", Attribute::Int(-1)}}, {F({2, 3, 4}), F({4}), F({4})}});
  s.push_back({"Softmax", 13, {{"axis", Attribute::Int(1)}}, {F({2, 3, 4})}});
  s.push_back({"LogSoftmax", 11, {{"axis", Attribute::Int(1)}}, {F({2, 3, 4})}});
  InputSpec lens{DType::kInt32, {2}, {5, 3}, false};
  s.push_back({"LSTM", 14, {{"hidden_size", Attribute::Int(4)}},
               {F({5, 2, 3}), F({1, 16, 3}), F({1, 16, 4}), F({1, 32}), lens, F({1, 2, 4}), F({1, 2, 4}),
                F({1, 12})},
               3});
  s.push_back({"GRU", 14,
               {{"hidden_size", Attribute::Int(4)}, {"direction", Attribute::String("bidirectional")}, {"layout", Attribute::Int(1)},
                {"linear_before_reset", Attribute::Int(1)}},
               {F({2, 5, 3}), F({2, 12, 3}), F({2, 12, 4}), F({2, 24}), Absent(), F({2, 2, 4})},
               2});
  s.push_back({"RNN", 14, {{"hidden_size", Attribute::Int(4)}, {"direction", Attribute::String("reverse")}, {"clip", Attribute::Float(1.5f)}},
               {F({5, 2, 3}), F({1, 4, 3}), F({1, 4, 4})},
               2});
  s.push_back({"Resize", 13, {{"mode", Attribute::String("linear")}}, {F({1, 1, 2, 3}), Absent(), InputSpec{DType::kFloat32, {4}, {1, 1, 2, 2}, false}}});
  s.push_back({"Resize", 13, {}, {F({1, 1, 2, 3}), Absent(), Absent(), I64({1, 1, 3, 5})}});
  s.push_back({"TopK", 13, {{"axis", Attribute::Int(1)}}, {F({3, 4}), I64({2})}, 2});
  s.push_back({"ArgMax", 13, {{"axis", Attribute::Int(1)}, {"keepdims", Attribute::Int(0)}}, {F({3, 4})}});
  s.push_back({"ReduceSum", 13, {}, {F({2, 3, 4}), I64({1})}});
  s.push_back({"ReduceMean", 13, {{"axes", Attribute::Ints({0, 2})}}, {InputSpec{DType::kInt64, {2, 3, 4}, {}, false}}});
  s.push_back({"Slice", 13, {}, {F({4, 5}), I64({1, 0}), I64({3, 5}), I64({0, 1}), I64({1, 2})}});
  s.push_back({"Pad", 13, {{"mode", Attribute::String("reflect")}}, {F({2, 3}), I64({1, 0, 1, 2})}});
  s.push_back({"Pad", 13, {}, {InputSpec{DType::kInt8, {2, 3}, {}, false}, I64({0, 1, 1, 0}),
                               InputSpec{DType::kInt8, {1}, {-5}, false}}});
  s.push_back({"QuantizeLinear", 13, {{"axis", Attribute::Int(1)}},
               {F({2, 3}), F({3}), InputSpec{DType::kUint8, {3}, {0, 1, 2}, false}}});
  s.push_back({"DequantizeLinear", 13, {}, {InputSpec{DType::kInt8, {2, 3}, {}, false}, F({1})}});
  s.push_back({"Gather", 13, {{"axis", Attribute::Int(0)}}, {F({4, 3}), I64({3, -1})}});
  s.push_back({"Split", 13, {{"axis", Attribute::Int(0)}}, {F({6, 2}), I64({2, 4})}, 2});
  s.push_back({"Concat", 13, {{"axis", Attribute::Int(1)}}, {F({2, 3}), F({2, 1}), F({2, 0})}});
  s.push_back({"Transpose", 13, {{"perm", Attribute::Ints({2, 0, 1})}}, {F({2, 3, 4})}});
  s.push_back({"Expand", 13, {}, {F({3, 1}), I64({2, 3, 4})}});
  s.push_back({"Tile", 13, {}, {F({2, 3}), I64({2, 1})}});
  s.push_back({"Reshape", 13, {}, {F({2, 3, 4}), I64({4, -1, 2})}});
  s.push_back({"Squeeze", 13, {}, {F({2, 1, 4}), I64({1})}});
  s.push_back({"Unsqueeze", 13, {}, {F({2, 4}), I64({0, 3})}});
  s.push_back({"Flatten", 13, {{"axis", Attribute::Int(2)}}, {F({2, 3, 4})}});
  s.push_back({"Shape", 15, {{"start", Attribute::Int(1)}}, {F({2, 3, 4})}});
  s.push_back({"ConstantOfShape", 13, {}, {I64({2, 3})}});
  s.push_back({"Where", 13, {}, {InputSpec{DType::kBool, {2, 1}, {1, 0}, false}, F({2, 3}), F({1, 3})}});
  s.push_back({"Clip", 13, {}, {InputSpec{DType::kInt64, {2, 3}, {}, false}, I64({-1}), I64({2})}});
  s.push_back({"Cast", 13, {{"to", Attribute::Int(3)}}, {F({2, 3})}});
  s.push_back({"Add", 13, {}, {InputSpec{DType::kInt64, {2, 9}, {}, false}, InputSpec{DType::kInt64, {9}, {}, false}}});
  s.push_back({"Div", 13, {}, {InputSpec{DType::kInt32, {2, 3}, {}, false}, InputSpec{DType::kInt32, {3}, {}, false}}});
  s.push_back({"Pow", 13, {}, {F({2, 3}), I64({2})}});
  s.push_back({"Neg", 13, {}, {InputSpec{DType::kInt64, {4}, {}, false}}});
  s.push_back({"Mean", 13, {}, {F({2, 3}), F({3}), F({1, 1})}});
  return s;
}

Tensor Materialize(const InputSpec& spec, std::mt19937* rng) {
  Tensor t = RandomTensor(rng, spec.shape, &spec.dtype);
  if (!spec.values.empty()) {
    for (int64_t i = 0; i < t.size(); ++i) {
      int64_t v = spec.values[static_cast<size_t>(i) % spec.values.size()];
      switch (t.dtype()) {
        case DType::kInt64: t.data<int64_t>()[i] = v; break;
        case DType::kInt32: t.data<int32_t>()[i] = static_cast<int32_t>(v); break;
        case DType::kInt8: t.data<int8_t>()[i] = static_cast<int8_t>(v); break;
        case DType::kInt16: t.data<int16_t>()[i] = static_cast<int16_t>(v); break;
        case DType::kUint8:
        case DType::kBool: t.data<uint8_t>()[i] = static_cast<uint8_t>(v); break;
        case DType::kFloat32: t.data<float>()[i] = static_cast<float>(v); break;
        case DType::kFloat64: t.data<double>()[i] = static_cast<double>(v); break;
      }
    }
  }
  return t;
}

int64_t EdgeValue(int64_t v, std::mt19937* rng) {
  v = std::clamp<int64_t>(v, -(int64_t{1} << 40), int64_t{1} << 40);  // an earlier mutation may have set an extreme
  const int64_t options[] = {0, 1, -1, v + 1, v - 1, 2 * v, int64_t{1} << 40, std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max()};
  return options[(*rng)() % std::size(options)];
}

void Mutate(Seed* c, std::mt19937* rng) {
  auto& ins = c->inputs;
  auto any_input = [&]() -> InputSpec* { return ins.empty() ? nullptr : &ins[(*rng)() % ins.size()]; };
  switch ((*rng)() % 7) {
    case 0:  // one dim
      if (InputSpec* in = any_input(); in && !in->shape.empty()) {
        int64_t& d = in->shape[(*rng)() % in->shape.size()];
        const int64_t options[] = {0, 1, d + 1, std::max<int64_t>(d - 1, 0), std::min<int64_t>(2 * d, 16)};
        d = options[(*rng)() % std::size(options)];
      }
      break;
    case 1:  // the rank
      if (InputSpec* in = any_input()) {
        if (!in->shape.empty() && (*rng)() % 2) in->shape.pop_back();
        else in->shape.insert(in->shape.begin(), 1 + static_cast<int64_t>((*rng)() % 2));
      }
      break;
    case 2:  // a dtype
      if (InputSpec* in = any_input()) in->dtype = kDTypes[(*rng)() % std::size(kDTypes)];
      break;
    case 3:  // an input omitted
      if (InputSpec* in = any_input()) in->absent = true;
      break;
    case 4:  // one input fewer or more
      if (!ins.empty() && (*rng)() % 2) ins.pop_back();
      else ins.push_back(F(RandomShape(rng)));
      break;
    case 5:  // an attribute
      if (!c->attrs.empty()) {
        auto it = c->attrs.begin();
        std::advance(it, static_cast<long>((*rng)() % c->attrs.size()));
        Attribute& a = it->second;
        if (a.kind == Attribute::Kind::kInt) {
          a.i = EdgeValue(a.i, rng);
        } else if (a.kind == Attribute::Kind::kInts) {
          if (!a.ints.empty() && (*rng)() % 3) a.ints[(*rng)() % a.ints.size()] = EdgeValue(a.ints[0], rng);
          else if ((*rng)() % 2 && !a.ints.empty()) a.ints.pop_back();
          else a.ints.push_back(EdgeValue(1, rng));
        } else if (a.kind == Attribute::Kind::kFloat) {
          const float options[] = {0.0f, -1.0f, NAN, INFINITY, 1e30f};
          a.f = options[(*rng)() % std::size(options)];
        }
      }
      break;
    default:  // a value of an integer input
      if (InputSpec* in = any_input(); in && !in->values.empty()) {
        int64_t& v = in->values[(*rng)() % in->values.size()];
        v = EdgeValue(v, rng);
      }
      break;
  }
}

TEST(KernelRobustness, MutationsOfValidCasesRefuseOrCompute) {
  constexpr int kMutationsPerSeed = 400;
  int ran = 0, refused = 0;
  for (const Seed& seed : ValidSeeds()) {
    const KernelInfo* k = FindKernel(seed.op);
    ASSERT_NE(k, nullptr) << seed.op;
    std::mt19937 rng(static_cast<uint32_t>(std::hash<std::string>()(seed.op)) + static_cast<uint32_t>(ran));
    for (int m = 0; m <= kMutationsPerSeed; ++m) {
      Seed c = seed;
      int mutations = m == 0 ? 0 : 1 + static_cast<int>(rng() % 3);  // case 0: the seed itself
      for (int i = 0; i < mutations; ++i) Mutate(&c, &rng);
      Node n;
      n.name = "mutant";
      n.op = c.op;
      n.opset = c.opset;
      n.attrs = c.attrs;
      n.outputs = {"y", "y2", "y3"};
      n.outputs.resize(c.outputs);
      SCOPED_TRACE(seed.op + " mutation " + std::to_string(m));
      if (!k->check(n).ok()) continue;
      std::vector<Tensor> storage;
      storage.reserve(c.inputs.size());
      KernelInputs in;
      for (const InputSpec& spec : c.inputs) {
        if (spec.absent) {
          in.push_back(nullptr);
          n.inputs.push_back("");
          continue;
        }
        storage.push_back(Materialize(spec, &rng));
        in.push_back(&storage.back());
        n.inputs.push_back("in");
      }
      std::vector<Tensor> out;
      Status s = k->run(n, in, &out);
      ++ran;
      if (m == 0) {
        EXPECT_TRUE(s.ok()) << "the valid seed fails: " << s.ToString();
        continue;
      }
      if (!s.ok()) {
        ++refused;
        EXPECT_NE(s.message().find(n.Describe()), std::string::npos) << "the error does not name the node: "
                                                                      << s.message();
        continue;
      }
      for (const Tensor& t : out) {
        int64_t elements = 1;
        for (int64_t d : t.shape()) elements *= d;
        EXPECT_EQ(elements, t.size()) << " output " << t.ShapeString();
      }
    }
  }
  std::printf("kernel mutations: %d cases run, %d refused with a Status\n", ran, refused);
}

// ------------------------------------------------- regressions, exact inputs

Tensor Floats(std::vector<int64_t> shape, std::vector<float> v) {
  Tensor t(DType::kFloat32, std::move(shape));
  for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = v[static_cast<size_t>(i)];
  return t;
}

Tensor Int64s(std::vector<int64_t> v) {
  Tensor t(DType::kInt64, {static_cast<int64_t>(v.size())});
  for (int64_t i = 0; i < t.size(); ++i) t.data<int64_t>()[i] = v[static_cast<size_t>(i)];
  return t;
}

Node MakeNode(const std::string& op, std::map<std::string, Attribute> attrs = {}, size_t outputs = 1) {
  Node n;
  n.name = "case";
  n.op = op;
  n.opset = 13;
  n.attrs = std::move(attrs);
  n.outputs = {"y", "y2", "y3"};
  n.outputs.resize(outputs);
  return n;
}

Result<std::vector<Tensor>> RunKernel(const Node& n, const KernelInputs& in) {
  std::vector<Tensor> out;
  EF_RETURN_IF_ERROR(FindKernel(n.op)->run(n, in, &out));
  return out;
}

// Refused, with a message naming the node.
void ExpectRefused(const Node& n, const KernelInputs& in) {
  auto r = RunKernel(n, in);
  ASSERT_FALSE(r.ok()) << n.op;
  EXPECT_NE(r.status().message().find(n.Describe()), std::string::npos) << r.status().message();
}

TEST(KernelRobustness, TransposeRefusesARepeatedAxisInPerm) {
  Tensor x = Floats({2, 3}, {0, 1, 2, 3, 4, 5});
  ExpectRefused(MakeNode("Transpose", {{"perm", Attribute::Ints({0, 0})}}), {&x});  // read past x before
}

TEST(KernelRobustness, SplitRefusesANegativeSizeBalancedByAnOversizedOne) {
  Tensor x = Floats({2}, {1, 2});
  ExpectRefused(MakeNode("Split", {{"split", Attribute::Ints({3, -1})}}, 2), {&x});  // sums to 2; read past x before
}

TEST(KernelRobustness, MatMulOfTwoVectorsTakesAOneValueBias) {
  Tensor a = Floats({3}, {1, 2, 3}), b = Floats({3}, {4, 5, 6}), bias = Floats({1}, {0.5f});
  auto r = RunKernel(MakeNode("MatMul"), {&a, &b, &bias});  // y.dim(-1) of the scalar product before
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)[0].rank(), 0);
  EXPECT_FLOAT_EQ((*r)[0].data<float>()[0], 32.5f);
}

TEST(KernelRobustness, ArgMaxAndTopKRefuseNothingToChooseFrom) {
  Tensor x(DType::kFloat32, {2, 0});
  ExpectRefused(MakeNode("ArgMax", {{"axis", Attribute::Int(1)}}), {&x});  // read x[0] of an empty x before
  Tensor y = Floats({2}, {1, 2});
  Tensor no_k(DType::kInt64, {0});
  ExpectRefused(MakeNode("TopK", {}, 2), {&y, &no_k});  // read K[0] of an empty K before
}

TEST(KernelRobustness, AScalarHasNoAxis) {
  Tensor s = Floats({}, {1});
  ExpectRefused(MakeNode("Concat", {{"axis", Attribute::Int(0)}}), {&s, &s});
  ExpectRefused(MakeNode("ArgMax", {{"axis", Attribute::Int(0)}}), {&s});
  ExpectRefused(MakeNode("Softmax", {{"axis", Attribute::Int(0)}}), {&s});
  Tensor axes = Int64s({0});
  ExpectRefused(MakeNode("ReduceSum"), {&s, &axes});
}

TEST(KernelRobustness, ShapesFromValuesAreChecked) {
  Tensor x = Floats({1}, {1});
  Tensor negative = Int64s({2, -3}), huge = Int64s({int64_t{1} << 40, int64_t{1} << 40, 0, 1 << 20});
  ExpectRefused(MakeNode("ConstantOfShape"), {&negative});
  ExpectRefused(MakeNode("Expand"), {&x, &negative});
  Tensor too_big = Int64s({int64_t{1} << 20, int64_t{1} << 20});
  ExpectRefused(MakeNode("ConstantOfShape"), {&too_big});
  Tensor tile_x = Floats({2}, {1, 2}), reps = Int64s({-2});
  ExpectRefused(MakeNode("Tile"), {&tile_x, &reps});
  Tensor pads = Int64s({std::numeric_limits<int64_t>::max(), 1});
  ExpectRefused(MakeNode("Pad"), {&tile_x, &pads});
  // Dims of 2^40 next to a 0 would overflow counting the elements: refused too;
  // a modest empty shape is fine.
  ExpectRefused(MakeNode("ConstantOfShape"), {&huge});
  Tensor empty_shape = Int64s({1 << 20, 0, 3});
  auto r = RunKernel(MakeNode("ConstantOfShape"), {&empty_shape});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].size(), 0);
  Attribute empty;
  empty.kind = Attribute::Kind::kTensor;
  empty.t = Tensor(DType::kFloat32, {0});
  Tensor shape = Int64s({2});
  ExpectRefused(MakeNode("ConstantOfShape", {{"value", empty}}), {&shape});  // read value[0] before
}

TEST(KernelRobustness, ResizeRefusesToGrowAnEmptyAxis) {
  Tensor x(DType::kFloat32, {1, 1, 0, 3});
  Tensor sizes = Int64s({1, 1, 2, 3});
  ExpectRefused(MakeNode("Resize"), {&x, nullptr, nullptr, &sizes});  // read x[-1] before
}

TEST(KernelRobustness, SliceTakesExtremeSteps) {
  Tensor x = Floats({5}, {0, 1, 2, 3, 4});
  const int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  Tensor st = Int64s({0}), en = Int64s({kMax}), ax = Int64s({0}), step = Int64s({kMax});
  auto r = RunKernel(MakeNode("Slice"), {&x, &st, &en, &ax, &step});  // e - s + step overflowed before
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)[0].ShapeString(), "[1]");
  EXPECT_EQ((*r)[0].data<float>()[0], 0);
  Tensor st2 = Int64s({-1}), en2 = Int64s({kMin}), step2 = Int64s({kMin});
  r = RunKernel(MakeNode("Slice"), {&x, &st2, &en2, &ax, &step2});  // -step overflowed before
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)[0].ShapeString(), "[1]");
  EXPECT_EQ((*r)[0].data<float>()[0], 4);
}

TEST(KernelRobustness, IntegerArithmeticWrapsAround) {
  const int64_t kMax = std::numeric_limits<int64_t>::max(), kMin = std::numeric_limits<int64_t>::min();
  Tensor max = Int64s({kMax}), one = Int64s({1}), min = Int64s({kMin}), minus_one = Int64s({-1});
  auto value = [](const Result<std::vector<Tensor>>& r) { return r.ok() ? (*r)[0].data<int64_t>()[0] : -7; };
  EXPECT_EQ(value(RunKernel(MakeNode("Add"), {&max, &one})), kMin);
  EXPECT_EQ(value(RunKernel(MakeNode("Sub"), {&min, &one})), kMax);
  EXPECT_EQ(value(RunKernel(MakeNode("Mul"), {&max, &max})), 1);
  EXPECT_EQ(value(RunKernel(MakeNode("Div"), {&min, &minus_one})), kMin);
  EXPECT_EQ(value(RunKernel(MakeNode("Neg"), {&min})), kMin);
  EXPECT_EQ(value(RunKernel(MakeNode("Abs"), {&min})), kMin);
  EXPECT_EQ(value(RunKernel(MakeNode("Pow"), {&max, &max})), kMax);  // saturates: a cast of 1e300 before
}

TEST(KernelRobustness, FloatToIntegerSaturatesAndNaNIsZero) {
  Tensor x = Floats({4}, {NAN, 1e30f, -1e30f, -2.5f});
  auto cast = [&](int64_t to) { return RunKernel(MakeNode("Cast", {{"to", Attribute::Int(to)}}), {&x}); };
  auto i32 = cast(6);
  ASSERT_TRUE(i32.ok());
  const int32_t* p = (*i32)[0].data<int32_t>();
  EXPECT_EQ(p[0], 0);
  EXPECT_EQ(p[1], std::numeric_limits<int32_t>::max());
  EXPECT_EQ(p[2], std::numeric_limits<int32_t>::min());
  EXPECT_EQ(p[3], -2);
  auto u8 = cast(2);
  ASSERT_TRUE(u8.ok());
  EXPECT_EQ((*u8)[0].data<uint8_t>()[3], 0);
  // Integers narrow by wrapping, as numpy does: 300 -> 44.
  Tensor big = Int64s({300});
  auto i8 = RunKernel(MakeNode("Cast", {{"to", Attribute::Int(3)}}), {&big});
  ASSERT_TRUE(i8.ok());
  EXPECT_EQ((*i8)[0].data<int8_t>()[0], 44);
  // A float index is read through AsInt: NaN is index 0, not undefined.
  Tensor data = Floats({2}, {5, 6}), nan_index = Floats({1}, {NAN});
  auto g = RunKernel(MakeNode("Gather"), {&data, &nan_index});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ((*g)[0].data<float>()[0], 5);
  // QuantizeLinear with a zero scale: 0 / 0 is NaN, stored as 0.
  Tensor zero = Floats({1}, {0}), zero_scale = Floats({1}, {0});
  auto q = RunKernel(MakeNode("QuantizeLinear"), {&zero, &zero_scale});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ((*q)[0].data<uint8_t>()[0], 0);
}

TEST(KernelRobustness, PadOfInt8TakesANegativeValue) {
  Tensor x(DType::kInt8, {1});
  x.data<int8_t>()[0] = 7;
  Tensor pads = Int64s({1, 0});
  Tensor value(DType::kInt8, {1});
  value.data<int8_t>()[0] = -5;  // was cast to uint8 from a negative double before
  auto r = RunKernel(MakeNode("Pad"), {&x, &pads, &value});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].data<int8_t>()[0], -5);
  EXPECT_EQ((*r)[0].data<int8_t>()[1], 7);
}

TEST(KernelRobustness, EmptyIntegerReductionsSaturate) {
  Tensor x(DType::kInt64, {0});
  auto r = RunKernel(MakeNode("ReduceMax"), {&x});  // -inf cast to int64 before
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].data<int64_t>()[0], std::numeric_limits<int64_t>::min());
  r = RunKernel(MakeNode("ReduceMean"), {&x});  // 0 / 0 cast to int64 before
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].data<int64_t>()[0], 0);
}

// layout = 1 holds initial_h as [batch, directions, hidden]: the same run in
// layout 0 with transposed inputs gives the transposed outputs (initial_h was
// read as [directions, batch, hidden] in both layouts before).
TEST(KernelRobustness, RecurrentLayoutOneReadsInitialStateBatchFirst) {
  for (const char* op : {"RNN", "GRU", "LSTM"}) {
    SCOPED_TRACE(op);
    const int64_t S = 3, B = 2, I = 2, H = 2, D = 2, gates = std::string(op) == "LSTM" ? 4 : std::string(op) == "GRU" ? 3 : 1;
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(-1, 1);
    auto fill = [&](std::vector<int64_t> shape) {
      Tensor t(DType::kFloat32, std::move(shape));
      for (int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = u(rng);
      return t;
    };
    Tensor x0 = fill({S, B, I}), w = fill({D, gates * H, I}), r = fill({D, gates * H, H}), h0 = fill({D, B, H}),
           c0 = fill({D, B, H});
    Tensor x1(DType::kFloat32, {B, S, I}), h1(DType::kFloat32, {B, D, H}), c1(DType::kFloat32, {B, D, H});
    for (int64_t s = 0; s < S; ++s)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t i = 0; i < I; ++i) x1.data<float>()[(b * S + s) * I + i] = x0.data<float>()[(s * B + b) * I + i];
    for (int64_t d = 0; d < D; ++d)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t k = 0; k < H; ++k) {
          h1.data<float>()[(b * D + d) * H + k] = h0.data<float>()[(d * B + b) * H + k];
          c1.data<float>()[(b * D + d) * H + k] = c0.data<float>()[(d * B + b) * H + k];
        }
    std::map<std::string, Attribute> attrs = {{"hidden_size", Attribute::Int(H)}, {"direction", Attribute::String("bidirectional")}};
    Node n0 = MakeNode(op, attrs, 2);
    attrs["layout"] = Attribute::Int(1);
    Node n1 = MakeNode(op, attrs, 2);
    bool lstm = std::string(op) == "LSTM";
    KernelInputs in0 = {&x0, &w, &r, nullptr, nullptr, &h0}, in1 = {&x1, &w, &r, nullptr, nullptr, &h1};
    if (lstm) {
      in0.push_back(&c0);
      in1.push_back(&c1);
    }
    auto y0 = RunKernel(n0, in0), y1 = RunKernel(n1, in1);
    ASSERT_TRUE(y0.ok()) << y0.status().ToString();
    ASSERT_TRUE(y1.ok()) << y1.status().ToString();
    const Tensor &yh0 = (*y0)[1], &yh1 = (*y1)[1];  // [D, B, H] and [B, D, H]
    for (int64_t d = 0; d < D; ++d)
      for (int64_t b = 0; b < B; ++b)
        for (int64_t k = 0; k < H; ++k) {
          EXPECT_FLOAT_EQ(yh1.data<float>()[(b * D + d) * H + k], yh0.data<float>()[(d * B + b) * H + k])
              << "d=" << d << " b=" << b << " k=" << k;
        }
  }
}

}  // namespace
}  // namespace edgeflow::infer
