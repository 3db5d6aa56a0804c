// Tests for the model-input transforms (src/pipeline/transform.h) and for
// FeatureValueToJson; number formatting, hashing and the numeric ops are
// checked against CPython (/usr/bin/python3) as the reference.
#include "pipeline/transform.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/feature_value.h"

namespace edgeflow::pipeline {
namespace {

using nlohmann::json;

constexpr const char* kWhere = "features[3].transform";
constexpr const char* kPython = "/usr/bin/python3";

// ---- helpers ----------------------------------------------------------------

Result<std::unique_ptr<Transform>> ParseText(const std::string& text,
                                             const Transform::ResourceReader& reader = {}) {
  return Transform::Parse(json::parse(text), kWhere, reader);
}

std::unique_ptr<Transform> MustParse(const std::string& text,
                                     const Transform::ResourceReader& reader = {}) {
  auto r = ParseText(text, reader);
  EXPECT_TRUE(r.ok()) << text << " -> " << r.status().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

// The message of a parse that must fail with kInvalidArgument.
std::string ParseError(const std::string& text, const Transform::ResourceReader& reader = {}) {
  auto r = ParseText(text, reader);
  if (r.ok()) return "(parsed)";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
  return r.status().message();
}

const char* KindTag(FeatureValue::Kind k) {
  switch (k) {
    case FeatureValue::Kind::kScalar:
      return "scalar ";
    case FeatureValue::Kind::kList:
      return "list ";
    case FeatureValue::Kind::kMap:
      return "map ";
    case FeatureValue::Kind::kTensor:
      return "tensor ";
  }
  return "? ";
}

// "tensor [0.0,1.0]", "list [1,2]", "scalar 3", or "error: <message>".
std::string Applied(const Transform& t, const FeatureValue& in) {
  Result<FeatureValue> r = t.Apply(in);
  if (!r.ok()) {
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    return "error: " + r.status().message();
  }
  return KindTag(r->kind) + FeatureValueToJson(*r);
}

std::string Applied(const std::string& chain, const FeatureValue& in) {
  auto t = MustParse(chain);
  return t ? Applied(*t, in) : "(no transform)";
}

FeatureValue S(Value v) { return FeatureValue::Scalar(std::move(v)); }
FeatureValue L(std::vector<Value> l) {
  FeatureValue f;
  f.kind = FeatureValue::Kind::kList;
  f.list = std::move(l);
  return f;
}
FeatureValue T(std::vector<float> t) {
  FeatureValue f;
  f.kind = FeatureValue::Kind::kTensor;
  f.tensor = std::move(t);
  return f;
}
FeatureValue M(std::vector<std::pair<std::string, double>> m) {
  FeatureValue f;
  f.kind = FeatureValue::Kind::kMap;
  f.map = std::move(m);
  return f;
}
Value I(int64_t v) { return Value::Int(v); }
Value F(double v) { return Value::Float(v); }
Value Str(const char* s) { return Value::Str(s); }

bool HavePython() { return access(kPython, X_OK) == 0; }

// Runs `script` under /usr/bin/python3 with `input` on stdin; its stdout
// split into lines, or nullopt when it fails.
std::optional<std::vector<std::string>> RunPython(const std::string& script,
                                                  const std::string& input) {
  static int counter = 0;
  const std::string base = testing::TempDir() + "transform_test_" + std::to_string(getpid()) + "_" +
                           std::to_string(counter++);
  std::ofstream(base + ".py", std::ios::binary) << script;
  std::ofstream(base + ".in", std::ios::binary) << input;
  const std::string cmd = std::string(kPython) + " " + base + ".py < " + base + ".in";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return std::nullopt;
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  std::remove((base + ".py").c_str());
  std::remove((base + ".in").c_str());
  if (rc != 0) return std::nullopt;
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string HexDouble(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

// UTF-8 of a code point (no surrogates).
std::string Utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

std::string RandomUtf8(std::mt19937_64& rng) {
  static const uint32_t kRanges[][2] = {{0x20, 0x7E},   {0x00, 0x1F},     {0xA0, 0x2FF},
                                        {0x400, 0x4FF}, {0x4E00, 0x9FFF}, {0x1F600, 0x1F64F}};
  std::string s;
  const int len = static_cast<int>(rng() % 12);
  for (int i = 0; i < len; ++i) {
    const auto& r = kRanges[rng() % 6];
    s += Utf8(r[0] + static_cast<uint32_t>(rng() % (r[1] - r[0] + 1)));
  }
  return s;
}

// ---- FeatureValueToJson -------------------------------------------------------

TEST(FeatureValueJson, ScalarsUsePythonSpelling) {
  EXPECT_EQ(FeatureValueToJson(FeatureValue::None()), "null");
  EXPECT_EQ(FeatureValueToJson(S(Value::Bool(true))), "true");
  EXPECT_EQ(FeatureValueToJson(S(Value::Bool(false))), "false");
  EXPECT_EQ(FeatureValueToJson(S(I(-42))), "-42");
  EXPECT_EQ(FeatureValueToJson(S(I(std::numeric_limits<int64_t>::min()))), "-9223372036854775808");
  EXPECT_EQ(FeatureValueToJson(S(F(1))), "1.0");
  EXPECT_EQ(FeatureValueToJson(S(F(0.1 + 0.2))), "0.30000000000000004");
  EXPECT_EQ(FeatureValueToJson(S(F(1e16))), "1e+16");
  EXPECT_EQ(FeatureValueToJson(S(F(1e-5))), "1e-05");
  EXPECT_EQ(FeatureValueToJson(S(F(-0.0))), "-0.0");
  EXPECT_EQ(FeatureValueToJson(S(Value::Json(R"({"a":[1,2]})"))), R"({"a":[1,2]})");
}

TEST(FeatureValueJson, NonFiniteNumbersAreNull) {
  EXPECT_EQ(FeatureValueToJson(S(F(std::nan("")))), "null");
  EXPECT_EQ(FeatureValueToJson(S(F(-INFINITY))), "null");
  EXPECT_EQ(FeatureValueToJson(T({1.0f, NAN, INFINITY})), "[1.0,null,null]");
  EXPECT_EQ(FeatureValueToJson(M({{"a", NAN}})), R"({"a":null})");
}

TEST(FeatureValueJson, StringsAreEscaped) {
  EXPECT_EQ(FeatureValueToJson(S(Str("a\"b\\c\n\t\x01\x7f"))), R"("a\"b\\c\n\t\u0001)"
                                                               "\x7f\"");
  EXPECT_EQ(FeatureValueToJson(S(Str("鞋子"))), "\"鞋子\"");
  EXPECT_EQ(FeatureValueToJson(S(Str("a\xff"
                                     "b"))),
            "\"a\xEF\xBF\xBD"
            "b\"");  // invalid UTF-8
}

TEST(FeatureValueJson, ContainersAreCompactAndMapKeysSorted) {
  EXPECT_EQ(FeatureValueToJson(L({})), "[]");
  EXPECT_EQ(FeatureValueToJson(L({I(1), F(2.5), Str("x"), Value::None(), Value::Bool(true)})),
            R"([1,2.5,"x",null,true])");
  EXPECT_EQ(FeatureValueToJson(M({})), "{}");
  EXPECT_EQ(FeatureValueToJson(M({{"b", 2}, {"a", 0.5}, {"c", 1e20}})),
            R"({"a":0.5,"b":2.0,"c":1e+20})");
  EXPECT_EQ(FeatureValueToJson(T({})), "[]");
}

TEST(FeatureValueJson, TensorFloatsUseShortestFloat32Digits) {
  EXPECT_EQ(FeatureValueToJson(T({0.1f, 1.0f, -2.5f, 1e16f, 1e-5f, 16777216.0f})),
            "[0.1,1.0,-2.5,1e+16,1e-05,16777216.0]");
}

TEST(FeatureValueJson, DoublesMatchPythonRepr) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  std::vector<double> xs = {0.0,
                            -0.0,
                            1.0,
                            -1.0,
                            0.1,
                            0.5,
                            1.5,
                            100.0,
                            1234.5678,
                            4.35,
                            1e-4,
                            1.2345e-4,
                            9.9999e-5,
                            1e15,
                            9999999999999998.0,
                            1e16,
                            1.5e16,
                            1e22,
                            123456789012345680.0,
                            5e-324,
                            2.2250738585072014e-308,
                            DBL_MAX,
                            -DBL_MAX,
                            1e100,
                            2.5e-5,
                            0.001,
                            1.0 / 3.0,
                            2.0 / 3.0,
                            1e21,
                            1e23};
  std::mt19937_64 rng(20240601);
  while (xs.size() < 180) {  // arbitrary bit patterns: every exponent
    const double x = std::bit_cast<double>(rng());
    if (std::isfinite(x)) xs.push_back(x);
  }
  std::uniform_real_distribution<double> unit(-1e4, 1e4);
  for (int i = 0; i < 100; ++i) xs.push_back(unit(rng));
  for (int i = 0; i < 120; ++i) {  // short decimals at every scale, near the format switch
    const int exp = static_cast<int>(rng() % 41) - 20;
    xs.push_back(std::round(unit(rng)) / 1000 * std::pow(10.0, exp));
  }
  std::string input;
  for (double x : xs) input += HexDouble(x) + "\n";
  auto lines =
      RunPython("import sys\nfor l in sys.stdin: print(repr(float.fromhex(l.strip())))\n", input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    EXPECT_EQ(FeatureValueToJson(S(F(xs[i]))), (*lines)[i]) << HexDouble(xs[i]);
  }
}

// The shortest decimal that reads back as the same float32 (ties: the
// nearest), found with exact fractions, formatted by Python's repr.
constexpr const char* kFloat32ShortestPy = R"PY(
import sys, struct
from decimal import Decimal, getcontext
from fractions import Fraction
getcontext().prec = 60
def f32(bits):
    return struct.unpack('<f', struct.pack('<I', bits))[0]
def shortest(bits):
    sign = '-' if bits >> 31 else ''
    b = bits & 0x7fffffff
    if b == 0:
        return sign + '0.0'
    x = Fraction(f32(b))
    prev = Fraction(f32(b - 1))
    nxt = x + (x - prev) if b == 0x7f7fffff else Fraction(f32(b + 1))
    lo, hi = (prev + x) / 2, (x + nxt) / 2
    even = b % 2 == 0
    def reads_back(c):
        c = Fraction(c)
        return lo < c < hi or (even and (c == lo or c == hi))
    for p in range(1, 10):
        d = Decimal('%.*e' % (p - 1, f32(b)))
        ulp = Decimal(1).scaleb(d.adjusted() - (p - 1))
        found = [c for c in (d - ulp, d, d + ulp) if c > 0 and reads_back(c)]
        if found:
            best = min(found, key=lambda c: abs(Fraction(c) - x))
            return sign + repr(float(best))
    raise SystemExit('no shortest form for %08x' % bits)
for line in sys.stdin:
    print(shortest(int(line, 16)))
)PY";

TEST(FeatureValueJson, TensorFloatsMatchPythonShortestFloat32) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  std::vector<float> xs = {0.1f,
                           0.2f,
                           1.0f / 3,
                           3.0f,
                           1e16f,
                           1e-5f,
                           1e-4f,
                           16777216.0f,
                           123456.79f,
                           1e10f,
                           FLT_MAX,
                           FLT_MIN,
                           std::numeric_limits<float>::denorm_min(),
                           -7.5f,
                           0.3f,
                           8388608.0f,
                           33554432.0f,
                           1e15f,
                           1e17f};
  std::mt19937_64 rng(7);
  while (xs.size() < 220) {
    const float x = std::bit_cast<float>(static_cast<uint32_t>(rng()));
    if (std::isfinite(x)) xs.push_back(x);
  }
  std::uniform_real_distribution<float> unit(-100.0f, 100.0f);
  for (int i = 0; i < 80; ++i) xs.push_back(unit(rng));
  std::string input;
  for (float x : xs) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x\n", std::bit_cast<uint32_t>(x));
    input += buf;
  }
  auto lines = RunPython(kFloat32ShortestPy, input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    EXPECT_EQ(FeatureValueToJson(T({xs[i]})), "[" + (*lines)[i] + "]") << HexDouble(xs[i]);
  }
}

TEST(FeatureValueJson, StringsMatchPythonJsonDumps) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  std::mt19937_64 rng(11);
  std::vector<std::string> strings = {"",
                                      "\"",
                                      "\\",
                                      "\x7f",
                                      "\xed\xa0\x80",
                                      "\xe2\x82",
                                      "\xe2\x82"
                                      "a",
                                      "\xf0\x9f\x98",
                                      "\xc0\xaf",
                                      "\xf4\x90\x80\x80",
                                      "\xef\xbb\xbf"};
  for (int i = 0; i < 200; ++i) {
    std::string s = RandomUtf8(rng);
    for (int k = static_cast<int>(rng() % 3); k > 0; --k) {  // break some of them
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng() % (s.size() + 1)),
               static_cast<char>(0x80 + rng() % 0x80));
    }
    strings.push_back(s);
  }
  std::string input;
  for (const std::string& s : strings) {
    for (unsigned char c : s) {
      char buf[3];
      std::snprintf(buf, sizeof buf, "%02x", c);
      input += buf;
    }
    input += "\n";
  }
  auto lines = RunPython(
      "import sys, json\n"
      "for l in sys.stdin:\n"
      "    s = bytes.fromhex(l.strip()).decode('utf-8', 'replace')\n"
      "    sys.stdout.buffer.write(json.dumps(s, ensure_ascii=False).encode('utf-8') + b'\\n')\n",
      input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), strings.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    EXPECT_EQ(FeatureValueToJson(S(Value::Str(strings[i]))), (*lines)[i]) << "string " << i;
  }
}

