// Winograd F(2x2, 3x3) and F(4x4, 3x3) (Lavin & Gray 2015, "Fast Algorithms
// for Convolutional Neural Networks"): V = B^T d B per input tile, U = G g G^T
// per filter, M = V U summed over input channels (one GEMM per tile
// position), Y = A^T M A per output tile. F(4x4) interpolates at 0, ±1, ±2
// and ∞, the matrices of Lavin & Gray, NCNN and MNN (±1/2 only enter at
// F(6x6)); its fp32 error stays near 1e-6 relative for 3x3 filters.
//
// Layout: NHWC in and out. V is [positions][tiles][C], the GEMM result
// [positions][tiles][M]; tiles are processed in blocks small enough for V
// and the result to stay in the L2 cache. Transforms step through 16
// channels at a time with fixed-size inner loops the compiler vectorizes.
#include "infer/winograd.h"

#include "infer/gemm.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

// The tile tasks are compiled for several x86 levels and picked at load
// time (GCC function multiversioning); elsewhere, for the build's target.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(EDGEFLOW_SANITIZE)
#define EF_MULTIVERSION \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define EF_MULTIVERSION
#endif
#define EF_ALWAYS_INLINE __attribute__((always_inline))

namespace edgeflow::infer {
namespace {

constexpr int64_t kMinChannels =
    32;                     // below this the transforms cost more than they save (WinogradEligible)
constexpr int kLanes = 16;  // channels per transform step
// V plus the GEMM result of one block of tiles: about half of a 2 MB L2.
constexpr int64_t kBlockBytes = int64_t{1} << 20;
constexpr int64_t kMinBlockTiles = 16;

// Filter transforms G (A x 3) for the two tile sizes.
constexpr double kG2[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
constexpr double kG4[6][3] = {{1.0 / 4, 0, 0},
                              {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                              {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                              {1.0 / 24, 1.0 / 12, 1.0 / 6},
                              {1.0 / 24, -1.0 / 12, 1.0 / 6},
                              {0, 0, 1}};

using Lanes = float[kLanes];

// Pixels of one tile, channels [c, c + n) of each src row, into d (zero-padded to kLanes).
inline void LoadTile(const float* const* src, int count, int64_t c, int n, Lanes* d) {
  if (n == kLanes) {  // the common case: a constant-size copy the compiler turns into vector moves
    for (int p = 0; p < count; ++p) std::memcpy(d[p], src[p] + c, sizeof(Lanes));
    return;
  }
  for (int p = 0; p < count; ++p) {
    std::memcpy(d[p], src[p] + c, sizeof(float) * static_cast<size_t>(n));
    std::fill(d[p] + n, d[p] + kLanes, 0.0f);
  }
}

// Rows of `v` to dst[p] + c: n (<= kLanes) floats each, where dst[p] is not null.
inline void StoreTile(const Lanes* v, int count, int64_t c, int n, float* const* dst) {
  if (n == kLanes) {
    for (int p = 0; p < count; ++p) {
      if (dst[p]) std::memcpy(dst[p] + c, v[p], sizeof(Lanes));
    }
    return;
  }
  for (int p = 0; p < count; ++p) {
    if (dst[p]) std::memcpy(dst[p] + c, v[p], sizeof(float) * static_cast<size_t>(n));
  }
}

// V = B^T d B, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
inline void InputTransform2(const Lanes* d, Lanes* v) {
  Lanes t[16];
  for (int j = 0; j < 4; ++j) {
    for (int k = 0; k < kLanes; ++k) {
      float d0 = d[j][k], d1 = d[4 + j][k], d2 = d[8 + j][k], d3 = d[12 + j][k];
      t[j][k] = d0 - d2;
      t[4 + j][k] = d1 + d2;
      t[8 + j][k] = d2 - d1;
      t[12 + j][k] = d1 - d3;
    }
  }
  for (int i = 0; i < 4; ++i) {
    const Lanes* r = t + i * 4;
    for (int k = 0; k < kLanes; ++k) {
      float t0 = r[0][k], t1 = r[1][k], t2 = r[2][k], t3 = r[3][k];
      v[i * 4 + 0][k] = t0 - t2;
      v[i * 4 + 1][k] = t1 + t2;
      v[i * 4 + 2][k] = t2 - t1;
      v[i * 4 + 3][k] = t1 - t3;
    }
  }
}

// V = B^T d B with B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0;
//                         0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1].
inline void InputTransform4(const Lanes* d, Lanes* v) {
  Lanes t[36];
  for (int j = 0; j < 6; ++j) {
    for (int k = 0; k < kLanes; ++k) {
      float d0 = d[j][k], d1 = d[6 + j][k], d2 = d[12 + j][k], d3 = d[18 + j][k], d4 = d[24 + j][k],
            d5 = d[30 + j][k];
      t[j][k] = 4 * d0 - 5 * d2 + d4;
      t[6 + j][k] = d3 + d4 - 4 * (d1 + d2);
      t[12 + j][k] = 4 * (d1 - d2) + d4 - d3;
      t[18 + j][k] = 2 * (d3 - d1) + d4 - d2;
      t[24 + j][k] = 2 * (d1 - d3) + d4 - d2;
      t[30 + j][k] = 4 * d1 - 5 * d3 + d5;
    }
  }
  for (int i = 0; i < 6; ++i) {
    const Lanes* r = t + i * 6;
    Lanes* o = v + i * 6;
    for (int k = 0; k < kLanes; ++k) {
      float t0 = r[0][k], t1 = r[1][k], t2 = r[2][k], t3 = r[3][k], t4 = r[4][k], t5 = r[5][k];
      o[0][k] = 4 * t0 - 5 * t2 + t4;
      o[1][k] = t3 + t4 - 4 * (t1 + t2);
      o[2][k] = 4 * (t1 - t2) + t4 - t3;
      o[3][k] = 2 * (t3 - t1) + t4 - t2;
      o[4][k] = 2 * (t1 - t3) + t4 - t2;
      o[5][k] = 4 * t1 - 5 * t3 + t5;
    }
  }
}

// Y = A^T m A + bias, clamped; A^T = [1 1 1 0; 0 1 -1 -1].
inline void OutputTransform2(const Lanes* m, const float* bias, float lo, float hi, Lanes* y) {
  Lanes a[8];
  for (int j = 0; j < 4; ++j) {
    for (int k = 0; k < kLanes; ++k) {
      float m0 = m[j][k], m1 = m[4 + j][k], m2 = m[8 + j][k], m3 = m[12 + j][k];
      a[j][k] = m0 + m1 + m2;
      a[4 + j][k] = m1 - m2 - m3;
    }
  }
  for (int i = 0; i < 2; ++i) {
    const Lanes* r = a + i * 4;
    for (int k = 0; k < kLanes; ++k) {
      float a0 = r[0][k], a1 = r[1][k], a2 = r[2][k], a3 = r[3][k];
      y[i * 2 + 0][k] = std::min(std::max(a0 + a1 + a2 + bias[k], lo), hi);
      y[i * 2 + 1][k] = std::min(std::max(a1 - a2 - a3 + bias[k], lo), hi);
    }
  }
}

// Y = A^T m A + bias, clamped; A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1].
inline void OutputTransform4(const Lanes* m, const float* bias, float lo, float hi, Lanes* y) {
  Lanes a[24];
  for (int j = 0; j < 6; ++j) {
    for (int k = 0; k < kLanes; ++k) {
      float m0 = m[j][k], m1 = m[6 + j][k], m2 = m[12 + j][k], m3 = m[18 + j][k], m4 = m[24 + j][k],
            m5 = m[30 + j][k];
      float s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4;
      a[j][k] = m0 + s12 + s34;
      a[6 + j][k] = d12 + 2 * d34;
      a[12 + j][k] = s12 + 4 * s34;
      a[18 + j][k] = d12 + 8 * d34 + m5;
    }
  }
  for (int i = 0; i < 4; ++i) {
    const Lanes* r = a + i * 6;
    Lanes* o = y + i * 4;
    for (int k = 0; k < kLanes; ++k) {
      float a0 = r[0][k], a1 = r[1][k], a2 = r[2][k], a3 = r[3][k], a4 = r[4][k], a5 = r[5][k];
      float s12 = a1 + a2, d12 = a1 - a2, s34 = a3 + a4, d34 = a3 - a4;
      o[0][k] = std::min(std::max(a0 + s12 + s34 + bias[k], lo), hi);
      o[1][k] = std::min(std::max(d12 + 2 * d34 + bias[k], lo), hi);
      o[2][k] = std::min(std::max(s12 + 4 * s34 + bias[k], lo), hi);
      o[3][k] = std::min(std::max(d12 + 8 * d34 + a5 + bias[k], lo), hi);
    }
  }
}

// What the tile tasks of one block read and write (one run at a time).
struct TileJob {
  const float* x;      // NHWC input
  float* v;            // [positions][block][c]
  float* m_out;        // [positions][block][m]
  float* y;            // NHWC output
  const float* zeros;  // c zeros: the input outside the image
  const float* bias;   // m biases and kLanes zeros
  float lo, hi;
  int64_t c, m, h, w, oh, ow, th, tw, pad_top, pad_left;
  int64_t block0, block;  // tiles [block0, block0 + block) of the image
  // Floats from one position to the next in v and m_out: a block of rows plus
  // 64 bytes, so that the 16 or 36 rows one tile writes do not fall into the
  // same L1 sets (a power-of-two block, e.g. 16 tiles x 128 channels, did).
  int64_t v_stride, m_stride;
};

// Tile b of the block: image tile block0 + b, every channel, into row b of V.
template <int kTile>
EF_ALWAYS_INLINE inline void InputTile(const TileJob& j, int64_t b) {
  constexpr int kA = kTile + 2, kP = kA * kA;
  const int64_t t = j.block0 + b;
  const int64_t n = t / (j.th * j.tw), ty = (t / j.tw) % j.th, tx = t % j.tw;
  const int64_t y0 = ty * kTile - j.pad_top, x0 = tx * kTile - j.pad_left;
  const float* src[kP];
  for (int i = 0; i < kA; ++i) {
    for (int k = 0; k < kA; ++k) {
      int64_t yy = y0 + i, xx = x0 + k;
      src[i * kA + k] = (yy < 0 || yy >= j.h || xx < 0 || xx >= j.w)
                            ? j.zeros
                            : j.x + ((n * j.h + yy) * j.w + xx) * j.c;
    }
  }
  float* dst[kP];
  for (int p = 0; p < kP; ++p) dst[p] = j.v + p * j.v_stride + b * j.c;
  alignas(64) Lanes d[kP], v[kP];
  for (int64_t c = 0; c < j.c; c += kLanes) {
    const int lanes = static_cast<int>(std::min<int64_t>(kLanes, j.c - c));
    LoadTile(src, kP, c, lanes, d);
    if constexpr (kTile == 4) {
      InputTransform4(d, v);
    } else {
      InputTransform2(d, v);
    }
    StoreTile(v, kP, c, lanes, dst);
  }
}

// Row b of the GEMM result back to output tile block0 + b (bias, clamp).
template <int kTile>
EF_ALWAYS_INLINE inline void OutputTile(const TileJob& j, int64_t b) {
  constexpr int kA = kTile + 2, kP = kA * kA;
  const int64_t t = j.block0 + b;
  const int64_t n = t / (j.th * j.tw), ty = (t / j.tw) % j.th, tx = t % j.tw;
  const float* src[kP];
  for (int p = 0; p < kP; ++p) src[p] = j.m_out + p * j.m_stride + b * j.m;
  const int64_t oy = ty * kTile, ox = tx * kTile;
  float* dst[kTile * kTile];
  for (int i = 0; i < kTile; ++i) {
    for (int k = 0; k < kTile; ++k) {
      bool inside = oy + i < j.oh && ox + k < j.ow;
      dst[i * kTile + k] = inside ? j.y + ((n * j.oh + oy + i) * j.ow + ox + k) * j.m : nullptr;
    }
  }
  alignas(64) Lanes mv[kP], out[kTile * kTile];
  for (int64_t c = 0; c < j.m; c += kLanes) {
    const int lanes = static_cast<int>(std::min<int64_t>(kLanes, j.m - c));
    LoadTile(src, kP, c, lanes, mv);
    if constexpr (kTile == 4) {
      OutputTransform4(mv, j.bias + c, j.lo, j.hi, out);
    } else {
      OutputTransform2(mv, j.bias + c, j.lo, j.hi, out);
    }
    StoreTile(out, kTile * kTile, c, lanes, dst);
  }
}

// pthreadpool tasks, compiled for AVX-512, AVX2 and the baseline (chosen at load time).
EF_MULTIVERSION void InputTask2(void* job, size_t b) {
  InputTile<2>(*static_cast<const TileJob*>(job), static_cast<int64_t>(b));
}
EF_MULTIVERSION void InputTask4(void* job, size_t b) {
  InputTile<4>(*static_cast<const TileJob*>(job), static_cast<int64_t>(b));
}
EF_MULTIVERSION void OutputTask2(void* job, size_t b) {
  OutputTile<2>(*static_cast<const TileJob*>(job), static_cast<int64_t>(b));
}
EF_MULTIVERSION void OutputTask4(void* job, size_t b) {
  OutputTile<4>(*static_cast<const TileJob*>(job), static_cast<int64_t>(b));
}

enum class Algorithm { kF2x2, kF4x4, kDirect };

// Estimated run time in microseconds of each algorithm: a cost model fitted
// to measurements on this machine (AMD EPYC with AVX-512, XNNPACK 2022) over
// 79 shapes, 16 to 512 channels and 5 to 56 pixels, at 1 and 2 threads; with
// it the chosen algorithm was on average within 1% of the measured fastest
// (worst 30%, on shapes resnet18 does not have). Terms: XNNPACK's f32 GEMM
// computes rows in groups of 7 at about 94 multiply-adds per ns (its direct
// convolution, an implicit GEMM over 9 C, at about 95); a GEMM call costs
// about 0.05 us; the transforms about 0.15 (F(2x2)) and 0.2 (F(4x4)) ns per
// element of V and of the product; with more than one thread, each of the
// three parallel phases costs a dispatch of about 2 us; transformed weights
// beyond 24 MB (F(4x4) with 512 channels: 36 C M floats) do not stay in the
// caches even when one conv runs alone, about 12 us per MB.
//
// Reading weights that are not in the cache: in a whole network every conv
// finds its weights evicted by the others' (resnet18's transformed weights
// are ~70 MB), measured with the L3 flushed before each run: about 30 us per
// MB on one thread, half that on two. This is what makes F(2x2) win over
// F(4x4) at 256 channels 14x14 (4.2 vs 9.4 MB of weights), though F(4x4) is
// faster there when its weights stay cached.
double WeightUs(double mb, int threads) { return 30 * mb / threads; }

double GemmMacs(int64_t rows, int64_t k, int64_t n) {
  return static_cast<double>((rows + 6) / 7 * 7) * static_cast<double>(k) * static_cast<double>(n);
}

double WinogradUs(int64_t tile, int64_t n, int64_t c, int64_t m, int64_t oh, int64_t ow,
                  int threads) {
  const int64_t positions = (tile + 2) * (tile + 2);
  const int64_t tiles = n * ((oh + tile - 1) / tile) * ((ow + tile - 1) / tile);
  const double per_element = tile == 2 ? 1.5e-4 : 2.0e-4;
  double compute = static_cast<double>(positions) * (GemmMacs(tiles, c, m) / 94e3 + 0.05) +
                   static_cast<double>(tiles * positions * (c + m)) * per_element;
  const double weight_mb = static_cast<double>(positions * c * m) * sizeof(float) / 1e6;
  return compute / threads + WeightUs(weight_mb, threads) + (weight_mb > 24 ? 12 * weight_mb : 0) +
         (threads > 1 ? 3 * 2.0 : 0);
}

double DirectUs(int64_t n, int64_t c, int64_t m, int64_t oh, int64_t ow, int threads) {
  const double weight_mb = static_cast<double>(9 * c * m) * sizeof(float) / 1e6;
  return (GemmMacs(n * oh * ow, 9 * c, m) / 95e3 + 0.11) / threads + WeightUs(weight_mb, threads);
}

Algorithm Choose(int64_t n, int64_t c, int64_t m, int64_t oh, int64_t ow, int threads) {
  const double direct = DirectUs(n, c, m, oh, ow, threads);
  const double f2 = WinogradUs(2, n, c, m, oh, ow, threads),
               f4 = WinogradUs(4, n, c, m, oh, ow, threads);
  if (f4 <= f2 && f4 < direct) return Algorithm::kF4x4;
  return f2 < direct ? Algorithm::kF2x2 : Algorithm::kDirect;
}

// EDGEFLOW_WINOGRAD=2, 4 or direct forces one algorithm for every eligible
// conv (measurements); 0 turns Winograd off (WinogradEligible); unset: kAuto.
WinogradTiles ForcedTiles() {
  static const WinogradTiles forced = [] {
    const char* e = std::getenv("EDGEFLOW_WINOGRAD");
    std::string v = e ? e : "";
    return v == "2"        ? WinogradTiles::kF2x2
           : v == "4"      ? WinogradTiles::kF4x4
           : v == "direct" ? WinogradTiles::kDirect
                           : WinogradTiles::kAuto;
  }();
  return forced;
}

class WinogradConv : public XnnNode {
 public:
  WinogradConv(const Node& n, const Tensor& w, int64_t c, int64_t m, std::vector<float> bias,
               float lo, float hi, pthreadpool_t pool, WinogradTiles tiles)
      : node_(n),
        w_(w),
        c_(c),
        m_(m),
        bias_(std::move(bias)),
        lo_(lo),
        hi_(hi),
        pool_(pool),
        tiles_(tiles),
        zeros_(static_cast<size_t>(c), 0.0f) {
    pads_ = n.Ints("pads", {0, 0, 0, 0});
    threads_ =
        pool ? static_cast<int>(std::max<size_t>(1, pthreadpool_get_threads_count(pool))) : 1;
    // The output transform reads kLanes biases from any channel block start.
    padded_bias_ = bias_;
    padded_bias_.resize(bias_.size() + kLanes, 0.0f);
  }
  ~WinogradConv() override {
    for (auto* op : f2_) {
      if (op) xnn_delete_operator(op);
    }
    for (auto* op : f4_) {
      if (op) xnn_delete_operator(op);
    }
    if (direct_) xnn_delete_operator(direct_);
  }

  bool nhwc() const override { return true; }

  Status Run(const std::vector<const Tensor*>& in, std::vector<Tensor>* out) override {
    const Tensor& x = *in[0];
    if (x.rank() != 4 || x.dtype() != DType::kFloat32) {
      return Status::InvalidArgument(node_.Describe() +
                                     ": Winograd conv needs a 4-D float32 input");
    }
    Tensor y;
    EF_RETURN_IF_ERROR(RunNhwc(NchwToNhwc(x), &y));
    out->push_back(NhwcToNchw(y));
    return Status::OK();
  }

  Status RunNhwc(const Tensor& x, Tensor* y) override {
    if (x.rank() != 4 || x.dtype() != DType::kFloat32 || x.dim(3) != c_) {
      return Status::InvalidArgument(node_.Describe() + ": Winograd conv input " + x.ShapeString());
    }
    n_ = x.dim(0);
    h_ = x.dim(1);
    w_in_ = x.dim(2);
    oh_ = h_ + pads_[0] + pads_[2] - 2;
    ow_ = w_in_ + pads_[1] + pads_[3] - 2;
    if (oh_ < 1 || ow_ < 1)
      return Status::InvalidArgument(node_.Describe() + ": input smaller than the kernel");
    const WinogradTiles forced = tiles_ == WinogradTiles::kAuto ? ForcedTiles() : tiles_;
    Algorithm algo = forced == WinogradTiles::kF2x2     ? Algorithm::kF2x2
                     : forced == WinogradTiles::kF4x4   ? Algorithm::kF4x4
                     : forced == WinogradTiles::kDirect ? Algorithm::kDirect
                                                        : Choose(n_, c_, m_, oh_, ow_, threads_);
    *y = Tensor::Uninitialized(DType::kFloat32, {n_, oh_, ow_, m_});
    if (algo == Algorithm::kDirect) return RunDirect(x, y);
    const bool four = algo == Algorithm::kF4x4;
    xnn_operator_t* gemm = four ? f4_ : f2_;
    std::unique_ptr<PackedGemm>* packed = four ? p4_ : p2_;
    bool& ready = four ? ready4_ : ready2_;
    if (!ready) {
      EF_RETURN_IF_ERROR(PackGemms(four ? 6 : 4, gemm, packed));
      ready = true;
    }
    const int64_t tile = four ? 4 : 2, positions = (tile + 2) * (tile + 2);
    const int64_t th = (oh_ + tile - 1) / tile, tw = (ow_ + tile - 1) / tile, tiles = n_ * th * tw;
    const int64_t per_tile = positions * (c_ + m_) * static_cast<int64_t>(sizeof(float));
    const int64_t block = std::min(tiles, std::max(kMinBlockTiles, kBlockBytes / per_tile));
    const int64_t v_stride = block * c_ + kLanes, m_stride = block * m_ + kLanes;
    Tensor v = Tensor::Uninitialized(DType::kFloat32, {positions, v_stride});
    Tensor mm = Tensor::Uninitialized(DType::kFloat32, {positions, m_stride});
    job_ = TileJob{x.data<float>(),
                   v.data<float>(),
                   mm.data<float>(),
                   y->data<float>(),
                   zeros_.data(),
                   padded_bias_.data(),
                   lo_,
                   hi_,
                   c_,
                   m_,
                   h_,
                   w_in_,
                   oh_,
                   ow_,
                   th,
                   tw,
                   pads_[0],
                   pads_[1],
                   0,
                   0,
                   v_stride,
                   m_stride};
    gemm_ = gemm;
    packed_ = packed;
    for (int64_t b0 = 0; b0 < tiles; b0 += block) {
      job_.block0 = b0;
      job_.block = std::min(block, tiles - b0);
      const size_t rows = static_cast<size_t>(job_.block);
      pthreadpool_parallelize_1d(pool_, four ? &InputTask4 : &InputTask2, &job_, rows, 0);
      gemm_status_.store(xnn_status_success, std::memory_order_relaxed);
      pthreadpool_parallelize_1d(pool_, &GemmTask, this, static_cast<size_t>(positions), 0);
      xnn_status st = gemm_status_.load(std::memory_order_relaxed);
      if (st != xnn_status_success) {
        return Status::Internal(node_.Describe() + ": XNNPACK Winograd GEMM failed (status " +
                                std::to_string(st) + ")");
      }
      pthreadpool_parallelize_1d(pool_, four ? &OutputTask4 : &OutputTask2, &job_, rows, 0);
    }
    return Status::OK();
  }

 private:
  // U = G g G^T for every (out, in) filter pair, one position at a time, as
  // the [out][in] kernel of that position's product: a PackedGemm where that
  // is the faster kernel (gemm.h), else an XNNPACK fully connected operator.
  Status PackGemms(int a, xnn_operator_t* ops, std::unique_ptr<PackedGemm>* packed) {
    const int64_t m = m_, c = c_;
    const double(*g_mat)[3] = a == 6 ? kG4 : kG2;
    const float* pw = w_.data<float>();
    std::vector<float> u(static_cast<size_t>(m * c));
    const float inf = std::numeric_limits<float>::infinity();
    for (int r = 0; r < a; ++r) {
      for (int s = 0; s < a; ++s) {
        for (int64_t o = 0; o < m; ++o) {
          for (int64_t i = 0; i < c; ++i) {
            const float* g = pw + (o * c + i) * 9;
            double v = 0;
            for (int l = 0; l < 3; ++l) {
              double row = g_mat[r][0] * g[l] + g_mat[r][1] * g[3 + l] +
                           g_mat[r][2] * g[6 + l];  // (G g)[r][l]
              v += row * g_mat[s][l];
            }
            u[static_cast<size_t>(o * c + i)] = static_cast<float>(v);
          }
        }
        if (PackedGemm::Eligible(c, m)) {
          packed[r * a + s] = std::make_unique<PackedGemm>(u.data(), nullptr, c, m, -inf, inf);
          continue;
        }
        xnn_status st = xnn_create_fully_connected_nc_f32(
            static_cast<size_t>(c), static_cast<size_t>(m), static_cast<size_t>(c),
            static_cast<size_t>(m), u.data(), nullptr, -inf, inf, 0, &ops[r * a + s]);
        if (st != xnn_status_success) {
          for (int p = 0; p < a * a; ++p) {
            if (ops[p]) xnn_delete_operator(ops[p]);
            ops[p] = nullptr;
          }
          return Status::Internal(node_.Describe() +
                                  ": XNNPACK Winograd GEMM create failed (status " +
                                  std::to_string(st) + ")");
        }
      }
    }
    return Status::OK();
  }

  Status RunDirect(const Tensor& x, Tensor* y) {
    if (!direct_) {
      // ONNX OIHW -> XNNPACK OHWI.
      std::vector<float> packed(static_cast<size_t>(m_ * c_ * 9));
      const float* pw = w_.data<float>();
      for (int64_t o = 0; o < m_; ++o)
        for (int64_t i = 0; i < c_; ++i)
          for (int64_t k = 0; k < 9; ++k)
            packed[static_cast<size_t>((o * 9 + k) * c_ + i)] = pw[(o * c_ + i) * 9 + k];
      xnn_status st = xnn_create_convolution2d_nhwc_f32(
          static_cast<uint32_t>(pads_[0]), static_cast<uint32_t>(pads_[3]),
          static_cast<uint32_t>(pads_[2]), static_cast<uint32_t>(pads_[1]), 3, 3, 1, 1, 1, 1, 1,
          static_cast<size_t>(c_), static_cast<size_t>(m_), static_cast<size_t>(c_),
          static_cast<size_t>(m_), packed.data(), bias_.data(), lo_, hi_, 0, &direct_);
      if (st != xnn_status_success) {
        direct_ = nullptr;
        return Status::Internal(node_.Describe() + ": XNNPACK create convolution failed (status " +
                                std::to_string(st) + ")");
      }
    }
    xnn_status st = xnn_setup_convolution2d_nhwc_f32(
        direct_, static_cast<size_t>(n_), static_cast<size_t>(h_), static_cast<size_t>(w_in_),
        x.data<float>(), y->data<float>(), pool_);
    if (st == xnn_status_success) st = xnn_run_operator(direct_, pool_);
    if (st != xnn_status_success) {
      return Status::Internal(node_.Describe() + ": XNNPACK convolution failed (status " +
                              std::to_string(st) + ")");
    }
    return Status::OK();
  }

  // One position's product for the current block, on the calling thread (the
  // positions are spread over the pool; each operator is set up by one task).
  static void GemmTask(void* self, size_t p) {
    auto* s = static_cast<WinogradConv*>(self);
    const size_t rows = static_cast<size_t>(s->job_.block);
    if (const PackedGemm* g = s->packed_[p].get()) {
      g->Run(s->job_.v + p * s->job_.v_stride, s->job_.block, s->job_.m_out + p * s->job_.m_stride, nullptr);
      return;
    }
    xnn_status st =
        xnn_setup_fully_connected_nc_f32(s->gemm_[p], rows, s->job_.v + p * s->job_.v_stride,
                                         s->job_.m_out + p * s->job_.m_stride, nullptr);
    if (st == xnn_status_success) st = xnn_run_operator(s->gemm_[p], nullptr);
    if (st != xnn_status_success) s->gemm_status_.store(st, std::memory_order_relaxed);
  }

  const Node node_;
  const Tensor&
      w_;  // borrowed [M, C, 3, 3] (a graph initializer), packed on first use per algorithm
  const int64_t c_, m_;
  const std::vector<float> bias_;
  std::vector<float> padded_bias_;
  const float lo_, hi_;
  pthreadpool_t pool_;
  const WinogradTiles tiles_;
  std::vector<int64_t> pads_;
  int threads_ = 1;
  const std::vector<float> zeros_;
  // Packed on first use: one fully connected operator per tile position, and the direct
  // convolution.
  xnn_operator_t f2_[16] = {};
  xnn_operator_t f4_[36] = {};
  std::unique_ptr<PackedGemm> p2_[16], p4_[36];  // where PackedGemm is the faster kernel, instead of f2_ / f4_
  bool ready2_ = false, ready4_ = false;
  xnn_operator_t direct_ = nullptr;
  // Per run (one run at a time): shapes and buffers the tasks read.
  int64_t n_ = 0, h_ = 0, w_in_ = 0, oh_ = 0, ow_ = 0;
  TileJob job_ = {};
  xnn_operator_t* gemm_ = nullptr;
  const std::unique_ptr<PackedGemm>* packed_ = nullptr;
  std::atomic<xnn_status> gemm_status_{xnn_status_success};
};

}  // namespace

bool WinogradEligible(const Node& conv, const Tensor& w) {
  static const bool enabled = [] {
    const char* e = std::getenv("EDGEFLOW_WINOGRAD");
    return !(e && std::string(e) == "0");
  }();
  if (!enabled || w.rank() != 4 || w.dim(2) != 3 || w.dim(3) != 3 || w.dtype() != DType::kFloat32)
    return false;
  if (conv.Int("group", 1) != 1 || w.dim(0) < kMinChannels || w.dim(1) < kMinChannels) return false;
  auto s = conv.Ints("strides", {1, 1}), d = conv.Ints("dilations", {1, 1}),
       p = conv.Ints("pads", {0, 0, 0, 0});
  if (p.size() != 4 || *std::min_element(p.begin(), p.end()) < 0) return false;
  return s == std::vector<int64_t>{1, 1} && d == std::vector<int64_t>{1, 1};
}

Result<std::unique_ptr<XnnNode>> PrepareWinograd(const Node& conv, const Tensor& w, const Tensor* b,
                                                 float out_min, float out_max, void* pool,
                                                 WinogradTiles tiles) {
  if (w.rank() != 4 || w.dim(2) != 3 || w.dim(3) != 3 || w.dtype() != DType::kFloat32) {
    return Status::InvalidArgument(
        conv.Describe() + ": Winograd needs a float32 [M, C, 3, 3] weight, got " + w.ShapeString());
  }
  auto p = conv.Ints("pads", {0, 0, 0, 0});
  if (p.size() != 4 || *std::min_element(p.begin(), p.end()) < 0) {
    return Status::InvalidArgument(conv.Describe() + ": Winograd needs 4 non-negative pads");
  }
  const int64_t m = w.dim(0), c = w.dim(1);
  std::vector<float> bias(static_cast<size_t>(m), 0.0f);
  if (b) {
    if (b->size() != m || b->dtype() != DType::kFloat32)
      return Status::InvalidArgument(conv.Describe() + ": bias");
    for (int64_t i = 0; i < m; ++i) bias[static_cast<size_t>(i)] = b->data<float>()[i];
  }
  return std::unique_ptr<XnnNode>(std::make_unique<WinogradConv>(
      conv, w, c, m, std::move(bias), out_min, out_max, static_cast<pthreadpool_t>(pool), tiles));
}

}  // namespace edgeflow::infer
