// RandomEngine: CPython 3.11's `random` module (the MT19937 core of _randommodule.c and the
// Python layer of Lib/random.py) reproduced bit for bit, so a seeded script prints the same
// numbers under the VM as under CPython.
//
// What "the same" covers: every method below consumes exactly the generator words CPython
// consumes and computes its result with the same IEEE operations in the same order, so results
// and the state left behind are identical, including after an error (CPython raises some errors
// only after drawing a number; so do we). The binding keeps what depends on Python objects:
// argument type checks and conversions, mapping returned indexes onto the sequence, and raising
// a RandomError as the named exception with its message unchanged.
//
// Floating-point exactness needs the compiler not to fuse a*b+c into an FMA;
// random_engine.cc switches contraction off for itself. The libm functions (log, exp, sin, cos,
// acos, pow) are the platform's, as in CPython: results match CPython built on the same libm.
//
// Not thread-safe: one engine per VM context, used by one thread at a time.
#ifndef EDGEFLOW_SCRIPT_RANDOM_ENGINE_H_
#define EDGEFLOW_SCRIPT_RANDOM_ENGINE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace edgeflow::script {

// The Python exception a failed call maps to; the message is CPython 3.11's text verbatim.
enum class RandomErrorType {
  kValueError,
  kTypeError,
  kIndexError,
  kZeroDivisionError,
  kOverflowError,
};

struct RandomError {
  RandomErrorType type;
  std::string message;
};

