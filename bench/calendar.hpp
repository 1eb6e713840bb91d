// Calendar arithmetic for the benchmark's generator and baseline: days since
// 1970-01-01, month arithmetic that clamps to the month's end, ISO weeks, and
// strict parsers for `YYYY-MM-DD` and `HH:MM`. Plain integers, no engine types.
#pragma once

#include <cstdint>
#include <string_view>

namespace nw::bench {

/// Year, month (1-12) and day (1-31) of a day since 1970-01-01.
struct Ymd {
  int32_t y = 1970;
  int32_t m = 1;
  int32_t d = 1;
};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
constexpr int32_t DaysFromCivil(int32_t y, int32_t m, int32_t d) {
  y -= m <= 2 ? 1 : 0;
  const int32_t era = (y >= 0 ? y : y - 399) / 400;
  const int32_t yoe = y - era * 400;
  const int32_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// The civil date of a day since 1970-01-01.
constexpr Ymd CivilFromDays(int32_t z) {
  z += 719468;
  const int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int32_t doe = z - era * 146097;
  const int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int32_t y = yoe + era * 400;
  const int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int32_t mp = (5 * doy + 2) / 153;
  const int32_t d = doy - (153 * mp + 2) / 5 + 1;
  const int32_t m = mp + (mp < 10 ? 3 : -9);
  return Ymd{y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool IsLeap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int32_t DaysInMonth(int32_t y, int32_t m) {
  constexpr int32_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

/// `day + months`, clamped to the end of the target month (31 March - 1 month = 29 February).
constexpr int32_t AddMonths(int32_t day, int32_t months) {
  Ymd c = CivilFromDays(day);
  int32_t total = c.y * 12 + (c.m - 1) + months;
  int32_t y = total >= 0 ? total / 12 : (total - 11) / 12;
  int32_t m = total - y * 12 + 1;
  int32_t d = c.d < DaysInMonth(y, m) ? c.d : DaysInMonth(y, m);
  return DaysFromCivil(y, m, d);
}

/// Whole calendar months from `a` to `b` (as the rule language's months_between).
constexpr int32_t MonthsBetween(int32_t a, int32_t b) {
  Ymd x = CivilFromDays(a), y = CivilFromDays(b);
  int32_t months = (y.y - x.y) * 12 + (y.m - x.m);
  if (months > 0 && AddMonths(a, months) > b) --months;
  if (months < 0 && AddMonths(a, months) < b) ++months;
  return months;
}

/// ISO weekday, 1 (Monday) to 7 (Sunday).
constexpr int32_t IsoWeekday(int32_t day) {
  int32_t w = (day + 3) % 7;  // 1970-01-01 was a Thursday
  if (w < 0) w += 7;
  return w + 1;
}

/// The Monday of a day's ISO week.
constexpr int32_t StartOfIsoWeek(int32_t day) { return day - (IsoWeekday(day) - 1); }

/// Parses `YYYY-MM-DD` (a day that exists); false on anything else.
inline bool ParseDate(std::string_view s, int32_t& out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int32_t v[3] = {0, 0, 0};
  const int widths[3] = {4, 2, 2};
  size_t p = 0;
  for (int k = 0; k < 3; ++k) {
    for (int i = 0; i < widths[k]; ++i, ++p) {
      char c = s[p];
      if (c < '0' || c > '9') return false;
      v[k] = v[k] * 10 + (c - '0');
    }
    ++p;  // the dash
  }
  if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > DaysInMonth(v[0], v[1])) return false;
  out = DaysFromCivil(v[0], v[1], v[2]);
  return true;
}

/// Parses `HH:MM` (00:00 to 24:00) into minutes; false on anything else.
inline bool ParseTime(std::string_view s, int32_t& out) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  int32_t h = (s[0] - '0') * 10 + (s[1] - '0');
  int32_t m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  out = h * 60 + m;
  return true;
}

}  // namespace nw::bench
