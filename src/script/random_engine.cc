// RandomEngine: CPython 3.11's Modules/_randommodule.c (MT19937) and Lib/random.py, transcribed
// operation for operation. Comments name the CPython line a block reproduces where the reason for
// an odd-looking step is "CPython does it this way".
#include "script/random_engine.h"

#include <sodium.h>

#include <bit>
#include <cassert>
#include <climits>
#include <cmath>
#include <limits>
#include <unordered_set>

// CPython's results depend on every multiply and add being rounded separately; GCC (C++ modes
// default to -ffp-contract=fast) and clang would otherwise fuse a + b * c into one FMA on
// targets that have it, e.g. gauss()'s mu + z * sigma.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace edgeflow::script {
namespace {

using Int128 = __int128;
using UInt128 = unsigned __int128;

constexpr int kN = RandomEngine::kStateWords;
constexpr int kM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;

// random.py's module constants, as CPython computes them at import with the platform libm
// (written out so the compiler cannot fold them with its own, differently rounded, math).
constexpr double kNvMagicConst = 0x1.b72cd3f331398p+0;  // 4 * exp(-0.5) / sqrt(2.0)
constexpr double kLog4 = 0x1.62e42fefa39efp+0;          // log(4.0)
constexpr double kSgMagicConst = 0x1.40859baee748fp+1;  // 1.0 + log(4.5)
constexpr double kTwoPi = 0x1.921fb54442d18p+2;         // math.tau
constexpr double kPi = 0x1.921fb54442d18p+1;            // math.pi
constexpr double kE = 0x1.5bf0a8b145769p+1;             // math.e

RandomError Error(RandomErrorType type, std::string message) {
  return RandomError{type, std::move(message)};
}
RandomError ValueError(std::string m) { return Error(RandomErrorType::kValueError, std::move(m)); }
RandomError TypeError(std::string m) { return Error(RandomErrorType::kTypeError, std::move(m)); }
RandomError IndexError(std::string m) { return Error(RandomErrorType::kIndexError, std::move(m)); }
RandomError ZeroDivision(std::string m) {
  return Error(RandomErrorType::kZeroDivisionError, std::move(m));
}
RandomError OverflowError(std::string m) {
  return Error(RandomErrorType::kOverflowError, std::move(m));
}

RandomError MathDomainError() { return ValueError("math domain error"); }
RandomError FloatDivisionByZero() { return ZeroDivision("float division by zero"); }

std::string Int128ToString(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  UInt128 m = negative ? -static_cast<UInt128>(v) : static_cast<UInt128>(v);
  std::string digits;
  while (m != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  return negative ? "-" + digits : digits;
}

// Python's // on ints: rounds toward minus infinity.
Int128 FloorDiv(Int128 a, Int128 b) {
  Int128 q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

// float / float (float_div): zero divisors raise instead of giving inf or nan.
bool Div(double a, double b, double* out) {
  if (b == 0.0) return false;
  *out = a / b;
  return true;
}

// float % float (float_rem): the result takes the divisor's sign. The divisor is never zero
// at the call sites (TWOPI).
double FloatMod(double v, double w) {
  double mod = std::fmod(v, w);
  if (mod != 0.0 || std::isnan(mod)) {
    if ((w < 0) != (mod < 0)) mod += w;
  } else {
    mod = std::copysign(0.0, w);
  }
  return mod;
}

// math.log(x) for a float (m_log): zero and negatives are a domain error, not -inf / nan.
RandomResult<double> MathLog(double x) {
  if (std::isfinite(x)) {
    if (x > 0.0) return std::log(x);
    return MathDomainError();
  }
  if (std::isnan(x) || x > 0.0) return x;
  return MathDomainError();
}

// math.exp(x) (math_1 with can_overflow): a finite x overflowing to inf is an OverflowError.
RandomResult<double> MathExp(double x) {
  double r = std::exp(x);
  if (std::isinf(r) && std::isfinite(x)) return OverflowError("math range error");
  return r;
}

// math.acos(x) (math_1): a nan from a non-nan argument is a domain error.
RandomResult<double> MathAcos(double x) {
  double r = std::acos(x);
  if (std::isnan(r) && !std::isnan(x)) return MathDomainError();
  return r;
}

bool IsOddInteger(double w) { return std::fmod(std::fabs(w), 2.0) == 1.0; }

// float ** float (float_pow), for the cases random.py can reach; it never raises a negative base
// to a fractional power (CPython would return a complex there).
RandomResult<double> FloatPow(double iv, double iw) {
  if (iw == 0) return 1.0;
  if (std::isnan(iv)) return iv;
  if (std::isnan(iw)) return iv == 1.0 ? 1.0 : iw;
  if (std::isinf(iw)) {
    double a = std::fabs(iv);
    if (a == 1.0) return 1.0;
    if ((iw > 0.0) == (a > 1.0)) return std::fabs(iw);
    return 0.0;
  }
  if (std::isinf(iv)) {
    bool odd = IsOddInteger(iw);
    if (iw > 0.0) return odd ? iv : std::fabs(iv);
    return odd ? std::copysign(0.0, iv) : 0.0;
  }
  if (iv == 0.0) {
    if (iw < 0.0) return ZeroDivision("0.0 cannot be raised to a negative power");
    return IsOddInteger(iw) ? iv : 0.0;
  }
  bool negate = false;
  if (iv < 0.0) {
    if (iw != std::floor(iw)) return ValueError("math domain error");  // complex in CPython
    iv = -iv;
    negate = IsOddInteger(iw);
  }
  if (iv == 1.0) return negate ? -1.0 : 1.0;
  double ix = std::pow(iv, iw);
  // _Py_ADJUST_ERANGE1: only overflow is an error; underflow to zero is not.
  if (std::isinf(ix)) return OverflowError("(34, 'Numerical result out of range')");
  return negate ? -ix : ix;
}

// _Py_HashDouble for a finite or infinite v (CPython 3.11, 64-bit Py_hash_t).
uint64_t HashDouble(double v) {
  constexpr int kHashBits = 61;
  constexpr uint64_t kHashModulus = (uint64_t{1} << kHashBits) - 1;
  constexpr uint64_t kHashInf = 314159;
  if (std::isinf(v))
    return v > 0 ? kHashInf : static_cast<uint64_t>(-static_cast<int64_t>(kHashInf));
  int e = 0;
  double m = std::frexp(v, &e);
  bool negative = false;
  if (m < 0) {
    negative = true;
    m = -m;
  }
  uint64_t x = 0;
  // 28 bits at a time, as CPython does.
  while (m != 0.0) {
    x = ((x << 28) & kHashModulus) | x >> (kHashBits - 28);
    m *= 268435456.0;  // 2**28
    e -= 28;
    uint64_t y = static_cast<uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= kHashModulus) x -= kHashModulus;
  }
  e = e >= 0 ? e % kHashBits : kHashBits - 1 - ((-1 - e) % kHashBits);
  x = ((x << e) & kHashModulus) | x >> (kHashBits - e);
  if (negative) x = 0 - x;
  if (x == ~uint64_t{0}) x = ~uint64_t{0} - 1;  // -1 is reserved for errors; it becomes -2
  return x;
}

void EnsureSodium() {
  // sodium_init() is idempotent and thread-safe; failure leaves SHA-512 usable and makes
  // randombytes_buf() abort, which is acceptable for a device with no entropy source.
  static const int kInit = sodium_init();
  (void)kInit;
}

// A Python int or float with ints held exactly; what itertools.accumulate() yields for int and
// float weights (the sum of int64 values cannot overflow 128 bits).
struct Exact {
  bool is_float = false;
  Int128 i = 0;
  double f = 0;

  static Exact Of(const RandomNumber& n) {
    return n.is_float ? Exact{true, 0, n.f} : Exact{false, n.i, 0};
  }
  // float(int) is correctly rounded in CPython, as is the int128 -> double conversion.
  double AsDouble() const { return is_float ? f : static_cast<double>(i); }
};

// a + b with Python's int/float promotion.
Exact Add(const Exact& a, const Exact& b) {
  if (!a.is_float && !b.is_float) return Exact{false, a.i + b.i, 0};
  return Exact{true, 0, a.AsDouble() + b.AsDouble()};
}

// x < i for a float x and an int i, compared exactly as float_richcompare does (not by
// converting i to a float). For finite x, x < i exactly when floor(x) < i.
bool FloatLessThanInt(double x, Int128 i) {
  if (std::isnan(x)) return false;
  if (std::isinf(x)) return x < 0;
  if (std::fabs(x) >= 0x1p127) return x < 0;
  return static_cast<Int128>(std::floor(x)) < i;
}

bool FloatLessThan(double x, const Exact& y) {
  return y.is_float ? x < y.f : FloatLessThanInt(x, y.i);
}

std::vector<Exact> Accumulate(std::span<const RandomNumber> values) {
  std::vector<Exact> out;
  out.reserve(values.size());
  for (const RandomNumber& v : values) {
    out.push_back(out.empty() ? Exact::Of(v) : Add(out.back(), Exact::Of(v)));
  }
  return out;
}

// random.py's choices() tail once cum_weights is a list: the 3.11 checks, then bisect() over
// [0, n - 1) for each draw (hi = n - 1 keeps the index inside the population).
RandomResult<std::vector<int64_t>> ChoicesFromCumulative(RandomEngine& engine, int64_t n,
                                                         const std::vector<Exact>& cum, int64_t k) {
  if (static_cast<int64_t>(cum.size()) != n) {
    return ValueError("The number of weights does not match the population");
  }
  if (cum.empty()) return IndexError("list index out of range");  // cum_weights[-1]
  double total = cum.back().AsDouble() + 0.0;
  if (total <= 0.0) return ValueError("Total of weights must be greater than zero");
  if (!std::isfinite(total)) return ValueError("Total of weights must be finite");
  std::vector<int64_t> out;
  if (k > 0) out.reserve(static_cast<size_t>(k));
  const size_t hi_end = static_cast<size_t>(n - 1);
  for (int64_t c = 0; c < k; ++c) {
    double x = engine.Random() * total;
    size_t lo = 0;
    size_t hi = hi_end;
    while (lo < hi) {  // _bisect.bisect_right
      size_t mid = (lo + hi) / 2;
      if (FloatLessThan(x, cum[mid])) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    out.push_back(static_cast<int64_t>(lo));
  }
  return out;
}

// _randbelow(n) for the one width above 2**64 - 1 that int64 arguments can produce:
// randint(-2**63, 2**63 - 1) has n == 2**64, so getrandbits(65).
UInt128 RandBelowWide(RandomEngine& engine, UInt128 n) {
  if (n <= std::numeric_limits<uint64_t>::max()) return engine.RandBelow(static_cast<uint64_t>(n));
  const int bits = 64 + std::bit_width(static_cast<uint64_t>(n >> 64));  // n.bit_length()
  for (;;) {
    std::vector<uint32_t> words = engine.GetRandBitsWords(bits);
    UInt128 r = 0;
    for (size_t w = words.size(); w-- > 0;) r = (r << 32) | words[w];
    if (r < n) return r;
  }
}

// random.randrange(start, stop, step) on integers wide enough that width and count never
// overflow for int64 inputs (randint passes stop = b + 1).
RandomResult<int64_t> RandrangeWide(RandomEngine& engine, Int128 start, Int128 stop, Int128 step) {
  Int128 width = stop - start;
  if (step == 1) {
    if (width > 0) {
      return static_cast<int64_t>(start + static_cast<Int128>(RandBelowWide(engine, width)));
    }
    return ValueError("empty range for randrange() (" + Int128ToString(start) + ", " +
                      Int128ToString(stop) + ", " + Int128ToString(width) + ")");
  }
  Int128 n;
  if (step > 0) {
    n = FloorDiv(width + step - 1, step);
  } else if (step < 0) {
    n = FloorDiv(width + step + 1, step);
  } else {
    return ValueError("zero step for randrange()");
  }
  if (n <= 0) return ValueError("empty range for randrange()");
  return static_cast<int64_t>(start + step * static_cast<Int128>(RandBelowWide(engine, n)));
}

}  // namespace

RandomEngine::RandomEngine() { SeedFromEntropy(); }

RandomEngine::RandomEngine(int64_t seed) { SeedInt(seed); }

// ---- MT19937 (_randommodule.c) ----

void RandomEngine::InitGenRand(uint32_t s) {
  mt_[0] = s;
  for (int i = 1; i < kN; ++i) {
    mt_[i] = 1812433253U * (mt_[i - 1] ^ (mt_[i - 1] >> 30)) + static_cast<uint32_t>(i);
  }
  index_ = kN;
}

void RandomEngine::InitByArray(std::span<const uint32_t> key) {
  InitGenRand(19650218U);
  size_t i = 1;
  size_t j = 0;
  const size_t key_length = key.size();
  for (size_t k = std::max<size_t>(kN, key_length); k != 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525U)) + key[j] +
             static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= key_length) j = 0;
  }
  for (size_t k = kN - 1; k != 0; --k) {
    mt_[i] =
        (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941U)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000U;  // MSB set: the initial array is never all zero
  gauss_next_.reset();   // Random.seed() clears it after seeding the core
}

