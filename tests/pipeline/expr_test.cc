// Tests for the expression layer: props parsing (EventView), Value's key
// strings and equality, and Expr, whose results are checked against CPython
// (/usr/bin/python3, one process for the whole table).
#include "pipeline/expr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/event_view.h"
#include "pipeline/value.h"
#include "testing/temp_dir.h"

namespace edgeflow::pipeline {
namespace {

using Kind = Value::Kind;

Event EventWithProps(std::string props) {
  Event e;
  e.type = "mta";
  e.page_id = "Home";
  e.ts_ms = 1;
  e.props = std::move(props);
  return e;
}

Event MustParse(const std::string& json) {
  auto e = ParseEvent(json);
  EXPECT_TRUE(e.ok()) << json << ": " << e.status().ToString();
  return e.ok() ? *e : Event();
}

// ---------------------------------------------------------------------------
// Props parsing

TEST(EventView, DecodesEveryStringEscape) {
  Event e = EventWithProps(
      R"({"s":"q\"b\\s\/f\bf\fn\nr\rt\t","u":"\u00e9\u4e2d\u0041","pair":"\ud83d\ude00!","nul":"a\u0000b",)"
      R"("raw":"京东","k\u0065y":1})");
  EventView v(e);
  ASSERT_NE(v.Prop("s"), nullptr);
  EXPECT_EQ(v.Prop("s")->kind, Kind::kStr);
  EXPECT_EQ(v.Prop("s")->s, "q\"b\\s/f\bf\fn\nr\rt\t");
  EXPECT_EQ(v.Prop("u")->s, "\xC3\xA9\xE4\xB8\xAD" "A");
  EXPECT_EQ(v.Prop("pair")->s, "\xF0\x9F\x98\x80!");
  EXPECT_EQ(v.Prop("nul")->s, std::string("a\0b", 3));
  EXPECT_EQ(v.Prop("raw")->s, "京东");
  ASSERT_NE(v.Prop("key"), nullptr);  // escapes in member names too
  EXPECT_EQ(v.Prop("key")->i, 1);
}

TEST(EventView, IntegersInInt64RangeAreIntOthersFloat) {
  Event e = EventWithProps(
      R"({"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,)"
      R"("under":-9223372036854775809,"huge":123456789012345678901234567890,"one":1.0,"e":1e2,)"
      R"("neg0":-0,"negf":-0.0,"frac":-12.5e-1,"tiny":5e-324,"inf":1e400})");
  EventView v(e);
  EXPECT_EQ(v.Prop("max")->kind, Kind::kInt);
  EXPECT_EQ(v.Prop("max")->i, INT64_MAX);
  EXPECT_EQ(v.Prop("min")->kind, Kind::kInt);
  EXPECT_EQ(v.Prop("min")->i, INT64_MIN);
  EXPECT_EQ(v.Prop("over")->kind, Kind::kFloat);
  EXPECT_EQ(v.Prop("over")->f, 9223372036854775808.0);
  EXPECT_EQ(v.Prop("under")->kind, Kind::kFloat);
  EXPECT_EQ(v.Prop("huge")->kind, Kind::kFloat);
  EXPECT_EQ(v.Prop("huge")->f, 1.2345678901234568e+29);
  EXPECT_EQ(v.Prop("one")->kind, Kind::kFloat);
  EXPECT_EQ(v.Prop("e")->kind, Kind::kFloat);
  EXPECT_EQ(v.Prop("e")->f, 100.0);
  EXPECT_EQ(v.Prop("neg0")->kind, Kind::kInt);
  EXPECT_EQ(v.Prop("neg0")->i, 0);
  EXPECT_EQ(ToKeyString(*v.Prop("negf")), "-0.0");
  EXPECT_EQ(v.Prop("frac")->f, -1.25);
  EXPECT_EQ(v.Prop("tiny")->f, 5e-324);
  EXPECT_TRUE(std::isinf(v.Prop("inf")->f));
}

TEST(EventView, LiteralsAndNestedValues) {
  Event e = EventWithProps(
      R"( { "t" : true , "f":false, "n" : null, "obj" : { "b" : [ 1 , 2.50 , {"y" : null} ] , "a" : "x\u0041" },)"
      R"( "arr":[ ], "o2":{} } )");
  EventView v(e);
  EXPECT_EQ(v.Prop("t")->kind, Kind::kBool);
  EXPECT_TRUE(v.Prop("t")->b);
  EXPECT_FALSE(v.Prop("f")->b);
  ASSERT_NE(v.Prop("n"), nullptr);
  EXPECT_EQ(v.Prop("n")->kind, Kind::kNone);
  EXPECT_EQ(v.Prop("obj")->kind, Kind::kJson);
  EXPECT_EQ(v.Prop("obj")->s, R"({"b":[1,2.5,{"y":null}],"a":"xA"})");  // compact, document order
  EXPECT_EQ(v.Prop("arr")->s, "[]");
  EXPECT_EQ(v.Prop("o2")->s, "{}");
  EXPECT_FALSE(Truthy(*v.Prop("arr")));
  EXPECT_TRUE(Truthy(*v.Prop("obj")));
  EXPECT_EQ(v.Prop("missing"), nullptr);
}

TEST(EventView, LaterDuplicatesWin) {
  Event e = EventWithProps(R"({"a":1,"b":2,"a":"three"})");
  EventView v(e);
  EXPECT_EQ(v.Prop("a")->s, "three");
  EXPECT_EQ(v.Prop("b")->i, 2);
}

TEST(EventView, MalformedPropsReadAsEmptyObject) {
  std::vector<std::string> bad = {
      "{", "}", "[1]", "1", "\"s\"", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":1} x", "{\"a\":1}}",
      "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\x41\"}",
      "{\"a\":\"\\u12\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":1e}", "{\"a\":+1}",
      "{\"a\":tru}", "{\"a\":nulll}", "{\"a\":\"unterminated}", "{\"a\":[1,2}", "{\"a\":{\"b\":1]}",
      "{\"a\":\"ctl\x01\"}", "{\"a\":NaN}", "{'a':1}", "{a:1}", "{\"a\":[1,]}", "{\"a\":\"x\\", "{,}",
      "{\"a\":1 \"b\":2}", std::string("{\"a\":\"\0\"}", 8),
      "{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}",  // deeper than the nesting cap
  };
  for (const auto& text : bad) {
    Event e = EventWithProps(text);
    EventView v(e);
    EXPECT_EQ(v.Prop("a"), nullptr) << text;
    EXPECT_TRUE(v.Field("props.a").is_none()) << text;
  }
  Event absent = EventWithProps("");
  EXPECT_EQ(EventView(absent).Prop("a"), nullptr);
  Event deep_ok = EventWithProps("{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}");
  EXPECT_EQ(EventView(deep_ok).Prop("a")->kind, Kind::kJson);
}