// A value or the exception CPython would raise. value() requires ok().
template <typename T>
class RandomResult {
 public:
  RandomResult(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  RandomResult(RandomError error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const RandomError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, RandomError> v_;
};

// A Python int or float argument (weights, cum_weights, counts). Ints are kept exact because
// CPython accumulates and compares them exactly, not as doubles.
struct RandomNumber {
  bool is_float = false;
  int64_t i = 0;
  double f = 0;

  static RandomNumber Int(int64_t v) { return {false, v, 0}; }
  static RandomNumber Float(double v) { return {true, 0, v}; }
};

// Which randrange() argument a non-int value was given for (it names it in the message).
enum class RandrangeArg { kStart, kStop, kStep };

class RandomEngine {
 public:
  static constexpr int kStateWords = 624;  // MT19937's N

  // What random.getstate() / setstate() exchange: getstate() returns
  // (3, (*mt, index), gauss_next).
  struct State {
    std::array<uint32_t, kStateWords> mt{};
    int index = kStateWords;  // next word to temper; kStateWords means "regenerate first"
    std::optional<double> gauss_next;
  };

  // Seeded from OS entropy, as `random` is at import.
  RandomEngine();
  // Seeded as by random.seed(seed).
  explicit RandomEngine(int64_t seed);

  // ---- Seeding. Every Seed* also clears gauss_next, as Random.seed() does. ----

  // random.seed(int): CPython seeds with abs(a), so a and -a give the same sequence.
  void SeedInt(int64_t a);
  // random.seed(int) for an int of any size given as the 32-bit words of abs(a), least
  // significant first. High zero words are ignored (0 is one zero word).
  void SeedMagnitude(std::span<const uint32_t> words);
  // random.seed(float): CPython seeds with hash(a) taken as an unsigned 64-bit value (so
  // seed(2.0) == seed(2) but seed(-1.5) != seed(1.5)). hash(nan) is the object's address in
  // 3.11, which no script can reproduce, so a NaN seeds from OS entropy.
  void SeedFloat(double a);
  // random.seed(str | bytes | bytearray) with the default version=2: `bytes` is the bytes
  // object, or the str's UTF-8 encoding (str.encode(); the binding raises the
  // UnicodeEncodeError for lone surrogates). Seeds with
  // int.from_bytes(bytes + sha512(bytes).digest(), 'big').
  void SeedBytes(std::string_view bytes);
  // random.seed(str | bytes, version=1): `chars` are the str's code points, or the bytes
  // values (CPython decodes bytes as latin-1).
  void SeedVersion1(std::span<const uint32_t> chars);
  // random.seed() / seed(None): 624 words of OS entropy (getrandom or /dev/urandom).
  void SeedFromEntropy();

  // ---- The core generator (_random.Random). ----

  // random.random(): a double in [0, 1) with 53 random bits (genrand_res53).
  double Random();
  // random.getrandbits(k). k < 0 is CPython's ValueError and k > INT_MAX its OverflowError,
  // neither drawing. For 64 < k <= INT_MAX the words CPython draws are drawn (the state moves
  // on identically) and an OverflowError is returned, since the value cannot be a 64-bit VM int.
  // With k == 64 a value above INT64_MAX is the binding's to refuse.
  RandomResult<uint64_t> GetRandBits(int64_t k);
  // random.getrandbits(k) for any 0 <= k <= INT_MAX: the value's 32-bit words, least
  // significant first ((k + 31) / 32 of them; none for k == 0).
  std::vector<uint32_t> GetRandBitsWords(int k);
  // random.randbytes(n): n bytes, taken from getrandbits(8 * n) little-endian.
  RandomResult<std::string> RandBytes(int64_t n);

  // Random._randbelow(n) (_randbelow_with_getrandbits): uniform in [0, n), drawing
  // getrandbits(n.bit_length()) until a value is below n. Requires n > 0.
  uint64_t RandBelow(uint64_t n);

  // random.getstate() and random.setstate() for a version-3 state. The binding checks the tuple
  // shape and converts the words (CPython keeps the low 32 bits of each); SetState rejects an
  // index outside [0, 624] with CPython's "invalid state" and then leaves the engine unchanged.
  State GetState() const;
  std::optional<RandomError> SetState(const State& state);

  // The cached second normal deviate of gauss(); None in CPython is nullopt here.
  const std::optional<double>& gauss_next() const { return gauss_next_; }
  void set_gauss_next(std::optional<double> v) { gauss_next_ = v; }

  // ---- Integers. ----

  // random.randrange(stop).
  RandomResult<int64_t> Randrange(int64_t stop);
  // random.randrange(start, stop, step). Width and count are computed without overflow, so any
  // int64 arguments behave as in CPython.
  RandomResult<int64_t> Randrange(int64_t start, int64_t stop, int64_t step = 1);
  // random.randint(a, b) == randrange(a, b + 1), including its error text.
  RandomResult<int64_t> Randint(int64_t a, int64_t b);
  // What randrange() does with a float argument in 3.11: an integral finite value is used (and
  // CPython also emits a DeprecationWarning on stderr); anything else is an error. The binding
  // calls this for float arguments only; other non-int types follow int(x) in CPython.
  static RandomResult<int64_t> RandrangeArgFromFloat(double v, RandrangeArg which);

  // ---- Sequences: these return indexes into the binding's sequence of length n. ----

  // random.choice(seq): the index of the chosen element.
  RandomResult<int64_t> Choice(int64_t n);
  // random.shuffle(x), in place, with CPython's loop order (i from len-1 down to 1).
  template <typename T>
  void Shuffle(std::span<T> items);
  // random.sample(population, k) for a population of length n: the chosen indexes in selection
  // order. Uses CPython's pool or set method, whichever it would pick for (n, k).
  RandomResult<std::vector<int64_t>> Sample(int64_t n, int64_t k);
  // random.sample(population, k, counts=counts) for a population of length n.
  RandomResult<std::vector<int64_t>> SampleWithCounts(int64_t n,
                                                      std::span<const RandomNumber> counts,
                                                      int64_t k);
  // random.choices(population, k=k): k indexes (none when k <= 0). An index that would fall
  // outside the population (n == 0) is CPython's IndexError "list index out of range", raised
  // after the first random(); a binding whose population is not a list substitutes its own
  // sequence's message (e.g. "tuple index out of range").
  RandomResult<std::vector<int64_t>> Choices(int64_t n, int64_t k);
  // random.choices(population, weights, k=k).
  RandomResult<std::vector<int64_t>> ChoicesWeighted(int64_t n,
                                                     std::span<const RandomNumber> weights,
                                                     int64_t k);
  // random.choices(population, cum_weights=cum_weights, k=k). When cum_weights is empty and so
  // is the population, CPython's cum_weights[-1] raises IndexError with the message of the
  // cum_weights sequence type; "list index out of range" is returned here.
  RandomResult<std::vector<int64_t>> ChoicesCumulative(int64_t n,
                                                       std::span<const RandomNumber> cum_weights,
                                                       int64_t k);

  // ---- Real-valued distributions. ----
  // Arguments are doubles. An int argument converted with float() gives CPython's result
  // whenever the ints involved are within +-2**53; beyond that CPython subtracts ints exactly
  // before converting, which UniformInt() reproduces for uniform().

  // random.uniform(a, b) == a + (b - a) * random().
  double Uniform(double a, double b);
  // random.uniform(a, b) for two int arguments: b - a is exact, as in CPython.
  double UniformInt(int64_t a, int64_t b);
  // random.triangular(low, high, mode); mode nullopt is None. nullopt result: CPython returns
  // the `low` argument object itself (mode given and high == low), so the binding returns it
  // unchanged (an int stays an int).
  std::optional<double> Triangular(double low = 0.0, double high = 1.0,
                                   std::optional<double> mode = std::nullopt);
  // random.gauss(mu, sigma): Box-Muller, caching the second deviate in gauss_next.
  double Gauss(double mu = 0.0, double sigma = 1.0);
  // random.normalvariate(mu, sigma): Kinderman-Monahan; does not touch gauss_next.
  double NormalVariate(double mu = 0.0, double sigma = 1.0);
  // random.lognormvariate(mu, sigma): OverflowError "math range error" when exp overflows.
  RandomResult<double> LogNormVariate(double mu, double sigma);
  // random.expovariate(lambd): ZeroDivisionError for lambd == 0 (after drawing).
  RandomResult<double> ExpoVariate(double lambd);
  // random.vonmisesvariate(mu, kappa). CPython loops forever for kappa = nan; this returns a
  // ValueError instead, so a script cannot hang the VM inside native code.
  RandomResult<double> VonMisesVariate(double mu, double kappa);
  // random.gammavariate(alpha, beta). CPython loops forever for alpha = nan, alpha = inf and
  // alpha > ~9e307; this returns a ValueError instead, as for vonmisesvariate.
  RandomResult<double> GammaVariate(double alpha, double beta);
  // random.betavariate(alpha, beta): two gammavariate() draws.
  RandomResult<double> BetaVariate(double alpha, double beta);
  // random.paretovariate(alpha).
  RandomResult<double> ParetoVariate(double alpha);
  // random.weibullvariate(alpha, beta).
  RandomResult<double> WeibullVariate(double alpha, double beta);

 private:
  uint32_t GenRandUint32();
  uint64_t RandBits64(int k);  // getrandbits(k) for 0 <= k <= 64
  void InitGenRand(uint32_t s);
  // init_by_array(key, key.size()); also clears gauss_next (every seed path goes through it).
  void InitByArray(std::span<const uint32_t> key);

  std::array<uint32_t, kStateWords> mt_{};
  int index_ = kStateWords;
  std::optional<double> gauss_next_;
};

template <typename T>
void RandomEngine::Shuffle(std::span<T> items) {
  using std::swap;
  for (size_t i = items.size(); i-- > 1;) {
    size_t j = static_cast<size_t>(RandBelow(i + 1));
    swap(items[i], items[j]);
  }
}

}  // namespace edgeflow::script

#endif  // EDGEFLOW_SCRIPT_RANDOM_ENGINE_H_
