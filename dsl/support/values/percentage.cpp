// Percentages: parsing and printing via exact fractions.
#include "dsl/support/values/percentage.hpp"

#include "dsl/support/values/internal/wide_math.hpp"

namespace nw {

namespace {

// One hundred percent, as the divisor between percent and fraction.
constexpr int64_t kHundred = 100;

}  // namespace

std::optional<Percentage> Percentage::Parse(std::string_view text) {
  if (text.empty() || text.back() != '%') return std::nullopt;
  text.remove_suffix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.find('/') != std::string_view::npos) return std::nullopt;
  const auto percent = Rational::Parse(text);
  if (!percent) return std::nullopt;
  return FromPercent(*percent);
}

std::optional<Percentage> Percentage::FromPercent(Rational percent) {
  const auto fraction = percent.Div(Rational::FromInteger(kHundred));
  if (!fraction) return std::nullopt;
  return Percentage(*fraction);
}

std::optional<Rational> Percentage::percent() const {
  return fraction_.Mul(Rational::FromInteger(kHundred));
}

std::string Percentage::ToString(int max_decimals) const {
  // Computed in 128 bits, so every stored fraction prints, even if percent() would overflow.
  using internal::Int128;
  return internal::FormatDecimal(Int128{fraction_.num()} * kHundred, fraction_.den(),
                                 max_decimals) +
         "%";
}

}  // namespace nw
