#include "edgeflow/status.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

TEST(Status, OkIsCheapAndPrintsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_EQ(s.message(), "");
}

TEST(Status, ErrorCarriesCodeAndMessageWithContext) {
  Status s = Status::InvalidArgument("field 'ts' must be an integer").WithContext("events.jsonl:3");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid_argument: events.jsonl:3: field 'ts' must be an integer");
}

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  EF_ASSIGN_OR_RETURN(int h, Half(x));
  EF_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(Result, HoldsValueOrStatusAndPropagates) {
  int q = 0;
  EXPECT_TRUE(Quarter(8, &q).ok());
  EXPECT_EQ(q, 2);
  Status s = Quarter(6, &q);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

TEST(Result, ConstructedFromOkStatusBecomesInternalError) {
  Result<int> r{Status::OK()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace edgeflow