TEST(FeatureValueJson, ListsAndMapsMatchPythonJsonDumps) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(-1e6, 1e6);
  std::vector<FeatureValue> values;
  std::string input;
  for (int i = 0; i < 60; ++i) {
    FeatureValue list = L({});
    json j = json::array();
    FeatureValue map = M({});
    json m = json::object();
    for (int k = static_cast<int>(rng() % 6); k > 0; --k) {
      switch (rng() % 5) {
        case 0:
          list.list.push_back(I(static_cast<int64_t>(rng())));
          j.push_back(list.list.back().i);
          break;
        case 1:
          list.list.push_back(F(unit(rng) * std::pow(10.0, static_cast<int>(rng() % 30) - 15)));
          j.push_back(list.list.back().f);
          break;
        case 2:
          list.list.push_back(Value::Str(RandomUtf8(rng)));
          j.push_back(list.list.back().s);
          break;
        case 3:
          list.list.push_back(Value::Bool(rng() % 2));
          j.push_back(list.list.back().b);
          break;
        default:
          list.list.push_back(Value::None());
          j.push_back(nullptr);
          break;
      }
      const std::string key = RandomUtf8(rng);
      if (!m.contains(key)) {
        map.map.emplace_back(key, unit(rng));
        m[key] = map.map.back().second;
      }
    }
    values.push_back(list);
    values.push_back(map);
    input += j.dump() + "\n" + m.dump() + "\n";
  }
  auto lines = RunPython(
      "import sys, json\n"
      "for l in sys.stdin:\n"
      "    s = json.dumps(json.loads(l), ensure_ascii=False, sort_keys=True, separators=(',', "
      "':'))\n"
      "    sys.stdout.buffer.write(s.encode('utf-8') + b'\\n')\n",
      input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(FeatureValueToJson(values[i]), (*lines)[i]) << "value " << i;
  }
}

