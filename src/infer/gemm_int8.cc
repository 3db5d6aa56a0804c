// Int8Gemm: int16 weight pairs, per-row activation quantization, the VNNI tiles.
#include "infer/gemm_int8.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace edgeflow::infer {
namespace {

constexpr int64_t kPanel = 32;  // output columns per panel: two vectors of int32
constexpr int64_t kTile = 12;   // rows per register tile
constexpr int64_t kMaxK = 16384;

// One Run: what every task reads.
struct Int8Job {
  const float* a;
  int16_t* qa;        // [rows][k2], A quantized
  float* row_scale;   // [rows]
  float* c;
  const int32_t* w;
  const float* scale;
  const float* bias;
  int64_t rows, k, k2, n;
  int32_t limit;
  float lo, hi;
};

#if defined(__x86_64__)

// Row r of A to int16 with scale max|a| / limit; a row holding NaN or
// infinity gets a NaN scale, so its outputs are NaN as the float product's
// would be (or infinite) rather than silently finite.
__attribute__((target("avx512f"))) void QuantizeRow(const Int8Job& j, int64_t r) {
  const float* x = j.a + r * j.k;
  int16_t* q = j.qa + r * j.k2;
  __m512 m = _mm512_setzero_ps(), bad = _mm512_setzero_ps();
  const __m512 zero = _mm512_setzero_ps();
  int64_t i = 0;
  for (; i + 16 <= j.k; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    m = _mm512_maskz_max_ps(0xFFFF, m, _mm512_abs_ps(v));
    bad = _mm512_add_ps(bad, _mm512_mul_ps(v, zero));  // NaN once any element is NaN or infinite
  }
  const __mmask16 tail = static_cast<__mmask16>((1u << (j.k - i)) - 1);
  if (tail) {
    const __m512 v = _mm512_maskz_loadu_ps(tail, x + i);
    m = _mm512_maskz_max_ps(0xFFFF, m, _mm512_abs_ps(v));
    bad = _mm512_add_ps(bad, _mm512_mul_ps(v, zero));
  }
  // (Stored and reduced here: GCC 12 warns about the reduce intrinsics' undefined lanes.)
  alignas(64) float lanes[16], flags[16];
  _mm512_store_ps(lanes, m);
  _mm512_store_ps(flags, bad);
  float amax = 0, any_bad = 0;
  for (int l = 0; l < 16; ++l) {
    amax = std::max(amax, lanes[l]);
    any_bad += flags[l];
  }
  if (std::isnan(any_bad)) {
    std::fill(q, q + j.k2, int16_t{0});
    j.row_scale[r] = std::numeric_limits<float>::quiet_NaN();
    return;
  }
  j.row_scale[r] = amax / static_cast<float>(j.limit);
  const __m512 inv = _mm512_set1_ps(amax > 0 ? static_cast<float>(j.limit) / amax : 0.0f);
  for (i = 0; i + 16 <= j.k; i += 16) {
    const __m512i v = _mm512_maskz_cvtps_epi32(0xFFFF, _mm512_mul_ps(_mm512_loadu_ps(x + i), inv));  // round to nearest even
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + i), _mm512_maskz_cvtsepi32_epi16(0xFFFF, v));
  }
  if (tail) {
    const __m512i v = _mm512_maskz_cvtps_epi32(0xFFFF, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, x + i), inv));
    _mm512_mask_cvtsepi32_storeu_epi16(q + i, tail, v);
  }
  if (j.k2 > j.k) q[j.k] = 0;
}

void QuantizeTask(void* context, size_t t) {
  const Int8Job& j = *static_cast<const Int8Job*>(context);
  const int64_t end = std::min(j.rows, static_cast<int64_t>(t + 1) * kTile);
  for (int64_t r = static_cast<int64_t>(t) * kTile; r < end; ++r) QuantizeRow(j, r);
}

// acc += the pairwise products of x and w's int16 lanes (vpdpwssd). In
// assembly: GCC 12 compiles the intrinsic in this loop with a copy and a
// stack store of every accumulator per step, at half the speed.
__attribute__((target("avx512f"), always_inline)) inline __m512i DotPairs(__m512i acc, __m512i x, __m512i w) {
  asm("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(x), "v"(w));
  return acc;
}

// Rows [r, r + R) x panel q: R x 32 int32 accumulators; per pair of inner
// elements, two weight vectors and R broadcasts of an int16 pair of A.
template <int R>
__attribute__((target("avx512f,avx512vnni"))) void Tile(const Int8Job& j, int64_t r, int64_t q) {
  const int64_t pairs = j.k2 / 2;
  const int32_t* w = j.w + q * pairs * kPanel;
  const int64_t n0 = q * kPanel, rest = j.n - n0;
  const __mmask16 m0 = rest >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << rest) - 1);
  const __mmask16 m1 = rest >= 32   ? static_cast<__mmask16>(0xFFFF)
                       : rest <= 16 ? static_cast<__mmask16>(0)
                                    : static_cast<__mmask16>((1u << (rest - 16)) - 1);
  __m512i acc0[R], acc1[R];
  const int32_t* a[R];
  for (int i = 0; i < R; ++i) {
    acc0[i] = _mm512_setzero_si512();
    acc1[i] = _mm512_setzero_si512();
    a[i] = reinterpret_cast<const int32_t*>(j.qa + (r + i) * j.k2);
  }
  for (int64_t p = 0; p < pairs; ++p) {
    const __m512i w0 = _mm512_loadu_si512(w + p * kPanel), w1 = _mm512_loadu_si512(w + p * kPanel + 16);
    for (int i = 0; i < R; ++i) {
      const __m512i x = _mm512_set1_epi32(a[i][p]);
      acc0[i] = DotPairs(acc0[i], x, w0);
      acc1[i] = DotPairs(acc1[i], x, w1);
    }
  }
  const __m512 s0 = _mm512_loadu_ps(j.scale + n0), s1 = _mm512_loadu_ps(j.scale + n0 + 16);
  const __m512 b0 = _mm512_loadu_ps(j.bias + n0), b1 = _mm512_loadu_ps(j.bias + n0 + 16);
  const __m512 lo = _mm512_set1_ps(j.lo), hi = _mm512_set1_ps(j.hi);  // (lo, y): vmaxps/vminps return their second operand when
  // either is NaN, so a NaN output stays NaN through the clamp.
  for (int i = 0; i < R; ++i) {
    const __m512 rs = _mm512_set1_ps(j.row_scale[r + i]);
    const __m512 y0 = _mm512_fmadd_ps(_mm512_maskz_cvtepi32_ps(0xFFFF, acc0[i]), _mm512_mul_ps(s0, rs), b0);
    const __m512 y1 = _mm512_fmadd_ps(_mm512_maskz_cvtepi32_ps(0xFFFF, acc1[i]), _mm512_mul_ps(s1, rs), b1);
    float* c = j.c + (r + i) * j.n + n0;
    _mm512_mask_storeu_ps(c, m0, _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, y0)));
    if (m1) _mm512_mask_storeu_ps(c + 16, m1, _mm512_maskz_min_ps(0xFFFF, hi, _mm512_maskz_max_ps(0xFFFF, lo, y1)));
  }
}

