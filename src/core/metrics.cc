// Metrics registry and the log-linear latency histogram.
#include "core/metrics.h"

#include <bit>
#include <nlohmann/json.hpp>

namespace edgeflow {

int LatencyHistogram::BucketOf(int64_t micros) {
  if (micros < (1 << kSubBits)) return micros < 0 ? 0 : static_cast<int>(micros);
  uint64_t v = static_cast<uint64_t>(micros);
  int msb = 63 - std::countl_zero(v);
  int shift = msb - kSubBits;
  int sub = static_cast<int>((v >> shift) & ((1 << kSubBits) - 1));
  int b = ((shift + 1) << kSubBits) + sub;
  return b < kBuckets ? b : kBuckets - 1;
}

int64_t LatencyHistogram::BucketUpperBound(int bucket) {
  if (bucket < (1 << kSubBits)) return bucket;
  int shift = (bucket >> kSubBits) - 1;
  int sub = bucket & ((1 << kSubBits) - 1);
  if (shift + kSubBits >= 62) return INT64_MAX;
  return ((static_cast<int64_t>((1 << kSubBits) + sub + 1)) << shift) - 1;
}

void LatencyHistogram::Record(int64_t micros) {
  buckets_[BucketOf(micros)].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  int64_t m = max_.load(std::memory_order_relaxed);
  while (micros > m && !max_.compare_exchange_weak(m, micros, std::memory_order_relaxed)) {
  }
}

int64_t LatencyHistogram::Quantile(double q) const {
  int64_t n = count();
  if (n == 0) return 0;
  int64_t rank = static_cast<int64_t>(q * static_cast<double>(n - 1)) + 1;
  int64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[b].load(std::memory_order_relaxed);
    if (seen >= rank) {
      int64_t ub = BucketUpperBound(b);
      int64_t mx = max();
      return ub < mx ? ub : mx;
    }
  }
  return max();
}

Counter* MetricsRegistry::GetCounter(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  auto& slot = counters_[name];
  if (!slot) slot = std::make_unique<Counter>();
  return slot.get();
}

LatencyHistogram* MetricsRegistry::GetHistogram(const std::string& name) {
  std::lock_guard<std::mutex> l(mu_);
  auto& slot = hists_[name];
  if (!slot) slot = std::make_unique<LatencyHistogram>();
  return slot.get();
}

std::string MetricsRegistry::ToJson() const {
  std::lock_guard<std::mutex> l(mu_);
  nlohmann::ordered_json j;
  j["counters"] = nlohmann::ordered_json::object();
  for (auto& [name, c] : counters_) j["counters"][name] = c->value();
  j["histograms"] = nlohmann::ordered_json::object();
  for (auto& [name, h] : hists_) {
    j["histograms"][name] = {{"count", h->count()},
                             {"p50_us", h->Quantile(0.5)},
                             {"p99_us", h->Quantile(0.99)},
                             {"max_us", h->max()}};
  }
  return j.dump();
}

}  // namespace edgeflow