// ---- parsing ----------------------------------------------------------------

TEST(TransformParse, ChainMustBeNonEmptyArrayOfObjectsWithKnownOp) {
  EXPECT_EQ(ParseError(R"({"op":"log1p"})"),
            "features[3].transform: must be a non-empty array of steps");
  EXPECT_EQ(ParseError("[]"), "features[3].transform: must be a non-empty array of steps");
  EXPECT_EQ(ParseError(R"([{"op":"log1p"}, 3])"),
            "features[3].transform[1]: must be an object with an \"op\"");
  EXPECT_EQ(
      ParseError(R"([{"depth":3}])"),
      "features[3].transform[0].op: missing (one of bucketize, hash, vocab, one_hot, multi_hot, "
      "min_max, z_score, log1p, clip, pad, to_tensor)");
  EXPECT_EQ(ParseError(R"([{"op":7}])"), "features[3].transform[0].op: must be a string");
  EXPECT_EQ(
      ParseError(R"([{"op":"log1p"},{"op":"embed"}])"),
      "features[3].transform[1].op: unknown op \"embed\" (one of bucketize, hash, vocab, one_hot, "
      "multi_hot, min_max, z_score, log1p, clip, pad, to_tensor)");
}

TEST(TransformParse, UnknownFieldsAreRejected) {
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":["a"]},{"op":"pad","length":20,"fill":0}])"),
            "features[3].transform[1].fill: unknown field (pad takes length, value, side, keep)");
  EXPECT_EQ(ParseError(R"([{"op":"log1p","base":10}])"),
            "features[3].transform[0].base: unknown field (log1p takes default)");
  EXPECT_EQ(ParseError(R"([{"op":"to_tensor","key":["a"]}])"),
            "features[3].transform[0].key: unknown field (to_tensor takes keys)");
}

TEST(TransformParse, LengthsAndDepthsMustBePositiveIntegers) {
  const char* kBad[] = {
      "0", "-1", "2.5", "20.0", "\"20\"", "true", "null", "[20]", "18446744073709551615"};
  for (const char* bad : kBad) {
    EXPECT_EQ(ParseError(std::string(R"([{"op":"log1p"},{"op":"pad","length":)") + bad + "}]"),
              "features[3].transform[1].length: must be a positive integer")
        << bad;
    EXPECT_EQ(ParseError(std::string(R"([{"op":"one_hot","depth":)") + bad + "}]"),
              "features[3].transform[0].depth: must be a positive integer")
        << bad;
    EXPECT_EQ(ParseError(std::string(R"([{"op":"hash","buckets":)") + bad + "}]"),
              "features[3].transform[0].buckets: must be a positive integer")
        << bad;
  }
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":1048577}])"),
            "features[3].transform[0].length: must be at most 1048576");
  EXPECT_EQ(ParseError(R"([{"op":"multi_hot","depth":4000000}])"),
            "features[3].transform[0].depth: must be at most 1048576");
  EXPECT_EQ(ParseError(R"([{"op":"pad"}])"),
            "features[3].transform[0].length: missing (required by pad)");
  EXPECT_EQ(ParseError(R"([{"op":"one_hot"}])"),
            "features[3].transform[0].depth: missing (required by one_hot)");
  EXPECT_EQ(ParseError(R"([{"op":"hash"}])"),
            "features[3].transform[0].buckets: missing (required by hash)");
}