TEST(EventView, FieldsByName) {
  Event e = MustParse(R"({"type":"mta","pageId":"Home","ts":5,"props":{"userId":"u1","n":3}})");
  EventView v(e, 42);
  EXPECT_EQ(v.seq(), 42);
  EXPECT_EQ(v.Field("type").s, "mta");
  EXPECT_EQ(v.Field("pageId").s, "Home");
  EXPECT_TRUE(v.Field("kind").is_none());
  EXPECT_TRUE(v.Field("clickId").is_none());
  EXPECT_TRUE(v.Field("itemId").is_none());
  EXPECT_EQ(v.Field("ts").kind, Kind::kInt);
  EXPECT_EQ(v.Field("ts").i, 5);
  EXPECT_EQ(v.Field("props.userId").s, "u1");
  EXPECT_EQ(v.Field("props.n").i, 3);
  EXPECT_TRUE(v.Field("props.none").is_none());
  EXPECT_TRUE(v.Field("user").is_none());
  EXPECT_TRUE(v.Field("props.").is_none());
}

// ---------------------------------------------------------------------------
// Value

TEST(Value, KeyStringsAreWhatPythonStrPrints) {
  EXPECT_EQ(ToKeyString(Value::None()), "None");
  EXPECT_EQ(ToKeyString(Value::Bool(true)), "True");
  EXPECT_EQ(ToKeyString(Value::Bool(false)), "False");
  EXPECT_EQ(ToKeyString(Value::Int(-42)), "-42");
  EXPECT_EQ(ToKeyString(Value::Int(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(ToKeyString(Value::Str("a b")), "a b");
  EXPECT_EQ(ToKeyString(Value::Json("[1,2]")), "[1,2]");
  struct {
    double d;
    const char* want;
  } floats[] = {
      {0.1, "0.1"},         {3.0, "3.0"},        {1e16, "1e+16"},           {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},                   {1e-5, "1e-05"},
      {0.0001, "0.0001"},   {-0.0, "-0.0"},      {0.0, "0.0"},              {1.5e-7, "1.5e-07"},
      {1e22, "1e+22"},      {2.5, "2.5"},        {1.0 / 3, "0.3333333333333333"},
      {5e-324, "5e-324"},   {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740993.0, "9007199254740992.0"}, {HUGE_VAL, "inf"},     {-HUGE_VAL, "-inf"},
      {std::nan(""), "nan"}, {-1234.5, "-1234.5"}, {0.30000000000000004, "0.30000000000000004"},
  };
  for (const auto& f : floats) EXPECT_EQ(ToKeyString(Value::Float(f.d)), f.want) << f.want;
}

TEST(Value, EqualFollowsPython) {
  EXPECT_TRUE(Equal(Value::Int(1), Value::Float(1.0)));
  EXPECT_TRUE(Equal(Value::Int(1), Value::Bool(true)));
  EXPECT_TRUE(Equal(Value::Bool(true), Value::Float(1.0)));
  EXPECT_TRUE(Equal(Value::Int(0), Value::Bool(false)));
  EXPECT_FALSE(Equal(Value::Int(9007199254740993), Value::Float(9007199254740992.0)));  // exact
  EXPECT_TRUE(Equal(Value::Int(9007199254740992), Value::Float(9007199254740992.0)));
  EXPECT_FALSE(Equal(Value::Int(INT64_MAX), Value::Float(9223372036854775808.0)));
  EXPECT_FALSE(Equal(Value::Float(std::nan("")), Value::Float(std::nan(""))));
  EXPECT_TRUE(Equal(Value::None(), Value::None()));
  EXPECT_FALSE(Equal(Value::None(), Value::Int(0)));
  EXPECT_FALSE(Equal(Value::Str("1"), Value::Int(1)));
  EXPECT_FALSE(Equal(Value::Str("[]"), Value::Json("[]")));
  EXPECT_TRUE(Equal(Value::Json("[1]"), Value::Json("[1]")));
}

TEST(Value, TruthyFollowsPython) {
  EXPECT_FALSE(Truthy(Value::None()));
  EXPECT_FALSE(Truthy(Value::Int(0)));
  EXPECT_FALSE(Truthy(Value::Float(0.0)));
  EXPECT_FALSE(Truthy(Value::Float(-0.0)));
  EXPECT_TRUE(Truthy(Value::Float(std::nan(""))));
  EXPECT_FALSE(Truthy(Value::Str("")));
  EXPECT_TRUE(Truthy(Value::Str("0")));
  EXPECT_FALSE(Truthy(Value::Json("{}")));
  EXPECT_TRUE(Truthy(Value::Json("[0]")));
}

// ---------------------------------------------------------------------------
// Expr: compile errors and runtime errors

std::unique_ptr<Expr> MustCompile(const std::string& src) {
  auto e = Expr::Compile(src);
  EXPECT_TRUE(e.ok()) << src << ": " << e.status().ToString();
  return e.ok() ? std::move(e).value() : nullptr;
}

TEST(Expr, CompileErrorsNameColumnAndProblem) {
  struct {
    const char* src;
    const char* want;
  } cases[] = {
      {"ts > 0 and user == 'x'",
       "column 12: unsupported name 'user' (fields: type, kind, pageId, clickId, itemId, ts, props)"},
      {"lambda x: x", "column 1: lambda is not supported"},
      {"[x for x in (1, 2)]", "column 2: unsupported name 'x'"},
      {"[kind for kind in (1, 2)]", "column 7: comprehensions are not supported"},
      {"kind = 'click'", "column 6: assignment is not supported (use == to compare)"},
      {"(x := 1)", "column 2: unsupported name 'x'"},
      {"(kind := 1)", "column 7: assignment expressions (:=) are not supported"},
      {"kind.foo", "column 6: unsupported attribute 'foo'"},
      {"kind.lower", "column 6: method 'lower' must be called"},
      {"kind.get('a')", "column 6: '.get()' is only supported on props"},
      {"props", "column 1: 'props' must be followed by"},
      {"props.get", "column 7: props.get must be called"},
      {"props.get(kind)", "column 11: props keys must be string literals"},
      {"props[1]", "column 7: props keys must be string literals"},
      {"props.__class__", "column 7: unsupported attribute '__class__' of props"},
      {"kind[0]", "column 5: subscripts are only supported on props"},
      {"len", "column 1: builtin 'len' must be called"},
      {"len(1, 2)", "column 4: len() takes 1 argument (2 given"},
      {"round(1, ndigits=2)", "column 10: keyword arguments are not supported"},
      {"min(*[1])", "column 5: argument unpacking"},
      {"1 & 2", "column 3: unsupported operator '&'"},
      {"~1", "column 1: unsupported operator '~'"},
      {"1 << 2", "column 3: unsupported operator '<<'"},
      {"kind is 'click'", "column 9: 'is' is only supported with None, True or False"},
      {"{'a': 1}", "column 1: dict and set displays are not supported"},
      {"(1, 2)", "column 1: tuples and lists are only supported after 'in'"},
      {"1, 2", "column 2: a bare tuple is not a value"},
      {"(1, 2) == (1, 2)", "column 1: tuples and lists are only supported"},
      {"kind in ((1, 2), 3)", "column 10: tuples and lists are only supported"},
      {"'%s' % kind", "column 6: '%' string formatting is not supported"},
      {"1 +", "column 4: unexpected end of expression"},
      {"(1 + 2", "column 7: unexpected end of expression (expected ')')"},
      {"kind ==", "column 8: unexpected end of expression"},
      {"", "column 1: empty expression"},
      {"   ", "column 4: empty expression"},
      {"'abc", "column 1: unterminated string literal"},
      {"b'abc'", "column 1: bytes literals are not supported"},
      {"f'{kind}'", "column 1: f-strings are not supported"},
      {"'\\N{DASH}'", "column 2: \\N{...} escapes are not supported"},
      {"'\\x4'", "column 2: truncated \\xXX escape"},
      {"1j", "column 1: complex (imaginary) literals are not supported"},
      {"012", "column 1: leading zeros in decimal integer literals are not permitted"},
      {"9223372036854775808", "column 1: integer literal too large"},
      {"1_", "column 1: invalid number literal"},
      {"kind == $", "column 9: unexpected character '$'"},
      {"kind not 'a'", "column 10: unexpected string literal (expected 'in' after 'not')"},
      {"1 if kind", "column 10: unexpected end of expression (expected 'else')"},
      {"kind ==\n'a'", "column 8: line break outside brackets"},
      {"(kind ==\n 'a' and\n user)", "line 3, column 2: unsupported name 'user'"},
      {"(kind ==\n 'a') and\n user", "line 2, column 10: line break outside brackets"},
      {"'中文' == usr", "column 9: unsupported name 'usr'"},
      {"1 <> 2", "column 3: unsupported operator '<>' (use !=)"},
      {"kind()", "column 5: only builtins"},
      {"yield", "column 1: 'yield' is not supported"},
  };
  for (const auto& c : cases) {
    auto e = Expr::Compile(c.src);
    ASSERT_FALSE(e.ok()) << c.src;
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(e.status().message().rfind(c.want, 0), 0u) << c.src << "\n  got:  " << e.status().message()
                                                         << "\n  want: " << c.want;
  }
}

TEST(Expr, CommentsContinuationsAndBracketedNewlinesAreAllowed) {
  Event e = MustParse(R"({"type":"mta","kind":"click","pageId":"A","ts":5})");
  EventView v(e);
  for (const char* src : {"kind == 'click'  # a comment", "(kind ==\n  'click')", "kind == \\\n 'click'",
                          "kind == 'click'\n\n", "kind in [\n 'click',\n 'pv',\n]", "kind == '''click'''"}) {
    auto x = MustCompile(src);
    ASSERT_TRUE(x) << src;
    EXPECT_TRUE(x->Test(v)) << src;
    EXPECT_EQ(x->source(), src);
  }
}

TEST(Expr, RuntimeErrorsStartWithThePythonExceptionName) {
  Event e = MustParse(R"({"type":"mta","pageId":"A","ts":5,"props":{"n":1}})");
  EventView v(e);
  struct {
    const char* src;
    const char* want;
  } cases[] = {
      {"kind < 3", "TypeError: '<' not supported between instances of 'NoneType' and 'int'"},
      {"1 / 0", "ZeroDivisionError: division by zero"},
      {"props['price']", "KeyError: 'price'"},
      {"kind.lower()", "AttributeError: 'NoneType' object has no attribute 'lower'"},
      {"2 ** 64", "OverflowError: "},
      {"9223372036854775807 + props.n", "OverflowError: "},
      {"-(-9223372036854775807 - 1)", "OverflowError: "},
      {"int('x')", "ValueError: invalid literal for int() with base 10: 'x'"},
      {"'ab' * 10 ** 7", "MemoryError: "},
      {"len(('ab' * 400000) + ('cd' * 400000))", "MemoryError: "},
      {"(-8) ** (1 / 3)", "ValueError: "},
  };
  for (const auto& c : cases) {
    auto x = MustCompile(c.src);
    ASSERT_TRUE(x);
    auto r = x->Eval(v);
    ASSERT_FALSE(r.ok()) << c.src;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().message().rfind(c.want, 0), 0u) << c.src << " -> " << r.status().message();
    EXPECT_FALSE(x->Test(v)) << c.src;
  }
  auto big = MustCompile("len('ab' * 500000)");
  auto r = big->Eval(v);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->i, 1000000);
}

TEST(Expr, TestIsTruthinessOfTheValue) {
  Event e = MustParse(R"({"type":"mta","kind":"click","pageId":"A","ts":5,"props":{"price":120}})");
  EventView v(e);
  EXPECT_TRUE(MustCompile("kind == 'click'")->Test(v));
  EXPECT_FALSE(MustCompile("kind != 'click'")->Test(v));
  EXPECT_TRUE(MustCompile("pageId in ('A','B') and props.get('price', 0) >= 100")->Test(v));
  EXPECT_FALSE(MustCompile("clickId")->Test(v));
  EXPECT_TRUE(MustCompile("props.price")->Test(v));
  EXPECT_FALSE(MustCompile("''")->Test(v));
  EXPECT_FALSE(MustCompile("props['nope'] or True")->Test(v));  // the KeyError wins
}

TEST(Expr, ManyCallersShareOneCompiledExpr) {
  auto x = MustCompile("str(props.n) + kind.upper()");
  Event e = MustParse(R"({"type":"mta","kind":"pv","pageId":"A","ts":5,"props":{"n":7}})");
  for (int k = 0; k < 3; ++k) {
    EventView v(e);
    auto r = x->Eval(v);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->kind, Kind::kStr);
    EXPECT_EQ(r->s, "7PV");
  }
}

