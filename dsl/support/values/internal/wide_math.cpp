// Private 128-bit helpers shared by the value types.
#include "dsl/support/values/internal/wide_math.hpp"

#include <algorithm>
#include <limits>

namespace nw::internal {

UInt128 AbsU(Int128 v) {
  // Negating in unsigned arithmetic is well-defined even for the minimum value.
  return v < 0 ? UInt128{0} - static_cast<UInt128>(v) : static_cast<UInt128>(v);
}

uint64_t Gcd64(uint64_t a, uint64_t b) {
  while (b != 0) {
    const uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

UInt128 Gcd(UInt128 a, UInt128 b) {
  // Operands that fit in 64 bits (nearly all) take the 64-bit division.
  if ((a >> 64) == 0 && (b >> 64) == 0) return Gcd64(static_cast<uint64_t>(a), static_cast<uint64_t>(b));
  while (b != 0) {
    const UInt128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

std::optional<int64_t> NarrowToInt64(Int128 v) {
  if (v < std::numeric_limits<int64_t>::min() || v > std::numeric_limits<int64_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int64_t>(v);
}

namespace {

// The most negative Int128, which cannot be negated.
constexpr Int128 kInt128Min = static_cast<Int128>(UInt128{1} << 127);

}  // namespace

std::optional<Int128> RoundQuotient(Int128 num, Int128 den, RoundingMode mode) {
  if (den == 0 || num == kInt128Min || den == kInt128Min) return std::nullopt;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  Int128 q = num / den;  // truncates toward zero
  const Int128 r = num % den;
  if (r == 0) return q;
  const bool negative = num < 0;
  const UInt128 twice_r = AbsU(r) * 2;  // |r| < den < 2^127, so no wrap
  const UInt128 d = static_cast<UInt128>(den);
  bool away = false;  // move one step away from zero?
  switch (mode) {
    case RoundingMode::kDown:
      away = false;
      break;
    case RoundingMode::kFloor:
      away = negative;
      break;
    case RoundingMode::kCeiling:
      away = !negative;
      break;
    case RoundingMode::kHalfAwayFromZero:
      away = twice_r >= d;
      break;
    case RoundingMode::kHalfEven:
      away = twice_r > d || (twice_r == d && q % 2 != 0);
      break;
  }
  // |q| < |num| here (den >= 2 because r != 0), so the step cannot overflow.
  if (away) q += negative ? -1 : 1;
  return q;
}

std::string UInt128ToString(UInt128 v) {
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

std::string FormatDecimal(Int128 num, Int128 den, int max_decimals) {
  max_decimals = std::clamp(max_decimals, 0, 18);
  const bool negative = (num < 0) != (den < 0) && num != 0;
  UInt128 n = AbsU(num);
  UInt128 d = AbsU(den);
  if (d == 0) return "NaN";  // callers never pass 0; keep this total anyway
  const UInt128 g = Gcd(n, d);
  n /= g;
  d /= g;
  UInt128 int_part = n / d;
  UInt128 rem = n % d;

  UInt128 odd = d;  // d without its factors 2 and 5: 1 iff the expansion terminates
  while (odd % 2 == 0) odd /= 2;
  while (odd % 5 == 0) odd /= 5;

  std::string frac;
  if (odd == 1) {
    while (rem != 0) {  // at most ~128 steps since d < 2^124
      rem *= 10;
      frac.push_back(static_cast<char>('0' + static_cast<int>(rem / d)));
      rem %= d;
    }
  } else {
    for (int i = 0; i < max_decimals; ++i) {
      rem *= 10;
      frac.push_back(static_cast<char>('0' + static_cast<int>(rem / d)));
      rem %= d;
    }
    if (rem * 2 >= d) {  // half away from zero on the magnitude
      bool carry = true;
      for (auto it = frac.rbegin(); it != frac.rend() && carry; ++it) {
        if (*it == '9') {
          *it = '0';
        } else {
          ++*it;
          carry = false;
        }
      }
      if (carry) ++int_part;
    }
  }

  const bool all_zero =
      int_part == 0 && std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; });
  std::string out = negative && !all_zero ? "-" : "";
  out += UInt128ToString(int_part);
  if (!frac.empty()) {
    out.push_back('.');
    out += frac;
  }
  return out;
}

std::optional<NarrowFraction> ReduceFraction(Int128 num, Int128 den) {
  if (den == 0 || num == kInt128Min || den == kInt128Min) return std::nullopt;
  constexpr Int128 kMax64 = std::numeric_limits<int64_t>::max();
  if (num >= -kMax64 && num <= kMax64 && den >= -kMax64 && den <= kMax64) {
    // Both parts fit in 64 bits (nearly always): 64-bit arithmetic throughout.
    int64_t n = static_cast<int64_t>(num), d = static_cast<int64_t>(den);
    if (d < 0) {
      n = -n;
      d = -d;
    }
    const uint64_t g = Gcd64(n < 0 ? static_cast<uint64_t>(-n) : static_cast<uint64_t>(n), static_cast<uint64_t>(d));
    if (g > 1) {
      n /= static_cast<int64_t>(g);
      d /= static_cast<int64_t>(g);
    }
    return NarrowFraction{n, d};
  }
  if (den < 0) {
    num = -num;
    den = -den;
  }
  const UInt128 g = Gcd(AbsU(num), static_cast<UInt128>(den));
  if (g > 1) {
    num /= static_cast<Int128>(g);
    den /= static_cast<Int128>(g);
  }
  const auto n = NarrowToInt64(num);
  const auto d = NarrowToInt64(den);
  if (!n || !d) return std::nullopt;
  return NarrowFraction{*n, *d};
}

}  // namespace nw::internal