TEST(TransformParse, BucketizeBoundariesMustBeAscendingNumbers) {
  EXPECT_EQ(ParseError(R"([{"op":"bucketize"}])"),
            "features[3].transform[0].boundaries: missing (required by bucketize)");
  EXPECT_EQ(ParseError(R"([{"op":"bucketize","boundaries":[]}])"),
            "features[3].transform[0].boundaries: must be a non-empty array of numbers in "
            "ascending order");
  EXPECT_EQ(ParseError(R"([{"op":"bucketize","boundaries":5}])"),
            "features[3].transform[0].boundaries: must be a non-empty array of numbers in "
            "ascending order");
  EXPECT_EQ(ParseError(R"([{"op":"bucketize","boundaries":[1,"2"]}])"),
            "features[3].transform[0].boundaries[1]: must be a number");
  EXPECT_EQ(ParseError(R"([{"op":"bucketize","boundaries":[1,5,3]}])"),
            "features[3].transform[0].boundaries[2]: must not be less than the boundary before it "
            "(ascending order)");
  EXPECT_EQ(ParseError(R"([{"op":"bucketize","boundaries":[1],"default":0.5}])"),
            "features[3].transform[0].default: must be an integer");
  EXPECT_NE(MustParse(R"([{"op":"bucketize","boundaries":[1,1,2]}])"), nullptr);  // ties are fine
}

TEST(TransformParse, NumericParametersAreChecked) {
  EXPECT_EQ(ParseError(R"([{"op":"min_max","max":1}])"),
            "features[3].transform[0].min: missing (required by min_max)");
  EXPECT_EQ(ParseError(R"([{"op":"min_max","min":"0","max":1}])"),
            "features[3].transform[0].min: must be a number");
  EXPECT_EQ(ParseError(R"([{"op":"min_max","min":1,"max":1}])"),
            "features[3].transform[0].max: must be greater than min");
  EXPECT_EQ(ParseError(R"([{"op":"min_max","min":-1e308,"max":1e308}])"),
            "features[3].transform[0].max: must be greater than min");
  EXPECT_EQ(ParseError(R"([{"op":"z_score","mean":1,"std":0}])"),
            "features[3].transform[0].std: must be greater than 0");
  EXPECT_EQ(ParseError(R"([{"op":"z_score","mean":1,"std":-2}])"),
            "features[3].transform[0].std: must be greater than 0");
  EXPECT_EQ(ParseError(R"([{"op":"z_score","std":2}])"),
            "features[3].transform[0].mean: missing (required by z_score)");
  EXPECT_EQ(ParseError(R"([{"op":"log1p","default":null}])"),
            "features[3].transform[0].default: must be a number");
  EXPECT_EQ(ParseError(R"([{"op":"clip"}])"),
            "features[3].transform[0]: clip needs \"min\", \"max\" or both");
  EXPECT_EQ(ParseError(R"([{"op":"clip","min":2,"max":1}])"),
            "features[3].transform[0].max: must not be less than min");
  EXPECT_EQ(ParseError(R"([{"op":"clip","min":true}])"),
            "features[3].transform[0].min: must be a number");
  EXPECT_EQ(ParseError(R"([{"op":"hash","buckets":4,"default":"x"}])"),
            "features[3].transform[0].default: must be an integer");
}

TEST(TransformParse, PadOptionsAreChecked) {
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":3,"side":"middle"}])"),
            "features[3].transform[0].side: must be \"right\" or \"left\"");
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":3,"keep":0}])"),
            "features[3].transform[0].keep: must be \"last\" or \"first\"");
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":3,"value":[0]}])"),
            "features[3].transform[0].value: must be a number, a string or null");
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":3,"value":false}])"),
            "features[3].transform[0].value: must be a number, a string or null");
}

TEST(TransformParse, VocabularyIsCheckedInlineAndFromResources) {
  EXPECT_EQ(ParseError(R"([{"op":"vocab"}])"),
            "features[3].transform[0].vocabulary: missing (required by vocab)");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":[]}])"),
            "features[3].transform[0].vocabulary: must be a non-empty array of strings");
  EXPECT_EQ(
      ParseError(R"([{"op":"vocab","vocabulary":{"a":1}}])"),
      "features[3].transform[0].vocabulary: must be an array of strings or a resource file name");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":["a",1]}])"),
            "features[3].transform[0].vocabulary[1]: must be a string");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":["a","b","a"]}])"),
            "features[3].transform[0].vocabulary[2]: duplicate \"a\" (also vocabulary[0])");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":["a"],"oov":"0"}])"),
            "features[3].transform[0].oov: must be an integer");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":["a","b"],"offset":9223372036854775807}])"),
            "features[3].transform[0].offset: too large: offset + vocabulary size overflows int64");
  EXPECT_NE(MustParse(R"([{"op":"vocab","vocabulary":["a"],"offset":9223372036854775807}])"),
            nullptr);

  EXPECT_EQ(
      ParseError(R"([{"op":"vocab","vocabulary":"cats.txt"}])"),
      "features[3].transform[0].vocabulary: resource \"cats.txt\": no resources to read from");
  auto files = [](const std::string& name) -> Result<std::string> {
    if (name == "dup.txt") return std::string("a\nb\r\nc\nb\n");
    if (name == "empty.txt") return std::string("");
    return Status::NotFound("no resource " + name);
  };
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":"dup.txt"}])", files),
            "features[3].transform[0].vocabulary: resource \"dup.txt\" line 4: duplicate \"b\" "
            "(also line 2)");
  EXPECT_EQ(ParseError(R"([{"op":"vocab","vocabulary":"empty.txt"}])", files),
            "features[3].transform[0].vocabulary: resource \"empty.txt\" has no entries");
  auto missing = ParseText(R"([{"op":"vocab","vocabulary":"cats.txt"}])", files);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);  // the reader's code is kept
  EXPECT_EQ(missing.status().message(),
            "features[3].transform[0].vocabulary: resource \"cats.txt\": no resource cats.txt");
}

