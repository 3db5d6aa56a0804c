// The fixed inputs of the pipeline fuzzers: 20 events that reach every
// acceptance path (late, duplicate, out of order, missing fields) and the
// props the feature library reads, and the one bundle resource they may name.
#ifndef EDGEFLOW_FUZZ_PIPELINE_FIXED_EVENTS_H_
#define EDGEFLOW_FUZZ_PIPELINE_FIXED_EVENTS_H_

#include <cstdlib>
#include <string>
#include <vector>

#include "edgeflow/event.h"
#include "edgeflow/status.h"

namespace edgeflow::fuzz {

// ts 1700000000000 is Tuesday 2023-11-14 22:13:20 UTC; the stream crosses
// midnight, a 30 min session gap and a one-day window.
inline const std::vector<Event>& FixedEvents() {
  static const std::vector<Event> events = [] {
    const char* lines[] = {
        R"({"type":"mta","kind":"pv","pageId":"Home","ts":1700000000000,"props":{"userId":"u1","sessionId":"s1"}})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"a","ts":1700000001000,"props":{"userId":"u1","price":10,"category":"shoes","brand":"x","dwellMs":1200}})",
        R"({"type":"mta","kind":"exposure","pageId":"Detail","itemId":"b","ts":1700000001500,"props":{"userId":"u1"}})",
        R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_AddCart","itemId":"a","ts":1700000002000,"props":{"userId":"u1","sessionId":"s1"}})",
        R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_AddCart","itemId":"a","ts":1700000002000,"props":{"userId":"u1","sessionId":"s1"}})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"b","ts":1700000003000,"props":{"userId":"u2","price":30.5,"category":"bags","brand":"y"}})",
        R"({"type":"mta","kind":"click","pageId":"List","clickId":"List_Search","ts":1700000004000,"props":{"query":"red shoes","userId":"u1"}})",
        R"({"type":"mta","kind":"pv","pageId":"List","ts":1699999900000,"props":{"userId":"u1"}})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"a","ts":1700000003500,"props":{"userId":"u1","price":true,"category":"shoes"}})",
        R"({"type":"mta","kind":"click","pageId":"Pay","clickId":"Pay_Order","itemId":"a","ts":1700000005000,"props":{"userId":"u1","amount":9223372036854775807}})",
        R"({"type":"mta","kind":"click","pageId":"Pay","clickId":"Pay_Order","itemId":"b","ts":1700000005001,"props":{"userId":"u1","amount":1}})",
        R"({"type":"mta","kind":"custom","pageId":"Home","ts":1700000006000})",
        R"({"type":"sys","pageId":"","ts":1700000007000,"props":{"userId":null,"price":"cheap","tags":["a",1,null],"nested":{"k":[1,2]}}})",
        R"({"type":"mta","kind":"pv","pageId":"Home","ts":1700002000000,"props":{"userId":"u1","sessionId":"s2"}})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"c","ts":1700002001000,"props":{"userId":"u3","price":-1e308,"category":"京东"}})",
        R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_Favorite","itemId":"c","ts":1700002002000,"props":{"userId":"u3"}})",
        R"({"type":"mta","kind":"click","pageId":"Detail","clickId":"Detail_Share","itemId":"c","ts":1700001990000,"props":{"userId":"u3"}})",
        R"({"type":"mta","kind":"pv","pageId":"Home","ts":1700006400000,"props":{"userId":"u1","sessionId":"s3","price":1.5e308}})",
        R"({"type":"mta","kind":"exposure","pageId":"Home","itemId":"a","ts":1700006400000,"props":{"userId":"u2"}})",
        R"({"type":"mta","kind":"pv","pageId":"Detail","itemId":"a","ts":1700090000000,"props":{"userId":"u1","price":20,"category":"shoes","dwellMs":0}})",
    };
    std::vector<Event> out;
    for (const char* line : lines) {
      auto e = ParseEvent(line);
      if (!e.ok()) std::abort();  // a typo above, not a finding
      out.push_back(*e);
    }
    return out;
  }();
  return events;
}

// The bundle resources a manifest may name: one vocabulary file.
inline Result<std::string> ReadFixedResource(const std::string& name) {
  if (name == "items.txt") return std::string("\xEF\xBB\xBF" "a\r\nb\nc\n");
  return Status::NotFound("no resource \"" + name + "\"");
}

}  // namespace edgeflow::fuzz

#endif  // EDGEFLOW_FUZZ_PIPELINE_FIXED_EVENTS_H_
