// Clock durations: checked arithmetic, parsing and printing.
#include "dsl/support/values/timespan.hpp"

#include "dsl/support/values/checked_math.hpp"
#include "dsl/support/values/internal/wide_math.hpp"

namespace nw {

namespace {

// Splits `text` at single spaces into at most four words (a span has two or four); the
// number of words, or 0 if any word is empty, the text is empty or there are more than four.
size_t SplitWords(std::string_view text, std::string_view (&words)[4]) {
  size_t n = 0;
  size_t begin = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ') continue;
    if (i == begin || n == 4) return 0;
    words[n++] = text.substr(begin, i - begin);
    begin = i + 1;
  }
  return n;
}

// A non-negative decimal integer (digits only), or nullopt on other text or overflow.
std::optional<int64_t> ParseCount(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::optional<int64_t> value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = CheckedMul(*value, 10);
    if (value) value = CheckedAdd(*value, c - '0');
    if (!value) return std::nullopt;
  }
  return value;
}

// "<n> <singular|plural>", plural unless n == 1.
std::string Quantity(uint64_t n, const char* singular, const char* plural) {
  return std::to_string(n) + " " + (n == 1 ? singular : plural);
}

}  // namespace

std::optional<TimeSpan> TimeSpan::Parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  std::string_view words[4];
  const size_t count = SplitWords(text, words);
  if (count != 2 && count != 4) return std::nullopt;
  std::optional<int64_t> hours = 0;
  std::optional<int64_t> minutes = 0;
  size_t i = 0;
  if (words[1] == "hour" || words[1] == "hours") {
    hours = ParseCount(words[0]);
    if (!hours) return std::nullopt;
    i = 2;
  }
  if (i < count) {
    if (words[i + 1] != "minute" && words[i + 1] != "minutes") return std::nullopt;
    minutes = ParseCount(words[i]);
    if (!minutes) return std::nullopt;
    if (i == 2 && *minutes >= kMinutesPerHour) return std::nullopt;
    i += 2;
  }
  if (i != count) return std::nullopt;
  // 128-bit so that the most negative span ("-153722867280912930 hours 8 minutes") parses.
  const internal::Int128 magnitude = internal::Int128{*hours} * kMinutesPerHour + *minutes;
  const auto total = internal::NarrowToInt64(negative ? -magnitude : magnitude);
  if (!total) return std::nullopt;
  return TimeSpan(*total);
}

std::optional<TimeSpan> TimeSpan::Add(TimeSpan other) const {
  const auto sum = CheckedAdd(minutes_, other.minutes_);
  if (!sum) return std::nullopt;
  return TimeSpan(*sum);
}

std::optional<TimeSpan> TimeSpan::Sub(TimeSpan other) const {
  const auto difference = CheckedSub(minutes_, other.minutes_);
  if (!difference) return std::nullopt;
  return TimeSpan(*difference);
}

std::optional<TimeSpan> TimeSpan::Mul(int64_t factor) const {
  const auto product = CheckedMul(minutes_, factor);
  if (!product) return std::nullopt;
  return TimeSpan(*product);
}

std::optional<TimeSpan> TimeSpan::Negate() const {
  const auto negated = CheckedNeg(minutes_);
  if (!negated) return std::nullopt;
  return TimeSpan(*negated);
}

std::string TimeSpan::ToString() const {
  if (minutes_ == 0) return "0 minutes";
  const uint64_t magnitude = minutes_ < 0 ? uint64_t{0} - static_cast<uint64_t>(minutes_)
                                          : static_cast<uint64_t>(minutes_);
  const uint64_t hours = magnitude / kMinutesPerHour;
  const uint64_t minutes = magnitude % kMinutesPerHour;
  std::string out = minutes_ < 0 ? "-" : "";
  if (hours != 0) out += Quantity(hours, "hour", "hours");
  if (hours != 0 && minutes != 0) out.push_back(' ');
  if (minutes != 0) out += Quantity(minutes, "minute", "minutes");
  return out;
}

std::optional<Rational> Ratio(TimeSpan a, TimeSpan b) {
  if (b.IsZero()) return std::nullopt;
  return Rational::Make(a.minutes(), b.minutes());
}

std::optional<TimeSpan> MulRational(TimeSpan span, Rational r, RoundingMode mode) {
  using internal::Int128;
  const auto rounded = internal::RoundQuotient(Int128{span.minutes()} * r.num(), r.den(), mode);
  if (!rounded) return std::nullopt;
  const auto narrow = internal::NarrowToInt64(*rounded);
  if (!narrow) return std::nullopt;
  return TimeSpan::Minutes(*narrow);
}

}  // namespace nw
