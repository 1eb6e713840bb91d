// Times of day: strict parsing and printing.
#include "dsl/support/values/time_of_day.hpp"

namespace nw {

namespace {

// Value of exactly two ASCII digits, or -1.
int TwoDigitValue(char tens, char ones) {
  if (tens < '0' || tens > '9' || ones < '0' || ones > '9') return -1;
  return (tens - '0') * 10 + (ones - '0');
}

}  // namespace

std::optional<TimeOfDay> TimeOfDay::FromHm(int hour, int minute, bool allow_24) {
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return std::nullopt;
  return FromMinutes(hour * 60 + minute, allow_24);
}

std::optional<TimeOfDay> TimeOfDay::FromMinutes(int minutes, bool allow_24) {
  const int limit = allow_24 ? kMinutesPerDay : kMinutesPerDay - 1;
  if (minutes < 0 || minutes > limit) return std::nullopt;
  return TimeOfDay(minutes);
}

std::optional<TimeOfDay> TimeOfDay::Parse(std::string_view text, bool allow_24) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  const int hour = TwoDigitValue(text[0], text[1]);
  const int minute = TwoDigitValue(text[3], text[4]);
  if (hour < 0 || minute < 0) return std::nullopt;
  return FromHm(hour, minute, allow_24);
}

std::string TimeOfDay::ToString() const {
  const int h = hour();
  const int m = minute();
  return std::string{static_cast<char>('0' + h / 10), static_cast<char>('0' + h % 10), ':',
                     static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10)};
}

}  // namespace nw