TEST(TransformParse, StepsThatCannotFollowEachOtherAreRejected) {
  EXPECT_EQ(
      ParseError(R"([{"op":"one_hot","depth":4},{"op":"hash","buckets":8}])"),
      "features[3].transform[1].op: hash takes a scalar or a list, but features[3].transform[0] "
      "(one_hot) makes the value a tensor");
  EXPECT_EQ(
      ParseError(
          R"([{"op":"pad","length":5},{"op":"clip","min":0},{"op":"vocab","vocabulary":["a"]}])"),
      "features[3].transform[2].op: vocab takes a scalar or a list, but features[3].transform[0] "
      "(pad) makes the value a tensor");
  EXPECT_EQ(
      ParseError(R"([{"op":"pad","length":5,"value":""},{"op":"one_hot","depth":3}])"),
      "features[3].transform[1].op: one_hot takes one index, but features[3].transform[0] (pad) "
      "makes the value 5 long (multi_hot takes several)");
  EXPECT_EQ(ParseError(R"([{"op":"pad","length":2},{"op":"to_tensor","keys":["a"]}])"),
            "features[3].transform[1].keys: to_tensor with keys takes a map, but "
            "features[3].transform[0] "
            "(pad) makes the value a tensor");
  EXPECT_EQ(ParseError(R"([{"op":"multi_hot","depth":3},{"op":"pad","length":4,"value":""}])"),
            "features[3].transform[1].value: must be a number: features[3].transform[0] "
            "(multi_hot) makes "
            "the value a tensor, which holds numbers only");
  EXPECT_EQ(ParseError(R"([{"op":"to_tensor","keys":["a","a"]}])"),
            "features[3].transform[0].keys[1]: duplicate \"a\" (also keys[0])");
  // A one-long value may be one-hot encoded.
  EXPECT_NE(MustParse(R"([{"op":"pad","length":1},{"op":"one_hot","depth":3}])"), nullptr);
}

TEST(TransformParse, OutputLengthIsFixedOnlyByTensorSteps) {
  auto length = [](const std::string& chain) {
    auto t = MustParse(chain);
    return t ? t->output_length() : -2;
  };
  EXPECT_EQ(
      length(
          R"([{"op":"vocab","vocabulary":["shoes","bags"],"oov":0},{"op":"pad","length":20,"value":0}])"),
      20);
  EXPECT_EQ(length(R"([{"op":"one_hot","depth":7}])"), 7);
  EXPECT_EQ(length(R"([{"op":"multi_hot","depth":9},{"op":"clip","max":0.5}])"), 9);
  EXPECT_EQ(length(R"([{"op":"to_tensor","keys":["a","b","c"]},{"op":"log1p"}])"), 3);
  EXPECT_EQ(
      length(
          R"([{"op":"pad","length":4,"value":""},{"op":"vocab","vocabulary":["a"]},{"op":"to_tensor"}])"),
      4);
  EXPECT_EQ(length(R"([{"op":"to_tensor"}])"), -1);  // a number or a list of any length
  EXPECT_EQ(length(R"([{"op":"min_max","min":0,"max":1}])"), -1);
  EXPECT_EQ(length(R"([{"op":"pad","length":4,"value":null}])"), -1);  // a list, not a tensor
  EXPECT_EQ(length(R"([{"op":"one_hot","depth":3},{"op":"pad","length":5}])"), 5);
}

// ---- ops ------------------------------------------------------------------------

TEST(TransformOps, BucketizeIsBisectRight) {
  const std::string b = R"([{"op":"bucketize","boundaries":[0,10,100]}])";
  EXPECT_EQ(Applied(b, S(F(-5))), "scalar 0");
  EXPECT_EQ(Applied(b, S(I(0))), "scalar 1");  // equal to a boundary: the bucket above
  EXPECT_EQ(Applied(b, S(F(9.99))), "scalar 1");
  EXPECT_EQ(Applied(b, S(I(10))), "scalar 2");
  EXPECT_EQ(Applied(b, S(F(1e9))), "scalar 3");
  EXPECT_EQ(Applied(b, S(Value::Bool(true))), "scalar 1");
  EXPECT_EQ(Applied(b, S(F(NAN))), "scalar 3");  // as bisect_right: NaN compares false
  EXPECT_EQ(Applied(b, FeatureValue::None()), "scalar 0");
  EXPECT_EQ(Applied(R"([{"op":"bucketize","boundaries":[0],"default":-1}])", FeatureValue::None()),
            "scalar -1");
  EXPECT_EQ(Applied(b, L({I(-1), I(50), Value::None(), F(500)})), "list [0,2,0,3]");
  EXPECT_EQ(Applied(b, T({-1, 50, 500})), "tensor [0.0,2.0,3.0]");
  EXPECT_EQ(Applied(b, M({{"a", 5}, {"b", 200}})), R"(map {"a":1.0,"b":3.0})");
  EXPECT_EQ(Applied(b, S(Str("7"))),
            "error: features[3].transform[0] (bucketize): expected a number, got str '7'");
  EXPECT_EQ(
      Applied(b, L({I(1), Value::Json("[1]")})),
      "error: features[3].transform[0] (bucketize): element 1: expected a number, got JSON [1]");
}

TEST(TransformOps, HashIsFnv1a64OfKeyStringModBuckets) {
  // FNV-1a 64 of "" is the offset basis; of "a" is 0xaf63dc4c8601ec8c.
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":9223372036854775807}])", S(Str(""))),
            "scalar " + std::to_string(14695981039346656037ULL % 9223372036854775807ULL));
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":1000}])", S(Str("a"))),
            "scalar " + std::to_string(0xaf63dc4c8601ec8cULL % 1000));
  // A value hashes as its key string: 7 as "7", True as "True".
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":1000}])", S(I(7))),
            Applied(R"([{"op":"hash","buckets":1000}])", S(Str("7"))));
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":1000}])", S(Value::Bool(true))),
            Applied(R"([{"op":"hash","buckets":1000}])", S(Str("True"))));
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":1}])", L({Str("x"), I(3)})), "list [0,0]");
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":5}])", FeatureValue::None()), "scalar 0");
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":5,"default":5}])", L({Value::None()})), "list [5]");
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":5}])", T({1})),
            "error: features[3].transform[0] (hash): takes a scalar or a list, got a tensor");
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":5}])", M({})),
            "error: features[3].transform[0] (hash): takes a scalar or a list, got a map");
}

