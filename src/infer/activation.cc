// HardSwish and SiLU over a float32 buffer, in place.
#include "infer/activation.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace edgeflow::infer {
namespace {

constexpr int64_t kChunk = 16384;  // elements per thread task

float HardSwishOne(float x) { return x * std::fmax(0.0f, std::fmin(1.0f, x / 6.0f + 0.5f)); }
float SiLUOne(float x) { return x / (1.0f + std::exp(-x)); }

#if defined(__x86_64__)

// (The maskz forms throughout: GCC 12 warns that the plain ones' undefined
// source is uninitialised.)

// e^t for t in [-87, 100] (callers clamp; above 88.7 it is inf): t = n ln2 + r with |r| <= ln2 / 2,
// e^r by its Taylor polynomial to degree 6, times 2^n by vscalefps.
__attribute__((target("avx512f"))) inline __m512 Exp(__m512 t) {
  const __m512 n = _mm512_maskz_roundscale_ps(0xFFFF, _mm512_mul_ps(t, _mm512_set1_ps(1.44269504f)), _MM_FROUND_TO_NEAREST_INT);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145752f), t);  // ln2 in two parts, exact n * hi
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.42860677e-6f), r);
  __m512 p = _mm512_set1_ps(1.0f / 720);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(0xFFFF, p, n);
}

__attribute__((target("avx512f"))) void SiLU16(float* x, __mmask16 m) {
  const __m512 v = _mm512_maskz_loadu_ps(m, x);
  // -v clamped to [-87, 100]: e^t is then 0 < e^t <= inf as in float, so
  // v = -inf gives -inf / inf = NaN like the unfused Mul(-inf, Sigmoid(-inf) = 0),
  // and a NaN v stays NaN through the division.
  const __m512 t =
      _mm512_maskz_min_ps(0xFFFF, _mm512_maskz_max_ps(0xFFFF, _mm512_sub_ps(_mm512_setzero_ps(), v), _mm512_set1_ps(-87.0f)),
                          _mm512_set1_ps(100.0f));
  const __m512 y = _mm512_div_ps(v, _mm512_add_ps(_mm512_set1_ps(1.0f), Exp(t)));
  _mm512_mask_storeu_ps(x, m, y);
}

__attribute__((target("avx512f"))) void HardSwish16(float* x, __mmask16 m) {
  const __m512 v = _mm512_maskz_loadu_ps(m, x);
  __m512 g = _mm512_fmadd_ps(v, _mm512_set1_ps(1.0f / 6), _mm512_set1_ps(0.5f));
  g = _mm512_maskz_min_ps(0xFFFF, _mm512_maskz_max_ps(0xFFFF, g, _mm512_setzero_ps()), _mm512_set1_ps(1.0f));
  _mm512_mask_storeu_ps(x, m, _mm512_mul_ps(v, g));
}

template <void (*kOp)(float*, __mmask16)>
__attribute__((target("avx512f"))) void RunVector(float* x, int64_t count) {
  int64_t i = 0;
  for (; i + 16 <= count; i += 16) kOp(x + i, 0xFFFF);
  if (i < count) kOp(x + i, static_cast<__mmask16>((1u << (count - i)) - 1));
}

bool HasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}

#endif

void RunRange(Activation a, float* x, int64_t count) {
#if defined(__x86_64__)
  if (HasAvx512()) {
    if (a == Activation::kSiLU) return RunVector<SiLU16>(x, count);
    if (a == Activation::kHardSwish) return RunVector<HardSwish16>(x, count);
    return;
  }
#endif
  if (a == Activation::kSiLU) {
    for (int64_t i = 0; i < count; ++i) x[i] = SiLUOne(x[i]);
  } else if (a == Activation::kHardSwish) {
    for (int64_t i = 0; i < count; ++i) x[i] = HardSwishOne(x[i]);
  }
}

struct Job {
  Activation a;
  float* x;
  int64_t count;
};

void Task(void* context, size_t t) {
  const Job& j = *static_cast<const Job*>(context);
  const int64_t begin = static_cast<int64_t>(t) * kChunk;
  RunRange(j.a, j.x + begin, std::min(kChunk, j.count - begin));
}

}  // namespace

Activation ActivationOf(const Node& n) {
  if (!n.Has("activation")) return Activation::kNone;
  const std::string name = n.String("activation", "");
  if (name == "HardSwish") return Activation::kHardSwish;
  if (name == "SiLU") return Activation::kSiLU;
  return Activation::kNone;
}

Status CheckActivation(const Node& n) {
  if (!n.Has("activation") || ActivationOf(n) != Activation::kNone) return Status::OK();
  return Status::Unsupported(n.Describe() + ": attribute activation = '" + n.String("activation", "") +
                             "' (edgeflow fuses only HardSwish and SiLU)");
}

const char* ActivationName(Activation a) {
  switch (a) {
    case Activation::kHardSwish: return "HardSwish";
    case Activation::kSiLU: return "SiLU";
    case Activation::kNone: break;
  }
  return "none";
}

void ApplyActivation(Activation a, float* x, int64_t count, pthreadpool_t pool) {
  if (a == Activation::kNone || count <= 0) return;
  if (!pool || count <= kChunk) return RunRange(a, x, count);
  Job j{a, x, count};
  pthreadpool_parallelize_1d(pool, &Task, &j, static_cast<size_t>((count + kChunk - 1) / kChunk), 0);
}

}  // namespace edgeflow::infer
