// Exact rational numbers: parsing, checked arithmetic, rounding and printing.
#include "dsl/support/values/rational.hpp"

#include "dsl/support/values/internal/wide_math.hpp"

namespace nw {

namespace {

using internal::Int128;

// Parsed digits are kept below 10^36 so that every later product fits in 128 bits.
constexpr int kMaxDigits = 36;

// Parses a non-empty run of ASCII digits (the whole of `text`) into `out`; false on
// an empty run, a non-digit, or more than kMaxDigits significant digits.
bool ParseDigitRun(std::string_view text, Int128& out, int& digit_count) {
  if (text.empty()) return false;
  Int128 value = 0;
  int significant = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
    if (value != 0 || c != '0') ++significant;
    if (significant > kMaxDigits) return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  digit_count = static_cast<int>(text.size());
  return true;
}

// 10^exp for 0 <= exp <= 36.
Int128 PowerOfTen(int exp) {
  Int128 result = 1;
  for (int i = 0; i < exp; ++i) result *= 10;
  return result;
}

// Builds a Rational from an Int128 fraction, or nullopt when it does not fit.
std::optional<Rational> FromWide(Int128 num, Int128 den) {
  const auto reduced = internal::ReduceFraction(num, den);
  if (!reduced) return std::nullopt;
  return Rational::Make(reduced->num, reduced->den);
}

}  // namespace

std::optional<Rational> Rational::Make(int64_t num, int64_t den) {
  const auto reduced = internal::ReduceFraction(num, den);
  if (!reduced) return std::nullopt;
  return Rational(reduced->num, reduced->den);
}

std::optional<Rational> Rational::Parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const size_t sep = text.find_first_of("./");
  Int128 whole = 0;
  int whole_digits = 0;
  if (!ParseDigitRun(text.substr(0, sep), whole, whole_digits)) return std::nullopt;
  Int128 num = whole;
  Int128 den = 1;
  if (sep != std::string_view::npos) {
    Int128 tail = 0;
    int tail_digits = 0;
    if (!ParseDigitRun(text.substr(sep + 1), tail, tail_digits)) return std::nullopt;
    if (text[sep] == '.') {
      if (tail_digits > kMaxDigits) return std::nullopt;
      den = PowerOfTen(tail_digits);
      num = whole * den + tail;  // < 10^36 * 10^36 + 10^36 < 2^127
    } else {
      if (tail == 0) return std::nullopt;
      den = tail;
    }
  }
  return FromWide(negative ? -num : num, den);
}

std::optional<Rational> Rational::Add(Rational other) const {
  // Each product is below 2^126, so the sum fits in 128 bits.
  return FromWide(Int128{num_} * other.den_ + Int128{other.num_} * den_, Int128{den_} * other.den_);
}

std::optional<Rational> Rational::Sub(Rational other) const {
  return FromWide(Int128{num_} * other.den_ - Int128{other.num_} * den_, Int128{den_} * other.den_);
}

std::optional<Rational> Rational::Mul(Rational other) const {
  return FromWide(Int128{num_} * other.num_, Int128{den_} * other.den_);
}

std::optional<Rational> Rational::Div(Rational other) const {
  if (other.num_ == 0) return std::nullopt;
  return FromWide(Int128{num_} * other.den_, Int128{den_} * other.num_);
}

std::optional<Rational> Rational::Negate() const { return FromWide(-Int128{num_}, den_); }

std::optional<Rational> Rational::Abs() const {
  return num_ < 0 ? Negate() : std::optional<Rational>(*this);
}

std::optional<int64_t> Rational::RoundToInteger(RoundingMode mode) const {
  const auto q = internal::RoundQuotient(num_, den_, mode);
  if (!q) return std::nullopt;
  return internal::NarrowToInt64(*q);
}

std::optional<Rational> Rational::RoundToDecimals(int decimals, RoundingMode mode) const {
  if (decimals < 0 || decimals > 18) return std::nullopt;
  const Int128 scale = PowerOfTen(decimals);
  const auto q = internal::RoundQuotient(Int128{num_} * scale, den_, mode);
  if (!q) return std::nullopt;
  return FromWide(*q, scale);
}

std::string Rational::ToString(int max_decimals) const {
  return internal::FormatDecimal(num_, den_, max_decimals);
}

std::string Rational::ToFraction() const {
  if (den_ == 1) return std::to_string(num_);
  return std::to_string(num_) + "/" + std::to_string(den_);
}

std::strong_ordering operator<=>(const Rational& a, const Rational& b) {
  using internal::Int128;
  const Int128 lhs = Int128{a.num_} * b.den_;  // dens are positive, so the order is preserved
  const Int128 rhs = Int128{b.num_} * a.den_;
  if (lhs < rhs) return std::strong_ordering::less;
  if (lhs > rhs) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace nw