// ---------------------------------------------------------------------------
// Differential test against CPython

const char* const kEvents[] = {
    // 0: every field, varied props
    (R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_AddCart","itemId":"sku1",)"
    R"("ts":1700000000123,"props":{"price":129.5,"qty":3,"brand":"Apple","tags":["a","b"],"flag":true,)"
    R"("none":null,"neg":-7,"zero":0,"empty":"","title":"  iPhone 15 Pro  ","cn":"京东 手机",)"
    R"("big":9007199254740993,"f":0.1,"ratio":2.5,"info":{"k":1},"nums":[3,1.5,-2]}})"),
    // 1: only the required fields
    (R"({"type":"mta","pageId":"Home","ts":5})"),
    // 2: text in several scripts, numbers in strings; clickId "" reads as None
    (R"({"type":"exp","kind":"pv","pageId":"A","clickId":"","itemId":"x","ts":0,"props":{"price":100,)"
    R"("s":"Ünïcödé ÄÖÜ ß ÿ µ","fw":"ＡＢＣｘｙｚ","ru":"Привет Ёж","ws":"\u3000\t x \u2028",)"
    R"("n":"42","fl":" 3.5e2 ","bad":"4x","u":"1_000","neg":" -0012 ","inf":"-Infinity","esc":"a\"b\\c\n"}})"),
    // 3: a typical filtered event
    (R"({"type":"mta","kind":"click","pageId":"B","ts":1700000000000,"props":{"price":99.99,"userId":12345,)"
    R"("category":"phone"}})"),
};

struct DiffCase {
  const char* expr;
  int event;
};

