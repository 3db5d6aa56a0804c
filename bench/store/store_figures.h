// Store-level figures for `make bench-store`: events persisted per second
// through EventStore (plain and encrypted) against plain batched SQLite inserts
// of the same rows by the same program (the reference).
#ifndef EDGEFLOW_BENCH_STORE_STORE_FIGURES_H_
#define EDGEFLOW_BENCH_STORE_STORE_FIGURES_H_

#include <nlohmann/json.hpp>
#include <string>

namespace edgeflow::bench {

// Adds append_events_per_s, persisted_events_per_s, raw_sqlite_events_per_s,
// persisted_ratio, encrypted_events_per_s and encrypted_ratio (medians of 7
// runs; each run's reference is the mean of a raw run before and after it).
nlohmann::ordered_json MeasureStoreFigures(const std::string& tmpdir);

}  // namespace edgeflow::bench

#endif  // EDGEFLOW_BENCH_STORE_STORE_FIGURES_H_
