// Env: everything edgeflow asks of the operating system (time, sleeping, files),
// behind one seam so that tests can drive time and inject faults (LevelDB's Env).
//
// Env::Default() is thread-safe and lives forever. ManualEnv is a test double
// whose clocks only move when the test advances them.
#ifndef EDGEFLOW_ENV_H_
#define EDGEFLOW_ENV_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "edgeflow/status.h"

namespace edgeflow {

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide real environment.
  static Env* Default();

  // Monotonic microseconds; only differences are meaningful.
  virtual int64_t NowMicros() = 0;
  // Wall-clock milliseconds since the Unix epoch (event timestamps use this unit).
  virtual int64_t WallMillis() = 0;
  // Blocks the calling thread for about `micros` of this Env's time.
  virtual void SleepForMicros(int64_t micros) = 0;

  // Whole-file helpers. Paths are plain POSIX paths.
  virtual Result<std::string> ReadFile(const std::string& path);
  // Writes to PATH.tmp, fsyncs, renames over PATH: readers see old or new, never half.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data);
  // Creates the directory and any missing parents.
  virtual Status CreateDirs(const std::string& path);
  virtual bool FileExists(const std::string& path);
};

// An Env whose clocks stand still until Advance*() is called. Sleeping advances
// the clock instead of blocking, so code under test never waits for real.
class ManualEnv : public Env {
 public:
  explicit ManualEnv(int64_t start_wall_ms = 1700000000000) : wall_start_ms_(start_wall_ms) {}

  int64_t NowMicros() override { return now_us_.load(std::memory_order_acquire); }
  int64_t WallMillis() override { return wall_start_ms_ + NowMicros() / 1000; }
  void SleepForMicros(int64_t micros) override { AdvanceMicros(micros); }

  void AdvanceMicros(int64_t micros) { now_us_.fetch_add(micros, std::memory_order_acq_rel); }
  void AdvanceMillis(int64_t ms) { AdvanceMicros(ms * 1000); }

 private:
  const int64_t wall_start_ms_;
  std::atomic<int64_t> now_us_{0};
};

}  // namespace edgeflow

#endif  // EDGEFLOW_ENV_H_