TEST(TransformOps, HashMatchesPython) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  const int64_t kBuckets[] = {1, 2, 7, 1000, 2147483647, 9223372036854775807};
  std::mt19937_64 rng(3);
  std::vector<std::pair<Value, int64_t>> cases;
  std::string input;
  for (int i = 0; i < 300; ++i) {
    Value v;
    json j;
    switch (rng() % 4) {
      case 0:
        v = I(static_cast<int64_t>(rng()) >> (rng() % 64));
        j = v.i;
        break;
      case 1:
        v = Value::Bool(rng() % 2);
        j = v.b;
        break;
      case 2:
        v = F(std::round(std::uniform_real_distribution<double>(-1e4, 1e4)(rng)) / 8);
        j = v.f;
        break;
      default:
        v = Value::Str(RandomUtf8(rng));
        j = v.s;
        break;
    }
    const int64_t n = kBuckets[rng() % 6];
    cases.emplace_back(v, n);
    input += json{{"v", j}, {"n", n}}.dump() + "\n";
  }
  auto lines = RunPython(
      "import sys, json\n"
      "for l in sys.stdin:\n"
      "    o = json.loads(l)\n"
      "    h = 14695981039346656037\n"
      "    for b in str(o['v']).encode('utf-8'):\n"
      "        h = ((h ^ b) * 1099511628211) % 2**64\n"
      "    print(h % o['n'])\n",
      input);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    auto t = MustParse(R"([{"op":"hash","buckets":)" + std::to_string(cases[i].second) + "}]");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(Applied(*t, S(cases[i].first)), "scalar " + (*lines)[i])
        << ToKeyString(cases[i].first);
  }
}

TEST(TransformOps, VocabMapsEntriesToOffsetPlusPosition) {
  const std::string v = R"([{"op":"vocab","vocabulary":["shoes","bags","3"]}])";
  EXPECT_EQ(Applied(v, S(Str("shoes"))), "scalar 1");
  EXPECT_EQ(Applied(v, S(Str("bags"))), "scalar 2");
  EXPECT_EQ(Applied(v, S(Str("hats"))), "scalar 0");
  EXPECT_EQ(Applied(v, S(I(3))), "scalar 3");  // by key string
  EXPECT_EQ(Applied(v, FeatureValue::None()), "scalar 0");
  EXPECT_EQ(Applied(v, L({Str("bags"), Str("x"), Value::None(), Str("shoes")})), "list [2,0,0,1]");
  EXPECT_EQ(Applied(R"([{"op":"vocab","vocabulary":["a","b"],"offset":0,"oov":-1}])",
                    L({Str("a"), Str("b"), Str("c")})),
            "list [0,1,-1]");
  EXPECT_EQ(Applied(v, T({1})),
            "error: features[3].transform[0] (vocab): takes a scalar or a list, got a tensor");
}

TEST(TransformOps, VocabReadsOneEntryPerLineFromAResource) {
  auto files = [](const std::string& name) -> Result<std::string> {
    EXPECT_EQ(name, "brands.txt");
    return std::string("\xEF\xBB\xBFnike\r\nadidas\n\npuma\n");  // BOM, CRLF, an empty entry
  };
  auto t = MustParse(R"([{"op":"vocab","vocabulary":"brands.txt","offset":10}])", files);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(Applied(*t, L({Str("nike"), Str("adidas"), Str(""), Str("puma"), Str("puma\n")})),
            "list [10,11,12,13,0]");
}

