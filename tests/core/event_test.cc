#include "edgeflow/event.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

TEST(Event, ParsesEveryFieldAndRoundTrips) {
  auto r = ParseEvent(
      R"({"type":"mta","kind":"click","pageId":"JD_Detail","clickId":"JD_Detail_AddCart",)"
      R"("itemId":"sku1","ts":1700000000123,"props":{"price":9.5,"tags":["a"]}})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->type, "mta");
  EXPECT_EQ(r->kind, "click");
  EXPECT_EQ(r->page_id, "JD_Detail");
  EXPECT_EQ(r->click_id, "JD_Detail_AddCart");
  EXPECT_EQ(r->item_id, "sku1");
  EXPECT_EQ(r->ts_ms, 1700000000123);
  EXPECT_EQ(r->props, R"({"price":9.5,"tags":["a"]})");
  auto again = ParseEvent(EventToJson(*r));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

TEST(Event, OptionalFieldsMayBeAbsent) {
  auto r = ParseEvent(R"({"type":"mta","pageId":"Home","ts":5})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(EventToJson(*r), R"({"type":"mta","pageId":"Home","ts":5})");
}

TEST(Event, BadInputNamesTheField) {
  struct Case {
    const char* json;
    const char* want;
  } cases[] = {
      {"{", "malformed JSON"},
      {"[1]", "expected a JSON object"},
      {R"({"pageId":"x","ts":1})", "missing field 'type'"},
      {R"({"type":"mta","ts":1})", "missing field 'pageId'"},
      {R"({"type":"mta","pageId":"x"})", "missing field 'ts'"},
      {R"({"type":"mta","pageId":"x","ts":"1"})", "field 'ts' must be an integer"},
      {R"({"type":"mta","pageId":"x","ts":1.5})", "field 'ts' must be an integer"},
      {R"({"type":"mta","pageId":"x","ts":-1})", "field 'ts' must not be negative"},
      {R"({"type":"mta","pageId":7,"ts":1})", "field 'pageId' must be a string"},
      {R"({"type":"mta","pageId":"x","ts":1,"props":[1]})", "field 'props' must be an object"},
  };
  for (const auto& c : cases) {
    auto r = ParseEvent(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.want), std::string::npos)
        << c.json << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace edgeflow
