// PackedGemm: panel packing, the AVX-512 register tiles, threading.
#include "infer/gemm.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace edgeflow::infer {
namespace {

constexpr int64_t kPanel = 32;  // output columns per panel: two AVX-512 vectors
constexpr int64_t kTile = 12;   // rows per register tile

// One Run: what every task reads.
struct GemmJob {
  const float* a;
  float* c;
  const float* w;     // panels
  const float* bias;  // [panels][32]
  int64_t rows, k, n;
  float lo, hi;
};

#if defined(__x86_64__)

// Rows [r, r + R) x panel q: R x 32 accumulators, started at the bias; per k,
// two weight vectors and R broadcasts of A.
template <int R>
__attribute__((target("avx512f"))) void Tile(const GemmJob& j, int64_t r, int64_t q) {
  const float* w = j.w + q * j.k * kPanel;
  const int64_t n0 = q * kPanel, rest = j.n - n0;
  const __mmask16 m0 = rest >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << rest) - 1);
  const __mmask16 m1 = rest >= 32   ? static_cast<__mmask16>(0xFFFF)
                       : rest <= 16 ? static_cast<__mmask16>(0)
                                    : static_cast<__mmask16>((1u << (rest - 16)) - 1);
  __m512 acc0[R], acc1[R];
  const __m512 b0 = _mm512_loadu_ps(j.bias + n0), b1 = _mm512_loadu_ps(j.bias + n0 + 16);
  const float* a[R];
  for (int i = 0; i < R; ++i) {
    acc0[i] = b0;
    acc1[i] = b1;
    a[i] = j.a + (r + i) * j.k;
  }
  for (int64_t kk = 0; kk < j.k; ++kk) {
    const __m512 w0 = _mm512_loadu_ps(w + kk * kPanel), w1 = _mm512_loadu_ps(w + kk * kPanel + 16);
    for (int i = 0; i < R; ++i) {
      const __m512 x = _mm512_set1_ps(a[i][kk]);
      acc0[i] = _mm512_fmadd_ps(x, w0, acc0[i]);
      acc1[i] = _mm512_fmadd_ps(x, w1, acc1[i]);
    }
  }
  const __m512 lo = _mm512_set1_ps(j.lo), hi = _mm512_set1_ps(j.hi);  // (lo, y): vmaxps/vminps return their second operand when
  // either is NaN, so a NaN output stays NaN through the clamp.
  for (int i = 0; i < R; ++i) {
    float* c = j.c + (r + i) * j.n + n0;
    // The maskz forms: GCC 12 warns that the plain ones' undefined source is uninitialised.
    _mm512_mask_storeu_ps(c, m0, _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, acc0[i])));
    if (m1) _mm512_mask_storeu_ps(c + 16, m1, _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, acc1[i])));
  }
}

// Task (row tile t, panel q); the last row tile may be short (tiles of 4 and
// 1 rows: a tile of 8 would cost 2 KB of the runtime's 1 MiB for one tile).
void Task(void* context, size_t t, size_t q) {
  const GemmJob& j = *static_cast<const GemmJob*>(context);
  int64_t r = static_cast<int64_t>(t) * kTile;
  const int64_t end = std::min(j.rows, r + kTile);
  const int64_t panel = static_cast<int64_t>(q);
  if (end - r == kTile) return Tile<12>(j, r, panel);
  for (; r + 4 <= end; r += 4) Tile<4>(j, r, panel);
  for (; r < end; ++r) Tile<1>(j, r, panel);
}

bool CpuHasAvx512() { return __builtin_cpu_supports("avx512f"); }

#else

void Task(void*, size_t, size_t) {}
bool CpuHasAvx512() { return false; }

#endif

}  // namespace

bool PackedGemm::Eligible(int64_t k, int64_t n) {
  static const bool enabled = [] {
    const char* e = std::getenv("EDGEFLOW_GEMM");
    return CpuHasAvx512() && !(e && std::string(e) == "0");
  }();
  return enabled && k >= 64 && n >= 1;
}

PackedGemm::PackedGemm(const float* w, const float* bias, int64_t k, int64_t n, float out_min, float out_max)
    : k_(k), n_(n), panels_((n + kPanel - 1) / kPanel), lo_(out_min), hi_(out_max) {
  w_.assign(static_cast<size_t>(panels_ * k * kPanel), 0.0f);
  bias_.assign(static_cast<size_t>(panels_ * kPanel), 0.0f);
  for (int64_t o = 0; o < n; ++o) {
    float* col = w_.data() + (o / kPanel) * k * kPanel + o % kPanel;
    for (int64_t i = 0; i < k; ++i) col[i * kPanel] = w[o * k + i];
    if (bias) bias_[static_cast<size_t>(o)] = bias[o];
  }
}

void PackedGemm::Run(const float* a, int64_t rows, float* c, pthreadpool_t pool) const {
  if (rows <= 0) return;
  GemmJob j{a, c, w_.data(), bias_.data(), rows, k_, n_, lo_, hi_};
  // Row tiles outer, panels inner: a tile's rows of A stay in L1 while the
  // panels stream past them.
  pthreadpool_parallelize_2d(pool, &Task, &j, static_cast<size_t>((rows + kTile - 1) / kTile),
                             static_cast<size_t>(panels_), 0);
}

}  // namespace edgeflow::infer