uint32_t RandomEngine::GenRandUint32() {
  static constexpr uint32_t kMag01[2] = {0x0U, kMatrixA};
  if (index_ >= kN) {
    int kk = 0;
    for (; kk < kN - kM; ++kk) {
      uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + kM] ^ (y >> 1) ^ kMag01[y & 0x1U];
    }
    for (; kk < kN - 1; ++kk) {
      uint32_t y = (mt_[kk] & kUpperMask) | (mt_[kk + 1] & kLowerMask);
      mt_[kk] = mt_[kk + (kM - kN)] ^ (y >> 1) ^ kMag01[y & 0x1U];
    }
    uint32_t y = (mt_[kN - 1] & kUpperMask) | (mt_[0] & kLowerMask);
    mt_[kN - 1] = mt_[kM - 1] ^ (y >> 1) ^ kMag01[y & 0x1U];
    index_ = 0;
  }
  uint32_t y = mt_[index_++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

// ---- Seeding (random_seed and Random.seed) ----

void RandomEngine::SeedInt(int64_t a) {
  uint64_t magnitude = a < 0 ? 0 - static_cast<uint64_t>(a) : static_cast<uint64_t>(a);
  const uint32_t words[2] = {static_cast<uint32_t>(magnitude),
                             static_cast<uint32_t>(magnitude >> 32)};
  SeedMagnitude(words);
}

void RandomEngine::SeedMagnitude(std::span<const uint32_t> words) {
  // keyused = max(1, ceil(bit_length / 32)): the key is the number's significant words only.
  size_t used = words.size();
  while (used > 0 && words[used - 1] == 0) --used;
  if (used == 0) {
    const uint32_t zero[1] = {0};
    InitByArray(zero);
    return;
  }
  InitByArray(words.first(used));
}

void RandomEngine::SeedFloat(double a) {
  if (std::isnan(a)) {
    SeedFromEntropy();
    return;
  }
  // random_seed hashes non-int seeds and takes the hash as size_t, without abs().
  uint64_t h = HashDouble(a);
  const uint32_t words[2] = {static_cast<uint32_t>(h), static_cast<uint32_t>(h >> 32)};
  SeedMagnitude(words);
}

void RandomEngine::SeedBytes(std::string_view bytes) {
  EnsureSodium();
  std::string buf(bytes);
  unsigned char digest[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  buf.append(reinterpret_cast<const char*>(digest), sizeof digest);
  // int.from_bytes(buf, 'big') as 32-bit words, least significant first: byte `back` places
  // from the end lands in word back / 4. Leading zero bytes become high zero words, which
  // SeedMagnitude drops as CPython's bit_length-based key length does.
  std::vector<uint32_t> words((buf.size() + 3) / 4, 0);
  for (size_t back = 0; back < buf.size(); ++back) {
    const auto byte = static_cast<unsigned char>(buf[buf.size() - 1 - back]);
    words[back / 4] |= uint32_t{byte} << (8 * (back % 4));
  }
  SeedMagnitude(words);
}

void RandomEngine::SeedVersion1(std::span<const uint32_t> chars) {
  // Python's `& 0xFFFFFFFFFFFFFFFF` after each step is uint64 wrap-around.
  uint64_t x = chars.empty() ? 0 : uint64_t{chars[0]} << 7;
  for (uint32_t c : chars) x = (1000003ULL * x) ^ c;
  x ^= chars.size();
  const uint32_t words[2] = {static_cast<uint32_t>(x), static_cast<uint32_t>(x >> 32)};
  SeedMagnitude(words);
}

void RandomEngine::SeedFromEntropy() {
  EnsureSodium();
  std::array<uint32_t, kN> key;
  randombytes_buf(key.data(), sizeof key);
  InitByArray(key);  // all 624 words, untrimmed, as random_seed_urandom does
}

// ---- Core draws ----

double RandomEngine::Random() {
  // genrand_res53: 27 + 26 bits.
  uint32_t a = GenRandUint32() >> 5;
  uint32_t b = GenRandUint32() >> 6;
  return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

uint64_t RandomEngine::RandBits64(int k) {
  assert(k >= 0 && k <= 64);
  if (k == 0) return 0;
  if (k <= 32) return GenRandUint32() >> (32 - k);
  // Least significant word first; only the last word is shifted down to the remaining bits.
  uint64_t lo = GenRandUint32();
  uint64_t hi = GenRandUint32();
  if (k < 64) hi >>= (64 - k);
  return (hi << 32) | lo;
}

RandomResult<uint64_t> RandomEngine::GetRandBits(int64_t k) {
  if (k < 0) return ValueError("number of bits must be non-negative");
  if (k > INT_MAX) return OverflowError("Python int too large to convert to C int");
  if (k <= 64) return RandBits64(static_cast<int>(k));
  for (int64_t words = (k - 1) / 32 + 1; words > 0; --words) GenRandUint32();
  return OverflowError("getrandbits(" + std::to_string(k) +
                       ") does not fit a 64-bit int (edgeflow ints are 64-bit)");
}

std::vector<uint32_t> RandomEngine::GetRandBitsWords(int k) {
  assert(k >= 0);
  std::vector<uint32_t> words(k == 0 ? 0 : static_cast<size_t>((k - 1) / 32 + 1));
  for (size_t i = 0; i < words.size(); ++i, k -= 32) {
    uint32_t r = GenRandUint32();
    if (k < 32) r >>= (32 - k);
    words[i] = r;
  }
  return words;
}

RandomResult<std::string> RandomEngine::RandBytes(int64_t n) {
  if (n < 0) return ValueError("number of bits must be non-negative");
  if (n > INT_MAX / 8) return OverflowError("Python int too large to convert to C int");
  std::vector<uint32_t> words = GetRandBitsWords(static_cast<int>(n * 8));
  std::string out(static_cast<size_t>(n), '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<char>((words[i / 4] >> (8 * (i % 4))) & 0xff);
  }
  return out;
}

uint64_t RandomEngine::RandBelow(uint64_t n) {
  assert(n > 0);                    // CPython's _randbelow(0) would loop forever
  const int k = std::bit_width(n);  // n.bit_length(), not (n - 1)'s: n may be 1
  uint64_t r = RandBits64(k);
  while (r >= n) r = RandBits64(k);
  return r;
}

RandomEngine::State RandomEngine::GetState() const {
  State s;
  s.mt = mt_;
  s.index = index_;
  s.gauss_next = gauss_next_;
  return s;
}

std::optional<RandomError> RandomEngine::SetState(const State& state) {
  if (state.index < 0 || state.index > kN) return ValueError("invalid state");
  mt_ = state.mt;
  index_ = state.index;
  gauss_next_ = state.gauss_next;
  return std::nullopt;
}

// ---- Integers ----

RandomResult<int64_t> RandomEngine::Randrange(int64_t stop) {
  if (stop > 0) return static_cast<int64_t>(RandBelow(static_cast<uint64_t>(stop)));
  return ValueError("empty range for randrange()");
}

RandomResult<int64_t> RandomEngine::Randrange(int64_t start, int64_t stop, int64_t step) {
  return RandrangeWide(*this, start, stop, step);
}

RandomResult<int64_t> RandomEngine::Randint(int64_t a, int64_t b) {
  return RandrangeWide(*this, a, static_cast<Int128>(b) + 1, 1);
}

RandomResult<int64_t> RandomEngine::RandrangeArgFromFloat(double v, RandrangeArg which) {
  // istart = int(start); then `istart != start` rejects a fractional value.
  if (std::isnan(v)) return ValueError("cannot convert float NaN to integer");
  if (std::isinf(v)) return OverflowError("cannot convert float infinity to integer");
  if (v != std::trunc(v)) {
    switch (which) {
      case RandrangeArg::kStart:
        return ValueError("non-integer arg 1 for randrange()");
      case RandrangeArg::kStop:
        return ValueError("non-integer stop for randrange()");
      case RandrangeArg::kStep:
        return ValueError("non-integer step for randrange()");
    }
  }
  if (v < -0x1p63 || v >= 0x1p63) return OverflowError("Python int too large to convert to C long");
  return static_cast<int64_t>(v);
}

// ---- Sequences ----

RandomResult<int64_t> RandomEngine::Choice(int64_t n) {
  if (n <= 0) return IndexError("Cannot choose from an empty sequence");
  return static_cast<int64_t>(RandBelow(static_cast<uint64_t>(n)));
}

RandomResult<std::vector<int64_t>> RandomEngine::Sample(int64_t n, int64_t k) {
  if (!(0 <= k && k <= n)) return ValueError("Sample larger than population or is negative");
  std::vector<int64_t> result(static_cast<size_t>(k));
  // setsize = 21 (+ 4 ** ceil(log(k * 3, 4)) when k > 5): which method CPython picks depends on
  // this float computation, so it is done the same way (math.log(x, base) is log(x) / log(base)).
  bool use_pool = true;
  if (k > 5) {
    double exponent = std::ceil(std::log(static_cast<double>(Int128{k} * 3)) / kLog4);
    // 4 ** 32 exceeds every int64 n.
    if (exponent < 32) {
      uint64_t setsize = 21 + (uint64_t{1} << (2 * static_cast<int>(exponent)));
      use_pool = static_cast<uint64_t>(n) <= setsize;
    }
  } else {
    use_pool = n <= 21;
  }
  if (use_pool) {
    // n <= setsize <= 12 * k + 21 here, so the pool is no larger than the result's order.
    std::vector<int64_t> pool(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) pool[static_cast<size_t>(i)] = i;
    for (int64_t i = 0; i < k; ++i) {
      size_t j = static_cast<size_t>(RandBelow(static_cast<uint64_t>(n - i)));
      result[static_cast<size_t>(i)] = pool[j];
      pool[j] = pool[static_cast<size_t>(n - i - 1)];  // move the non-selected item into the gap
    }
  } else {
    std::unordered_set<int64_t> selected;
    selected.reserve(static_cast<size_t>(k));
    for (int64_t i = 0; i < k; ++i) {
      int64_t j = static_cast<int64_t>(RandBelow(static_cast<uint64_t>(n)));
      while (selected.count(j) != 0) j = static_cast<int64_t>(RandBelow(static_cast<uint64_t>(n)));
      selected.insert(j);
      result[static_cast<size_t>(i)] = j;
    }
  }
  return result;
}

RandomResult<std::vector<int64_t>> RandomEngine::SampleWithCounts(
    int64_t n, std::span<const RandomNumber> counts, int64_t k) {
  std::vector<Exact> cum = Accumulate(counts);
  if (static_cast<int64_t>(cum.size()) != n) {
    return ValueError("The number of counts does not match the population");
  }
  if (cum.empty()) return IndexError("pop from empty list");
  Exact total = cum.back();
  cum.pop_back();
  if (total.is_float) return TypeError("Counts must be integers");
  if (total.i <= 0) return ValueError("Total of counts must be greater than zero");
  // len(range(total)) must fit a Py_ssize_t.
  if (total.i > std::numeric_limits<int64_t>::max()) {
    return OverflowError("Python int too large to convert to C ssize_t");
  }
  RandomResult<std::vector<int64_t>> selections = Sample(static_cast<int64_t>(total.i), k);
  if (!selections.ok()) return selections;
  std::vector<int64_t> out = std::move(selections).value();
  for (int64_t& s : out) {
    // bisect_right(cum_counts, s); all entries are ints once the total is.
    size_t lo = 0;
    size_t hi = cum.size();
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (Int128{s} < cum[mid].i) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    s = static_cast<int64_t>(lo);
  }
  return out;
}

RandomResult<std::vector<int64_t>> RandomEngine::Choices(int64_t n, int64_t k) {
  const double nf = static_cast<double>(n);  // `n += 0.0`
  std::vector<int64_t> out;
  if (k > 0) out.reserve(static_cast<size_t>(k));
  for (int64_t c = 0; c < k; ++c) {
    // floor(random() * n) < 2**63 because random() < 1 and n <= 2**63 as a double.
    int64_t index = static_cast<int64_t>(std::floor(Random() * nf));
    if (index >= n) return IndexError("list index out of range");
    out.push_back(index);
  }
  return out;
}

RandomResult<std::vector<int64_t>> RandomEngine::ChoicesWeighted(
    int64_t n, std::span<const RandomNumber> weights, int64_t k) {
  return ChoicesFromCumulative(*this, n, Accumulate(weights), k);
}

RandomResult<std::vector<int64_t>> RandomEngine::ChoicesCumulative(
    int64_t n, std::span<const RandomNumber> cum_weights, int64_t k) {
  std::vector<Exact> cum;
  cum.reserve(cum_weights.size());
  for (const RandomNumber& w : cum_weights) cum.push_back(Exact::Of(w));
  return ChoicesFromCumulative(*this, n, cum, k);
}

// ---- Real-valued distributions ----

double RandomEngine::Uniform(double a, double b) { return a + (b - a) * Random(); }

double RandomEngine::UniformInt(int64_t a, int64_t b) {
  const double width = static_cast<double>(Int128{b} - Int128{a});
  return static_cast<double>(a) + width * Random();
}

std::optional<double> RandomEngine::Triangular(double low, double high,
                                               std::optional<double> mode) {
  double u = Random();
  double c = 0.5;
  if (mode.has_value() && !Div(*mode - low, high - low, &c)) return std::nullopt;
  if (u > c) {
    u = 1.0 - u;
    c = 1.0 - c;
    std::swap(low, high);
  }
  // u * c >= 0 or nan on every path, so math.sqrt cannot raise here.
  return low + (high - low) * std::sqrt(u * c);
}

double RandomEngine::Gauss(double mu, double sigma) {
  std::optional<double> z = gauss_next_;
  gauss_next_.reset();
  if (!z.has_value()) {
    double x2pi = Random() * kTwoPi;
    double g2rad = std::sqrt(-2.0 * std::log(1.0 - Random()));
    z = std::cos(x2pi) * g2rad;
    gauss_next_ = std::sin(x2pi) * g2rad;
  }
  return mu + *z * sigma;
}

double RandomEngine::NormalVariate(double mu, double sigma) {
  double z;
  for (;;) {
    double u1 = Random();
    double u2 = 1.0 - Random();  // in (0, 1], so the log below is defined
    z = kNvMagicConst * (u1 - 0.5) / u2;
    double zz = z * z / 4.0;
    if (zz <= -std::log(u2)) break;
  }
  return mu + z * sigma;
}

RandomResult<double> RandomEngine::LogNormVariate(double mu, double sigma) {
  return MathExp(NormalVariate(mu, sigma));
}

RandomResult<double> RandomEngine::ExpoVariate(double lambd) {
  double out;
  if (!Div(-std::log(1.0 - Random()), lambd, &out)) return FloatDivisionByZero();
  return out;
}

RandomResult<double> RandomEngine::VonMisesVariate(double mu, double kappa) {
  if (kappa <= 1e-6) return kTwoPi * Random();
  if (std::isnan(kappa)) {
    return ValueError("vonmisesvariate: kappa is nan (CPython 3.11 never returns)");
  }
  double s = 0.5 / kappa;
  double r = s + std::sqrt(1.0 + s * s);
  double z;
  for (;;) {
    double u1 = Random();
    z = std::cos(kPi * u1);
    double d;
    if (!Div(z, r + z, &d)) return FloatDivisionByZero();
    double u2 = Random();
    if (u2 < 1.0 - d * d) break;
    RandomResult<double> e = MathExp(d);
    if (!e.ok()) return e;
    if (u2 <= (1.0 - d) * e.value()) break;
  }
  double q = 1.0 / r;
  double f;
  if (!Div(q + z, 1.0 + q * z, &f)) return FloatDivisionByZero();
  double u3 = Random();
  RandomResult<double> a = MathAcos(f);
  if (!a.ok()) return a;
  return u3 > 0.5 ? FloatMod(mu + a.value(), kTwoPi) : FloatMod(mu - a.value(), kTwoPi);
}

RandomResult<double> RandomEngine::GammaVariate(double alpha, double beta) {
  if (alpha <= 0.0 || beta <= 0.0) return ValueError("gammavariate: alpha and beta must be > 0.0");
  if (alpha > 1.0) {
    // R.C.H. Cheng's method.
    double ainv = std::sqrt(2.0 * alpha - 1.0);
    if (!std::isfinite(ainv)) {
      // ccc * v is then inf * 0 == nan on every draw, so CPython's loop never ends.
      return ValueError("gammavariate: alpha is too large (CPython 3.11 never returns)");
    }
    double bbb = alpha - kLog4;
    double ccc = alpha + ainv;
    for (;;) {
      double u1 = Random();
      if (!(1e-7 < u1 && u1 < 0.9999999)) continue;
      double u2 = 1.0 - Random();
      double v = std::log(u1 / (1.0 - u1)) / ainv;
      double x = alpha * std::exp(v);
      double z = u1 * u1 * u2;
      double r = bbb + ccc * v - x;
      if (r + kSgMagicConst - 4.5 * z >= 0.0 || r >= std::log(z)) return x * beta;
    }
  }
  if (alpha == 1.0) return -std::log(1.0 - Random()) * beta;
  if (std::isnan(alpha)) {
    return ValueError("gammavariate: alpha is nan (CPython 3.11 never returns)");
  }
  // ALGORITHM GS of Statistical Computing (Kennedy & Gentle), alpha in (0, 1).
  double x;
  for (;;) {
    double u = Random();
    double b = (kE + alpha) / kE;
    double p = b * u;
    if (p <= 1.0) {
      RandomResult<double> pw = FloatPow(p, 1.0 / alpha);
      if (!pw.ok()) return pw;
      x = pw.value();
    } else {
      RandomResult<double> lg = MathLog((b - p) / alpha);
      if (!lg.ok()) return lg;
      x = -lg.value();
    }
    double u1 = Random();
    if (p > 1.0) {
      RandomResult<double> pw = FloatPow(x, alpha - 1.0);
      if (!pw.ok()) return pw;
      if (u1 <= pw.value()) break;
    } else if (u1 <= std::exp(-x)) {
      break;
    }
  }
  return x * beta;
}

RandomResult<double> RandomEngine::BetaVariate(double alpha, double beta) {
  RandomResult<double> y = GammaVariate(alpha, 1.0);
  if (!y.ok()) return y;
  if (y.value() == 0.0) return 0.0;  // `if y:` (nan is true)
  RandomResult<double> g = GammaVariate(beta, 1.0);
  if (!g.ok()) return g;
  double out;
  if (!Div(y.value(), y.value() + g.value(), &out)) return FloatDivisionByZero();
  return out;
}

RandomResult<double> RandomEngine::ParetoVariate(double alpha) {
  double u = 1.0 - Random();
  double exponent;
  if (!Div(-1.0, alpha, &exponent)) return FloatDivisionByZero();
  return FloatPow(u, exponent);
}

RandomResult<double> RandomEngine::WeibullVariate(double alpha, double beta) {
  double u = 1.0 - Random();
  double base = -std::log(u);
  double exponent;
  if (!Div(1.0, beta, &exponent)) return FloatDivisionByZero();
  RandomResult<double> pw = FloatPow(base, exponent);
  if (!pw.ok()) return pw;
  return alpha * pw.value();
}

}  // namespace edgeflow::script
