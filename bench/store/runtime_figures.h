// Runtime-level figures for `make bench-store`: Track() latency and throughput
// into memory with persistence on, and trigger -> native task -> callback latency.
#ifndef EDGEFLOW_BENCH_STORE_RUNTIME_FIGURES_H_
#define EDGEFLOW_BENCH_STORE_RUNTIME_FIGURES_H_

#include <nlohmann/json.hpp>
#include <string>

namespace edgeflow::bench {

// Adds track_p99_us (median of 3 rounds), track_p99_cold_us (first round), track_p50_us, track_events_per_s, trigger_to_callback_p50_us
// and trigger_to_callback_p99_us. `tmpdir` is an empty scratch directory.
nlohmann::ordered_json MeasureRuntimeFigures(const std::string& tmpdir);

}  // namespace edgeflow::bench

#endif  // EDGEFLOW_BENCH_STORE_RUNTIME_FIGURES_H_
