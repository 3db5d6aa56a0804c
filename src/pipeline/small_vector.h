// SmallVector: a sequence that keeps up to N elements inside the object and
// moves them to the heap beyond that. Window states live in their key's state
// block (key_table.h), so a window with a few panes or sessions touches no
// separate heap memory on an event (window.cc).
#ifndef EDGEFLOW_PIPELINE_SMALL_VECTOR_H_
#define EDGEFLOW_PIPELINE_SMALL_VECTOR_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace edgeflow::pipeline {

// Elements are contiguous, in order; insert and erase shift the ones after
// them (the sequences here are short). Not copyable or movable: it lives in
// place inside a window state. The heap buffer doubles from 2N and, once the
// size falls to (N+1)/2, the elements move back inline (Trim), so a window
// that hovers around N does not allocate on every slide.
template <typename T, uint32_t N>
class SmallVector {
  static_assert(N >= 1);
  static constexpr bool kTrivial = std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>;

 public:
  SmallVector() {}
  ~SmallVector() {
    clear();
    if (on_heap()) ::operator delete(heap_, std::align_val_t{alignof(T)});
  }
  SmallVector(const SmallVector&) = delete;
  SmallVector& operator=(const SmallVector&) = delete;

  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& front() { return data()[0]; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool on_heap() const { return cap_ > N; }
  // Bytes held outside the object.
  size_t heap_bytes() const { return on_heap() ? cap_ * sizeof(T) : 0; }

  // Inserts before `pos` (a pointer into this sequence, or end()); returns the new element.
  T* insert(T* pos, T&& v) {
    size_t i = static_cast<size_t>(pos - data());
    if (size_ == cap_) Grow();
    T* d = data();
    if (i == size_) {
      new (d + i) T(std::move(v));
    } else if constexpr (kTrivial) {
      std::memmove(static_cast<void*>(d + i + 1), d + i, (size_ - i) * sizeof(T));
      new (d + i) T(std::move(v));
    } else {
      new (d + size_) T(std::move(d[size_ - 1]));
      for (size_t j = size_ - 1; j > i; --j) d[j] = std::move(d[j - 1]);
      d[i] = std::move(v);
    }
    ++size_;
    return d + i;
  }
  void push_back(T&& v) { insert(end(), std::move(v)); }

  // Removes the elements [first, last). Like insert, invalidates every
  // pointer and reference into the sequence (the elements may move inline).
  void erase(size_t first, size_t last) {
    if (first >= last) return;
    T* d = data();
    const size_t n = last - first;
    if constexpr (kTrivial) {
      std::memmove(static_cast<void*>(d + first), d + last, (size_ - last) * sizeof(T));
    } else {
      for (size_t j = last; j < size_; ++j) d[j - n] = std::move(d[j]);
      for (size_t j = size_ - n; j < size_; ++j) d[j].~T();
    }
    size_ -= static_cast<uint32_t>(n);
    Trim();
  }

  void clear() {
    if constexpr (!kTrivial) {
      T* d = data();
      for (size_t j = 0; j < size_; ++j) d[j].~T();
    }
    size_ = 0;
    Trim();
  }

 private:
  T* data() { return on_heap() ? heap_ : reinterpret_cast<T*>(inline_); }
  const T* data() const { return on_heap() ? heap_ : reinterpret_cast<const T*>(inline_); }

  void Grow() {
    const uint32_t cap = cap_ * 2;
    T* to = static_cast<T*>(::operator new(cap * sizeof(T), std::align_val_t{alignof(T)}));
    MoveAll(data(), to);
    if (on_heap()) ::operator delete(heap_, std::align_val_t{alignof(T)});
    heap_ = to;
    cap_ = cap;
  }

  // Back inline once the elements fit in half of it.
  void Trim() {
    if (!on_heap() || size_ > (N + 1) / 2) return;
    T* from = heap_;
    MoveAll(from, reinterpret_cast<T*>(inline_));
    ::operator delete(from, std::align_val_t{alignof(T)});
    cap_ = N;
  }

  // Moves the size_ elements at `from` into raw memory at `to`, ending their lives at `from`.
  void MoveAll(T* from, T* to) {
    if constexpr (kTrivial) {
      if (size_) std::memcpy(static_cast<void*>(to), from, size_ * sizeof(T));
    } else {
      for (size_t j = 0; j < size_; ++j) {
        new (to + j) T(std::move(from[j]));
        from[j].~T();
      }
    }
  }

  uint32_t size_ = 0;
  uint32_t cap_ = N;  // > N: the elements are at heap_
  union {
    T* heap_;
    alignas(T) unsigned char inline_[N * sizeof(T)];
  };
};

}  // namespace edgeflow::pipeline

#endif  // EDGEFLOW_PIPELINE_SMALL_VECTOR_H_
