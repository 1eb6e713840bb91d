// Calendar durations: construction, parsing, printing, application and partial ordering.
#include "dsl/support/values/duration.hpp"

#include <array>
#include <limits>
#include <vector>

namespace nw {

namespace {

// Months per year.
constexpr int64_t kMonthsPerYear = 12;
// Days per week.
constexpr int64_t kDaysPerWeek = 7;

// One accepted unit: its singular and plural spelling and its size in months or days.
struct UnitSpec {
  std::string_view singular;  // "year"
  std::string_view plural;    // "years"
  bool is_months;             // counts toward months (else days)
  int64_t factor;             // months or days per unit
};

// Units in the order they must appear in Parse.
constexpr std::array<UnitSpec, 4> kUnits = {{
    {"year", "years", true, kMonthsPerYear},
    {"month", "months", true, 1},
    {"week", "weeks", false, kDaysPerWeek},
    {"day", "days", false, 1},
}};

// v narrowed to int32, or nullopt.
std::optional<int32_t> NarrowToInt32(int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int32_t>(v);
}

// Parses an optionally negative decimal integer of at most 10 digits.
std::optional<int64_t> ParseInteger(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

// Splits `text` at single spaces; nullopt if any piece is empty (double, leading or
// trailing spaces) or the text is empty.
std::optional<std::vector<std::string_view>> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  while (true) {
    const size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    if (word.empty()) return std::nullopt;
    words.push_back(word);
    if (space == std::string_view::npos) return words;
    text.remove_prefix(space + 1);
  }
}

// "<n> <singular|plural>", plural unless |n| == 1.
std::string Quantity(int64_t n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n == 1 || n == -1 ? singular : plural);
}

// Three-way comparison of two integers.
std::strong_ordering Order(int32_t a, int32_t b) { return a <=> b; }

}  // namespace

std::optional<Duration> Duration::Years(int32_t n) {
  const auto months = NarrowToInt32(int64_t{n} * kMonthsPerYear);
  if (!months) return std::nullopt;
  return Duration(*months, 0);
}

std::optional<Duration> Duration::Weeks(int32_t n) {
  const auto days = NarrowToInt32(int64_t{n} * kDaysPerWeek);
  if (!days) return std::nullopt;
  return Duration(0, *days);
}

std::optional<Duration> Duration::Parse(std::string_view text) {
  const auto words = SplitWords(text);
  if (!words || words->size() % 2 != 0) return std::nullopt;
  int64_t months = 0;
  int64_t days = 0;
  size_t next_unit = 0;  // units must appear in kUnits order, each at most once
  for (size_t i = 0; i < words->size(); i += 2) {
    const auto number = ParseInteger((*words)[i]);
    if (!number) return std::nullopt;
    const std::string_view unit_text = (*words)[i + 1];
    size_t unit = next_unit;
    while (unit < kUnits.size() && unit_text != kUnits[unit].singular &&
           unit_text != kUnits[unit].plural) {
      ++unit;
    }
    if (unit == kUnits.size()) return std::nullopt;
    // |number| < 10^10 and factor <= 12, so these sums stay far from int64 limits.
    (kUnits[unit].is_months ? months : days) += *number * kUnits[unit].factor;
    next_unit = unit + 1;
  }
  const auto narrow_months = NarrowToInt32(months);
  const auto narrow_days = NarrowToInt32(days);
  if (!narrow_months || !narrow_days) return std::nullopt;
  return Duration(*narrow_months, *narrow_days);
}

std::optional<Duration> Duration::Add(Duration other) const {
  const auto months = NarrowToInt32(int64_t{months_} + other.months_);
  const auto days = NarrowToInt32(int64_t{days_} + other.days_);
  if (!months || !days) return std::nullopt;
  return Duration(*months, *days);
}

std::optional<Duration> Duration::Negate() const {
  const auto months = NarrowToInt32(-int64_t{months_});
  const auto days = NarrowToInt32(-int64_t{days_});
  if (!months || !days) return std::nullopt;
  return Duration(*months, *days);
}

std::string Duration::ToString() const {
  if (IsZero()) return "0 days";
  std::string out;
  if (months_ != 0) {
    out = months_ % kMonthsPerYear == 0 ? Quantity(months_ / kMonthsPerYear, "year", "years")
                                        : Quantity(months_, "month", "months");
  }
  if (days_ != 0) {
    if (!out.empty()) out.push_back(' ');
    out += days_ % kDaysPerWeek == 0 ? Quantity(days_ / kDaysPerWeek, "week", "weeks")
                                     : Quantity(days_, "day", "days");
  }
  return out;
}

std::optional<Date> Apply(Date date, Duration duration, MonthEnd mode) {
  const auto shifted = AddMonths(date, duration.months(), mode);
  if (!shifted) return std::nullopt;
  return shifted->AddDays(duration.days());
}

std::optional<std::strong_ordering> Compare(Duration a, Duration b) {
  // Apply is strictly increasing in each part separately (for any start date and mode), so
  // part-wise dominance decides the order for every start date; anything else depends on
  // the start date (1 month is 28..31 days).
  const std::strong_ordering months = Order(a.months(), b.months());
  const std::strong_ordering days = Order(a.days(), b.days());
  if (months == days) return months;
  if (months == std::strong_ordering::equal) return days;
  if (days == std::strong_ordering::equal) return months;
  return std::nullopt;
}

}  // namespace nw
