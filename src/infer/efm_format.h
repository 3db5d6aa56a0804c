// The .efm compiled-model file: a flat, little-endian, mmap-able layout that
// the device validates completely before use (the full table is in
// docs/infer.md). Shared by the writer (toolchain) and the reader (device).
//
//   header (64 bytes)
//   off  size  field
//   0    4     magic "EFM\0"
//   4    4     u32 format version (kEfmVersion); other versions are refused
//   8    8     u64 file_bytes: the exact file size (a truncated file fails here)
//   16   8     u64 checksum of bytes [24, file_bytes) (EfmChecksum)
//   24   4     u32 section_count (1..kEfmMaxSections)
//   28   4     u32 flags (0)
//   32   32    reserved, zero
//   64   24*n  section table: {u32 kind, u32 reserved, u64 offset, u64 bytes}
//
//   section kinds
//   1 GRAPH    the graph as a record stream (efm_reader.cc documents the records)
//   2 WEIGHTS  initializer bytes, each at a 64-byte aligned offset inside a
//              64-byte aligned section: used in place from the mapping
#ifndef EDGEFLOW_INFER_EFM_FORMAT_H_
#define EDGEFLOW_INFER_EFM_FORMAT_H_

#include <cstddef>
#include <cstdint>

namespace edgeflow::infer {

inline constexpr char kEfmMagic[4] = {'E', 'F', 'M', '\0'};
inline constexpr uint32_t kEfmVersion = 1;
inline constexpr size_t kEfmHeaderBytes = 64;
inline constexpr size_t kEfmSectionEntryBytes = 24;
inline constexpr uint32_t kEfmMaxSections = 16;
inline constexpr size_t kEfmAlign = 64;
inline constexpr size_t kEfmChecksumFrom = 24;
inline constexpr int kEfmMaxRank = 8;

enum class EfmSection : uint32_t { kGraph = 1, kWeights = 2 };

// 64-bit checksum: four interleaved multiply-xor lanes over 8-byte words
// (fast enough to check a 50 MB model in a few milliseconds), then the tail.
uint64_t EfmChecksum(const uint8_t* data, size_t bytes);

}  // namespace edgeflow::infer

#endif  // EDGEFLOW_INFER_EFM_FORMAT_H_
