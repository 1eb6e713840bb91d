// Percentages stored exactly as a fraction of one (25% is 1/4, 1.18% is 59/5000).
// No floating point: parsing and printing go through Rational.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/rational.hpp"

namespace nw {

// A percentage; the stored fraction is the value divided by 100.
class Percentage {
 public:
  // 0%.
  constexpr Percentage() = default;

  // Parses "25%", "1.18 %", "-0.5%", "100%": a decimal number (see Rational::Parse, but no
  // '/' form), optional spaces, then a mandatory '%'. Nullopt on anything else or overflow.
  static std::optional<Percentage> Parse(std::string_view text);

  // The percentage whose fraction of one is `fraction` (1/4 -> 25%).
  static constexpr Percentage FromFraction(Rational fraction) { return Percentage(fraction); }

  // The percentage `percent` % (25 -> 1/4); nullopt on overflow.
  static std::optional<Percentage> FromPercent(Rational percent);

  // The value as a fraction of one (25% -> 1/4).
  constexpr Rational fraction() const { return fraction_; }

  // The value in percent (1/4 -> 25); nullopt when it does not fit a Rational.
  std::optional<Rational> percent() const;

  // "25%", "1.18%", "33.333333%" (non-terminating values use max_decimals, half away from zero).
  std::string ToString(int max_decimals = 6) const;

  // Exact equality.
  friend constexpr bool operator==(const Percentage&, const Percentage&) = default;
  // Exact ordering.
  friend std::strong_ordering operator<=>(const Percentage& a, const Percentage& b) {
    return a.fraction_ <=> b.fraction_;
  }

 private:
  constexpr explicit Percentage(Rational fraction) : fraction_(fraction) {}

  Rational fraction_;
};

}  // namespace nw
