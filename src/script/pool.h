// ObjectPool: the per-context allocator for small script objects. One slab
// list per 16-byte size class (up to 512 bytes) with a free list each, so the
// allocation-heavy paths (strings, tuples, small lists and dicts) avoid malloc
// and the collector sweeps objects in memory order instead of chasing a list.
// Everything is released when the context dies.
#ifndef EDGEFLOW_SCRIPT_POOL_H_
#define EDGEFLOW_SCRIPT_POOL_H_

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define EDGEFLOW_POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EDGEFLOW_POOL_ASAN 1
#endif
#endif
#ifdef EDGEFLOW_POOL_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace edgeflow::script {

// Under AddressSanitizer a freed slot is poisoned past its first 16 bytes (the
// free-slot mark and the free-list link), so a use of a collected object (a
// value native code forgot to root) is reported where it happens.
inline void PoisonSlot(void* p, size_t bytes) {
#ifdef EDGEFLOW_POOL_ASAN
  if (bytes > 16) ASAN_POISON_MEMORY_REGION(static_cast<char*>(p) + 16, bytes - 16);
#else
  (void)p, (void)bytes;
#endif
}
inline void UnpoisonSlot(void* p, size_t bytes) {
#ifdef EDGEFLOW_POOL_ASAN
  ASAN_UNPOISON_MEMORY_REGION(p, bytes);
#else
  (void)p, (void)bytes;
#endif
}

// Slab memory recycled per thread: a context that dies leaves its slabs for
// the next context created on the same thread, so creating and destroying
// contexts (one per task instance) neither calls malloc nor makes glibc
// return memory to the kernel (whose page faults serialise threads).
class SlabCache {
 public:
  static constexpr int kSizes = 7;  // 1 KiB .. 64 KiB, powers of two

  static void* Get(size_t bytes) {
    int k = SizeClass(bytes);
    Cache& c = Local();
    if (k >= 0 && !c.free[k].empty()) {
      void* p = c.free[k].back();
      c.free[k].pop_back();
      c.bytes -= bytes;
      return p;
    }
    void* p = std::aligned_alloc(16, bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }

  static void Put(void* p, size_t bytes) {
    UnpoisonSlot(p, bytes);
    int k = SizeClass(bytes);
    Cache& c = Local();
    if (k < 0 || c.bytes + bytes > kMaxCachedBytes) {
      std::free(p);
      return;
    }
    c.free[k].push_back(p);
    c.bytes += bytes;
  }

 private:
  static constexpr size_t kMaxCachedBytes = 4 << 20;
  static int SizeClass(size_t bytes) {
    for (int k = 0; k < kSizes; ++k) {
      if (bytes == (size_t{1024} << k)) return k;
    }
    return -1;
  }
  struct Cache {
    std::vector<void*> free[kSizes];
    size_t bytes = 0;
    ~Cache() {
      for (auto& v : free) {
        for (void* p : v) std::free(p);
      }
    }
  };
  static Cache& Local() {
    thread_local Cache cache;
    return cache;
  }
};

class ObjectPool {
 public:
  static constexpr size_t kGranule = 16;
  static constexpr size_t kMaxSmall = 512;
  // First byte of a free slot (an Object's kind byte otherwise; kinds are < 64).
  static constexpr uint8_t kFreeSlot = 0xFF;

  ObjectPool() = default;
  ~ObjectPool() {
    for (Class& c : classes_) {
      for (const Slab& s : c.slabs) SlabCache::Put(s.mem, s.bytes);
    }
  }
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;

  // Rounded size of a small allocation, or 0 when `bytes` is not small.
  static size_t Rounded(size_t bytes) {
    return bytes <= kMaxSmall ? (bytes + kGranule - 1) / kGranule * kGranule : 0;
  }