const DiffCase kDiffCases[] = {
    // fields, props access
    {"kind == 'click'", 0}, {"kind == 'click'", 1}, {"kind == 'click'", 2}, {"kind", 1}, {"kind is None", 1},
    {"kind is not None", 0}, {"clickId", 2}, {"itemId", 2}, {"type + ':' + pageId", 0}, {"ts", 0},
    {"ts // 1000", 0}, {"ts % 1000", 0}, {"ts / 1000", 0}, {"pageId in ('JD_Detail', 'JD_Cart')", 0},
    {"pageId not in ['A', 'B']", 2}, {"pageId in ('A','B') and props.get('price', 0) >= 100", 0},
    {"pageId in ('A','B') and props.get('price', 0) >= 100", 2},
    {"pageId in ('A','B') and props.get('price', 0) >= 100", 3}, {"props.price", 0}, {"props['price']", 0},
    {"props['missing']", 0}, {"props.missing", 0}, {"props.get('missing')", 0}, {"props.get('missing', 'd')", 0},
    {"props.get('none', 5)", 0}, {"props.none is None", 0}, {"props.qty * props.price", 0},
    {"props.qty + True", 0}, {"props.tags == props.tags", 0}, {"'a' in props.tags", 0},
    {"'z' not in props.tags", 0}, {"len(props.tags)", 0}, {"len(props.info)", 0}, {"'k' in props.info", 0},
    {"props.info == 5", 0}, {"bool(props.tags)", 0}, {"min(props.nums)", 0}, {"max(props.nums)", 0},
    {"1.5 in props.nums", 0}, {"props.flag and 'yes'", 0}, {"props.empty or 'default'", 0},
    {"props.zero or props.none", 0}, {"props.price", 1}, {"props.get('price', -1)", 1}, {"props['x']", 1},
    {"props.get('price', 1 / 0)", 0},
    // floor division and modulo with signs
    {"props.neg // 2", 0}, {"props.neg % 3", 0}, {"-7 // -2", 0}, {"7 // -2", 0}, {"7 % -2", 0},
    {"-7 % -2", 0}, {"-7.5 // 2", 0}, {"-7.5 % 2", 0}, {"7.5 % -2", 0}, {"0.0 % -1", 0}, {"-0.0 // 1", 0},
    {"7 // 2.0", 0}, {"-7 // 2.0", 0}, {"7.0 % 2.5", 0}, {"5 % 3.0", 0}, {"-5 % 3.0", 0}, {"1e300 // 1e-300", 0},
    {"1 // 0", 0}, {"1 % 0", 0}, {"1.0 / 0", 0}, {"1.0 // 0.0", 0}, {"1.5 % 0", 0}, {"10 // False", 0},
    {"5 / 2", 0}, {"4 / 2", 0}, {"10 / True", 0}, {"3 - True", 0}, {"1 / 7", 0}, {"-9223372036854775807 - 1", 0},
    {"9223372036854775807", 0}, {"-9223372036854775807 // 3", 0}, {"9007199254740993 / 3", 0},
    // powers
    {"2 ** 10", 0}, {"2 ** -1", 0}, {"(-2) ** -2", 0}, {"(-2) ** -3", 0}, {"2 ** 0.5", 0}, {"(-8) ** 3", 0},
    {"0 ** 0", 0}, {"0 ** -1", 0}, {"0.0 ** -2.5", 0}, {"10.0 ** 400", 0}, {"10 ** -400", 0}, {"-2 ** 2", 0},
    {"2 ** 3 ** 2", 0}, {"2 ** -2 ** 2", 0}, {"2.0 ** 0.5 ** 2", 0}, {"10 ** 18", 0}, {"2 ** 62", 0},
    {"(-2) ** 63", 0}, {"1 ** 1e300", 0}, {"(-1.0) ** 1e300", 0}, {"True ** 2", 0}, {"float('nan') ** 0", 0},
    {"(-8.0) ** 2.0", 0}, {"0.5 ** 1100", 0},
    // equality and comparison
    {"1 == 1.0 == True", 0}, {"1 == 1.0 is True", 0}, {"True == 1 == 1.0", 0}, {"False < True", 0},
    {"True + True", 0}, {"True * 3.5", 0}, {"None == None", 0}, {"None == 0", 0}, {"None != False", 0},
    {"None < 1", 0}, {"kind < 'd'", 1}, {"'abc' < 'abd'", 0}, {"'abc' < 'ab'", 0}, {"'B' < 'a'", 0},
    {"'é' > 'z'", 0}, {"'' < 'a'", 0}, {"'a' <= 'a' >= 'a'", 0}, {"1 < 2 < 3", 0}, {"1 < 3 < 2", 0},
    {"3 > 2 == 2", 0}, {"1 < 2 > 1.5", 0}, {"1 < 'a' < 2", 0}, {"2 < 1 < 'a'", 0}, {"'a' < 'b' < 'c' < 'a'", 0},
    {"0.1 + 0.2", 0}, {"0.1 + 0.2 == 0.3", 0}, {"0.1 * 3 == 0.3", 0}, {"-0.0 == 0", 0},
    {"float('nan') == float('nan')", 0}, {"float('nan') != float('nan')", 0}, {"float('nan') < 1", 0},
    {"float('nan') >= float('nan')", 0}, {"9007199254740993 == 9007199254740992.0", 0},
    {"9007199254740992 == 9007199254740992.0", 0}, {"props.big == 9007199254740992.0", 0},
    {"props.big < 9007199254740994.0", 0}, {"props.big > 9007199254740992.0", 0},
    {"9223372036854775807 < 9223372036854775808.0", 0}, {"-9223372036854775807 - 1 == -9223372036854775808.0", 0},
    {"1.5 < props.qty <= 3", 0}, {"pageId == 'B' == pageId", 3}, {"'1' == 1", 0}, {"props.tags < 1", 0},
    {"None > None", 0}, {"'a' >= None", 0},
    // float repr through str() and results
    {"1e16", 0}, {"1e16 + 1", 0}, {"1e-5", 0}, {"123456789.123456789", 0}, {"1 / 3", 0}, {"2 / 3", 0},
    {"1e22", 0}, {"1e23", 0}, {"float('inf')", 0}, {"float('-inf') < 0", 0}, {"1e308 * 10", 0},
    {"-1e308 * 10", 0}, {"3 * 1.1", 0}, {"1.1 * 1.1", 0}, {"100 * 1.1", 0}, {"1e400", 0}, {".5 + 5.", 0},
    {"str(1.0)", 0}, {"str(0.1)", 0}, {"str(None)", 0}, {"str(True)", 0}, {"str(-0.0)", 0}, {"str(1e16)", 0},
    {"str(12345678901234567890.0)", 0}, {"str(-0.0 + 0)", 0}, {"str(ts)", 0}, {"str()", 0}, {"str('x')", 0},
    {"str(props.f * 3)", 0}, {"str(1e-7)", 0}, {"str(0.0001)", 0},
    // round: banker's rounding, correctly rounded decimals
    {"round(2.5)", 0}, {"round(3.5)", 0}, {"round(-2.5)", 0}, {"round(0.5)", 0}, {"round(-0.5)", 0},
    {"round(1.5, None)", 0}, {"round(2.675, 2)", 0}, {"round(0.125, 2)", 0}, {"round(0.375, 2)", 0},
    {"round(1234.5, -2)", 0}, {"round(1250, -2)", 0}, {"round(1350, -2)", 0}, {"round(-1250.0, -2)", 0},
    {"round(5.0, -1)", 0}, {"round(-5.0, -1)", 0}, {"round(15, -1)", 0}, {"round(25, -1)", 0},
    {"round(-25, -1)", 0}, {"round(True)", 0}, {"round(float('nan'))", 0}, {"round(float('inf'))", 0},
    {"round('a')", 0}, {"round(2.5, 1.0)", 0}, {"round(1e300, -400)", 0}, {"round(-0.4, 0)", 0},
    {"round(1.0000000000000002, 15)", 0}, {"round(props.price)", 0}, {"round(props.price, 1)", 0},
    {"round(props.f, 1)", 0}, {"round(1e20, 5)", 0}, {"round(123.456, 400)", 0}, {"round(5e-324, 2)", 0},
    {"round(9.5, 0)", 0}, {"round(1.7976931348623157e308, -308)", 0}, {"round(-7, True)", 0},
    {"round(999999999999999999, -18)", 0},
    // int / float / len / abs / bool / min / max
    {"int(3.9)", 0}, {"int(-3.9)", 0}, {"int(-0.5)", 0}, {"int(1e18)", 0}, {"int('42')", 0},
    {"int(props.neg)", 2}, {"int(props.u)", 2}, {"int(props.bad)", 2}, {"int(props.fl)", 2}, {"int(None)", 0},
    {"int(True)", 0}, {"int()", 0}, {"int(float('nan'))", 0}, {"int(float('-inf'))", 0}, {"int('')", 0},
    {"int('_1')", 0}, {"int('1__0')", 0}, {"int('+7')", 0}, {"float('1.5')", 0}, {"float(props.fl)", 2},
    {"float(props.inf)", 2}, {"float('  -inf ')", 0}, {"float('1_0.5')", 0}, {"float('abc')", 0},
    {"float(None)", 0}, {"float(3)", 0}, {"float()", 0}, {"float('1e5')", 0}, {"float('.5')", 0},
    {"float('5.')", 0}, {"float('.')", 0}, {"float('nan') != 0", 0}, {"float('1e400')", 0}, {"float(props.n)", 2},
    {"len('abc')", 0}, {"len(props.cn)", 0}, {"len('')", 0}, {"len(5)", 0}, {"len(None)", 0},
    {"len(props.s)", 2}, {"abs(-3)", 0}, {"abs(-3.5)", 0}, {"abs(True)", 0}, {"abs('a')", 0}, {"abs(-0.0)", 0},
    {"abs(props.neg) + props.zero", 0}, {"min(3, 1, 2)", 0}, {"max(3, 1, 2)", 0}, {"min(1, 1.0)", 0},
    {"max(1.0, 1)", 0}, {"min((4, 2, 8))", 0}, {"max([1, 5, 3])", 0}, {"min('bca')", 0}, {"max('hello')", 0},
    {"min(())", 0}, {"min(1, 'a')", 0}, {"min(5)", 0}, {"max(True, 1)", 0}, {"min(props.tags)", 0},
    {"max(props.qty, props.price)", 0}, {"max(props.price, 100)", 3}, {"min(-0.0, 0.0)", 0},
    {"max(0.0, -0.0)", 0}, {"max(props.cn)", 0}, {"min([kind])", 1}, {"bool(0)", 0}, {"bool('')", 0},
    {"bool('a')", 0}, {"bool(None)", 0}, {"bool(0.0)", 0}, {"bool()", 0}, {"bool(float('nan'))", 0},
    // and / or / not / conditional
    {"0 or 'x'", 0}, {"'' or 0", 0}, {"1 and 2", 0}, {"0 and 1 / 0", 0}, {"1 or 1 / 0", 0},
    {"None or False", 0}, {"'a' and 'b' or 'c'", 0}, {"not 0", 0}, {"not 'a'", 0}, {"not None", 0},
    {"(kind == 'click') + 1", 0}, {"'big' if props.price > 100 else 'small'", 0},
    {"'big' if props.price > 100 else 'small'", 3}, {"1 if None else 2", 0},
    {"props.missing if props.missing else 'none'", 0}, {"1 if 0 else 2 if 0 else 3", 0},
    {"(1 if kind else 0) + (1 if clickId else 0)", 2}, {"not (kind == 'click' and pageId == 'JD_Detail')", 0},
    {"kind == 'click' or pageId == 'X'", 1}, {"(props.qty or 0) > 2", 0}, {"props.qty and props.missing", 0},
    {"not not 2", 0}, {"kind and kind.upper()", 1},
    // str methods
    {"props.brand.lower()", 0}, {"props.brand.upper()", 0}, {"props.title.strip()", 0},
    {"props.title.strip(' iPo')", 0}, {"clickId.startswith('JD_Detail')", 0}, {"clickId.endswith('Cart')", 0},
    {"clickId.startswith(('X', 'JD'))", 0}, {"clickId.startswith(('X', 'Y'))", 0}, {"clickId.startswith(1)", 0},
    {"clickId.startswith(('JD', 1))", 0}, {"clickId.startswith(('X', 1))", 0}, {"kind.upper()", 1},
    {"props.s.lower()", 2}, {"props.s.upper()", 2}, {"props.fw.lower()", 2}, {"props.fw.upper()", 2},
    {"props.ru.lower()", 2}, {"props.ru.upper()", 2}, {"props.ws.strip()", 2}, {"'abc'.strip('ac')", 0},
    {"'  '.strip()", 0}, {"'xxhixx'.strip('x')", 0}, {"props.cn.startswith('京东')", 0},
    {"props.cn.strip('京机')", 0}, {"'a'.strip(None)", 0}, {"'a'.strip(1)", 0}, {"(1).lower()", 0},
    {"props.tags.lower()", 0}, {"props.category.upper() == 'PHONE'", 3}, {"''.startswith('')", 0},
    {"'ab'.endswith('abc')", 0}, {"props.esc.upper()", 2},
    // in
    {"'Pro' in props.title", 0}, {"'' in 'abc'", 0}, {"'x' in ''", 0}, {"1 in 'abc'", 0}, {"'a' in 5", 0},
    {"'a' in kind", 1}, {"1 in (1.0, 2)", 0}, {"True in (1, 2)", 0}, {"None in (None,)", 0}, {"'a' in ('a',)", 0},
    {"3 in ()", 0}, {"kind in ('click', None)", 1}, {"1 in (1, 1 / 0)", 0}, {"'b' not in ('a', 'b')", 0},
    {"pageId in ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'JD_Detail', 'k')", 0},
    {"pageId in ('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k')", 0}, {"ts in (5, 'x', None)", 1},
    {"kind in [kind, 1 / 1]", 0}, {"'JD' in pageId", 0}, {"props.tags in (1, 2)", 0},
    {"props.tags in props.info", 0},
    // is
    {"props.flag is True", 0}, {"props.qty is None", 0}, {"None is None", 0}, {"True is not False", 0},
    {"1 is True", 0},
    // literals and arithmetic
    {"0x1F + 0o17 + 0b101", 0}, {"1_000_000", 0}, {"1e3", 0}, {"10 - 3 - 2", 0}, {"2 * 3 + 4 * 5", 0},
    {"(2 + 3) * 4", 0}, {"17 % 5 * 2", 0}, {"-(-3)", 0}, {"+True", 0}, {"-True", 0}, {"- 'a'", 0}, {"+'a'", 0},
    {"'a' 'b'", 0}, {"\"it's\"", 0}, {"'say \"hi\"'", 0}, {"'\\x41\\u00e9\\U0001F600\\n'", 0},
    {"r'\\d+'", 0}, {"'\\101\\0'", 0}, {"'\\q'", 0}, {"u'x'", 0}, {"'''a'b'''", 0}, {"3 * 'ab'", 0},
    {"'ab' * 0", 0}, {"'ab' * -1", 0}, {"'ab' * True", 0}, {"'a' + 1", 0}, {"1 + 'a'", 0}, {"'a' * 'b'", 0},
    {"'a' * 1.5", 0}, {"None + 1", 0}, {"1e308 + 1e308", 0}, {"ts > 1700000000000 and kind == 'click'", 0},
    {"props.get('price', 0) * props.get('qty', 1)", 3}, {"props.userId % 100", 3},
    {"str(props.userId) + '_' + props.category", 3}, {"float(props.ratio) ** 2", 0}, {"props.ratio // 1", 0},
    {"props.f * 3", 0}, {"len(str(ts))", 0}, {"props.tags + 1", 0}, {"-props.tags", 0},
};

