// Money: strict parsing, checked arithmetic, explicit rounding and formatting.
#include "dsl/support/values/money.hpp"

#include "dsl/support/values/checked_math.hpp"
#include "dsl/support/values/internal/wide_math.hpp"

namespace nw {

namespace {

using internal::Int128;

// The euro sign, U+20AC, in UTF-8.
constexpr std::string_view kEuroSign = "\xE2\x82\xAC";
// Cents per euro.
constexpr int64_t kCentsPerUnit = 100;
// Integer digits accepted before the overflow check (int64 cents have at most 17).
constexpr int kMaxIntegerDigits = 20;

// Removes `prefix` from the front of `text` if present; true if removed.
bool Consume(std::string_view& text, std::string_view prefix) {
  // The first character decides most cases without a compare.
  if (text.empty() || text.front() != prefix.front() || !text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

// True for an ASCII digit.
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// |cents| split into whole units and the two-digit cent remainder.
struct Magnitude {
  uint64_t units;  // whole euros
  int cents;       // 0..99
};

// The magnitude of `cents`, well-defined for INT64_MIN.
Magnitude SplitMagnitude(int64_t cents) {
  const uint64_t abs =
      cents < 0 ? uint64_t{0} - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  return Magnitude{abs / kCentsPerUnit, static_cast<int>(abs % kCentsPerUnit)};
}

// `units` in decimal with `separator` between groups of three digits (none if '\0').
std::string GroupThousands(uint64_t units, char separator) {
  const std::string digits = std::to_string(units);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (separator != '\0' && i > 0 && (digits.size() - i) % 3 == 0) out.push_back(separator);
    out.push_back(digits[i]);
  }
  return out;
}

// Two-digit cent text, "05".
std::string TwoDigits(int value) {
  return std::string{static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
}

// Wraps a 128-bit cent amount into Money, or nullopt when it does not fit.
std::optional<Money> FromWideCents(std::optional<Int128> cents, Currency currency) {
  if (!cents) return std::nullopt;
  const auto narrow = internal::NarrowToInt64(*cents);
  if (!narrow) return std::nullopt;
  return Money::FromCents(*narrow, currency);
}

}  // namespace

std::optional<Money> Money::Parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && !IsDigit(text.front())) {  // an amount that starts with a digit has no prefix
    negative = Consume(text, "-");
    if (Consume(text, kEuroSign)) {
      Consume(text, " ");
    } else {
      Consume(text, "EUR ");
    }
    if (!negative) negative = Consume(text, "-");
  }

  Int128 units = 0;
  int digits = 0;
  while (!text.empty() && IsDigit(text.front())) {
    if (++digits > kMaxIntegerDigits) return std::nullopt;
    units = units * 10 + (text.front() - '0');
    text.remove_prefix(1);
  }
  if (digits == 0) return std::nullopt;

  int cents = 0;
  if (Consume(text, ".")) {
    int decimals = 0;
    while (!text.empty() && IsDigit(text.front())) {
      if (++decimals > 2) return std::nullopt;
      cents = cents * 10 + (text.front() - '0');
      text.remove_prefix(1);
    }
    if (decimals == 0) return std::nullopt;
    if (decimals == 1) cents *= 10;
  }
  if (!text.empty()) return std::nullopt;

  const Int128 total = units * kCentsPerUnit + cents;
  return FromWideCents(negative ? -total : total, Currency::kEur);
}

std::string Money::ToString() const {
  const Magnitude m = SplitMagnitude(cents_);
  std::string out = cents_ < 0 ? "-" : "";
  out += std::to_string(m.units);
  out.push_back('.');
  out += TwoDigits(m.cents);
  return out;
}

std::string Money::Format(Lang lang) const {
  const Magnitude m = SplitMagnitude(cents_);
  const std::string_view sign = cents_ < 0 ? "-" : "";
  std::string out;
  switch (lang) {
    case Lang::kEn:  // -€1,234.56
      out.append(sign).append(kEuroSign);
      out += GroupThousands(m.units, ',') + "." + TwoDigits(m.cents);
      break;
    case Lang::kNl:  // € -1.234,56
      out.append(kEuroSign).append(" ").append(sign);
      out += GroupThousands(m.units, '.') + "," + TwoDigits(m.cents);
      break;
  }
  return out;
}

std::optional<Money> CheckedAdd(Money a, Money b) {
  if (a.currency() != b.currency()) return std::nullopt;
  const auto sum = CheckedAdd(a.cents(), b.cents());
  if (!sum) return std::nullopt;
  return Money::FromCents(*sum, a.currency());
}

std::optional<Money> CheckedSub(Money a, Money b) {
  if (a.currency() != b.currency()) return std::nullopt;
  const auto difference = CheckedSub(a.cents(), b.cents());
  if (!difference) return std::nullopt;
  return Money::FromCents(*difference, a.currency());
}

std::optional<Money> CheckedNeg(Money m) {
  const auto negated = CheckedNeg(m.cents());
  if (!negated) return std::nullopt;
  return Money::FromCents(*negated, m.currency());
}

std::optional<Money> CheckedMul(Money m, int64_t factor) {
  const auto product = CheckedMul(m.cents(), factor);
  if (!product) return std::nullopt;
  return Money::FromCents(*product, m.currency());
}

std::optional<Money> MulRound(Money m, Rational r, RoundingMode mode) {
  return FromWideCents(internal::RoundQuotient(Int128{m.cents()} * r.num(), r.den(), mode),
                       m.currency());
}

std::optional<Money> DivRound(Money m, int64_t divisor, RoundingMode mode) {
  return FromWideCents(internal::RoundQuotient(m.cents(), divisor, mode), m.currency());
}

std::optional<Rational> Ratio(Money a, Money b) {
  if (a.currency() != b.currency() || b.IsZero()) return std::nullopt;
  return Rational::Make(a.cents(), b.cents());
}

}  // namespace nw
