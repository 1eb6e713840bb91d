// Money as integer minor units (cents) of one currency; every operation is checked and
// every rounding names its mode. There is no floating point anywhere.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dsl/support/values/lang.hpp"
#include "dsl/support/values/rational.hpp"

namespace nw {

// ISO 4217 currency. Only the euro is supported; every currency has 2 minor-unit digits so far.
enum class Currency : uint8_t {
  kEur,  // euro, symbol "€"
};

// An amount of money in cents.
class Money {
 public:
  // €0.00.
  constexpr Money() = default;

  // `cents` minor units of `currency` (FromCents(235) is €2.35).
  static constexpr Money FromCents(int64_t cents, Currency currency = Currency::kEur) {
    return Money(cents, currency);
  }

  // Parses euro text, strictly: an optional '-', an optional prefix "€", "€ " or "EUR ",
  // an optional '-' after the prefix (at most one sign in total), then digits with an
  // optional '.' followed by exactly 1 or 2 decimals. Accepted: "2.35", "-0.19", "1234",
  // "€2.35", "€ 2.35", "EUR 2.35", "-€2.35", "€ -2.35", "2.5". Rejected (nullopt): thousands
  // separators ("1,234.56"), decimal commas ("2,35"), 3+ decimals ("2.345"), "2.", ".5",
  // spaces elsewhere, '+', and amounts outside the int64 cent range.
  static std::optional<Money> Parse(std::string_view text);

  // The amount in cents.
  constexpr int64_t cents() const { return cents_; }
  // The currency.
  constexpr Currency currency() const { return currency_; }
  // True for zero.
  constexpr bool IsZero() const { return cents_ == 0; }
  // True for amounts below zero.
  constexpr bool IsNegative() const { return cents_ < 0; }

  // Canonical machine text (also the JSON form): "2.35", "-0.19", "1234.00".
  std::string ToString() const;

  // Human text: kEn "€2.35", "€1,234.56", "-€0.19"; kNl "€ 2,35", "€ 1.234,56", "€ -0,19".
  std::string Format(Lang lang) const;

  // Equality of amount and currency.
  friend constexpr bool operator==(const Money&, const Money&) = default;
  // Ordering by amount (then currency; only meaningful within one currency).
  friend constexpr std::strong_ordering operator<=>(const Money&, const Money&) = default;

 private:
  constexpr Money(int64_t cents, Currency currency) : cents_(cents), currency_(currency) {}

  int64_t cents_ = 0;
  Currency currency_ = Currency::kEur;
};

// a + b; nullopt on overflow or currency mismatch.
std::optional<Money> CheckedAdd(Money a, Money b);

// a - b; nullopt on overflow or currency mismatch.
std::optional<Money> CheckedSub(Money a, Money b);

// -m; nullopt for INT64_MIN cents.
std::optional<Money> CheckedNeg(Money m);

// m * factor; nullopt on overflow.
std::optional<Money> CheckedMul(Money m, int64_t factor);

// m * r rounded to the cent with `mode` (exact 128-bit intermediate); nullopt on overflow.
// MulRound(€0.05, 1/2, kHalfAwayFromZero) is €0.03, and -€0.05 gives -€0.03.
std::optional<Money> MulRound(Money m, Rational r, RoundingMode mode);

// m / divisor rounded to the cent with `mode`; nullopt when divisor is 0 or on overflow.
std::optional<Money> DivRound(Money m, int64_t divisor, RoundingMode mode);

// The exact ratio a / b; nullopt when b is zero or the currencies differ.
std::optional<Rational> Ratio(Money a, Money b);

}  // namespace nw