// A random expression over the supported language for the differential test.
// Leaves and exponents are small so that CPython's big ints stay cheap (our
// ints are 64-bit: where CPython's result does not fit, we raise OverflowError
// and the case is not compared).
std::string RandomPyExpr(std::mt19937& rng, int depth) {
  static const char* kLeaves[] = {"kind", "pageId", "clickId", "props.price", "props.qty", "props['brand']",
                                  "props.get('missing', 0)", "props.none", "props.cn", "props.neg", "props.f",
                                  "props.ratio", "props.zero", "props.empty", "props.title", "1", "0", "-3", "2",
                                  "2.5", "0.1", "-0.0", "1e308", "'a'", "''", "'JD'", "'JD_Detail'", "' x '",
                                  "True", "False", "None", "float('nan')", "float('-inf')", "7", "-1.5"};
  static const char* kBin[] = {" + ", " - ", " * ", " / ", " // ", " % ", " == ", " != ", " < ", " <= ", " > ",
                               " >= ", " in ", " not in ", " and ", " or "};
  static const char* kCalls1[] = {"len", "str", "int", "float", "abs", "bool", "round"};
  static const char* kCalls2[] = {"round", "min", "max"};
  static const char* kMethods[] = {".lower()", ".upper()", ".strip()", ".startswith('J')",
                                   ".endswith(('a', 'il'))", ".strip('x ')"};
  static const char* kExps[] = {"2", "3", "-1", "0.5", "0", "-2", "1.5"};
  auto pick = [&](const auto& arr) { return std::string(arr[rng() % (sizeof arr / sizeof arr[0])]); };
  auto sub = [&] { return "(" + RandomPyExpr(rng, depth - 1) + ")"; };
  if (depth <= 0 || rng() % 5 == 0) return pick(kLeaves);
  switch (rng() % 12) {
    case 0:
    case 1:
    case 2:
    case 3:
      return sub() + pick(kBin) + sub();
    case 4:
      return std::string(rng() % 3 == 0 ? "not " : rng() % 2 ? "-" : "+") + sub();
    case 5:
      return pick(kCalls1) + sub();
    case 6:
      return pick(kCalls2) + "(" + RandomPyExpr(rng, depth - 1) + ", " + RandomPyExpr(rng, depth - 1) + ")";
    case 7:
      return sub() + pick(kMethods);
    case 8:
      return sub() + " ** " + pick(kExps);
    case 9:
      return sub() + " if " + sub() + " else " + sub();
    case 10: {
      bool list = rng() % 2;
      return sub() + (rng() % 2 ? " in " : " not in ") + (list ? "[" : "(") + RandomPyExpr(rng, depth - 1) + ", " +
             pick(kLeaves) + (list ? "]" : ")");
    }
    default:
      return sub() + (rng() % 2 ? " < " : " == ") + sub() + (rng() % 2 ? " <= " : " != ") + sub() +
             (rng() % 2 ? " is None" : "");
  }
}

