// Exact rational numbers (int64 numerator / positive int64 denominator) for rates,
// ratios and percentages. All arithmetic is checked: overflow or division by zero is nullopt.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nw {

// How a non-integral value is rounded to an integer (or to a fixed number of decimals).
enum class RoundingMode : uint8_t {
  kHalfAwayFromZero,  // 0.5 -> 1, -0.5 -> -1, 0.4 -> 0 (the legal default for cents)
  kHalfEven,          // 0.5 -> 0, 1.5 -> 2, -2.5 -> -2 (banker's rounding)
  kDown,              // toward zero: 1.9 -> 1, -1.9 -> -1
  kFloor,             // toward -infinity: -1.1 -> -2
  kCeiling,           // toward +infinity: 1.1 -> 2
};

// An exact fraction num/den.
// INVARIANT: den_ > 0 and gcd(|num_|, den_) == 1 (zero is 0/1), so equal values have equal fields.
class Rational {
 public:
  // The value 0.
  constexpr Rational() = default;

  // The integer `value` (value/1).
  static constexpr Rational FromInteger(int64_t value) { return Rational(value, 1); }

  // num/den reduced to lowest terms; nullopt if den == 0 or the normalised form does not fit int64.
  static std::optional<Rational> Make(int64_t num, int64_t den);

  // Parses "12", "-1.18", "0.5" or "1/3" (optional '-', no spaces, no '+', no exponent,
  // at least one digit on each side of '.'); nullopt on any other text or on overflow.
  static std::optional<Rational> Parse(std::string_view text);

  // Numerator (carries the sign).
  constexpr int64_t num() const { return num_; }
  // Denominator, always > 0.
  constexpr int64_t den() const { return den_; }

  // True when the denominator is 1.
  constexpr bool IsInteger() const { return den_ == 1; }
  // True for 0.
  constexpr bool IsZero() const { return num_ == 0; }
  // True for values < 0.
  constexpr bool IsNegative() const { return num_ < 0; }

  // this + other, or nullopt on overflow.
  std::optional<Rational> Add(Rational other) const;
  // this - other, or nullopt on overflow.
  std::optional<Rational> Sub(Rational other) const;
  // this * other, or nullopt on overflow.
  std::optional<Rational> Mul(Rational other) const;
  // this / other, or nullopt on overflow or when other is 0.
  std::optional<Rational> Div(Rational other) const;
  // -this, or nullopt when the numerator is INT64_MIN.
  std::optional<Rational> Negate() const;
  // |this|, or nullopt when the numerator is INT64_MIN.
  std::optional<Rational> Abs() const;

  // The value rounded to an integer with `mode` (always representable; optional for uniformity).
  std::optional<int64_t> RoundToInteger(RoundingMode mode) const;

  // The value rounded to `decimals` (0..18) decimal places with `mode`; nullopt on overflow
  // or when decimals is out of range. E.g. 1/3 at 2 decimals half-away -> 33/100.
  std::optional<Rational> RoundToDecimals(int decimals, RoundingMode mode) const;

  // Decimal text. Terminating values print exactly with every needed digit ("1.18", "0.5",
  // "-3"); others print `max_decimals` (clamped to 0..18) digits rounded half away from zero
  // ("0.333333", "0.666667"), no ellipsis.
  std::string ToString(int max_decimals = 6) const;

  // Fraction text: "1/3", "-7/2"; integers print without denominator ("5").
  std::string ToFraction() const;

  // Exact equality (fields are normalised).
  friend constexpr bool operator==(const Rational&, const Rational&) = default;
  // Exact ordering by cross-multiplication in 128 bits.
  friend std::strong_ordering operator<=>(const Rational& a, const Rational& b);

 private:
  constexpr Rational(int64_t num, int64_t den) : num_(num), den_(den) {}

  int64_t num_ = 0;
  int64_t den_ = 1;
};

}  // namespace nw
