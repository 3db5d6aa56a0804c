// CrashMarkers: the mmap'ed slot file.
#include "task/crash_markers.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "core/logging.h"

namespace edgeflow {
namespace {

constexpr uint32_t kMagic = 0x4d434645;  // "EFCM" little-endian
constexpr size_t kFileBytes = CrashMarkers::kSlots * CrashMarkers::kSlotBytes;
constexpr size_t kNameBytes = 60;

std::string ReadName(const char* p) { return std::string(p, strnlen(p, kNameBytes)); }

void WriteName(char* p, const std::string& s) {
  size_t n = std::min(s.size(), kNameBytes - 1);
  std::memcpy(p, s.data(), n);
  std::memset(p + n, 0, kNameBytes - n);
}

std::atomic_ref<uint32_t> MagicOf(char* slot) {
  return std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(slot));
}

}  // namespace

Result<std::unique_ptr<CrashMarkers>> CrashMarkers::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open crash marker file " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || (static_cast<size_t>(st.st_size) != kFileBytes &&
                                ::ftruncate(fd, static_cast<off_t>(kFileBytes)) != 0)) {
    Status s = Status::IOError("cannot size crash marker file " + path + ": " + std::strerror(errno));
    ::close(fd);
    return s;
  }
  void* base = ::mmap(nullptr, kFileBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (base == MAP_FAILED) {
    Status s = Status::IOError("cannot map crash marker file " + path + ": " + std::strerror(errno));
    ::close(fd);
    return s;
  }
  std::unique_ptr<CrashMarkers> m(new CrashMarkers);
  m->fd_ = fd;
  m->base_ = static_cast<char*>(base);
  for (size_t i = 0; i < kSlots; ++i) {
    char* slot = m->base_ + i * kSlotBytes;
    if (MagicOf(slot).load() == kMagic) {
      uint32_t trigger;
      std::memcpy(&trigger, slot + 4, sizeof trigger);
      m->leftovers_.push_back({ReadName(slot + 8), ReadName(slot + 8 + kNameBytes),
                               trigger <= static_cast<uint32_t>(TriggerKind::kPattern)
                                   ? static_cast<TriggerKind>(trigger)
                                   : TriggerKind::kApi});
    }
  }
  std::memset(m->base_, 0, kFileBytes);
  return m;
}

CrashMarkers::~CrashMarkers() {
  if (base_) ::munmap(base_, kFileBytes);
  if (fd_ >= 0) ::close(fd_);
}

int CrashMarkers::Begin(const std::string& task, const std::string& instance, TriggerKind trigger) {
  int slot = -1;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (size_t i = 0; i < kSlots; ++i) {
      if (!busy_[i]) {
        busy_[i] = true;
        slot = static_cast<int>(i);
        break;
      }
    }
    if (slot < 0) {
      if (!warned_full_) Log(LogLevel::kWarn, "crash markers: all slots busy; runs go unrecorded");
      warned_full_ = true;
      return -1;
    }
  }
  char* p = base_ + static_cast<size_t>(slot) * kSlotBytes;
  uint32_t kind = static_cast<uint32_t>(trigger);
  std::memcpy(p + 4, &kind, sizeof kind);
  WriteName(p + 8, task);
  WriteName(p + 8 + kNameBytes, instance);
  MagicOf(p).store(kMagic, std::memory_order_release);
  return slot;
}

void CrashMarkers::End(int slot) {
  if (slot < 0) return;
  MagicOf(base_ + static_cast<size_t>(slot) * kSlotBytes).store(0, std::memory_order_release);
  std::lock_guard<std::mutex> l(mu_);
  busy_[static_cast<size_t>(slot)] = false;
}

}  // namespace edgeflow