// One line of the table for the Python side, and its parsed answer.
struct Outcome {
  std::string type;   // Python type name, or "" when an exception was raised
  std::string value;  // str() of the value (repr() for floats), or the exception name
};

Outcome OurOutcome(const Expr& expr, const EventView& view) {
  auto r = expr.Eval(view);
  if (!r.ok()) {
    const std::string& m = r.status().message();
    return {"", m.substr(0, m.find(':'))};
  }
  static const char* kNames[] = {"NoneType", "bool", "int", "float", "str", "json"};
  Outcome o{kNames[static_cast<int>(r->kind)], ToKeyString(*r)};
  if (r->kind == Kind::kJson) {
    o.type = r->s[0] == '[' ? "list" : "dict";
    o.value = "";  // Python's repr of a dict differs from JSON; compare the type only
  }
  return o;
}

const char kPythonHarness[] = R"PY(
import builtins, json, resource, sys, warnings
warnings.simplefilter('ignore')
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # a huge str * int fails fast

class Props:
    __slots__ = ('_d',)
    def __init__(self, d):
        object.__setattr__(self, '_d', d)
    def __getattr__(self, name):
        return object.__getattribute__(self, '_d').get(name)
    def __getitem__(self, key):
        return self._d[key]
    def get(self, key, default=None):
        return self._d.get(key, default)

B = {n: getattr(builtins, n) for n in ('len', 'str', 'int', 'float', 'abs', 'min', 'max', 'round', 'bool')}
for line in open(sys.argv[1], encoding='utf-8'):
    case = json.loads(line)
    ev = json.loads(case['event'])
    env = {'type': ev['type'], 'kind': ev.get('kind') or None, 'pageId': ev['pageId'],
           'clickId': ev.get('clickId') or None, 'itemId': ev.get('itemId') or None, 'ts': ev['ts'],
           'props': Props(ev.get('props') or {})}
    try:
        v = eval(case['expr'], {'__builtins__': B}, env)
        t = type(v).__name__
        out = {'type': t, 'value': repr(v) if t == 'float' else v if t == 'str' else str(v)}
        if t in ('list', 'dict'):
            out['value'] = ''
    except Exception as e:
        out = {'type': '', 'value': type(e).__name__}
    print(json.dumps(out))
)PY";

std::vector<Outcome> RunPython(const std::vector<std::pair<std::string, std::string>>& cases) {
  testing::TempDir dir;
  std::string table;
  for (const auto& [expr, event] : cases) table += nlohmann::json({{"expr", expr}, {"event", event}}).dump() + "\n";
  std::string table_path = dir.Write("cases.jsonl", table);
  std::string script_path = dir.Write("harness.py", kPythonHarness);
  std::string cmd = "/usr/bin/python3 " + script_path + " " + table_path;
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::vector<Outcome> out;
  if (!p) return out;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << "python3 failed";
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    out.push_back({j["type"].get<std::string>(), j["value"].get<std::string>()});
  }
  return out;
}

