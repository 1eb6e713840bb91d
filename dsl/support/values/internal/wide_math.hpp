// Private 128-bit helpers shared by the value types (gcd, rounding division, decimal output).
// Not part of the public API: nothing outside dsl/support/values may include this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "dsl/support/values/rational.hpp"

namespace nw::internal {

// Signed 128-bit integer (GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef __int128 Int128;
// Unsigned 128-bit integer.
__extension__ typedef unsigned __int128 UInt128;

// |v| as unsigned (well-defined for every value).
UInt128 AbsU(Int128 v);

// Greatest common divisor; Gcd(0, 0) == 0.
UInt128 Gcd(UInt128 a, UInt128 b);

// v if it fits in int64, else nullopt.
std::optional<int64_t> NarrowToInt64(Int128 v);

// num / den rounded with `mode`; nullopt when den == 0 or the result does not fit Int128.
std::optional<Int128> RoundQuotient(Int128 num, Int128 den, RoundingMode mode);

// Decimal digits of v.
std::string UInt128ToString(UInt128 v);

// num/den in decimal (den != 0, |num|, |den| < 2^126): exact when terminating, otherwise
// `max_decimals` digits rounded half away from zero. See Rational::ToString.
std::string FormatDecimal(Int128 num, Int128 den, int max_decimals);

// Reduces num/den (den != 0) to lowest terms with a positive denominator and narrows both
// to int64; nullopt when den == 0 or either part does not fit.
struct NarrowFraction {
  int64_t num;  // numerator with sign
  int64_t den;  // denominator > 0
};
// See NarrowFraction.
std::optional<NarrowFraction> ReduceFraction(Int128 num, Int128 den);

}  // namespace nw::internal
