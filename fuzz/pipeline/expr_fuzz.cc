// libFuzzer target: Expr::Compile on arbitrary bytes as an expression. A
// compile error is fine; an expression that compiles is evaluated on a fixed
// event, where it must give a value or a Python-style error, never crash.
#include <cstdlib>
#include <string_view>

#include "pipeline/expr.h"

namespace {

const edgeflow::Event& FixedEvent() {
  static const edgeflow::Event event = [] {
    edgeflow::Event e;
    e.type = "mta";
    e.kind = "click";
    e.page_id = "JD_Detail";
    e.click_id = "JD_Detail_AddCart";
    e.ts_ms = 1700000000123;
    e.props = R"({"price":129.5,"qty":3,"brand":"Apple","tags":["a","b"],"info":{"k":1},"none":null,)"
              R"("cn":"京东","big":9223372036854775807,"neg":-7,"flag":true})";
    return e;
  }();
  return event;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace edgeflow::pipeline;
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto expr = Expr::Compile(source);
  if (!expr.ok()) {
    if (expr.status().code() != edgeflow::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  EventView view(FixedEvent());
  auto value = (*expr)->Eval(view);
  if (!value.ok() && value.status().code() != edgeflow::StatusCode::kInvalidArgument) std::abort();
  // Test() is Eval's truthiness, an error counting as false.
  bool want = value.ok() && Truthy(*value);
  if ((*expr)->Test(view) != want) std::abort();
  return 0;
}
