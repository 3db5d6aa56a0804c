#include "core/metrics.h"

#include <gtest/gtest.h>

namespace edgeflow {
namespace {

TEST(LatencyHistogram, QuantilesWithinOneBucket) {
  LatencyHistogram h;
  for (int i = 1; i <= 1000; ++i) h.Record(i);
  EXPECT_EQ(h.count(), 1000);
  int64_t p50 = h.Quantile(0.5), p99 = h.Quantile(0.99);
  EXPECT_GE(p50, 500);
  EXPECT_LE(p50, 500 * 1.125 + 1);
  EXPECT_GE(p99, 990);
  EXPECT_LE(p99, 1000);  // capped by the max seen
}

TEST(LatencyHistogram, BucketBoundsAreMonotonic) {
  for (int64_t v : {0, 1, 7, 8, 9, 15, 16, 100, 1000, 123456789}) {
    int b = LatencyHistogram::BucketOf(v);
    EXPECT_GE(LatencyHistogram::BucketUpperBound(b), v) << v;
    if (b > 0) {
      EXPECT_LT(LatencyHistogram::BucketUpperBound(b - 1), v) << v;
    }
  }
}

TEST(MetricsRegistry, CountersAndHistogramsToJson) {
  MetricsRegistry m;
  m.GetCounter("a")->Add(2);
  m.GetCounter("a")->Add();
  m.GetHistogram("lat")->Record(10);
  EXPECT_EQ(m.ToJson(),
            R"({"counters":{"a":3},"histograms":{"lat":{"count":1,"p50_us":10,"p99_us":10,"max_us":10}}})");
}

}  // namespace
}  // namespace edgeflow