TEST(TransformOps, OneHotSetsOneIndex) {
  const std::string o = R"([{"op":"one_hot","depth":4}])";
  EXPECT_EQ(Applied(o, S(I(2))), "tensor [0.0,0.0,1.0,0.0]");
  EXPECT_EQ(Applied(o, S(F(0.0))), "tensor [1.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, S(Value::Bool(true))), "tensor [0.0,1.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, S(I(4))), "tensor [0.0,0.0,0.0,0.0]");  // out of range
  EXPECT_EQ(Applied(o, S(I(-1))), "tensor [0.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, FeatureValue::None()), "tensor [0.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, L({I(3)})), "tensor [0.0,0.0,0.0,1.0]");
  EXPECT_EQ(Applied(o, T({1})), "tensor [0.0,1.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, L({})), "tensor [0.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(o, L({I(1), I(2)})),
            "error: features[3].transform[0] (one_hot): takes one index, got 2 (multi_hot takes "
            "several)");
  EXPECT_EQ(Applied(o, S(F(1.5))),
            "error: features[3].transform[0] (one_hot): expected an integer index, got float 1.5");
  EXPECT_EQ(Applied(o, S(Str("1"))),
            "error: features[3].transform[0] (one_hot): expected an integer index, got str '1'");
  EXPECT_EQ(
      Applied(o, M({})),
      "error: features[3].transform[0] (one_hot): takes an index or a list of indices, got a map");
}

TEST(TransformOps, MultiHotSetsEveryIndexOnce) {
  const std::string m = R"([{"op":"multi_hot","depth":5}])";
  EXPECT_EQ(Applied(m, L({I(1), I(3), I(3), I(9), I(-2), Value::None()})),
            "tensor [0.0,1.0,0.0,1.0,0.0]");
  EXPECT_EQ(Applied(m, S(I(4))), "tensor [0.0,0.0,0.0,0.0,1.0]");
  EXPECT_EQ(Applied(m, T({0, 2})), "tensor [1.0,0.0,1.0,0.0,0.0]");
  EXPECT_EQ(Applied(m, FeatureValue::None()), "tensor [0.0,0.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(m, L({I(1), Str("a")})),
            "error: features[3].transform[0] (multi_hot): element 1: expected an integer index, "
            "got str 'a'");
}

TEST(TransformOps, MinMaxScalesAndClipsToUnitRange) {
  const std::string m = R"([{"op":"min_max","min":10,"max":20}])";
  EXPECT_EQ(Applied(m, S(I(15))), "scalar 0.5");
  EXPECT_EQ(Applied(m, S(I(5))), "scalar 0.0");
  EXPECT_EQ(Applied(m, S(F(25))), "scalar 1.0");
  EXPECT_EQ(Applied(m, FeatureValue::None()), "scalar 0.0");
  EXPECT_EQ(
      Applied(R"([{"op":"min_max","min":10,"max":20,"default":0.5}])", L({Value::None(), I(12)})),
      "list [0.5,0.2]");
  EXPECT_EQ(Applied(m, T({12.5f, 30})), "tensor [0.25,1.0]");
  EXPECT_EQ(Applied(m, M({{"x", 11}})), R"(map {"x":0.1})");
  EXPECT_EQ(Applied(m, S(Str("abc"))),
            "error: features[3].transform[0] (min_max): expected a number, got str 'abc'");
}

TEST(TransformOps, ZScoreLog1pAndClip) {
  EXPECT_EQ(Applied(R"([{"op":"z_score","mean":3,"std":2}])", L({I(7), F(2), Value::None()})),
            "list [2.0,-0.5,0.0]");
  EXPECT_EQ(Applied(R"([{"op":"log1p"}])", L({F(1.5), I(0), I(-5), F(-0.0)})),
            "list " + FeatureValueToJson(L({F(std::log1p(1.5)), F(0), F(0), F(0)})));
  EXPECT_EQ(Applied(R"([{"op":"log1p"}])", S(F(NAN))), "scalar null");  // NaN stays NaN
  EXPECT_EQ(Applied(R"([{"op":"log1p","default":-1}])", FeatureValue::None()), "scalar -1.0");
  EXPECT_EQ(Applied(R"([{"op":"clip","min":-1,"max":1}])", L({I(-3), F(0.5), I(3)})),
            "list [-1.0,0.5,1.0]");
  EXPECT_EQ(Applied(R"([{"op":"clip","min":2}])", L({I(1), I(5)})), "list [2.0,5.0]");
  EXPECT_EQ(Applied(R"([{"op":"clip","max":-2}])", T({1, -5})), "tensor [-2.0,-5.0]");
  EXPECT_EQ(Applied(R"([{"op":"clip","min":2}])", FeatureValue::None()),
            "scalar 2.0");  // default: clip(0)
  EXPECT_EQ(Applied(R"([{"op":"clip","min":2,"default":0}])", FeatureValue::None()), "scalar 0.0");
  EXPECT_EQ(Applied(R"([{"op":"clip","min":2}])", S(Value::Json("{}"))),
            "error: features[3].transform[0] (clip): expected a number, got JSON {}");
}

TEST(TransformOps, NumericStepsMatchPython) {
  if (!HavePython()) GTEST_SKIP() << "no " << kPython;
  const std::vector<double> boundaries = {-100, -2.5, 0, 0.1, 1, 1, 3, 42.5, 1000};
  std::vector<double> xs = {-100, -2.5, 0, 0.1, 1, 3, 42.5, 1000, 1e300, -1e300};
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(-2000, 2000);
  while (xs.size() < 300) {
    const double x = rng() % 2 ? unit(rng) : std::round(unit(rng)) / 4;
    if (x != 0) xs.push_back(x);  // no -0.0: Python's max(-0.0, 0.0) keeps the sign
  }
  json cfg = {{"boundaries", boundaries}, {"xs", json::array()}};
  for (double x : xs) cfg["xs"].push_back(HexDouble(x));
  auto lines = RunPython(
      "import sys, json, math, bisect\n"
      "cfg = json.loads(sys.stdin.read())\n"
      "for x in (float.fromhex(h) for h in cfg['xs']):\n"
      "    print(bisect.bisect_right(cfg['boundaries'], x),\n"
      "          repr(max(0.0, min(1.0, (x - -3.5) / (12.25 - -3.5)))),\n"
      "          repr((x - 7.5) / 3.2), repr(math.log1p(max(x, 0.0))), repr(min(max(x, -10.0), "
      "2.5)))\n",
      cfg.dump());
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), xs.size());
  auto b = MustParse(json::array({{{"op", "bucketize"}, {"boundaries", boundaries}}}).dump());
  auto mm = MustParse(R"([{"op":"min_max","min":-3.5,"max":12.25}])");
  auto z = MustParse(R"([{"op":"z_score","mean":7.5,"std":3.2}])");
  auto lg = MustParse(R"([{"op":"log1p"}])");
  auto c = MustParse(R"([{"op":"clip","min":-10,"max":2.5}])");
  ASSERT_TRUE(b && mm && z && lg && c);
  auto json_of = [](const Transform& t, double x) {
    auto r = t.Apply(S(F(x)));
    return r.ok() ? FeatureValueToJson(*r) : r.status().message();
  };
  for (size_t i = 0; i < xs.size(); ++i) {
    const std::string ours = json_of(*b, xs[i]) + " " + json_of(*mm, xs[i]) + " " +
                             json_of(*z, xs[i]) + " " + json_of(*lg, xs[i]) + " " +
                             json_of(*c, xs[i]);
    EXPECT_EQ(ours, (*lines)[i]) << HexDouble(xs[i]);
  }
}