void Task(void* context, size_t t, size_t q) {
  const Int8Job& j = *static_cast<const Int8Job*>(context);
  int64_t r = static_cast<int64_t>(t) * kTile;
  const int64_t end = std::min(j.rows, r + kTile);
  const int64_t panel = static_cast<int64_t>(q);
  if (end - r == kTile) return Tile<12>(j, r, panel);
  for (; r + 4 <= end; r += 4) Tile<4>(j, r, panel);
  for (; r < end; ++r) Tile<1>(j, r, panel);
}

bool CpuHasVnni() { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni"); }

#else

void QuantizeTask(void*, size_t) {}
void Task(void*, size_t, size_t) {}
bool CpuHasVnni() { return false; }

#endif

bool Disabled(const char* name) {
  const char* e = std::getenv(name);
  return e && std::string(e) == "0";
}

}  // namespace

bool Int8Gemm::Eligible(int64_t k, int64_t n) {
  static const bool enabled = CpuHasVnni() && !Disabled("EDGEFLOW_GEMM") && !Disabled("EDGEFLOW_INT8_GEMM");
  return enabled && k >= 64 && k <= kMaxK && n >= 1;
}

Int8Gemm::Int8Gemm(const int8_t* w, int64_t stride_n, int64_t stride_k, const float* scales, const float* bias,
                   int64_t k, int64_t n, float out_min, float out_max)
    : k_(k), k2_(k + (k & 1)), n_(n), panels_((n + kPanel - 1) / kPanel), lo_(out_min), hi_(out_max) {
  // |a| <= L and |w| <= 128 over k products: 128 * L * k < 2^31.
  limit_ = static_cast<int32_t>(std::min<int64_t>(32767, std::numeric_limits<int32_t>::max() / (128 * std::max<int64_t>(k, 1)) - 1));
  const int64_t pairs = k2_ / 2;
  w_.assign(static_cast<size_t>(panels_ * pairs * kPanel), 0);
  scale_.assign(static_cast<size_t>(panels_ * kPanel), 0.0f);
  bias_.assign(static_cast<size_t>(panels_ * kPanel), 0.0f);
  for (int64_t o = 0; o < n; ++o) {
    int32_t* col = w_.data() + (o / kPanel) * pairs * kPanel + o % kPanel;
    for (int64_t p = 0; p < pairs; ++p) {
      const int64_t i = 2 * p;
      const auto lo = static_cast<uint16_t>(static_cast<int16_t>(w[o * stride_n + i * stride_k]));
      const auto hi = i + 1 < k ? static_cast<uint16_t>(static_cast<int16_t>(w[o * stride_n + (i + 1) * stride_k])) : 0;
      col[p * kPanel] = static_cast<int32_t>(static_cast<uint32_t>(lo) | static_cast<uint32_t>(hi) << 16);
    }
    scale_[static_cast<size_t>(o)] = scales[o];
    if (bias) bias_[static_cast<size_t>(o)] = bias[o];
  }
}

void Int8Gemm::Run(const float* a, int64_t rows, float* c, pthreadpool_t pool) const {
  if (rows <= 0) return;
  // A's int16 copy lives in the calling thread's buffer, reused across runs.
  thread_local std::vector<int16_t> qa;
  thread_local std::vector<float> row_scale;
  qa.resize(static_cast<size_t>(rows * k2_));
  row_scale.resize(static_cast<size_t>(rows));
  Int8Job j{a, qa.data(), row_scale.data(), c, w_.data(), scale_.data(), bias_.data(), rows, k_, k2_, n_,
            limit_, lo_, hi_};
  const auto tiles = static_cast<size_t>((rows + kTile - 1) / kTile);
  pthreadpool_parallelize_1d(pool, &QuantizeTask, &j, tiles, 0);
  pthreadpool_parallelize_2d(pool, &Task, &j, tiles, static_cast<size_t>(panels_), 0);
}

}  // namespace edgeflow::infer
