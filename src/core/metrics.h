// Metrics: named counters and latency histograms, cheap to update from any thread.
//
// Registration (Counter()/Histogram()) takes a lock and returns a pointer that
// stays valid for the registry's lifetime; updates through it are lock-free.
#ifndef EDGEFLOW_CORE_METRICS_H_
#define EDGEFLOW_CORE_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace edgeflow {

class Counter {
 public:
  void Add(int64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Log-linear histogram of microsecond latencies: 8 sub-buckets per power of two,
// so any quantile is reported within 12.5% of the true value.
class LatencyHistogram {
 public:
  static constexpr int kSubBits = 3;
  static constexpr int kBuckets = 64 << kSubBits;

  void Record(int64_t micros);
  int64_t count() const { return count_.load(std::memory_order_relaxed); }
  // Upper bound of the bucket holding quantile q in [0, 1]; 0 when empty.
  int64_t Quantile(double q) const;
  int64_t max() const { return max_.load(std::memory_order_relaxed); }

  static int BucketOf(int64_t micros);
  static int64_t BucketUpperBound(int bucket);

 private:
  std::array<std::atomic<int64_t>, kBuckets> buckets_{};
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> max_{0};
};

class MetricsRegistry {
 public:
  Counter* GetCounter(const std::string& name);
  LatencyHistogram* GetHistogram(const std::string& name);
  // {"counters":{name:value,...},"histograms":{name:{"count","p50_us","p99_us","max_us"}}}
  std::string ToJson() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Counter>> counters_;          // guarded by mu_
  std::map<std::string, std::unique_ptr<LatencyHistogram>> hists_;   // guarded by mu_
};

}  // namespace edgeflow

#endif  // EDGEFLOW_CORE_METRICS_H_