TEST(Expr, MatchesCPython) {
  constexpr size_t kTableCases = sizeof kDiffCases / sizeof kDiffCases[0];
  ASSERT_GE(kTableCases, 150u);
  std::vector<std::pair<std::string, std::string>> cases;
  for (const auto& c : kDiffCases) cases.emplace_back(c.expr, kEvents[c.event]);
  // Float repr and props number parsing: random doubles of every magnitude.
  std::mt19937_64 rng(20240521);
  std::vector<double> doubles = {5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1e15, 1e16,
                                 9999999999999998.0, 1e-4, 9.999999999999999e-5, 123456.789e3};
  while (doubles.size() < 80) {
    uint64_t bits = rng();
    double d;
    if (doubles.size() % 2) {
      std::memcpy(&d, &bits, sizeof d);
    } else {
      d = std::ldexp(static_cast<double>(bits >> 11), static_cast<int>(rng() % 140) - 110);
    }
    if (std::isfinite(d)) doubles.push_back(d);
  }
  for (double d : doubles) {
    char num[40];
    std::snprintf(num, sizeof num, "%.17g", d);
    std::string ev = std::string(R"({"type":"mta","pageId":"A","ts":1,"props":{"x":)") + num + "}}";
    cases.emplace_back("props.x", ev);
    cases.emplace_back("props.x * 3", ev);
  }
  size_t fixed_cases = cases.size();
  // Random expressions from the grammar, on three of the events.
  std::mt19937 expr_rng(99);
  for (int k = 0; k < 1500; ++k) cases.emplace_back(RandomPyExpr(expr_rng, 4), kEvents[(k % 3) == 2 ? 3 : k % 2]);

  std::vector<Outcome> want = RunPython(cases);
  ASSERT_EQ(want.size(), cases.size());
  int mismatches = 0, random_compared = 0, random_skipped = 0, random_values = 0;
  for (size_t k = 0; k < cases.size(); ++k) {
    bool random = k >= fixed_cases;
    const std::string& src = cases[k].first;
    auto compiled = Expr::Compile(src);
    Outcome got;
    if (!compiled.ok()) {
      const std::string& m = compiled.status().message();
      if (!random) {
        ADD_FAILURE() << src << ": " << compiled.status().ToString();
        continue;
      }
      if (want[k].type.empty() && want[k].value == "SyntaxError") {
        ++random_compared;
        continue;
      }
      // Constructs the language leaves out on purpose.
      if (m.find("tuples and lists are only supported") != std::string::npos ||
          m.find("'%' string formatting") != std::string::npos) {
        ++random_skipped;
        continue;
      }
      got = {"", "compile error: " + m};
    } else {
      Event e = MustParse(cases[k].second);
      EventView view(e);
      got = OurOutcome(**compiled, view);
      if (random && got.type.empty()) {
        auto r = (*compiled)->Eval(view);
        const std::string& m = r.status().message();
        bool documented_limit = got.value == "OverflowError" || got.value == "MemoryError" ||
                                m.find("fractional power") != std::string::npos ||
                                m.find("%-formatting") != std::string::npos;
        if (documented_limit && !(want[k].type.empty() && want[k].value == got.value)) {
          ++random_skipped;  // CPython has big ints, complex numbers and %-formatting
          continue;
        }
      }
    }
    if (random) {
      ++random_compared;
      random_values += !want[k].type.empty();
    }
    if (got.type != want[k].type || got.value != want[k].value) {
      if (++mismatches > 40) continue;  // the first ones say enough
      ADD_FAILURE() << src << "   on event " << cases[k].second.substr(0, 60) << "...\n  python: "
                    << (want[k].type.empty() ? "raises " : want[k].type + " ") << want[k].value
                    << "\n  ours:   " << (got.type.empty() ? "raises " : got.type + " ") << got.value;
    }
  }
  EXPECT_EQ(mismatches, 0);
  std::printf("[ differential ] %zu table cases + %zu float cases + %d random expressions (%d of them values, "
              "the rest exceptions; %d more skipped: 64-bit ints, complex, %%-formatting) compared with CPython, "
              "%d mismatches\n",
              kTableCases, fixed_cases - kTableCases, random_compared, random_values, random_skipped, mismatches);
}

// ---------------------------------------------------------------------------
// Hostile input

bool IsPythonError(const std::string& m) {
  for (const char* name : {"TypeError: ", "ZeroDivisionError: ", "KeyError: ", "OverflowError: ", "ValueError: ",
                           "AttributeError: ", "MemoryError: "}) {
    if (m.rfind(name, 0) == 0) return true;
  }
  return false;
}

bool IsCompileError(const std::string& m) {
  return m.rfind("column ", 0) == 0 || m.rfind("line ", 0) == 0 || m.rfind("expression too long", 0) == 0;
}

// A random expression from the supported grammar (so that many inputs get
// past the parser and exercise evaluation).
std::string RandomExpr(std::mt19937& rng, int depth) {
  static const char* kLeaves[] = {"kind", "pageId", "clickId", "ts", "props.price", "props.qty", "props['brand']",
                                  "props.get('tags')", "props.get('missing', 0)", "props.none", "props.info",
                                  "props.nums", "props.cn", "props.neg", "1", "0", "-3", "2.5", "0.1", "1e308",
                                  "'a'", "''", "'JD'", "True", "False", "None", "9223372036854775807"};
  static const char* kBin[] = {" + ", " - ", " * ", " / ", " // ", " % ", " ** ", " == ", " != ", " < ", " <= ",
                               " > ", " >= ", " in ", " not in ", " and ", " or "};
  static const char* kCalls[] = {"len", "str", "int", "float", "abs", "bool", "round", "min", "max"};
  static const char* kMethods[] = {".lower()", ".upper()", ".strip()", ".startswith('J')", ".endswith(('a', 'b'))",
                                   ".strip('x')"};
  if (depth <= 0 || rng() % 4 == 0) return kLeaves[rng() % (sizeof kLeaves / sizeof kLeaves[0])];
  switch (rng() % 8) {
    case 0:
    case 1:
    case 2:
      return "(" + RandomExpr(rng, depth - 1) + ")" + kBin[rng() % (sizeof kBin / sizeof kBin[0])] + "(" +
             RandomExpr(rng, depth - 1) + ")";
    case 3:
      return std::string(rng() % 2 ? "not " : "-") + RandomExpr(rng, depth - 1);
    case 4:
      return "(" + RandomExpr(rng, depth - 1) + ")";
    case 5: {
      std::string fn = kCalls[rng() % (sizeof kCalls / sizeof kCalls[0])];
      std::string args = RandomExpr(rng, depth - 1);
      if (fn == "round" || fn == "min" || fn == "max") args += ", " + RandomExpr(rng, depth - 1);
      return fn + "(" + args + ")";
    }
    case 6:
      return "(" + RandomExpr(rng, depth - 1) + ")" + kMethods[rng() % (sizeof kMethods / sizeof kMethods[0])];
    default:
      return "(" + RandomExpr(rng, depth - 1) + " if " + RandomExpr(rng, depth - 1) + " else " +
             RandomExpr(rng, depth - 1) + ")" + (rng() % 2 ? "" : " in (1, 'a', None)");
  }
}