TEST(TransformOps, PadFixesTheLengthKeepingTheLastElements) {
  const std::string p = R"([{"op":"pad","length":4}])";
  EXPECT_EQ(Applied(p, L({I(1), I(2)})), "tensor [1.0,2.0,0.0,0.0]");
  EXPECT_EQ(Applied(p, L({I(1), I(2), I(3), I(4), I(5), I(6)})), "tensor [3.0,4.0,5.0,6.0]");
  EXPECT_EQ(
      Applied(R"([{"op":"pad","length":4,"keep":"first"}])", L({I(1), I(2), I(3), I(4), I(5)})),
      "tensor [1.0,2.0,3.0,4.0]");
  EXPECT_EQ(Applied(R"([{"op":"pad","length":4,"side":"left","value":-1}])", L({I(1), I(2)})),
            "tensor [-1.0,-1.0,1.0,2.0]");
  EXPECT_EQ(Applied(R"([{"op":"pad","length":3,"value":0.5}])", L({Value::None(), F(2)})),
            "tensor [0.5,2.0,0.5]");
  EXPECT_EQ(Applied(p, FeatureValue::None()), "tensor [0.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(p, S(F(7))), "tensor [7.0,0.0,0.0,0.0]");
  EXPECT_EQ(Applied(p, T({1, 2, 3, 4, 5})), "tensor [2.0,3.0,4.0,5.0]");
  EXPECT_EQ(Applied(p, L({I(1), Str("a")})),
            "error: features[3].transform[0] (pad): element 1: a tensor holds numbers, got str 'a' "
            "(a string or null \"value\" pads to a list)");
  EXPECT_EQ(Applied(p, M({})),
            "error: features[3].transform[0] (pad): takes a scalar, a list or a tensor, got a map");
}

TEST(TransformOps, PadWithStringOrNullValueGivesAList) {
  EXPECT_EQ(Applied(R"([{"op":"pad","length":3,"value":""}])", L({Str("a")})),
            R"(list ["a","",""])");
  EXPECT_EQ(Applied(R"([{"op":"pad","length":3,"value":null,"side":"left"}])", L({Str("a"), I(2)})),
            R"(list [null,"a",2])");
  EXPECT_EQ(Applied(R"([{"op":"pad","length":2,"value":"?"}])", S(Str("x"))), R"(list ["x","?"])");
  EXPECT_EQ(
      Applied(R"([{"op":"pad","length":2,"value":"?"}])", T({1})),
      "error: features[3].transform[0] (pad): with a string or null \"value\" takes a scalar or a "
      "list, got a tensor");
}

TEST(TransformOps, ToTensorTakesNumbersListsAndKeyedMaps) {
  const std::string t = R"([{"op":"to_tensor"}])";
  EXPECT_EQ(Applied(t, S(I(3))), "tensor [3.0]");
  EXPECT_EQ(Applied(t, FeatureValue::None()), "tensor [0.0]");
  EXPECT_EQ(Applied(t, L({I(1), F(0.1), Value::None(), Value::Bool(true)})),
            "tensor [1.0,0.1,0.0,1.0]");
  EXPECT_EQ(Applied(t, T({2})), "tensor [2.0]");
  EXPECT_EQ(
      Applied(t, L({Str("a")})),
      "error: features[3].transform[0] (to_tensor): element 0: expected a number, got str 'a'");
  EXPECT_EQ(Applied(t, M({{"a", 1}})),
            "error: features[3].transform[0] (to_tensor): takes a map only with \"keys\" (the "
            "order of its values)");
  const std::string k = R"([{"op":"to_tensor","keys":["shoes","bags","hats"]}])";
  EXPECT_EQ(Applied(k, M({{"bags", 2}, {"shoes", 0.5}})), "tensor [0.5,2.0,0.0]");
  EXPECT_EQ(Applied(k, M({{"shoes", 0.5}, {"bags", 2}, {"hats", 1e39}})),
            "tensor [0.5,2.0,null]");  // unsorted; overflow
  EXPECT_EQ(Applied(k, FeatureValue::None()), "tensor [0.0,0.0,0.0]");
  EXPECT_EQ(Applied(k, L({I(1)})),
            "error: features[3].transform[0] (to_tensor): with \"keys\" takes a map, got a list");
}

// ---- chains ----------------------------------------------------------------------

TEST(TransformChain, VocabThenPadGivesFixedLengthIds) {
  auto t = MustParse(
      R"([{"op":"vocab","vocabulary":["shoes","bags"],"oov":0},{"op":"pad","length":5,"value":0}])");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->output_length(), 5);
  EXPECT_EQ(Applied(*t, L({Str("bags"), Str("x"), Str("shoes")})), "tensor [2.0,0.0,1.0,0.0,0.0]");
  EXPECT_EQ(Applied(*t, FeatureValue::None()), "tensor [0.0,0.0,0.0,0.0,0.0]");
}

TEST(TransformChain, StepsRunInOrder) {
  EXPECT_EQ(
      Applied(R"([{"op":"bucketize","boundaries":[10,20]},{"op":"one_hot","depth":3}])", S(I(15))),
      "tensor [0.0,1.0,0.0]");
  EXPECT_EQ(Applied(R"([{"op":"hash","buckets":1},{"op":"pad","length":2,"side":"left"}])",
                    L({Str("a")})),
            "tensor [0.0,0.0]");
  EXPECT_EQ(
      Applied(
          R"([{"op":"pad","length":3,"value":""},{"op":"vocab","vocabulary":["a","b"]},{"op":"to_tensor"}])",
          L({Str("b")})),
      "tensor [2.0,0.0,0.0]");
  EXPECT_EQ(
      Applied(R"([{"op":"clip","min":0},{"op":"min_max","min":0,"max":2},{"op":"pad","length":2}])",
              L({I(1)})),
      "tensor [0.5,0.0]");
  EXPECT_EQ(Applied(R"([{"op":"to_tensor","keys":["a","b"]},{"op":"z_score","mean":1,"std":2}])",
                    M({{"a", 5}})),
            "tensor [2.0,-0.5]");
}

TEST(TransformChain, ApplyErrorsNameTheFailingStep) {
  EXPECT_EQ(Applied(R"([{"op":"log1p"},{"op":"min_max","min":0,"max":1}])", L({F(1), Str("abc")})),
            "error: features[3].transform[0] (log1p): element 1: expected a number, got str 'abc'");
  EXPECT_EQ(
      Applied(R"([{"op":"pad","length":2,"value":""},{"op":"min_max","min":0,"max":1}])",
              L({Str("abc")})),
      "error: features[3].transform[1] (min_max): element 0: expected a number, got str 'abc'");
}

TEST(TransformChain, ApplyIsSafeFromManyThreads) {
  auto t = MustParse(
      R"([{"op":"vocab","vocabulary":["a","b","c"]},{"op":"pad","length":8},{"op":"clip","max":2}])");
  ASSERT_NE(t, nullptr);
  const FeatureValue in = L({Str("c"), Str("a"), Str("b"), Str("z")});
  const std::string expected = Applied(*t, in);
  EXPECT_EQ(expected, "tensor [2.0,1.0,2.0,0.0,0.0,0.0,0.0,0.0]");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int i = 0; i < 500; ++i) {
        auto r = t->Apply(in);
        if (!r.ok() || "tensor " + FeatureValueToJson(*r) != expected) ++mismatches[k];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace edgeflow::pipeline