  // `rounded` must come from Rounded(). The slot is not zeroed.
  void* Alloc(size_t rounded) {
    Class& c = classes_[rounded / kGranule];
    if (c.free != nullptr) {
      Slot* s = c.free;
      c.free = s->next;
      // Free slots are cold after a sweep: fetch the next one ahead of time.
      if (c.free != nullptr) __builtin_prefetch(c.free, 1);
      UnpoisonSlot(s, rounded);
      return s;
    }
    if (c.slabs.empty() || c.used == c.slabs.back().slots) {
      // Slabs start small (an idle context stays small) and double up to 64 KiB.
      size_t bytes = kFirstSlabBytes;
      if (!c.slabs.empty()) bytes = std::min(kSlabBytes, c.slabs.back().bytes * 2);
      while (bytes < rounded) bytes *= 2;
      void* mem = SlabCache::Get(bytes);
      c.slabs.push_back({mem, bytes / rounded, bytes});
      c.used = 0;
    }
    return static_cast<char*>(c.slabs.back().mem) + rounded * c.used++;
  }

  void Free(void* p, size_t rounded) {
    auto* s = static_cast<Slot*>(p);
    s->kind = kFreeSlot;
    Class& c = classes_[rounded / kGranule];
    s->next = c.free;
    c.free = s;
    PoisonSlot(s, rounded);
  }

  // Calls fn(object pointer, rounded size) for every allocated slot, in
  // memory order. fn may Free() the slot it is given.
  template <typename Fn>
  void ForEach(Fn&& fn) {
    for (size_t k = 1; k < kClasses; ++k) {
      Class& c = classes_[k];
      size_t size = k * kGranule;
      for (size_t i = 0; i < c.slabs.size(); ++i) {
        char* base = static_cast<char*>(c.slabs[i].mem);
        size_t n = i + 1 == c.slabs.size() ? c.used : c.slabs[i].slots;
        for (size_t j = 0; j < n; ++j) {
          char* p = base + j * size;
          if (static_cast<uint8_t>(*p) != kFreeSlot) fn(p, size);
        }
      }
    }
  }

  size_t slab_bytes() const {
    size_t n = 0;
    for (const Class& c : classes_) {
      for (const Slab& s : c.slabs) n += s.bytes;
    }
    return n;
  }

 private:
  static constexpr size_t kFirstSlabBytes = 1 << 10;
  static constexpr size_t kSlabBytes = 64 << 10;
  static constexpr size_t kClasses = kMaxSmall / kGranule + 1;

  // A free slot: the kind byte says free; the link sits where Object keeps gc_next.
  struct Slot {
    uint8_t kind;
    uint8_t pad[7];
    Slot* next;
  };
  struct Slab {
    void* mem;
    size_t slots;
    size_t bytes;
  };
  struct Class {
    std::vector<Slab> slabs;
    size_t used = 0;  // slots handed out of the last slab
    Slot* free = nullptr;
  };
  Class classes_[kClasses];
};

// An allocator for the storage of script containers (list items, dict
// entries, set tables): small buffers come from a context's buffer pool (never
// the object pool, which the collector sweeps), others from the heap. A null
// pool (static objects) always uses the heap.
template <typename T>
struct PoolAllocator {
  using value_type = T;
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_copy_assignment = std::false_type;
  using propagate_on_container_swap = std::true_type;

  ObjectPool* pool = nullptr;

  PoolAllocator() = default;
  explicit PoolAllocator(ObjectPool* p) : pool(p) {}
  template <typename U>
  PoolAllocator(const PoolAllocator<U>& o) : pool(o.pool) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    size_t r = pool != nullptr ? ObjectPool::Rounded(bytes) : 0;
    if (r != 0) return static_cast<T*>(pool->Alloc(r));
    return static_cast<T*>(::operator new(bytes));
  }
  void deallocate(T* p, size_t n) {
    size_t bytes = n * sizeof(T);
    size_t r = pool != nullptr ? ObjectPool::Rounded(bytes) : 0;
    if (r != 0) pool->Free(p, r);
    else ::operator delete(p);
  }
  template <typename U>
  bool operator==(const PoolAllocator<U>& o) const { return pool == o.pool; }
  template <typename U>
  bool operator!=(const PoolAllocator<U>& o) const { return pool != o.pool; }
};

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_POOL_H_