TEST(Expr, RandomGarbageGivesErrorsNotCrashes) {
  Event e = MustParse(kEvents[0]);
  static const char* kFragments[] = {
      "kind", "props", ".", "get", "(", ")", "[", "]", "'a'", "\"b\"", "1", "2.5", "-", "+", "*", "**", "//",
      "%", "/", "==", "<", ">=", "!=", "in", "not", "and", "or", "if", "else", "is", "None", "True", ",", "len",
      "min", "max", "round", "str", "int", "float", "abs", "bool", "lower", "strip", "startswith", "'", "\\",
      "0x", "1e", "lambda", "for", "=", ":", "price", "props.price", "props.get('qty', 0)", "props['tags']",
      "ts", "pageId", "clickId", " ", "\n", "#", "'\\u", "'\\x4'", "1_0", "9223372036854775807", "0", "-1",
      "props.info", "props.nums", "'京'", "\xff", "\xe4\xb8", "{", "}", "~", "&", "@", ";", "1j", "r'", "b'",
  };
  std::mt19937 rng(7);
  int compiled = 0, evaluated = 0;
  for (int k = 0; k < 10000; ++k) {
    std::string src;
    if (k % 3 == 0) {
      int n = rng() % 32;
      for (int j = 0; j < n; ++j) src.push_back(static_cast<char>(rng() % 256));
    } else if (k % 3 == 1) {
      src = RandomExpr(rng, 5);
      for (int m = rng() % 3; m > 0 && !src.empty(); --m) {  // a few byte mutations
        size_t at = rng() % src.size();
        switch (rng() % 3) {
          case 0: src.erase(at, 1); break;
          case 1: src.insert(at, 1, "()[]'\",.+-*<=x0 \n"[rng() % 17]); break;
          default: src[at] = static_cast<char>(rng() % 256); break;
        }
      }
    } else {
      int n = 1 + rng() % 24;
      for (int j = 0; j < n; ++j) {
        src += kFragments[rng() % (sizeof kFragments / sizeof kFragments[0])];
        if (rng() % 2) src += ' ';
      }
    }
    auto x = Expr::Compile(src);
    if (!x.ok()) {
      EXPECT_TRUE(IsCompileError(x.status().message())) << src << " -> " << x.status().message();
      continue;
    }
    ++compiled;
    EventView view(e);
    auto r = (*x)->Eval(view);
    if (r.ok()) {
      ++evaluated;
    } else {
      EXPECT_TRUE(IsPythonError(r.status().message())) << src << " -> " << r.status().message();
    }
    (void)(*x)->Test(view);
  }
  std::printf("[ garbage ] 10000 inputs: %d compiled, %d evaluated without error\n", compiled, evaluated);
}

TEST(Expr, DeepNestingAndLongInputAreRejectedCleanly) {
  auto rep = [](const std::string& s, int n) {
    std::string out;
    for (int k = 0; k < n; ++k) out += s;
    return out;
  };
  struct {
    std::string src;
    const char* want;
  } rejected[] = {
      {rep("(", 101) + "1" + rep(")", 101), "nested too deeply"},
      {rep("(", 30000) + "1" + rep(")", 30000), "nested too deeply"},
      {rep("(", 100000), "expression too long"},
      {rep("-", 30000) + "1", "nested too deeply"},
      {rep("not ", 10000) + "1", "nested too deeply"},
      {rep("[", 30000), "nested too deeply"},
      {"2" + rep(" ** 2", 200), "nested too deeply"},
      {rep("1 if 1 else ", 200) + "1", "nested too deeply"},
      {rep("props.get('a', ", 150) + "1" + rep(")", 150), "nested too deeply"},
      {rep("min(1, ", 150) + "1" + rep(")", 150), "nested too deeply"},
      {"'a'" + rep(".lower()", 300), "nested too deeply"},
      {rep("(1 + ", 99) + "1" + rep(")", 99) + rep(" + 1", 10), ""},  // accepted: see below
  };
  for (const auto& c : rejected) {
    auto x = Expr::Compile(c.src);
    if (*c.want == 0) {
      EXPECT_TRUE(x.ok()) << x.status().ToString();
      continue;
    }
    ASSERT_FALSE(x.ok()) << c.src.substr(0, 40);
    EXPECT_NE(x.status().message().find(c.want), std::string::npos) << x.status().message();
  }
  Event e = MustParse(kEvents[0]);
  EventView view(e);
  auto hundred = MustCompile(rep("(", 100) + "1" + rep(")", 100));
  EXPECT_EQ(hundred->Eval(view)->i, 1);
  auto long_sum = MustCompile("1" + rep(" +1", 16000));  // flat chains are not nesting
  EXPECT_EQ(long_sum->Eval(view)->i, 16001);
  auto long_and = MustCompile(rep("props.qty < 5 and ", 3000) + "True");
  EXPECT_TRUE(long_and->Test(view));
  auto chain = MustCompile("0" + rep(" < 1", 5000));
  EXPECT_FALSE(chain->Test(view));
}

// ---------------------------------------------------------------------------
// Speed (printed, never asserted)

// This thread's CPU time, so that other processes on a busy machine do not
// inflate the figure.
double ThreadCpuNanos() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

template <typename F>
double NanosPerCall(int n, F f) {
  double t0 = ThreadCpuNanos();
  for (int k = 0; k < n; ++k) f();
  return (ThreadCpuNanos() - t0) / n;
}

TEST(Expr, PrintsEvaluationSpeed) {
  Event e = MustParse(
      R"({"type":"mta","kind":"click","pageId":"A","ts":1700000000000,)"
      R"("props":{"price":129.5,"qty":3,"brand":"Apple","userId":"u123"}})");
  auto click = MustCompile("kind == 'click'");
  auto filter = MustCompile("pageId in ('A','B') and props.get('price', 0) >= 100");
  EventView warm(e);
  ASSERT_TRUE(filter->Test(warm));
#ifdef EDGEFLOW_SANITIZE
  constexpr int kN = 20000;  // sanitizer figures only show the loop ran
#else
  constexpr int kN = 1000000;
#endif
  int sink = 0;  // printed below so the loops are not optimised away
  double t_click = NanosPerCall(kN, [&] { sink += click->Test(warm); });
  double t_click_eval = NanosPerCall(kN, [&] { sink += click->Eval(warm).ok(); });
  double t_filter = NanosPerCall(kN, [&] { sink += filter->Test(warm); });
  double t_filter_eval = NanosPerCall(kN, [&] { sink += filter->Eval(warm).ok(); });
  double t_filter_fresh = NanosPerCall(kN, [&] {
    EventView v(e);  // includes parsing the 4 props
    sink += filter->Test(v);
  });
  std::printf("[ speed ] thread CPU time per call, %d calls each\n", kN);
  std::printf("[ speed ] kind == 'click': %.1f ns/Test, %.1f ns/Eval\n", t_click, t_click_eval);
  std::printf("[ speed ] pageId in ('A','B') and props.get('price', 0) >= 100: %.1f ns/Test, %.1f ns/Eval "
              "(props parsed), %.1f ns/Test with a fresh EventView (parse of 4 props included)\n",
              t_filter, t_filter_eval, t_filter_fresh);
  std::printf("[ speed ] (%d true results)\n", sink);
}

}  // namespace
}  // namespace edgeflow::pipeline
